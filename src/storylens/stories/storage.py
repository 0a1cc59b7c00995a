"""Story tables, created on the store's own connection beside its tables.

``story_members`` holds every clustered article's story (one row per article, written in the
same transaction that stores the article, so a crash never leaves a stored article without a
story); ``stories`` the live and merged stories; ``story_merges`` which story absorbed which,
and which article bridged them; ``story_profiles`` what is needed to rebuild an article's fast
profile (its window's analysis and the hash of the vector the index uses). On a PostgreSQL
server with pgvector, ``story_vectors`` holds each clustered article's index vector under an
HNSW index, for :class:`~storylens.stories.index.PgvectorIndex`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np

from storylens.article import Analysis
from storylens.stories.clusterer import Placement, StoryClusterer, story_id, story_seq

SCHEMA = """
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    merged_into TEXT
);
CREATE TABLE IF NOT EXISTS story_members (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories(id),
    seq INTEGER NOT NULL UNIQUE,
    score REAL
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members(story_id);
CREATE TABLE IF NOT EXISTS story_merges (
    kept TEXT NOT NULL,
    absorbed TEXT NOT NULL,
    bridge_article TEXT NOT NULL,
    merged_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_profiles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    index_hash TEXT NOT NULL,
    day INTEGER NOT NULL,
    window_analysis TEXT
);
"""


def connection(store) -> sqlite3.Connection:  # or a backends.PgConnection: same methods
    return store.connection


def ensure_schema(store) -> None:
    if getattr(store, "_stories_schema", False):
        return
    with store.transaction() as db:
        store.lock("schema")
        for statement in store.ddl(SCHEMA):
            db.execute(statement)
    store._stories_schema = True


# One statement per line (psycopg runs them one by one); {dim} is the index vectors' length.
VECTOR_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    day INTEGER NOT NULL,
    embedding vector({dim}) NOT NULL
);
CREATE INDEX IF NOT EXISTS story_vectors_hnsw ON story_vectors USING hnsw (embedding vector_ip_ops)
"""
HNSW_BUILD_MEMORY = "1GB"  # ~2.7 KB per 512-d vector in the graph: 10^5 articles build in memory
_PUT_VECTOR = (
    "INSERT INTO story_vectors (article_id, day, embedding) VALUES (?, ?, ?) "
    "ON CONFLICT (article_id) DO UPDATE SET day = excluded.day, embedding = excluded.embedding"
)


def ensure_vector_table(store, vector_model: str, dim: int, chunk: int = 2000) -> int:
    """Create ``story_vectors`` (pgvector stores only) and copy in the vectors of clustered
    articles it lacks (stored before pgvector was installed, or by a process that did not use
    it); returns how many were copied. From then on :func:`record` keeps it up to date. The
    HNSW index is built after a first copy (one build is much faster than row-by-row inserts)."""
    table, hnsw = (statement.strip() for statement in VECTOR_SCHEMA.format(dim=int(dim)).split(";"))
    with store.transaction() as db:
        store.lock("schema")
        db.execute(table)
    copied = 0
    while True:
        with store.transaction() as db:
            store.lock("stories")
            rows = db.execute(
                "SELECT m.article_id, p.day, v.vector FROM story_members m "
                "JOIN story_profiles p ON p.article_id = m.article_id "
                "JOIN vectors v ON v.model = ? AND v.text_hash = p.index_hash "
                "WHERE NOT EXISTS (SELECT 1 FROM story_vectors s WHERE s.article_id = m.article_id) LIMIT ?",
                (vector_model, chunk),
            ).fetchall()
            if rows:
                db.executemany(_PUT_VECTOR, [(article_id, day, np.frombuffer(bytes(blob), dtype=np.float32))
                                             for article_id, day, blob in rows])
        copied += len(rows)
        if len(rows) < chunk:
            break
    with store.transaction() as db:
        store.lock("schema")
        # The graph built in memory: pgvector's build slows down several-fold once it spills.
        db.execute(f"SET LOCAL maintenance_work_mem = '{HNSW_BUILD_MEMORY}'")
        db.execute(hnsw)
    store._story_vectors = True
    return copied


def record(store, placement: Placement, item, model: str) -> None:
    """Write one placement; call inside the transaction that stores the article."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as db:
        if placement.new_story:
            db.execute(
                "INSERT INTO stories (id, seq, created_at) VALUES (?, ?, ?)",
                (placement.story, story_seq(placement.story), now),
            )
        for absorbed in placement.merged:
            db.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (placement.story, absorbed))
            db.execute("UPDATE story_members SET story_id = ? WHERE story_id = ?", (placement.story, absorbed))
            db.execute(
                "INSERT INTO story_merges (kept, absorbed, bridge_article, merged_at) VALUES (?, ?, ?, ?)",
                (placement.story, absorbed, placement.article_id, now),
            )
        next_member = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM story_members").fetchone()[0]
        db.execute(
            "INSERT INTO story_members (article_id, story_id, seq, score) VALUES (?, ?, ?, ?)",
            (placement.article_id, placement.story, next_member, placement.score),
        )
        window = item.profile.article.analysis
        db.execute(
            "INSERT INTO story_profiles (article_id, model, index_hash, day, window_analysis) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET model = excluded.model, "
            "index_hash = excluded.index_hash, day = excluded.day, window_analysis = excluded.window_analysis",
            (item.id, model, item.index_hash, item.day,
             json.dumps(window.to_dict(), ensure_ascii=False) if window else None),
        )
        if getattr(store, "_story_vectors", False):
            db.execute(_PUT_VECTOR, (item.id, item.day, np.asarray(item.vector, dtype=np.float32)))


def member_ids(store, article_ids: Iterable[str]) -> dict[str, str]:
    """Story of each given article that has one."""
    wanted = list(dict.fromkeys(article_ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = connection(store).execute(
            f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        found.update(rows)
    return found


def window_analyses(store, article_ids: list[str]) -> dict[str, Analysis | None]:
    found: dict[str, Analysis | None] = {}
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        rows = connection(store).execute(
            "SELECT article_id, window_analysis FROM story_profiles "
            f"WHERE article_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for article_id, data in rows:
            found[article_id] = Analysis.from_dict(json.loads(data)) if data else None
    return found


def generation(store) -> tuple[int, int, int]:
    """A marker that changes whenever anyone places an article, opens a story or merges two:
    an in-memory clusterer loaded at another generation is stale (another connection, thread
    or process wrote since) and must be reloaded before it places anything."""
    db = connection(store)
    return db.execute(
        "SELECT (SELECT COALESCE(MAX(seq), 0) FROM story_members), (SELECT COALESCE(MAX(seq), 0) FROM stories), "
        "(SELECT COUNT(*) FROM story_merges)"
    ).fetchone()


def load_into(store, clusterer: StoryClusterer, vector_model: str, after_member: int = 0) -> None:
    """Rebuild the clusterer's state (index rows, stories, merges) from the store, in the
    order articles were placed. With ``after_member``, only catch up: add the articles placed
    after that member number (by other processes) to a clusterer that holds all before it."""
    db = connection(store)
    needs_vectors = getattr(clusterer.index, "needs_vectors", True)  # pgvector: the server has them
    vector_column = "v.vector" if needs_vectors else "NULL"
    rows = db.execute(
        f"SELECT m.article_id, m.story_id, p.day, {vector_column} FROM story_members m "
        "JOIN story_profiles p ON p.article_id = m.article_id "
        "LEFT JOIN vectors v ON v.model = ? AND v.text_hash = p.index_hash WHERE m.seq > ? ORDER BY m.seq",
        (vector_model, after_member),
    ).fetchall()
    merged = dict(db.execute("SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL").fetchall())
    parent = {story_seq(old): story_seq(new) for old, new in merged.items()}
    max_seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM stories").fetchone()[0]
    clusterer.next_seq = max_seq + 1
    if after_member and parent != clusterer.parent:  # others merged stories: sizes move to the new roots
        clusterer.parent = parent
        clusterer.sizes = {}
        for seq in clusterer.row_story:
            root = clusterer.root(seq)
            clusterer.sizes[root] = clusterer.sizes.get(root, 0) + 1
    clusterer.parent = parent
    if not rows:
        return
    days = np.array([row[2] for row in rows], dtype=np.int64)
    keys = [row[0] for row in rows]
    if not needs_vectors:
        clusterer.index.add_many(None, days, keys)
    else:
        dim = clusterer.index.dim if hasattr(clusterer.index, "dim") else 512
        vectors = np.zeros((len(rows), dim), dtype=np.float32)
        for i, row in enumerate(rows):
            if row[3] is not None:  # a vector evicted from the cache: the article stays, unfindable
                vectors[i] = np.frombuffer(bytes(row[3]), dtype=np.float32)
        if hasattr(clusterer.index, "add_many"):
            clusterer.index.add_many(vectors, days, keys)
        else:
            for vector, day, key in zip(vectors, days, keys, strict=True):
                clusterer.index.add(vector, int(day), key)
    first_row = len(clusterer.ids)
    for row_number, (article_id, sid, _day, _vector) in enumerate(rows, start=first_row):
        clusterer.row_of[article_id] = row_number
        clusterer.ids.append(article_id)
        seq = story_seq(sid)
        clusterer.row_story.append(seq)
        root = clusterer.root(seq)
        clusterer.sizes[root] = clusterer.sizes.get(root, 0) + 1


__all__ = [
    "SCHEMA", "VECTOR_SCHEMA", "ensure_schema", "ensure_vector_table", "generation", "load_into", "member_ids",
    "record", "story_id", "window_analyses",
]
