"""The store: articles, their analyses and embedding vectors, in SQLite (embedded, the
default) or PostgreSQL (a ``postgresql://`` URL: one store shared by several processes).

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
import os
import sqlite3
import stat
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from storylens.article import Analysis, Article, content_hash
from storylens.backends import (
    POSTGRES,
    SQLITE,
    Dialect,
    PgConnection,
    is_postgres_url,
    lock_key,
    mask_url,
    postgres_error_reason,
    postgres_user_errors,
)
from storylens.errors import StoreError

SCHEMA_VERSION = 2
"""1: first release. 2: ``articles.input_id``; article ids are content hashes (v1 used a JSON
record's own id when it had one); ``analyses`` keyed by (article, version)."""

BUSY_TIMEOUT_S = 5.0
"""How long a write waits for another process's write lock before giving up with an error."""

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
    added_at TEXT NOT NULL,
    input_id TEXT
);
CREATE TABLE IF NOT EXISTS analyses (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
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
    "input_id",
)
# An article's analysis: the one saved last (an article may hold one per analyser version).
_LATEST_ANALYSIS = (
    "LEFT JOIN analyses n ON n.rowid = "
    "(SELECT rowid FROM analyses WHERE article_id = a.id ORDER BY rowid DESC LIMIT 1)"
)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_NO_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def sqlite_error_reason(error: sqlite3.Error) -> str:
    """A user's reason for an SQLite failure: what is wrong with the file, not SQLite's jargon."""
    message = str(error).lower()
    if "locked" in message or "busy" in message:
        return f"locked by another process (waited {BUSY_TIMEOUT_S:g} s); try again when it has finished"
    if "readonly" in message or "read-only" in message:
        return "read-only: cannot write to the database (check the permissions of the file and its folder)"
    if "not a database" in message or "malformed" in message or "corrupt" in message:
        return f"corrupted database ({error}); restore it from a backup or use another --db"
    if "unable to open" in message:
        return "cannot open the database file (is its folder writable?)"
    if "disk is full" in message or "full" in message:
        return "disk full: cannot write to the database"
    return f"database error: {error}"


def _is_user_error(error: sqlite3.Error) -> bool:
    """Faults of the file or its surroundings, not of storylens's own SQL."""
    return isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError
    )


_OPEN_FILES: dict[tuple[int, int], int] = {}
"""(device, inode) → how many live :class:`Store` connections this process has to the file."""
_OPEN_FILES_LOCK = threading.Lock()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _open_in_process(path: Path) -> bool:
    key = _file_key(path)
    with _OPEN_FILES_LOCK:
        return key is not None and _OPEN_FILES.get(key, 0) > 0


def _register_open(key: tuple[int, int] | None) -> None:
    if key is not None:
        with _OPEN_FILES_LOCK:
            _OPEN_FILES[key] = _OPEN_FILES.get(key, 0) + 1


def _register_key(path: Path) -> tuple[int, int] | None:
    key = _file_key(path)
    _register_open(key)
    return key


def _release_open(key: tuple[int, int] | None) -> None:
    if key is not None:
        with _OPEN_FILES_LOCK:
            left = _OPEN_FILES.get(key, 0) - 1
            if left > 0:
                _OPEN_FILES[key] = left
            else:
                _OPEN_FILES.pop(key, None)


def _check_header(path: Path) -> str | None:
    """Why an existing file cannot be a healthy SQLite database, from its 100-byte header
    (an empty file is a new database): not SQLite at all, or shorter than the page count
    its header states (a truncated copy)."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if not header:
        return None
    if not header.startswith(_SQLITE_MAGIC):
        return "not a storylens database (not an SQLite file)"
    if len(header) < 100:
        return "corrupted database (truncated header); restore it from a backup or use another --db"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65_536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "corrupted database (invalid page size); restore it from a backup or use another --db"
    pages = int.from_bytes(header[28:32], "big")
    header_size_valid = header[24:28] == header[92:96]  # SQLite's own rule for trusting the count
    if header_size_valid and path.stat().st_size < pages * page_size:
        return "corrupted database (truncated: shorter than its header says); restore it from a backup"
    return None


def _check_path(path: Path) -> None:
    """Refuse, by name, a database path that cannot work, before SQLite creates anything.

    Permission *bits* are checked, not only :func:`os.access`: a read-only file or folder
    means "do not write here" even to root, who may write anyway."""
    if path.is_dir():
        raise StoreError(str(path), "is a folder, not a database file")
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(str(path), f"folder {folder} does not exist")
    if path.exists():
        if not path.is_file():
            raise StoreError(str(path), "not a regular file")
        if not os.access(path, os.R_OK):
            raise StoreError(str(path), "cannot read the database file (permission denied)")
        if not os.access(path, os.W_OK) or not path.stat().st_mode & _NO_WRITE_BITS:
            raise StoreError(str(path), "read-only file: cannot write to the database")
        # Reading the header opens and closes the file, and closing *any* descriptor of a
        # file drops every POSIX lock this process holds on it, SQLite's included: another
        # process then believes it holds the last connection, checkpoints and deletes the
        # write-ahead log under our feet, and the database is corrupted. So the header is
        # read only while no connection of this process has the file open.
        reason = None if _open_in_process(path) else _check_header(path)
        if reason:
            raise StoreError(str(path), reason)
    # New files, and the -wal/-shm files of write-ahead logging, go into the folder.
    if not os.access(folder, os.W_OK | os.X_OK) or not folder.stat().st_mode & _NO_WRITE_BITS:
        raise StoreError(str(path), f"read-only folder {folder}: cannot write the database there")


class Store:
    """A storylens database file (``":memory:"`` for a throw-away one) or a PostgreSQL
    database (``postgresql://user:password@host/name``).

    Any fault of the file (missing folder, read-only, corrupted, locked by another writer
    for more than :data:`BUSY_TIMEOUT_S`) or of the server (unreachable, bad URL, refused
    login) raises :class:`~storylens.errors.StoreError` naming the path or the URL (its
    password masked), when opening or in any transaction; the store is left as it was."""

    def __init__(self, path: str | Path = "storylens.db") -> None:
        self.path = str(path)
        self.dialect: Dialect = POSTGRES if is_postgres_url(self.path) else SQLITE
        self.has_pgvector = False
        if self.dialect is POSTGRES:
            self._open_postgres()
            return
        if self.path != ":memory:":
            _check_path(Path(self.path))
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as error:
            raise StoreError(self.path, sqlite_error_reason(error)) from None
        # Counted from here, so that no other Store of this process reads the header while
        # this connection is open; released when the connection is closed or collected.
        self._release = weakref.finalize(
            self, _release_open, None if self.path == ":memory:" else _register_key(Path(self.path))
        )
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    @property
    def name(self) -> str:
        """The path, or the URL with its password masked: what errors and messages print."""
        return mask_url(self.path) if self.dialect is POSTGRES else self.path

    @property
    def is_postgres(self) -> bool:
        return self.dialect is POSTGRES

    def _open_postgres(self) -> None:
        try:
            self._db = PgConnection(self.path)  # type: ignore[assignment]
        except ImportError:
            raise StoreError(self.name, "PostgreSQL needs psycopg: pip install 'storylens[scale]'") from None
        except Exception as error:  # psycopg raises ProgrammingError for a malformed URL
            raise StoreError(self.name, postgres_error_reason(error)) from None
        try:
            with self._db_errors():
                # pgvector, when the server has it: stories search the server's index of article
                # vectors instead of loading them all (storylens.stories.index.PgvectorIndex).
                self.has_pgvector = self._db.enable_pgvector()  # type: ignore[attr-defined]
            self._open()
        except BaseException:
            self._db.close()
            raise

    def _open(self) -> None:
        if self.dialect is SQLITE:
            with self._db_errors():
                self._db.execute("PRAGMA foreign_keys = ON")
                if self.path != ":memory:":
                    self._db.execute("PRAGMA journal_mode = WAL")
        with self.transaction() as db:
            self.lock("schema")  # two processes creating the tables at once would collide (PostgreSQL)
            found = self._schema_version(db)
            if found is not None and found > SCHEMA_VERSION:
                raise StoreError(
                    self.path, f"written by a newer storylens (schema {found}; this one reads up to {SCHEMA_VERSION})"
                )
            if found is not None and found < 2:
                _migrate_v1(db)
            for statement in self.dialect.ddl(_SCHEMA):
                db.execute(statement)
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )

    def table_exists(self, name: str) -> bool:
        return self._db.execute(self.dialect.table_exists_sql(), (name,)).fetchone() is not None

    def ddl(self, schema: str) -> list[str]:
        """A schema written for SQLite, as this store's statements (for stages with their own tables)."""
        return self.dialect.ddl(schema)

    def lock(self, name: str) -> None:
        """Inside a transaction: wait for, then hold until it ends, the store-wide lock ``name``
        (PostgreSQL advisory lock; SQLite's ``BEGIN IMMEDIATE`` already excludes other writers)."""
        sql = self.dialect.lock_sql()
        if sql is not None:
            with self._db_errors():
                self._db.execute(sql, (lock_key(name),))

    def _schema_version(self, db) -> int | None:
        """The stored schema version, None for a new (empty) database."""
        if not self.table_exists("meta"):
            return None
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 1

    # -- plumbing ---------------------------------------------------------------------------
    @contextmanager
    def _db_errors(self) -> Iterator[None]:
        """Faults of the file or the server (not bugs in storylens's SQL) as :class:`StoreError`."""
        try:
            yield
        except sqlite3.Error as error:
            if not _is_user_error(error):
                raise
            raise StoreError(self.path, sqlite_error_reason(error)) from None
        except Exception as error:
            if self.dialect is not POSTGRES or not isinstance(error, postgres_user_errors()):
                raise
            raise StoreError(self.name, postgres_error_reason(error)) from None

    _sqlite_errors = _db_errors  # the name older callers use

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block; nested use joins the outer transaction."""
        if self._db.in_transaction:
            yield self._db
            return
        with self._db_errors():
            self._db.execute(self.dialect.begin)
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:  # SQLite rolls some failures back by itself
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection, for stages that keep their own tables beside these (stories).
        Its ``execute`` takes SQLite's SQL (``?`` placeholders) on either backend."""
        return self._db

    def close(self) -> None:
        self._db.close()
        release = getattr(self, "_release", None)  # PostgreSQL stores hold no file
        if release is not None:
            release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles ---------------------------------------------------------------------------
    def add_articles(self, articles: Sequence[Article], analysis_version: str = "") -> list[bool]:
        """Insert articles (and their analyses, when present); returns, per article, whether
        it was new. One transaction for the whole batch.

        An article whose id (its text's hash) is stored already is left exactly as it is:
        same text is the same article, and its first stored date, source and analysis are
        kept (compare :meth:`get_article` to tell the caller what differs)."""
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
                    # First write wins: a later copy of the text (another date) must not replace it.
                    db.execute(
                        "INSERT INTO analyses (article_id, version, data) VALUES (?, ?, ?) "
                        "ON CONFLICT(article_id, version) DO NOTHING",
                        (article.id, analysis_version, _analysis_json(article.analysis)),
                    )
        return inserted

    def save_analysis(self, article_id: str, analysis: Analysis, version: str) -> None:
        """Store (or re-store) the analysis of one article under one analyser version; other
        versions and other articles are not touched."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO analyses (article_id, version, data) VALUES (?, ?, ?) "
                "ON CONFLICT(article_id, version) DO UPDATE SET data = excluded.data",
                (article_id, version, _analysis_json(analysis)),
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
            f"FROM articles a {_LATEST_ANALYSIS} WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return _article_from_row(row) if row else None

    def iter_articles(self) -> Iterator[Article]:
        cursor = self._db.execute(
            f"SELECT {', '.join('a.' + c for c in _ARTICLE_COLUMNS)}, n.data "
            f"FROM articles a {_LATEST_ANALYSIS} ORDER BY a.added_at, a.rowid"
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
                found[text_hash] = np.frombuffer(bytes(blob), dtype=np.float32)
        return found

    def put_vectors(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO vectors (model, text_hash, dim, vector) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(model, text_hash) DO UPDATE SET dim = excluded.dim, vector = excluded.vector",
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
        article.input_id,
    )


def _analysis_json(analysis: Analysis) -> str:
    return json.dumps(analysis.to_dict(), ensure_ascii=False)


def _migrate_v1(db: sqlite3.Connection) -> None:
    """Schema 1 -> 2, in the caller's transaction.

    v1 took a JSON record's own id as the article id, so two feeds numbered 1..N shared ids
    and one article's analysis could overwrite another's. Every article is re-keyed to its
    content hash with the old id kept in ``input_id``; the analyses of re-keyed articles are
    dropped (they may belong to another text; they are a cache, re-made on demand); a row
    whose text is stored already under its hash is the same article and goes."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    if "input_id" not in columns:
        db.execute("ALTER TABLE articles ADD COLUMN input_id TEXT")
    # v1 keyed analyses by article alone; v2 by (article, analyser version).
    db.execute("ALTER TABLE analyses RENAME TO analyses_v1")
    db.execute(next(s for s in _SCHEMA.split(";") if "TABLE IF NOT EXISTS analyses" in s))
    db.execute("INSERT INTO analyses (article_id, version, data) SELECT article_id, version, data FROM analyses_v1")
    db.execute("DROP TABLE analyses_v1")
    for old_id, title, body in db.execute("SELECT id, title, body FROM articles").fetchall():
        new_id = content_hash(f"{title}\n\n{body}" if title else body)
        if new_id == old_id:
            continue
        db.execute("DELETE FROM analyses WHERE article_id = ?", (old_id,))
        if db.execute("SELECT 1 FROM articles WHERE id = ?", (new_id,)).fetchone():
            db.execute("DELETE FROM articles WHERE id = ?", (old_id,))
        else:
            db.execute("UPDATE articles SET id = ?, input_id = ? WHERE id = ?", (new_id, old_id, old_id))


def _article_from_row(row: tuple) -> Article:
    values = dict(zip(_ARTICLE_COLUMNS, row[: len(_ARTICLE_COLUMNS)], strict=True))
    values["removed_lines"] = json.loads(values["removed_lines"])
    analysis_json = row[len(_ARTICLE_COLUMNS)]
    values["analysis"] = json.loads(analysis_json) if analysis_json else None
    return Article.from_dict(values)
