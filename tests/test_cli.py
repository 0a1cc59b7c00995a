"""The ``storylens`` command line, end to end through Typer's CliRunner.

Bad input must fail the way the README promises -- exit code 2, one line
``storylens: error: <file>: <reason>`` on stderr, the database untouched -- re-ingesting is
a no-op, and ``compare --json`` prints the documented schema with cleaned articles.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from conftest import ARABIC_DAILY, EXAMPLES, SPUTNIK
from storylens.cli import app

MULTILINGUAL = EXAMPLES / "multilingual"
DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")
LABELS = {"very similar", "somewhat similar", "somewhat dissimilar", "very dissimilar"}
CHROME_LINES = ("Discuss", "Archives", "Follow our latest local and sports news")


def run(*args: str | Path) -> Result:
    """``storylens ARGS`` in-process; stdout and stderr are captured separately."""
    return CliRunner().invoke(app, [str(arg) for arg in args])


def describe(result: Result) -> str:
    return f"exit {result.exit_code}\nstdout: {result.stdout!r}\nstderr: {result.stderr!r}\n{result.exception!r}"


def snapshot(db: Path) -> tuple[dict[str, str], dict[str, int]]:
    """sha256 of every file in the database's folder (db, -wal, -shm) and the row count of every table."""
    files = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(db.parent.iterdir())}
    connection = sqlite3.connect(db)
    try:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}
    finally:
        connection.close()
    return files, counts


def assert_one_error_line(result: Result, bad: Path, reason: str) -> None:
    """Exit 2, nothing on stdout, and exactly ``storylens: error: <bad>...: <reason>`` on stderr."""
    assert result.exit_code == 2, describe(result)
    assert result.stdout == "", describe(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and result.stderr == lines[0] + "\n", describe(result)
    line = lines[0]
    assert line.startswith("storylens: error: "), line
    assert bad.name in line, line
    # The file as given on the command line, maybe with [i] / :N for a record, then the reason.
    match = re.fullmatch(rf"storylens: error: {re.escape(str(bad))}(?:\[\d+\]|:\d+)?: (?P<reason>.+)", line)
    assert match, line
    assert re.search(reason, match["reason"]), line


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A database holding examples/multilingual, and the ``ingest --json`` report that filled it."""
    db = tmp_path_factory.mktemp("ingested") / "news.db"
    result = run("ingest", MULTILINGUAL, "--db", db, "--json")
    assert result.exit_code == 0, describe(result)
    return db, json.loads(result.stdout)


@pytest.fixture
def db(ingested: tuple[Path, dict], tmp_path: Path) -> Path:
    """A private copy of the ingested database, alone in its folder."""
    folder = tmp_path / "db"
    folder.mkdir()
    return Path(shutil.copy(ingested[0], folder / "news.db"))


# -- bad input --------------------------------------------------------------------------------


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _png(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def _high_bytes(path: Path) -> None:
    # Every byte 0x80-0xFF: invalid UTF-8 and fits no code page charset_normalizer will vouch for.
    path.write_bytes(bytes(range(0x80, 0x100)) * 20)


def _bom_then_invalid(path: Path) -> None:
    # The writer says UTF-8 (a BOM), then bytes that are no UTF-8 at all.
    path.write_bytes(b"\xef\xbb\xbfMoscow \xff\xfe\xc0\xc1 talks\n")


def _huge(path: Path) -> None:
    with path.open("wb") as handle:  # sparse: 50 MB on paper, instant to write
        handle.write(b"A headline\n\nA body.\n")
        handle.truncate(50_000_000)


def _broken_html(path: Path) -> None:
    path.write_text("<html><body><div><", encoding="utf-8")


def _broken_json(path: Path) -> None:
    path.write_text('{"title": "x", "text": ', encoding="utf-8")


def _deeply_nested_json(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


BAD_INPUTS = [
    pytest.param("empty.txt", _empty, r"empty", id="empty"),
    pytest.param("photo.png", _png, r"binary.*PNG", id="binary-png"),
    pytest.param("garbage.txt", _high_bytes, r"undecodable", id="undecodable"),
    pytest.param("bom-garbage.txt", _bom_then_invalid, r"undecodable.*utf-8", id="undecodable-after-bom"),
    pytest.param("huge.txt", _huge, r"too large: 50\.0 MB", id="50MB"),
    # trafilatura "extracts" the stray "<", which the chrome pass then drops: either reason is honest.
    pytest.param("broken.html", _broken_html, r"malformed HTML|no article text", id="malformed-html"),
    pytest.param("broken.json", _broken_json, r"malformed JSON", id="malformed-json"),
    pytest.param("deep.json", _deeply_nested_json, r"malformed JSON: nested too deeply", id="deeply-nested-json"),
]


@pytest.mark.parametrize("position", ["first", "second"])
@pytest.mark.parametrize(("name", "write", "reason"), BAD_INPUTS)
def test_compare_bad_input(
    tmp_path: Path, db: Path, name: str, write: Callable[[Path], None], reason: str, position: str
) -> None:
    bad = tmp_path / name
    write(bad)
    pair = (bad, SPUTNIK) if position == "first" else (SPUTNIK, bad)
    before = snapshot(db)
    result = run("compare", *pair, "--db", db)
    assert_one_error_line(result, bad, reason)
    assert snapshot(db) == before


@pytest.mark.parametrize(("name", "write", "reason"), BAD_INPUTS)
def test_ingest_bad_input(tmp_path: Path, db: Path, name: str, write: Callable[[Path], None], reason: str) -> None:
    bad = tmp_path / name
    write(bad)
    before = snapshot(db)
    result = run("ingest", bad, "--db", db)
    assert_one_error_line(result, bad, reason)
    assert snapshot(db) == before


def test_ingest_folder_with_one_bad_file_writes_nothing(tmp_path: Path, db: Path) -> None:
    """Good files are read before the bad one, yet none of them is stored."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SPUTNIK, folder / "a-good.txt")
    bad = folder / "b-bad.json"
    _broken_json(bad)
    before = snapshot(db)
    result = run("ingest", folder, "--db", db)
    assert_one_error_line(result, bad, r"malformed JSON")
    assert snapshot(db) == before


IP_BLOCK_PAGE = (
    "Przykro nam, ale z adresu IP z którego się łączysz odnotowaliśmy ogromną ilość połączeń.\n\n"
    "Podejrzewamy, że ktoś nadużył adresu IP, z którego korzystasz.\n\n"
    'Jeśli chcesz połączyć się z nami zaznacz "NIE JESTEM ROBOTEM".\n\nTwój adres IP: 207.241.233.113\n'
)
KENYA = {"title": "Floods displace thousands in Kenya", "text": "Floods in western Kenya displaced thousands of "
         "families after the Nzoia river burst its banks, the Kenya Red Cross said in Nairobi on Monday."}
AD_BLOCK = {"title": "Winning numbers drawn in 'Pick 4 Midday' game", "text": "We noticed you're blocking ads!\n\n"
            "Keep supporting great journalism by turning off your ad blocker. Or purchase a subscription for "
            "unlimited access to real news you can count on."}


def _scraped_folder(tmp_path: Path) -> Path:
    """A scrape as users get it: a good article, an IP-block page, and a feed with a good
    record, a truncated line and an ad-block wall."""
    folder = tmp_path / "scrape"
    folder.mkdir()
    shutil.copy(SPUTNIK, folder / "a-sputnik.txt")
    (folder / "b-blocked.txt").write_text(IP_BLOCK_PAGE, encoding="utf-8")
    lines = [json.dumps(KENYA), '{"title": "Cut off', json.dumps(AD_BLOCK)]
    (folder / "c-feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_ingest_skip_bad_stores_the_rest_and_names_each_bad_input(tmp_path: Path, db: Path) -> None:
    folder = _scraped_folder(tmp_path)
    before = snapshot(db)
    strict = run("ingest", folder, "--db", db)
    assert strict.exit_code == 2 and snapshot(db) == before  # the default still stops, storing nothing
    result = run("ingest", folder, tmp_path / "missing.txt", "--db", db, "--skip-bad")
    assert result.exit_code == 0, describe(result)
    warnings = result.stderr.strip().splitlines()
    assert len(warnings) == 4 and all(w.startswith("storylens: warning: skipped ") for w in warnings)
    assert "b-blocked.txt: no article text: the page is an access wall (IP block / robot check)" in warnings[0]
    assert "c-feed.jsonl:2: malformed JSON" in warnings[1] and "c-feed.jsonl:3: no article text" in warnings[2]
    assert "missing.txt" in warnings[3]
    assert "2 added, 0 already stored, 2 read, 4 bad input(s) skipped" in result.stdout
    again = run("ingest", folder, "--db", db, "--skip-bad", "--json")
    report = json.loads(again.stdout)
    assert report["added"] == 0 and len(report["articles"]) == 2
    assert [(Path(s["source"]).name, s["reason"][:16]) for s in report["skipped"]] == [
        ("b-blocked.txt", "no article text:"), ("c-feed.jsonl:2", "malformed JSON: "),
        ("c-feed.jsonl:3", "no article text:")]  # fmt: skip


def test_a_large_feed_streams_past_its_bad_lines_when_asked(tmp_path: Path) -> None:
    """A JSON Lines file above the size limit is read line by line; with an error handler a
    bad line is reported and the lines after it still come through."""
    from storylens.errors import InputError
    from storylens.ingest import stream_articles

    feed = _scraped_folder(tmp_path) / "c-feed.jsonl"
    errors: list[InputError] = []
    articles = list(stream_articles([feed], max_bytes=300, on_error=errors.append))
    assert [a.title for a in articles] == [KENYA["title"]]
    assert [e.source.rsplit(":", 1)[1] for e in errors] == ["2", "3"]
    with pytest.raises(InputError, match="malformed JSON"):
        list(stream_articles([feed], max_bytes=300))


def test_compare_multi_article_input_is_refused(tmp_path: Path, db: Path) -> None:
    two = tmp_path / "two.json"
    two.write_text(json.dumps([{"title": "One", "text": "First."}, {"title": "Two", "text": "Second."}]))
    before = snapshot(db)
    result = run("compare", two, SPUTNIK, "--db", db)
    assert_one_error_line(result, two, r"2 articles")
    assert snapshot(db) == before


@pytest.mark.parametrize("command", ["compare", "ingest"])
def test_missing_file(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no-such-article.txt"
    db = tmp_path / "db" / "news.db"
    db.parent.mkdir()
    args = (missing, SPUTNIK) if command == "compare" else (missing,)
    result = run(command, *args, "--db", db)
    assert_one_error_line(result, missing, r"no such file")
    assert list(db.parent.iterdir()) == []  # nothing was even created


# -- ingest -----------------------------------------------------------------------------------


def test_reingest_is_a_no_op(ingested: tuple[Path, dict], db: Path) -> None:
    _, first = ingested
    ids = [row["id"] for row in first["articles"]]
    assert len(ids) >= 10 and len(set(ids)) == len(ids)
    assert first["added"] == len(ids) and all(row["new"] for row in first["articles"])
    langs = {row["lang"] for row in first["articles"]}
    assert {"ar", "de", "en", "es", "fr", "ru"} <= langs
    _, counts_before = snapshot(db)
    assert counts_before["articles"] == len(ids)

    result = run("ingest", MULTILINGUAL, "--db", db, "--json")
    assert result.exit_code == 0, describe(result)
    second = json.loads(result.stdout)
    assert second["added"] == 0
    assert [row["id"] for row in second["articles"]] == ids
    assert not any(row["new"] for row in second["articles"])
    _, counts_after = snapshot(db)
    assert counts_after == counts_before


# -- compare ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_compare_json_schema(tmp_path: Path) -> None:
    raw = [line.strip() for path in (SPUTNIK, ARABIC_DAILY) for line in path.read_text().splitlines()]
    assert {"Discuss", "Archives"} <= set(raw)  # the chrome really is in the inputs
    assert any(line.startswith(CHROME_LINES[2]) for line in raw)

    db = tmp_path / "news.db"
    result = run("compare", SPUTNIK, ARABIC_DAILY, "--json", "--db", db)
    assert result.exit_code == 0, describe(result)
    report = json.loads(result.stdout)

    assert set(report) >= {*DIMENSIONS, "model", "encoders", "evidence", "articles"}
    for dim in DIMENSIONS:
        assert isinstance(report[dim]["score"], float), dim
        assert 1 <= report[dim]["score"] <= 4, (dim, report[dim])
        assert report[dim]["label"] in LABELS, (dim, report[dim])
    assert report["model"] in {"semeval-v1", "evidence-v1"}
    assert report["encoders"] and all(isinstance(name, str) for name in report["encoders"])

    evidence = report["evidence"]
    assert set(evidence) >= {"entities", "geography", "time", "quotes", "numbers", "passages", "style"}
    assert set(evidence["entities"]) >= {"people", "organisations"}
    for side in (*evidence["entities"].values(), evidence["geography"]["places"]):
        assert set(side) >= {"shared", "only_a", "only_b"}
    assert evidence["time"]["published"] == ["2021-03-20", "2021-03-21"]
    assert evidence["passages"]["best_matches"]
    people = {item["name"].casefold() for item in evidence["entities"]["people"]["shared"]}
    assert any("antonov" in name for name in people), people

    a, b = report["articles"]
    article_keys = {"id", "source", "lang", "lang_confidence", "title", "body", "outlet", "url", "published"}
    assert set(a) >= article_keys | {"removed_lines"} and set(b) >= article_keys | {"removed_lines"}
    assert Path(a["source"]).name == SPUTNIK.name and Path(b["source"]).name == ARABIC_DAILY.name
    assert a["lang"] == b["lang"] == "en"
    removed = a["removed_lines"] + b["removed_lines"]
    for article in (a, b):
        assert article["title"] and article["body"]
        cleaned = [article["title"], *article["body"].splitlines()]
        for chrome in CHROME_LINES:
            assert not any(line.strip().startswith(chrome) for line in cleaned), (chrome, article["source"])
        assert CHROME_LINES[2] not in article["body"]
    for chrome in CHROME_LINES:
        assert any(line.startswith(chrome) for line in removed), chrome

    # compare stores both articles and caches their vectors.
    _, counts = snapshot(db)
    assert counts["articles"] == 2 and counts["vectors"] > 0


# -- issue 7: nothing lost, nothing overwritten -------------------------------------------------

FEED_A = [
    ("Earthquake shakes northern Chile", "A magnitude 7.1 earthquake struck northern Chile on Monday, the national "
     "seismology centre said. Buildings swayed in Antofagasta and Santiago."),
    ("Floods displace thousands in Kenya", "Floods in western Kenya displaced thousands of families after the Nzoia "
     "river burst its banks, the Kenya Red Cross said in Nairobi."),
]
FEED_B = [
    ("Wildfires spread in Portugal", "Wildfires spread across central Portugal on Sunday as firefighters battled "
     "strong winds near Coimbra, the civil protection agency in Lisbon said."),
    ("Typhoon lashes the Philippines", "A typhoon lashed the northern Philippines on Saturday, forcing evacuations in "
     "Luzon, the disaster agency in Manila said."),
]


def _feed(path: Path, records: list[tuple[str, str]], **extra: str) -> Path:
    """A JSON Lines feed numbering its records 1..N, as real feeds do."""
    lines = [json.dumps({"id": n, "title": t, "text": x, **extra}) for n, (t, x) in enumerate(records, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _places(db: Path, article_id: str) -> set[str]:
    from storylens.store import Store

    with Store(db) as store:
        article = store.get_article(article_id)
    assert article is not None and article.analysis is not None
    return {e.canonical for e in article.analysis.entities if e.kind == "place"}


def test_two_feeds_numbered_alike_are_both_stored_whole(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    first = run("ingest", _feed(tmp_path / "a.jsonl", FEED_A), "--db", db, "--json")
    second = run("ingest", _feed(tmp_path / "b.jsonl", FEED_B), "--db", db, "--json")
    assert first.exit_code == second.exit_code == 0, describe(second)
    rows = json.loads(first.stdout)["articles"] + json.loads(second.stdout)["articles"]
    assert [row["new"] for row in rows] == [True] * 4  # not "exists": other texts with the same ids
    assert [row["input_id"] for row in rows] == ["1", "2", "1", "2"]
    assert len({row["id"] for row in rows}) == 4
    _, counts = snapshot(db)
    assert counts["articles"] == 4
    chile, kenya = rows[0]["id"], rows[1]["id"]
    assert "Chile" in _places(db, chile) and "Kenya" not in _places(db, chile)
    assert "Kenya" in _places(db, kenya) and "Chile" not in _places(db, kenya)


def test_same_text_with_another_date_is_reported_and_keeps_the_first(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    assert run("ingest", _feed(tmp_path / "a.jsonl", FEED_A[:1], date="2024-03-01"), "--db", db).exit_code == 0
    before = snapshot(db)
    again = _feed(tmp_path / "again.jsonl", FEED_A[:1], date="2024-03-09")
    result = run("ingest", again, "--db", db, "--json")
    assert result.exit_code == 0, describe(result)
    (row,) = json.loads(result.stdout)["articles"]
    assert row["new"] is False and row["published"] == "2024-03-01"
    (warning,) = result.stderr.splitlines()
    assert warning.startswith(f"storylens: warning: {again}:1: same text as stored article")
    assert "2024-03-01" in warning and "2024-03-09" in warning
    assert snapshot(db)[1] == before[1]


def test_ingest_output_reads_well(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    feed = _feed(tmp_path / "a.jsonl", FEED_A)
    first, second = run("ingest", feed, "--db", db), run("ingest", feed, "--db", db)
    assert first.exit_code == second.exit_code == 0, describe(second)
    lines = first.stdout.splitlines()
    assert lines[0].startswith("added   en") and "Earthquake shakes northern Chile" in lines[0]
    assert "input id 1" in lines[0]
    assert lines[-1] == f"2 added, 0 already stored, 2 read; database {db}"
    assert second.stdout.splitlines()[0].startswith("exists  en")
    assert second.stdout.splitlines()[-1].startswith("0 added, 2 already stored")


def test_warnings_are_one_line_each_on_stderr(tmp_path: Path) -> None:
    record = {"id": {"a": 1}, "title": FEED_A[0][0], "text": FEED_A[0][1], "lang": 5, "date": "2024-13-45"}
    path = tmp_path / "bad-meta.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = run("ingest", path, "--db", tmp_path / "news.db", "--json")
    assert result.exit_code == 0, describe(result)
    warnings = result.stderr.splitlines()
    assert len(warnings) == 3 and all(w.startswith(f"storylens: warning: {path}: ") for w in warnings)
    (row,) = json.loads(result.stdout)["articles"]
    assert (row["lang"], row["input_id"], row["published"]) == ("en", None, None)


# -- issue 7: a broken database is one line, exit 2, unchanged -----------------------------------

from test_store import BROKEN_STORES  # noqa: E402 -- the same broken files as the Store tests


@pytest.mark.parametrize(("make", "reason"), BROKEN_STORES)
def test_ingest_into_a_broken_store(tmp_path: Path, make: Callable[[Path], object], reason: str) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "news.db"
    make(db)
    before = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    try:
        result = run("ingest", SPUTNIK, "--db", db)
        assert_one_error_line(result, db, reason)
        assert {p.name: p.read_bytes() for p in sorted(folder.iterdir())} == before
    finally:
        folder.chmod(0o755)


def test_ingest_into_a_folder_or_a_missing_folder(tmp_path: Path) -> None:
    assert_one_error_line(run("ingest", SPUTNIK, "--db", tmp_path), tmp_path, "is a folder")
    missing = tmp_path / "missing" / "news.db"
    assert_one_error_line(run("ingest", SPUTNIK, "--db", missing), missing, "does not exist")
    assert list(tmp_path.iterdir()) == []


def test_ingest_into_a_locked_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storylens.store

    monkeypatch.setattr(storylens.store, "BUSY_TIMEOUT_S", 0.2)  # the real wait is 5 s
    db = tmp_path / "news.db"
    assert run("ingest", SPUTNIK, "--db", db).exit_code == 0
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        before = snapshot_files(db)
        result = run("ingest", ARABIC_DAILY, "--db", db)
        assert_one_error_line(result, db, "locked by another process")
        assert snapshot_files(db) == before
    finally:
        other.execute("ROLLBACK")
        other.close()


def snapshot_files(db: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(db.parent.iterdir())}


def test_file_name_with_a_newline_gives_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad\nname.txt"
    bad.write_bytes(b"")
    result = run("ingest", bad, "--db", tmp_path / "news.db")
    assert result.exit_code == 2, describe(result)
    (line,) = result.stderr.splitlines()
    assert line == f"storylens: error: {str(bad)!r}: empty file (0 bytes)"


def test_main_turns_a_stray_sqlite_error_into_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The last resort for faults no command foresaw: still one line naming the database."""
    import storylens.store
    from storylens import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    db = tmp_path / "news.db"
    monkeypatch.setattr(storylens.store.Store, "add_articles", broken)
    monkeypatch.setattr(sys, "argv", ["storylens", "ingest", str(SPUTNIK), "--db", str(db)])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"storylens: error: {db}: database error: disk I/O error"


# -- issue 7: help a person can read; compare writes nothing into the current folder ---------------


@pytest.mark.parametrize("command", [(), ("ingest",), ("compare",), ("train", "semeval"), ("eval", "semeval")])
def test_help_has_no_raw_markup(command: tuple[str, ...]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, describe(result)
    assert "``" not in result.stdout and "<bool>" not in result.stdout and "<list[" not in result.stdout
    assert "<path>" not in result.stdout and "Every command" not in result.stdout


@pytest.mark.slow
def test_compare_without_db_writes_nothing_into_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "read-only"
    here.mkdir()
    cache = tmp_path / "cache"
    monkeypatch.chdir(here)
    monkeypatch.setenv("STORYLENS_CACHE_DIR", str(cache))
    here.chmod(0o555)
    try:
        result = run("compare", SPUTNIK, ARABIC_DAILY, "--json")
        assert result.exit_code == 0, describe(result)
        assert list(here.iterdir()) == []
        assert (cache / "compare-cache.db").exists()  # the user's cache folder instead

        cache.chmod(0o555)  # no writable cache either: compare still works, without one
        (cache / "compare-cache.db").chmod(0o444)
        again = run("compare", SPUTNIK, ARABIC_DAILY, "--json")
        assert again.exit_code == 0, describe(again)
        assert json.loads(again.stdout)["overall"] == json.loads(result.stdout)["overall"]
        assert list(here.iterdir()) == []
    finally:
        here.chmod(0o755)
        cache.chmod(0o755)
