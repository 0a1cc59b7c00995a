"""Beyond one process: the executor seam, streaming ingest, Dask and PostgreSQL.

The same input in the same order must give the same stories whoever does the per-article
work (this process, a local pool, a Dask LocalCluster) and wherever the store lives (SQLite,
PostgreSQL); a worker that dies loses nothing; two ingesters share one PostgreSQL store.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from storylens.article import Article
from storylens.engine import CRASH_MARKER_ENV, CRASH_ONCE_ENV, InlineExecutor, get_executor
from storylens.errors import StoreError
from storylens.ingest import read_articles, stream_articles
from storylens.store import Store
from storylens.stories import api
from storylens.stories.index import ExactIndex, PgvectorIndex

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
NEWS_CLUSTERING = REPO.parent / "shared" / "data" / "news-clustering"

pytestmark = pytest.mark.scale


def real_articles() -> list[Article]:
    """The shipped examples and test fixtures (two multilingual stories and singletons), plus
    a few dozen articles of the shared news-clustering data when it is present."""
    articles = [a for path in (EXAMPLES, FIXTURES) for a in read_articles(path)]
    shared = sorted(NEWS_CLUSTERING.glob("*.jsonl")) if NEWS_CLUSTERING.is_dir() else []
    if shared:
        articles += list(stream_articles(shared[:1]))[:36]
    return articles


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return real_articles()


def assignments(store) -> dict[str, str]:
    """Article id -> story id, for every stored article."""
    return dict(store.connection.execute("SELECT article_id, story_id FROM story_members").fetchall())


def stories(store) -> list[tuple[str, list[str]]]:
    listing = api.list_stories(store, limit=1000)
    return sorted((s["id"], sorted(a["id"] for a in s["articles"])) for s in listing["stories"])


def ingest(target: str, articles: list[Article], executor, batch_size: int = 4, **kwargs) -> Store:
    store = Store(target)
    for _ in api.ingest_stream(store, [_copy(a) for a in articles], executor=executor, batch_size=batch_size,
                               **kwargs):
        pass
    return store


def _copy(article: Article) -> Article:
    """A fresh copy: ingest analyses the articles it is given in place."""
    return Article.from_dict(article.to_dict())


@pytest.fixture(scope="module")
def reference(articles, tmp_path_factory) -> tuple[dict[str, str], list]:
    """Stories of one in-process run, one batch: what every other run must reproduce."""
    with Store(tmp_path_factory.mktemp("ref") / "ref.db") as store:
        api.ingest_articles(store, [_copy(a) for a in articles])
        return assignments(store), stories(store)


# -- the seam -----------------------------------------------------------------------------------


def test_get_executor_picks_by_rule(monkeypatch) -> None:
    monkeypatch.delenv("STORYLENS_CLUSTER", raising=False)
    assert isinstance(get_executor(workers=1), InlineExecutor)
    pool = get_executor(workers=2)
    try:
        assert isinstance(pool, ProcessPoolExecutor) and pool._max_workers == 2
    finally:
        pool.shutdown()
    inline = InlineExecutor()
    assert inline.submit(divmod, 7, 2).result() == (3, 1)
    failing = inline.submit(divmod, 1, 0)
    assert isinstance(failing.exception(), ZeroDivisionError)


def test_batching_does_not_change_the_stories(articles, reference, tmp_path) -> None:
    with ingest(str(tmp_path / "b.db"), articles, InlineExecutor(), batch_size=3) as store:
        assert assignments(store) == reference[0]
        assert stories(store) == reference[1]


def test_the_stream_is_read_a_bounded_way_ahead(tmp_path) -> None:
    """Memory stays bounded: the reader is never more than the batches in flight ahead."""
    read = []

    def feed():
        for i in range(40):
            read.append(i)
            yield Article(f"Note {i}", f"Harbour note number {i}: the ferry left at {i} o'clock.", lang="en")

    with Store(tmp_path / "s.db") as store:
        stream = api.ingest_stream(store, feed(), executor=InlineExecutor(), batch_size=4, max_in_flight=2)
        first = next(stream)
        assert len(first) == 4
        assert len(read) <= 4 * 3  # the committed batch, the one in flight, the one being read
        rest = [row for rows in stream for row in rows]
    assert len(first) + len(rest) == 40


def test_a_large_jsonl_streams_line_by_line(tmp_path) -> None:
    feed = tmp_path / "big.jsonl"
    lines = [json.dumps({"title": f"Item {i}", "text": f"Body of item {i}, about the river."}) for i in range(30)]
    feed.write_text("\n".join(lines) + "\n")
    streamed = list(stream_articles([feed], max_bytes=200))  # far below the file's size: line by line
    assert [a.title for a in streamed] == [f"Item {i}" for i in range(30)]
    assert streamed[4].source == f"{feed}:5"
    assert [a.id for a in streamed] == [a.id for a in read_articles(feed)]


# -- local pool and Dask give the same stories ------------------------------------------------


def test_a_local_pool_gives_the_same_stories(articles, reference, tmp_path) -> None:
    with ingest(str(tmp_path / "p.db"), articles, lambda: get_executor(workers=2)) as store:
        assert assignments(store) == reference[0]
        assert stories(store) == reference[1]


def test_a_dask_local_cluster_gives_the_same_stories(articles, reference, tmp_path) -> None:
    pytest.importorskip("distributed")
    executor = get_executor("local", workers=2)  # LocalCluster(n_workers=2, processes=True)
    try:
        assert executor.workers == 2
        with ingest(str(tmp_path / "d.db"), articles, executor) as store:
            assert assignments(store) == reference[0]
            assert stories(store) == reference[1]
    finally:
        executor.shutdown()


# -- SQLite and PostgreSQL give the same stories ----------------------------------------------


@pytest.mark.parametrize("vector_index", ["pgvector", "memory"])
def test_postgresql_gives_the_same_stories(articles, reference, pg_url, vector_index, monkeypatch) -> None:
    monkeypatch.setenv("STORYLENS_VECTOR_INDEX", vector_index)
    with ingest(pg_url, articles, InlineExecutor()) as store:
        assert store.is_postgres
        if vector_index == "pgvector" and not store.has_pgvector:
            pytest.skip("the PostgreSQL server has no pgvector extension")
        index = api.state(store).clusterer.index
        assert isinstance(index, PgvectorIndex if vector_index == "pgvector" else ExactIndex)
        assert assignments(store) == reference[0]
        assert stories(store) == reference[1]
        some = next(iter(reference[0]))
        assert api.get_story(store, reference[0][some])["size"] >= 1
        similar = api.similar_articles(store, some, k=3)
        assert len(similar) == 3 and some not in {s["id"] for s in similar}
        if vector_index == "pgvector":  # every clustered article's vector is on the server
            assert store.connection.execute("SELECT COUNT(*) FROM story_vectors").fetchone()[0] == len(reference[0])
    with Store(pg_url) as reopened:  # a new process reloads the clusterer from PostgreSQL
        assert api.state(reopened).clusterer.story_of(some) == reference[0][some]


def test_pgvector_search_finds_what_the_exact_index_finds(articles, pg_url) -> None:
    """The server's HNSW search against an exact search over the same stored vectors, for
    every stored article as the query, with and without the day window."""
    with ingest(pg_url, articles[:24], InlineExecutor()) as store:
        if not store.has_pgvector:
            pytest.skip("the PostgreSQL server has no pgvector extension")
        clusterer = api.state(store).clusterer
        rows = [(article_id, day, np.asarray(vector.to_numpy(), dtype=np.float32)) for article_id, day, vector
                in store.connection.execute("SELECT article_id, day, embedding FROM story_vectors")]
        exact = ExactIndex(dim=len(rows[0][2]))
        exact_row = {exact.add(vector, day): article_id for article_id, day, vector in rows}
        assert len({d for _, d, _ in rows}) > 1  # dated and undated articles: the window filter is exercised
        for _, day, vector in rows:
            for window in (None, 7):
                want_rows, want = exact.search(vector, 5, day, window)
                got_rows, got = clusterer.index.search(vector, 5, day, window)
                assert [clusterer.ids[r] for r in got_rows] == [exact_row[r] for r in want_rows]
                assert np.allclose(got, want, atol=1e-5)


def test_a_store_filled_without_pgvector_is_indexed_when_pgvector_is_used(articles, reference, pg_url,
                                                                          monkeypatch) -> None:
    half = len(articles) // 2
    monkeypatch.setenv("STORYLENS_VECTOR_INDEX", "memory")
    with ingest(pg_url, articles[:half], InlineExecutor()) as store:
        if not store.has_pgvector:
            pytest.skip("the PostgreSQL server has no pgvector extension")
        placed = len(assignments(store))
    monkeypatch.setenv("STORYLENS_VECTOR_INDEX", "pgvector")
    with Store(pg_url) as store:
        from storylens.stories import storage

        profiler = api.state(store).profiler
        model, dim = profiler.encoder_names[0], profiler.dim
        assert storage.ensure_vector_table(store, model, dim) == placed  # copied once, from the stored vectors
        assert storage.ensure_vector_table(store, model, dim) == 0
    with ingest(pg_url, articles, InlineExecutor()) as store:  # the rest, now searched through pgvector
        assert isinstance(api.state(store).clusterer.index, PgvectorIndex)
        assert assignments(store) == reference[0]


def test_a_broken_postgresql_url_is_one_line_with_the_password_masked(unused_port) -> None:
    url = f"postgresql://reader:hunter2@127.0.0.1:{unused_port}/news"
    with pytest.raises(StoreError) as caught:
        Store(url)
    message = str(caught.value)
    assert "hunter2" not in message and "reader:***@" in message
    assert "\n" not in message and "cannot reach" in message


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- dead workers --------------------------------------------------------------------------------


def notes(count: int, marker_at: int | None = None) -> list[Article]:
    topics = ["harbour ferry strike", "central bank rate cut", "river flood warning", "mayor election result"]
    found = []
    for i in range(count):
        title = f"{topics[i % 4].capitalize()}, report {i}"
        body = f"Report {i}: the {topics[i % 4]} continued on day {i}, officials said on Monday."
        if i == marker_at:
            body += " KILL-THE-WORKER"
        found.append(Article(title, body, lang="en"))
    return found


def test_a_worker_killed_mid_batch_is_retried_and_nothing_is_lost(tmp_path, monkeypatch) -> None:
    batch = notes(12, marker_at=5)
    with Store(tmp_path / "ref.db") as store:
        api.ingest_articles(store, [_copy(a) for a in batch])
        expected = assignments(store)
    flag = tmp_path / "crash-once"
    flag.touch()
    monkeypatch.setenv(CRASH_MARKER_ENV, "KILL-THE-WORKER")
    monkeypatch.setenv(CRASH_ONCE_ENV, str(flag))
    failed = []
    with ingest(str(tmp_path / "k.db"), batch, lambda: get_executor(workers=2), batch_size=3,
                on_failed=lambda a, reason: failed.append(a.id)) as store:
        assert not flag.exists()  # a worker did die
        assert failed == []
        assert assignments(store) == expected


def test_a_batch_that_keeps_killing_its_worker_is_reported_and_the_rerun_completes(tmp_path, monkeypatch) -> None:
    batch = notes(9, marker_at=4)  # batches of 3: the second batch (articles 3-5) holds the marker
    monkeypatch.setenv(CRASH_MARKER_ENV, "KILL-THE-WORKER")
    failed: list[tuple[str, str]] = []
    db = str(tmp_path / "k.db")
    with ingest(db, batch, lambda: get_executor(workers=2), batch_size=3,
                on_failed=lambda a, reason: failed.append((a.id, reason))) as store:
        assert sorted(i for i, _ in failed) == sorted(a.id for a in batch[3:6])
        stored = {row[0] for row in store.connection.execute("SELECT id FROM articles")}
        assert stored == {a.id for a in batch[:3] + batch[6:]}  # the others, whole; none of the failed batch
        assert set(assignments(store)) == stored
    monkeypatch.delenv(CRASH_MARKER_ENV)
    with ingest(db, batch, InlineExecutor(), batch_size=3) as store:  # resume: only the missing ones run
        assert store.count_articles() == 9
        assert len(assignments(store)) == 9


# -- two ingesters, one PostgreSQL store --------------------------------------------------------


def test_two_concurrent_ingesters_share_one_postgresql_store(pg_url, tmp_path) -> None:
    every = notes(24)
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    # Overlapping inputs in opposite orders: 16 articles each, 8 of them in both.
    for path, chosen in ((first, every[:16]), (second, list(reversed(every[8:])))):
        path.write_text("".join(json.dumps({"title": a.title, "text": a.body, "lang": "en"}) + "\n" for a in chosen))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "STORYLENS_WORKERS": "1"}
    env.pop(CRASH_MARKER_ENV, None)
    command = [sys.executable, "-m", "storylens.cli", "ingest", "--db", pg_url, "--batch-size", "2", "--json"]
    runs = [subprocess.Popen([*command, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env) for path in (first, second)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        json.loads(out)
    with Store(pg_url) as store:
        db = store.connection
        assert store.count_articles() == 24
        assert db.execute("SELECT COUNT(*), COUNT(DISTINCT article_id), COUNT(DISTINCT seq) FROM story_members"
                          ).fetchone() == (24, 24, 24)
        story_rows = db.execute("SELECT COUNT(*), COUNT(DISTINCT seq) FROM stories").fetchone()
        assert story_rows[0] == story_rows[1] >= 1
        added = sum(json.loads(out)["added"] for out, _ in outputs)
        assert added == 24  # every article stored once, by one of the two
        if store.has_pgvector:  # both searched through pgvector: each vector on the server once
            assert db.execute("SELECT COUNT(*) FROM story_vectors").fetchone()[0] == 24
