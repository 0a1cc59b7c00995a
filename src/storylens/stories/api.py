"""The stories API: one function per resource, each returning a plain JSON-ready dict.

The CLI's ``--json``, the HTTP API and the web page all print what these return (the
datasette idea). Every function takes an open :class:`~storylens.store.Store` first.
Listing and reading stories are SQL over indexed tables; only ingest and
:func:`similar_articles` need the vector index, which is loaded once per open store.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from datetime import date
from typing import Any

from storylens.article import Article
from storylens.stories import storage
from storylens.stories.clusterer import StoryClusterer, StoryParams
from storylens.stories.coverage import align_quotes, coverage_matrix, distances, outlet_of, pair_score_tensor
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
        if self._clusterer is None or current != self._generation:
            self._clusterer = StoryClusterer(self.judge, self.params, dim=self.profiler.dim, fetch=self.fetch)
            storage.load_into(self.store, self._clusterer, self.profiler.encoder_names[0])
            self._generation = current
        return self._clusterer

    def written(self) -> None:
        """This state's own commits are in its clusterer already: note the new generation."""
        self._generation = storage.generation(self.store)

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
    order. Each article is stored together with its story membership in one transaction."""
    from storylens.analyze import analyze

    current = state(store)
    known = storage.member_ids(store, [a.id for a in articles])
    todo = list({a.id: a for a in articles if a.id not in known}.values())
    for article in todo:
        if article.analysis is None:
            analyze(article)
    items = current.profiler.items(todo, progress=progress) if todo else []
    # One pair-model call for the batch; each article is still committed together with its
    # story, one by one, so an interrupted ingest keeps what it committed. The clusterer holds
    # the whole batch before the commits: a failed commit drops it (the next use reloads it
    # from the store).
    placements = current.clusterer.learn_many(items) if items else []
    try:
        for article, placement, item in zip(todo, placements, items, strict=True):
            with store.transaction():
                store.add_articles([article], analysis_version=_analysis_key(article))
                storage.record(store, placement, item, current.profiler.model.name)
    except BaseException:
        current.forget_clusterer()
        raise
    current.written()
    placed = {p.article_id: p.story for p in placements}
    final = storage.member_ids(store, [a.id for a in articles])  # merges may have moved earlier ones
    return [
        {"id": a.id, "story_id": final[a.id], "new": a.id in placed, "source": a.source, "lang": a.lang,
         "title": a.title}
        for a in articles
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
