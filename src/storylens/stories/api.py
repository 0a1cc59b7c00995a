"""The stories API: one function per resource, each returning a plain JSON-ready dict.

The CLI's ``--json``, the HTTP API and the web page all print what these return (the
datasette idea). Every function takes an open :class:`~storylens.store.Store` first.
Listing and reading stories are SQL over indexed tables; only ingest and
:func:`similar_articles` need the vector index, which is loaded once per open store.
"""

from __future__ import annotations

import os
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from storylens.article import Article
from storylens.engine import BATCH_SIZE
from storylens.stories import storage
from storylens.stories.clusterer import StoryClusterer, StoryParams
from storylens.stories.coverage import align_quotes, coverage_matrix, distances, outlet_of, pair_score_tensor
from storylens.stories.index import ExactIndex, PgvectorIndex, VectorIndex
from storylens.stories.profiles import FastProfiler, ModelJudge, StoryItem

_STATES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Quotes and per-article distances need model work per article: on big stories they cover the
# first DETAIL_MAX articles placed (the story's core); the coverage matrix covers all.
DETAIL_MAX = 100


class _State:
    """What ingest needs per open store: the fast profiler, the judge and the clusterer. The
    clusterer (and its vector index) is loaded on first use: reading stories never needs it."""

    def __init__(self, store, params: StoryParams | None = None) -> None:
        storage.ensure_schema(store)
        self.store = store
        self.params = params or StoryParams.load()
        self.profiler = FastProfiler(store)
        self.judge = ModelJudge(self.profiler)
        self._clusterer: StoryClusterer | None = None
        self._generation: tuple[int, int, int] | None = None

    @property
    def clusterer(self) -> StoryClusterer:
        """The clusterer, reloaded when another connection (a server thread, another
        ingester) placed articles since it was loaded: two stale copies would hand out the
        same story number."""
        current = storage.generation(self.store)
        if self._clusterer is not None and self._generation is not None and current != self._generation \
                and current[0] >= self._generation[0]:
            # Another process placed articles since: add just those (placements only ever append).
            storage.load_into(self.store, self._clusterer, self.profiler.encoder_names[0],
                              after_member=self._generation[0])
            self._generation = current
        if self._clusterer is None or current != self._generation:
            self._clusterer = StoryClusterer(self.judge, self.params, dim=self.profiler.dim,
                                             index=self._new_index(), fetch=self.fetch)
            storage.load_into(self.store, self._clusterer, self.profiler.encoder_names[0])
            self._generation = current
        return self._clusterer

    def _new_index(self) -> VectorIndex:
        """pgvector's index on the server when the store has it (unless
        ``STORYLENS_VECTOR_INDEX=memory``), else an exact index of the stored vectors in memory."""
        if self.store.has_pgvector and os.environ.get("STORYLENS_VECTOR_INDEX", "auto") != "memory":
            storage.ensure_vector_table(self.store, self.profiler.encoder_names[0], self.profiler.dim)
            return PgvectorIndex(self.store, self.profiler.dim)
        return ExactIndex(self.profiler.dim)

    def written(self) -> None:
        """This state's own commits are in its clusterer already: note the new generation."""
        self._generation = storage.generation(self.store)
        if self._clusterer is not None and hasattr(self._clusterer.index, "committed"):
            self._clusterer.index.committed()

    def forget_clusterer(self) -> None:
        self._clusterer = None

    def fetch(self, article_ids: list[str]) -> list[StoryItem]:
        """Items of stored articles, rebuilt from the store (no model runs: vectors are cached)."""
        articles = [self.store.get_article(i) for i in article_ids]
        windows = storage.window_analyses(self.store, article_ids)
        return self.profiler.items(articles, [windows.get(i) for i in article_ids])


def state(store, params: StoryParams | None = None) -> _State:
    """The store's clustering state; ``params`` replaces the shipped settings (eval, tests)."""
    current = _STATES.get(store)
    if current is None or (params is not None and current.params != params):
        current = _STATES[store] = _State(store, params)
    return current


def _analysis_key(article: Article) -> str:
    from storylens.similarity.profile import analysis_version

    day = article.published.isoformat() if article.published else "undated"
    return f"{analysis_version()}@{day}"


def ingest_articles(store, articles: list[Article], progress: bool = False) -> list[dict]:
    """Analyse, profile (fast profile), store and assign each article to a story, in input
    order, in this process and as one batch (one transaction: all of it or nothing)."""
    from storylens.engine import InlineExecutor

    rows: list[dict] = []
    for batch in ingest_stream(store, articles, executor=InlineExecutor(), batch_size=max(1, len(articles))):
        rows += batch
    for row in rows:
        del row["article"]
    return rows


@dataclass
class _Batch:
    articles: list[Article]  # as read, in input order
    todo: list[Article]  # the ones not stored yet, each id once
    future: Future | None = None
    alone: bool = False  # failed once: retried with nothing else of this run in flight


@dataclass
class IngestStats:
    """What a streaming ingest did, for progress lines and benchmarks."""

    read: int = 0
    added: int = 0
    failed: int = 0
    batches: int = 0
    worker_seconds: float = 0.0  # summed over workers: the per-article work's cost
    commit_seconds: float = 0.0  # in this process: story assignment and the store transaction
    workers: set[str] = field(default_factory=set)


def ingest_stream(
    store,
    articles: Iterable[Article],
    *,
    executor: Executor | Callable[[], Executor] | None = None,
    batch_size: int = BATCH_SIZE,
    max_in_flight: int | None = None,
    on_failed: Callable[[Article, str], None] | None = None,
    stats: IngestStats | None = None,
) -> Iterator[list[dict]]:
    """Ingest a stream of cleaned articles in bounded memory; yields each batch's rows (as
    :func:`ingest_articles` returns them, plus ``"article"``: the input article) once the
    batch is committed, in input order.

    Batches of ``batch_size`` articles not stored yet are analysed and profiled by the
    ``executor`` (an instance, or a factory called only once a second batch is read: a
    one-batch input runs in this process); at most ``max_in_flight`` batches (default twice
    the executor's workers) are read ahead. Story assignment is the one ordered step: each
    batch is assigned and stored in input order, in one transaction holding the store's story
    lock, so results equal a one-process run over the same input order. A batch whose work
    fails (a worker died, an error) is retried once with nothing else in flight; if it fails
    again its articles are passed to ``on_failed`` and skipped (nothing of them stored), and
    the run goes on. Articles stored already are skipped before any work: a re-run resumes."""
    from storylens.engine import InlineExecutor, executor_workers, profile_batch

    stats = stats if stats is not None else IngestStats()
    current = state(store)
    factory = executor if callable(executor) and not isinstance(executor, Executor) else None
    running: Executor | None = executor if isinstance(executor, Executor) else None
    owned = running is None
    inline = InlineExecutor()
    pending: deque[_Batch] = deque()
    limit = max_in_flight

    def start_pool() -> Executor:
        nonlocal running, limit
        if running is None:
            running = factory() if factory is not None else InlineExecutor()
        if limit is None:
            limit = max(1, 2 * executor_workers(running))
        return running

    def submit(batch: _Batch) -> None:
        try:
            batch.future = (running or inline).submit(profile_batch, batch.todo)
        except BrokenExecutor as error:  # the pool broke before it could take the batch
            batch.future = Future()
            batch.future.set_exception(error)

    def submit_ready() -> None:
        if not pending:
            return
        if any(b.alone for b in pending):  # isolating a failure: only the head may run
            head = pending[0]
            if head.alone and head.future is None and head.todo:
                submit(head)
            return
        for batch in pending:
            if batch.future is None and batch.todo:
                submit(batch)

    def commit_head() -> list[dict] | None:
        """Wait for the oldest batch; its rows when committed, None when it must be retried."""
        head = pending[0]
        result = None
        if head.todo:
            if head.future is None:
                submit_ready()
            try:
                result = head.future.result()
            except Exception as error:
                return _failed(head, error)
            stats.worker_seconds += result.seconds
            stats.workers.add(result.worker)
        pending.popleft()
        started = time.perf_counter()
        rows = _commit_batch(store, current, head, result)
        stats.commit_seconds += time.perf_counter() - started
        stats.added += sum(row["new"] for row in rows)
        stats.batches += 1
        submit_ready()
        return rows

    def _failed(head: _Batch, error: Exception) -> list[dict] | None:
        nonlocal running
        reason = " ".join(str(error).split()) or type(error).__name__
        if isinstance(error, BrokenExecutor):  # a pool worker died: every batch in flight is lost
            if running is not None:
                running.shutdown(wait=False, cancel_futures=True)
            running = factory() if factory is not None else InlineExecutor()
            for batch in pending:
                if batch.future is not None and batch is not head:
                    batch.future, batch.alone = None, True  # suspects too: each is retried on its own
        if head.alone:  # failed twice, the second time on its own: report it, keep going
            pending.popleft()
            for article in head.todo:
                stats.failed += 1
                if on_failed is not None:
                    on_failed(article, reason)
            submit_ready()
            return []
        head.future, head.alone = None, True
        submit_ready()
        return None

    def add(raw: list[Article]) -> None:
        stats.read += len(raw)
        known = storage.member_ids(store, [a.id for a in raw])
        todo = list({a.id: a for a in raw if a.id not in known}.values())
        pending.append(_Batch(raw, todo))

    def drain(keep: int) -> Iterator[list[dict]]:
        while len(pending) > keep:
            rows = commit_head()
            if rows is not None:
                yield rows

    try:
        chunks = _chunks(articles, batch_size)
        first = next(chunks, None)
        if first is None:
            return
        add(first)
        second = next(chunks, None)
        if second is None and factory is not None:
            limit = limit or 1  # one batch: in this process, no pool start-up
        else:
            start_pool()
        submit_ready()
        if second is not None:
            add(second)
            submit_ready()
            for raw in chunks:
                yield from drain(limit - 1)
                add(raw)
                submit_ready()
        yield from drain(0)
    finally:
        for batch in pending:
            if batch.future is not None:
                batch.future.cancel()
        if owned and running is not None:
            running.shutdown(wait=False, cancel_futures=True)


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _commit_batch(store, current: _State, batch: _Batch, result) -> list[dict]:
    """Assign and store one batch in one transaction, under the store's story lock: another
    ingester's placements are loaded first (the clusterer catches up inside the lock)."""
    placements = []
    try:
        with store.transaction():
            store.lock("stories")
            if result is not None:
                for model, vectors in result.vectors.items():
                    if vectors:
                        store.put_vectors(model, vectors)
                known = storage.member_ids(store, [a.id for a in result.articles])  # another ingester's?
                fresh = [(a, i) for a, i in zip(result.articles, result.items, strict=True) if a.id not in known]
                placements = current.clusterer.learn_many([i for _, i in fresh]) if fresh else []
                for (article, item), placement in zip(fresh, placements, strict=True):
                    store.add_articles([article], analysis_version=_analysis_key(article))
                    storage.record(store, placement, item, current.profiler.model.name)
            final = storage.member_ids(store, [a.id for a in batch.articles])  # merges may have moved some
    except BaseException:
        current.forget_clusterer()
        raise
    current.written()
    placed = {p.article_id for p in placements}
    return [
        {"id": a.id, "story_id": final.get(a.id), "new": a.id in placed, "source": a.source, "lang": a.lang,
         "title": a.title, "article": a}
        for a in batch.articles
        if a.id in final
    ]


def _article_row(row: Sequence) -> dict[str, Any]:
    article_id, source, outlet, lang, published, title = row
    return {"id": article_id, "source": source, "outlet": outlet or outlet_of(Article(title, "", source=source,
            id=article_id)), "lang": lang, "published": published, "title": title}


_MEMBER_ARTICLES = (
    "SELECT m.story_id, a.id, a.source, a.outlet, a.lang, a.published, a.title FROM story_members m "
    "JOIN articles a ON a.id = m.article_id WHERE m.story_id IN ({}) ORDER BY m.seq"
)


def list_stories(
    store,
    *,
    since: date | None = None,
    until: date | None = None,
    lang: str | None = None,
    outlet: str | None = None,
    min_size: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Stories, newest first (by last date, then by id): ``{"total", "stories": [summary]}``."""
    storage.ensure_schema(store)
    where, having, params = ["s.merged_into IS NULL"], ["COUNT(*) >= ?"], []
    if lang:
        where.append("s.id IN (SELECT m2.story_id FROM story_members m2 JOIN articles a2 ON a2.id = m2.article_id "
                     "WHERE a2.lang = ?)")
        params.append(lang)
    if outlet:
        where.append("s.id IN (SELECT m2.story_id FROM story_members m2 JOIN articles a2 ON a2.id = m2.article_id "
                     "WHERE LOWER(a2.outlet) = LOWER(?) OR a2.source LIKE ?)")
        params += [outlet, f"%{outlet}%"]
    having_params: list[Any] = [min_size]
    if since:
        having.append("MAX(a.published) >= ?")
        having_params.append(since.isoformat())
    if until:
        having.append("MIN(a.published) <= ?")
        having_params.append(until.isoformat())
    base = (
        "SELECT s.id, s.seq, COUNT(*) AS size, MIN(a.published), MAX(a.published) FROM stories s "
        "JOIN story_members m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id "
        f"WHERE {' AND '.join(where)} GROUP BY s.id HAVING {' AND '.join(having)}"
    )
    db = store.connection
    total = db.execute(f"SELECT COUNT(*) FROM ({base}) AS listing", (*params, *having_params)).fetchone()[0]
    page = db.execute(
        f"{base} ORDER BY COALESCE(MAX(a.published), '') DESC, s.seq DESC LIMIT ? OFFSET ?",
        (*params, *having_params, limit, offset),
    ).fetchall()
    return {"total": total, "stories": _summaries(store, page)}


def _summaries(store, page: list[tuple]) -> list[dict[str, Any]]:
    if not page:
        return []
    ids = [row[0] for row in page]
    members: dict[str, list[dict]] = {sid: [] for sid in ids}
    for row in store.connection.execute(_MEMBER_ARTICLES.format(", ".join("?" * len(ids))), ids):
        members[row[0]].append(_article_row(row[1:]))
    return [_summary(sid, size, first, last, members[sid]) for sid, _seq, size, first, last in page]


def _summary(sid: str, size: int, first: str | None, last: str | None, articles: list[dict]) -> dict[str, Any]:
    return {
        "id": sid,
        "headline": next((a["title"] for a in articles if a["title"]), ""),
        "size": size,
        "languages": sorted({a["lang"] for a in articles if a["lang"]}),
        "outlets": sorted({a["outlet"] for a in articles if a["outlet"]}),
        "first_date": first,
        "last_date": last,
        "articles": articles,
    }


def get_story(store, story_id: str) -> dict[str, Any] | None:
    """One story with its timeline, coverage matrix, aligned quotes, per-article distances
    on the seven dimensions and the stories merged into it; None for an unknown id."""
    storage.ensure_schema(store)
    db = store.connection
    row = db.execute("SELECT merged_into FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        return None
    if row[0]:  # a merged id resolves to the story that absorbed it
        return get_story(store, row[0])
    ids = [r[0] for r in db.execute("SELECT article_id FROM story_members WHERE story_id = ? ORDER BY seq",
                                    (story_id,))]
    articles = [store.get_article(i) for i in ids]
    rows = [(a.id, a.source, a.outlet, a.lang, a.published.isoformat() if a.published else None, a.title)
            for a in articles]
    summary_rows = [_article_row(r) for r in rows]
    dates = [r["published"] for r in summary_rows if r["published"]]
    story = _summary(story_id, len(ids), min(dates, default=None), max(dates, default=None), summary_rows)
    current = state(store)
    detail = ids[:DETAIL_MAX]
    quotes = align_quotes(articles[:DETAIL_MAX], current.profiler.encoders[0])
    story["timeline"] = _timeline(summary_rows)
    story["coverage"] = coverage_matrix(articles, quotes)
    story["quotes"] = quotes
    story["detail_articles"] = len(detail)
    scored = pair_score_tensor(current.judge, current.fetch(detail)) if len(detail) > 1 else None
    story["distances"] = distances(scored, detail) if scored is not None else []
    story["merged_from"] = [
        {"id": absorbed, "bridge_article": bridge, "merged_at": at}
        for absorbed, bridge, at in db.execute(
            "SELECT absorbed, bridge_article, merged_at FROM story_merges WHERE kept = ? ORDER BY rowid", (story_id,)
        )
    ]
    return story


def _timeline(rows: list[dict]) -> list[dict]:
    """Articles by publication date (undated ones last, in placement order); the earliest
    dated one (or the first placed, when none is dated) is marked as the first reporter."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["published"] is None, rows[i]["published"] or "", i))
    timeline = [dict(rows[i], first=False) for i in order]
    if timeline:
        first_date = timeline[0]["published"]
        for entry in timeline:
            entry["first"] = entry["published"] == first_date if first_date else entry is timeline[0]
    return timeline


def similar_articles(store, article_or_id: Article | str, k: int = 10) -> list[dict]:
    """The ``k`` stored articles most similar to an article (stored id, or an unsaved
    ``Article``), by the fast pair model's predicted Overall (lower = more similar)."""
    current = state(store)
    if isinstance(article_or_id, str):
        if article_or_id not in current.clusterer.row_of:
            return []
        item = current.fetch([article_or_id])[0]
    else:
        item = current.profiler.items([article_or_id])[0]
    rows, _ = current.clusterer.index.search(item.vector, k + 1)
    ids = [current.clusterer.ids[r] for r in rows if current.clusterer.ids[r] != item.id][:k]
    if not ids:
        return []
    overall = current.judge.overall(item, current.fetch(ids))
    found = []
    for article_id, score in sorted(zip(ids, overall, strict=True), key=lambda p: (p[1], p[0])):
        article = store.get_article(article_id)
        found.append({"id": article_id, "title": article.title, "outlet": outlet_of(article), "lang": article.lang,
                      "story_id": current.clusterer.story_of(article_id), "overall": round(float(score), 3)})
    return found
