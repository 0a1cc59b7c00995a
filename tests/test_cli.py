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
