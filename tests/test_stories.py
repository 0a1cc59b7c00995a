"""Stories on real text: the shipped examples cluster into their three stories, in any
language, and ``story`` shows who reports what. Needs the bundled USE encoder (seconds)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ARABIC_DAILY, EXAMPLES, SPUTNIK
from storylens.article import Article
from storylens.cli import app
from storylens.ingest import read_articles
from storylens.store import Store
from storylens.stories import api

pytestmark = pytest.mark.slow
MULTILINGUAL = EXAMPLES / "multilingual"


def story_of_files(rows: list[dict]) -> dict[str, str]:
    """File name → story id."""
    return {Path(row["source"]).name: row["story_id"] for row in rows}


def table_counts(db: Path) -> dict[str, int]:
    connection = sqlite3.connect(db)
    try:
        tables = [n for (n,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """All thirteen example articles ingested, seed pair first, then the multilingual folder."""
    db = tmp_path_factory.mktemp("stories") / "news.db"
    articles = [*read_articles(SPUTNIK), *read_articles(ARABIC_DAILY), *read_articles(MULTILINGUAL)]
    with Store(db) as store:
        rows = api.ingest_articles(store, articles)
    return db, rows


@pytest.fixture
def db_copy(examples_db: tuple[Path, list[dict]], tmp_path: Path) -> Path:
    return Path(shutil.copy(examples_db[0], tmp_path / "news.db"))


def test_examples_form_three_stories(examples_db: tuple[Path, list[dict]]) -> None:
    _, rows = examples_db
    story = story_of_files(rows)
    antonov = {story[name] for name in story if "antonov" in name}
    valencia = {story[name] for name in story if name.startswith("b-")}
    ecb = {story[name] for name in story if name.startswith("c-")}
    assert len([n for n in story if "antonov" in n]) == 6
    assert len(antonov) == 1, story
    assert len(valencia) == 1, story
    assert len(ecb) == 1, story
    assert len(antonov | valencia | ecb) == 3, story
    # The seed article came first, so the story carries the first id.
    assert antonov == {story[SPUTNIK.name]}


def test_story_shows_who_reports_what(examples_db: tuple[Path, list[dict]]) -> None:
    db, rows = examples_db
    with Store(db) as store:
        story = api.get_story(store, story_of_files(rows)[SPUTNIK.name])
    assert story is not None and story["size"] == 6
    assert set(story["languages"]) == {"ar", "de", "en", "es", "ru"}
    only = {}
    for fact in story["coverage"]["facts"]:
        if fact["only"]:
            only.setdefault(fact["only"], set()).add(fact["label"].lower())
    sputnik = " | ".join(sorted(only.get(SPUTNIK.stem, ())))
    arabic_daily = " | ".join(sorted(only.get(ARABIC_DAILY.stem, ())))
    # Washington's earlier recalls (1934, 1980) only Sputnik gives; Moscow's 1998 one the retellings give too.
    for name in ("khashoggi", "salman", "1934", "1980"):
        assert name in sputnik, (name, sputnik)
    assert "1998" not in sputnik
    for name in ("tass", "first channel"):
        assert name in arabic_daily, (name, arabic_daily)
    # Facts every outlet reports are not flagged: Antonov is in all six, in five scripts' spellings.
    antonov = [f for f in story["coverage"]["facts"] if "antonov" in f["label"].lower() and f["kind"] == "person"]
    assert antonov and len(antonov[0]["articles"]) == 6 and antonov[0]["only"] is None
    # One fact, one row: no label appears twice for a kind (ABC News once, however it was keyed).
    labels = [(f["kind"], f["label"].casefold()) for f in story["coverage"]["facts"]]
    assert len(labels) == len(set(labels))
    # The timeline marks the earliest dated article(s) as first.
    firsts = [entry for entry in story["timeline"] if entry["first"]]
    assert firsts and all(entry["published"] == "2021-03-20" for entry in firsts)
    assert len(story["distances"]) == 6
    assert all(len(d["dimensions"]) == 7 for d in story["distances"])


def test_list_stories_filters(examples_db: tuple[Path, list[dict]]) -> None:
    db, _ = examples_db
    with Store(db) as store:
        listing = api.list_stories(store)
        assert listing["total"] == 3
        sizes = sorted(s["size"] for s in listing["stories"])
        assert sizes == [3, 4, 6]
        assert api.list_stories(store, min_size=5)["total"] == 1
        assert {s["size"] for s in api.list_stories(store, lang="fr")["stories"]} == {3}
        # Only the Antonov story is dated (2021-03-20/21): the plain-text B and C files carry no date.
        assert [s["size"] for s in api.list_stories(store, since=date(2021, 3, 21))["stories"]] == [6]
        assert api.list_stories(store, since=date(2021, 3, 22))["total"] == 0
        assert api.list_stories(store, until=date(2021, 3, 19))["total"] == 0
        assert api.get_story(store, "s-999999") is None
        first = listing["stories"][0]
        assert set(first) >= {"id", "headline", "size", "languages", "outlets", "first_date", "last_date", "articles"}
        assert set(first["articles"][0]) == {"id", "source", "outlet", "lang", "published", "title"}


def test_reingest_changes_nothing(examples_db: tuple[Path, list[dict]], db_copy: Path) -> None:
    _, rows = examples_db
    before = table_counts(db_copy)
    articles = [*read_articles(SPUTNIK), *read_articles(ARABIC_DAILY), *read_articles(MULTILINGUAL)]
    with Store(db_copy) as store:
        again = api.ingest_articles(store, articles)
    assert [(r["id"], r["story_id"]) for r in again] == [(r["id"], r["story_id"]) for r in rows]
    assert not any(r["new"] for r in again)
    assert table_counts(db_copy) == before


def test_incremental_ingest_across_two_runs(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Store(db) as store:  # day one: the seed pair only
        first = api.ingest_articles(store, [*read_articles(SPUTNIK), *read_articles(ARABIC_DAILY)])
    assert len({r["story_id"] for r in first}) == 1
    with Store(db) as store:  # a new process: state comes from the store
        second = api.ingest_articles(store, [a for a in read_articles(MULTILINGUAL) if "antonov" in (a.source or "")])
    assert {r["story_id"] for r in second} == {first[0]["story_id"]}
    assert all(r["new"] for r in second)


def test_date_window(tmp_path: Path) -> None:
    (english,) = read_articles(MULTILINGUAL / "b-en-valencia-floods.txt")
    base = replace(english, published=date(2024, 10, 30))
    near = replace(english, id="", title=english.title + " (update)", published=date(2024, 11, 1))
    far = replace(english, id="", title=english.title + " (a year on)", published=date(2025, 10, 30))
    undated = replace(english, id="", title=english.title + " (archive)", published=None)
    with Store(tmp_path / "news.db") as store:
        stories = [r["story_id"] for r in api.ingest_articles(store, [base, near, far])]
        assert stories[1] == stories[0]
        assert stories[2] != stories[0]  # outside the 7-day window: not even a candidate
        # Undated: every dated twin is a candidate, so it joins them (and, as a bridge, may merge them).
        (placed,) = api.ingest_articles(store, [undated])
        assert placed["new"] and placed["story_id"] == stories[0]  # the older story keeps its id


def test_unseen_language_and_one_line_article(examples_db: tuple[Path, list[dict]], db_copy: Path) -> None:
    swahili = Article(
        "Mafuriko Valencia: watu 95 wamekufa",
        "Mafuriko makubwa yamekumba jimbo la Valencia nchini Hispania, na watu wasiopungua 95 wamekufa. "
        "Waokoaji wanaendelea kutafuta watu waliopotea katika mji wa Paiporta.",
        lang="sw",
    )
    one_line = Article("", "Ambassador Antonov flies to Moscow.")
    with Store(db_copy) as store:
        rows = api.ingest_articles(store, [swahili, one_line])
        assert all(r["new"] and r["story_id"].startswith("s-") for r in rows)
        listed = {a["id"] for s in api.list_stories(store)["stories"] for a in s["articles"]}
        assert {swahili.id, one_line.id} <= listed
        assert api.get_story(store, rows[1]["story_id"]) is not None
    ecb = story_of_files(examples_db[1])["c-en-ecb-rate-cut.txt"]
    assert rows[0]["story_id"] != ecb


def test_similar_articles(examples_db: tuple[Path, list[dict]]) -> None:
    db, rows = examples_db
    story = story_of_files(rows)
    with Store(db) as store:
        (query,) = read_articles(MULTILINGUAL / "a-ru-antonov.txt")
        found = api.similar_articles(store, query.id, k=3)
        assert len(found) == 3 and all(f["id"] != query.id for f in found)
        assert {f["story_id"] for f in found} == {story["a-ru-antonov.txt"]}
        unsaved = Article("ECB lowers rates", "The European Central Bank cut its deposit rate to 3.25% in Ljubljana.")
        assert api.similar_articles(store, unsaved, k=1)[0]["story_id"] == story["c-en-ecb-rate-cut.txt"]


def test_cli_stories_and_story(examples_db: tuple[Path, list[dict]]) -> None:
    db, rows = examples_db
    runner = CliRunner()
    listed = runner.invoke(app, ["stories", "--db", str(db), "--json", "--min-size", "4"])
    assert listed.exit_code == 0, listed.output
    assert sorted(s["size"] for s in json.loads(listed.stdout)["stories"]) == [4, 6]
    text = runner.invoke(app, ["stories", "--db", str(db)])
    assert text.exit_code == 0 and "3 stories" in text.stdout
    sid = story_of_files(rows)[SPUTNIK.name]
    shown = runner.invoke(app, ["story", sid, "--db", str(db)])
    assert shown.exit_code == 0, shown.output
    assert "Khashoggi" in shown.stdout and "only" in shown.stdout
    missing = runner.invoke(app, ["story", "s-424242", "--db", str(db)])
    assert missing.exit_code == 2 and missing.stderr.startswith("storylens: error: s-424242: ")
    bad = runner.invoke(app, ["stories", "--db", str(db), "--since", "yesterday"])
    assert bad.exit_code == 2 and "not a date" in bad.stderr


def test_eval_stories_on_the_examples(tmp_path: Path) -> None:
    lines = []
    for article in [*read_articles(SPUTNIK), *read_articles(ARABIC_DAILY), *read_articles(MULTILINGUAL)]:
        letter = "a" if "antonov" in (article.source or "") else Path(article.source).name[0]
        lines.append(json.dumps({"title": article.title, "text": article.body, "lang": article.lang,
                                 "story": letter}, ensure_ascii=False))
    data = tmp_path / "labelled.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "stories", "--data", str(data), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stories"] == {"found": 3, "gold": 3}
    assert report["bcubed"]["f1"] == 1.0 and report["pairwise"]["f1"] == 1.0
    bad = tmp_path / "unlabelled.jsonl"
    bad.write_text('{"title": "x", "text": "y"}\n', encoding="utf-8")
    failed = CliRunner().invoke(app, ["eval", "stories", "--data", str(bad)])
    assert failed.exit_code == 2 and "no gold 'story' field" in failed.stderr


def test_near_dates_are_within_a_week() -> None:
    # Guard for test_date_window: the shipped window must keep a two-day gap in and a year out.
    from storylens.stories.clusterer import StoryParams

    window = StoryParams.load().window_days
    assert window is not None and timedelta(days=2).days <= window < 365


class ByTitleJudge:
    """Stand-in pair judge for the merge test: 'bridge' is very similar to both others, which
    are not similar to each other (the real model would need three crafted articles)."""

    def overall(self, item, candidates):
        titles = [(item.profile.article.title, c.profile.article.title) for c in candidates]
        return [1.2 if "Bridge" in pair else 3.5 for pair in titles]


def test_merge_is_recorded_and_keeps_every_article(tmp_path: Path) -> None:
    from storylens.stories.clusterer import StoryParams

    params = StoryParams(k=10, min_cosine=-1.0, window_days=7, linkage="min", join_at=1.5, merge_at=1.5)
    db = tmp_path / "news.db"
    first = Article("Port strike", "Dockers in Antwerp walked out on Monday.", lang="en")
    second = Article("Rail strike", "Train drivers in Ghent stopped work on Monday.", lang="en")
    bridge = Article("Bridge", "Dockers in Antwerp and train drivers in Ghent joined one national strike.", lang="en")
    with Store(db) as store:
        current = api.state(store, params)
        current.clusterer.judge = ByTitleJudge()
        rows = api.ingest_articles(store, [first, second, bridge])
        assert [r["story_id"] for r in rows] == ["s-000001"] * 3
        merged = store.connection.execute("SELECT kept, absorbed, bridge_article FROM story_merges").fetchall()
        assert merged == [("s-000001", "s-000002", bridge.id)]
        story = api.get_story(store, "s-000002")  # the absorbed id resolves to the kept story
        assert story["id"] == "s-000001" and story["size"] == 3
        assert story["merged_from"][0]["id"] == "s-000002"
        assert api.list_stories(store)["total"] == 1
    with Store(db) as store:  # a new process sees the merge
        assert api.state(store).clusterer.story_of(second.id) == "s-000001"


def test_a_failing_write_leaves_committed_articles_in_stories(tmp_path: Path, monkeypatch) -> None:
    from storylens.stories import storage

    db = tmp_path / "news.db"
    articles = [Article(f"Note {i}", f"Short note number {i} about the harbour.", lang="en") for i in range(3)]
    real_record = storage.record
    calls = []

    def crash_on_third(store, placement, item, model):
        calls.append(placement.article_id)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the process dies mid-ingest
        real_record(store, placement, item, model)

    monkeypatch.setattr(storage, "record", crash_on_third)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        # One transaction per batch: the first batch (two articles) is committed, the second
        # dies mid-write and is rolled back whole, its memberships with it.
        for _ in api.ingest_stream(store, articles, batch_size=2):
            pass
    counts = table_counts(db)
    assert counts["articles"] == counts["story_members"] == 2  # the third was rolled back with its membership
    monkeypatch.setattr(storage, "record", real_record)
    with Store(db) as store:
        rows = api.ingest_articles(store, articles)
    assert [r["new"] for r in rows] == [False, False, True]
    assert table_counts(db)["story_members"] == 3


def test_two_connections_to_one_store_share_its_stories(tmp_path: Path) -> None:
    """Two open stores on one file (two server threads, or two ingesters): each sees what the
    other placed, so the Arabic daily joins Sputnik's story and no story number is handed out
    twice (a stale in-memory clusterer did both)."""
    path = tmp_path / "shared.db"
    first, second = Store(path), Store(path)
    try:
        ecb = api.ingest_articles(second, read_articles(EXAMPLES / "multilingual" / "c-en-ecb-rate-cut.txt"))
        sputnik = api.ingest_articles(first, read_articles(SPUTNIK))  # second's clusterer has not seen it
        daily = api.ingest_articles(second, read_articles(ARABIC_DAILY))
    finally:
        first.close()
        second.close()
    assert daily[0]["story_id"] == sputnik[0]["story_id"]
    assert ecb[0]["story_id"] != sputnik[0]["story_id"]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT seq) FROM stories").fetchone() == (2, 2)


def test_same_topic_other_event_starts_its_own_story(examples_db: tuple[Path, list[dict]], db_copy: Path) -> None:
    """The hard negatives of examples/contrast: a second earthquake, other floods, another
    central bank's rate decision and the ambassador's return months after his recall share
    a topic with a stored story but are other events, so none joins it; the one quake told
    in English and Spanish is one story."""
    with Store(db_copy) as store:
        rows = api.ingest_articles(store, read_articles(EXAMPLES / "contrast"))
    contrast = story_of_files(rows)
    stored = story_of_files(examples_db[1])
    assert contrast["d-en-peru-quake.txt"] == contrast["d-es-peru-sismo.txt"]
    assert contrast["e-en-izmir-quake.txt"] != contrast["d-en-peru-quake.txt"]
    assert contrast["f-de-ahr-hochwasser.txt"] != stored["b-en-valencia-floods.txt"]
    assert contrast["g-en-fed-rate-hike.txt"] != stored["c-en-ecb-rate-cut.txt"]
    assert contrast["h-en-antonov-returns.txt"] != stored[SPUTNIK.name]
    new = {row["story_id"] for row in rows} - set(stored.values())
    assert len(new) == 5, contrast  # Peru (two languages), Izmir, Ahr, the Fed, the return
