"""Embedded SQLite store: articles, their analyses and embedding vectors.

Every write runs inside one transaction, so a failing batch leaves the database as it was;
re-adding an article with the same id is a no-op. Vectors are keyed by (model, text hash),
which is what lets any stage ask "was this exact text embedded by this model before?".

>>> from storylens.article import Article
>>> store = Store(":memory:")
>>> store.add_articles([Article("Title", "Body text.")])
[True]
>>> store.add_articles([Article("Title", "Body text.")])
[False]
>>> store.count_articles()
1
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storylens.article import Analysis, Article

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    lang TEXT,
    lang_confidence REAL NOT NULL DEFAULT 0,
    outlet TEXT,
    url TEXT,
    published TEXT,
    source TEXT,
    removed_lines TEXT NOT NULL DEFAULT '[]',
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS analyses (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
"""

_ARTICLE_COLUMNS = (
    "id",
    "title",
    "body",
    "lang",
    "lang_confidence",
    "outlet",
    "url",
    "published",
    "source",
    "removed_lines",
)


class Store:
    """A storylens database file (``":memory:"`` for a throw-away one)."""

    def __init__(self, path: str | Path = "storylens.db") -> None:
        self.path = str(path)
        self._db = sqlite3.connect(self.path, isolation_level=None)  # transactions are explicit
        self._db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        with self.transaction():
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._db.execute(statement)
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    # -- plumbing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block; nested use joins the outer transaction."""
        if self._db.in_transaction:
            yield self._db
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection, for stages that keep their own tables beside these (stories)."""
        return self._db

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles ---------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article], analysis_version: str = "") -> list[bool]:
        """Insert articles (and their analyses, when present); returns, per article, whether
        it was new. One transaction for the whole batch."""
        added_at = datetime.now(UTC).isoformat(timespec="seconds")
        inserted = []
        with self.transaction() as db:
            for article in articles:
                row = _article_row(article)
                cursor = db.execute(
                    # ON CONFLICT, not OR IGNORE: only a known id is skipped; any other violation fails.
                    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}, added_at) "
                    f"VALUES ({', '.join('?' * len(_ARTICLE_COLUMNS))}, ?) ON CONFLICT(id) DO NOTHING",
                    (*row, added_at),
                )
                inserted.append(cursor.rowcount == 1)
                if article.analysis is not None:
                    self.save_analysis(article.id, article.analysis, analysis_version)
        return inserted

    def save_analysis(self, article_id: str, analysis: Analysis, version: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO analyses (article_id, version, data) VALUES (?, ?, ?)",
                (article_id, version, json.dumps(analysis.to_dict(), ensure_ascii=False)),
            )

    def get_analyses(self, article_ids: Iterable[str], version: str) -> dict[str, Analysis]:
        """Stored analyses of ``version`` for the given articles (others are absent)."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[str, Analysis] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._db.execute(
                f"SELECT article_id, data FROM analyses WHERE version = ? "
                f"AND article_id IN ({', '.join('?' * len(chunk))})",
                (version, *chunk),
            )
            for article_id, data in rows:
                found[article_id] = Analysis.from_dict(json.loads(data))
        return found

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.execute(
            f"SELECT {', '.join('a.' + c for c in _ARTICLE_COLUMNS)}, n.data "
            "FROM articles a LEFT JOIN analyses n ON n.article_id = a.id WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return _article_from_row(row) if row else None

    def iter_articles(self) -> Iterator[Article]:
        cursor = self._db.execute(
            f"SELECT {', '.join('a.' + c for c in _ARTICLE_COLUMNS)}, n.data "
            "FROM articles a LEFT JOIN analyses n ON n.article_id = a.id ORDER BY a.added_at, a.id"
        )
        for row in cursor:
            yield _article_from_row(row)

    def count_articles(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    # -- vectors ----------------------------------------------------------------------------
    def get_vectors(self, model: str, text_hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``model`` among ``text_hashes`` (missing ones are absent)."""
        wanted = list(dict.fromkeys(text_hashes))
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(wanted), 500):  # stay under SQLite's host-parameter limit
            chunk = wanted[start : start + 500]
            rows = self._db.execute(
                f"SELECT text_hash, vector FROM vectors WHERE model = ? "
                f"AND text_hash IN ({', '.join('?' * len(chunk))})",
                (model, *chunk),
            )
            for text_hash, blob in rows:
                found[text_hash] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (model, text_hash, dim, vector) VALUES (?, ?, ?, ?)",
                [
                    (model, text_hash, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes())
                    for text_hash, v in vectors.items()
                ],
            )

    def count_vectors(self, model: str | None = None) -> int:
        if model is None:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (model,)).fetchone()[0]


def _article_row(article: Article) -> tuple:
    return (
        article.id,
        article.title,
        article.body,
        article.lang,
        article.lang_confidence,
        article.outlet,
        article.url,
        article.published.isoformat() if article.published else None,
        article.source,
        json.dumps(article.removed_lines, ensure_ascii=False),
    )


def _article_from_row(row: tuple) -> Article:
    values = dict(zip(_ARTICLE_COLUMNS, row[: len(_ARTICLE_COLUMNS)], strict=True))
    values["removed_lines"] = json.loads(values["removed_lines"])
    analysis_json = row[len(_ARTICLE_COLUMNS)]
    values["analysis"] = json.loads(analysis_json) if analysis_json else None
    return Article.from_dict(values)
