"""The store (the core tests on SQLite and on a throw-away PostgreSQL): idempotent ingest,
atomic batches, vectors and analyses round-trip; content
identity (nothing overwrites another article), the v1 migration, and broken files as StoreError."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import numpy as np
import pytest

import storylens.store
from storylens.article import Analysis, Article, DateMention, Entity, Quote
from storylens.errors import StoreError
from storylens.store import SCHEMA_VERSION, Store


def _article(body: str = "Russia's ambassador Anatoly Antonov returned to Moscow.") -> Article:
    return Article(title="Ambassador recalled", body=body, lang="en", published=date(2021, 3, 20), outlet="Sputnik")


def test_readding_an_article_is_a_noop(store_target):
    with Store(store_target) as store:
        assert store.add_articles([_article()]) == [True]
        assert store.add_articles([_article()]) == [False]
        assert store.count_articles() == 1


def test_article_and_analysis_round_trip(store_target):
    article = _article()
    article.analysis = Analysis(
        entities=[Entity("Antonov", "person", "antonov", "Antonov")],
        dates=[DateMention("March 20, 2021", date(2021, 3, 20))],
        quotes=[Quote("a lot of work", "Antonov")],
    )
    with Store(store_target) as store:
        store.add_articles([article], analysis_version="v1")
    with Store(store_target) as reopened:
        loaded = reopened.get_article(article.id)
        assert loaded is not None
        assert loaded.published == date(2021, 3, 20)
        assert loaded.analysis == article.analysis
        assert reopened.get_analyses([article.id], "v1")[article.id].quotes[0].speaker == "Antonov"
        assert reopened.get_analyses([article.id], "v2") == {}


def test_a_failing_batch_leaves_the_database_unchanged(store_target):
    with Store(store_target) as store:
        store.add_articles([_article("first body")])
        broken = _article("second body")
        broken.title = None  # NOT NULL column: the insert fails halfway through the batch
        with pytest.raises(Exception, match=r"NOT NULL|not-null"):
            store.add_articles([_article("third body"), broken])
        assert store.count_articles() == 1
        assert [a.body for a in store.iter_articles()] == ["first body"]


def test_vectors_round_trip_by_model_and_hash(store_target):
    store = Store(store_target)
    vector = np.arange(4, dtype=np.float32)
    store.put_vectors("model-a", {"h1": vector})
    assert np.array_equal(store.get_vectors("model-a", ["h1", "h2"])["h1"], vector)
    assert store.get_vectors("model-b", ["h1"]) == {}
    assert store.count_vectors("model-a") == 1


# -- issue 7: identity, no overwriting, schema migration ----------------------------------------

CHILE = "A magnitude 7.1 earthquake struck northern Chile on Monday, the national seismology centre said."
KENYA = "Floods in western Kenya displaced thousands of families after the Nzoia river burst its banks."


def _with_analysis(body: str, place: str, input_id: str) -> Article:
    article = Article(title="News", body=body, lang="en", input_id=input_id)
    article.analysis = Analysis(entities=[Entity(place, "place", place.lower(), place)])
    return article


def test_same_input_id_different_text_are_two_articles(store_target):
    chile, kenya = _with_analysis(CHILE, "Chile", "1"), _with_analysis(KENYA, "Kenya", "1")
    with Store(store_target) as store:
        assert store.add_articles([chile], "v1") == [True]
        assert store.add_articles([kenya], "v1") == [True]  # not "exists": another text
        assert store.count_articles() == 2
        assert chile.id != kenya.id
        for article, place in ((chile, "Chile"), (kenya, "Kenya")):
            stored = store.get_article(article.id)
            assert stored.input_id == "1"
            assert [e.text for e in stored.analysis.entities] == [place]  # Chile keeps Chile's entities


def test_a_known_text_never_replaces_the_stored_article_or_its_analysis(store_target):
    first = _with_analysis(CHILE, "Chile", "a")
    first.published = date(2024, 3, 1)
    again = _with_analysis(CHILE, "Atacama", "b")  # same text: same article, another date and analysis
    again.published = date(2024, 3, 9)
    with Store(store_target) as store:
        assert store.add_articles([first], "v1") == [True]
        assert store.add_articles([again], "v1") == [False]
        stored = store.get_article(first.id)
        assert (stored.published, stored.input_id) == (date(2024, 3, 1), "a")
        assert [e.text for e in stored.analysis.entities] == ["Chile"]


def test_analyses_of_two_versions_coexist(store_target):
    article = _with_analysis(CHILE, "Chile", "1")
    with Store(store_target) as store:
        store.add_articles([article], "v1@2024-03-01")
        store.save_analysis(article.id, Analysis(entities=[Entity("Arica", "place", "arica", "Arica")]), "v1@undated")
        assert store.get_analyses([article.id], "v1@2024-03-01")[article.id].entities[0].text == "Chile"
        assert store.get_analyses([article.id], "v1@undated")[article.id].entities[0].text == "Arica"
        assert len(list(store.iter_articles())) == 1


_V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, lang TEXT,
    lang_confidence REAL NOT NULL DEFAULT 0, outlet TEXT, url TEXT, published TEXT, source TEXT,
    removed_lines TEXT NOT NULL DEFAULT '[]', added_at TEXT NOT NULL);
CREATE TABLE analyses (article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE vectors (model TEXT NOT NULL, text_hash TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)) WITHOUT ROWID;
INSERT INTO meta VALUES ('schema_version', '1');
"""


def test_a_v1_store_is_migrated(tmp_path):
    path = tmp_path / "v1.db"
    old = sqlite3.connect(path)
    old.executescript(_V1_SCHEMA)
    hashed = Article(title="News", body=KENYA)
    rows = [("1", "News", CHILE), ("feed-2", "News", CHILE), (hashed.id, "News", KENYA)]  # two ids, one text
    for article_id, title, body in rows:
        old.execute(
            "INSERT INTO articles (id, title, body, added_at) VALUES (?, ?, ?, '2024-01-01')", (article_id, title, body)
        )
        old.execute("INSERT INTO analyses VALUES (?, 'v', '{}')", (article_id,))
    old.commit()
    old.close()
    with Store(path) as store:
        articles = {a.id: a for a in store.iter_articles()}
        chile_id = Article(title="News", body=CHILE).id
        assert set(articles) == {chile_id, hashed.id}  # re-keyed by content; the duplicate text merged
        assert articles[chile_id].input_id == "1"
        assert articles[hashed.id].input_id is None
        assert store.get_analyses([chile_id], "v") == {}  # may have been another text's: dropped
        assert hashed.id in store.get_analyses([hashed.id], "v")  # its own: kept
        version = store._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert version == str(SCHEMA_VERSION) == "2"
        assert store.add_articles([Article(title="News", body=CHILE, input_id="other")]) == [False]


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(StoreError, match="newer storylens"):
        Store(path)


# -- issue 7: a broken database is a StoreError naming it, and is left unchanged -----------------


def _good_store(path):
    with Store(path) as store:
        store.add_articles([_article(f"body {i} " * 200) for i in range(30)])
    return path


def _random(path):
    path.write_bytes(bytes(range(256)) * 300)


def _header_and_garbage(path):
    header = _good_store(path).read_bytes()[:100]
    path.write_bytes(header + hashlib.sha256(b"x").digest() * 3000)


def _truncated(path):
    data = _good_store(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _text(path):
    path.write_text("this is not a database\n", encoding="utf-8")


def _read_only_file(path):
    _good_store(path).chmod(0o444)


def _read_only_folder(path):
    _good_store(path)
    path.parent.chmod(0o555)


BROKEN_STORES = [
    pytest.param(_random, "not a storylens database", id="random-bytes"),
    pytest.param(_header_and_garbage, "corrupted database", id="sqlite-header-garbage"),
    pytest.param(_truncated, "corrupted database .truncated", id="truncated"),
    pytest.param(_text, "not a storylens database", id="text-file"),
    pytest.param(_read_only_file, "read-only file", id="read-only-file"),
    pytest.param(_read_only_folder, "read-only folder", id="read-only-folder"),
]


def _folder_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(("make", "reason"), BROKEN_STORES)
def test_broken_store_is_a_store_error_and_unchanged(tmp_path, make, reason):
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "news.db"
    make(path)
    before = _folder_bytes(folder)
    try:
        with pytest.raises(StoreError, match=reason) as caught, Store(path) as store:
            store.add_articles([_article("new text")])
        assert str(caught.value).startswith(f"{path}: ")
        assert _folder_bytes(folder) == before
    finally:
        folder.chmod(0o755)


def test_store_path_that_is_a_folder_or_in_a_missing_folder(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "missing" / "news.db")
    assert list(tmp_path.iterdir()) == []


def test_locked_store_waits_then_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(storylens.store, "BUSY_TIMEOUT_S", 0.2)
    path = _good_store(tmp_path / "news.db")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another writer, mid-transaction
    try:
        with pytest.raises(StoreError, match="locked by another process"), Store(path) as store:
            store.add_articles([_article("new text")])
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store(path) as store:
        assert store.count_articles() == 30


def test_a_second_store_on_one_file_keeps_the_first_ones_locks(tmp_path):
    """Opening a second Store on a file must not drop the locks of the first: checking the
    header by opening and closing the file did (POSIX drops every lock of a process on a
    file when any of its descriptors closes). Another process's connection then thought it
    was the last one, checkpointed and deleted the write-ahead log that the first Store was
    still using, and a long embedding job's database ended "disk image is malformed"."""
    import subprocess
    import sys

    path = tmp_path / "shared.db"
    first = Store(path)
    first.put_vectors("m", {"h0": np.ones(8, dtype=np.float32)})
    second = Store(path)  # the header check ran here
    other_process = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "c.execute('SELECT count(*) FROM sqlite_master').fetchall(); c.close()"
    )
    subprocess.run([sys.executable, "-c", other_process, str(path)], check=True)
    # Had our locks gone, the other process would have taken itself for the last connection
    # and removed the log that our open connections still use.
    assert (tmp_path / "shared.db-wal").exists()
    first.put_vectors("m", {"h1": np.ones(8, dtype=np.float32)})
    second.close()
    assert Store(path).get_vectors("m", ["h0", "h1"]).keys() == {"h0", "h1"}
    first.close()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_closing_every_store_reenables_the_header_check(tmp_path):
    path = tmp_path / "s.db"
    Store(path).close()
    with Store(path):
        assert storylens.store._open_in_process(path)
    assert not storylens.store._open_in_process(path)
    path.write_bytes(b"not a database at all" * 10)
    with pytest.raises(StoreError, match="not an SQLite file"):
        Store(path)
