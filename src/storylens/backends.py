"""Where the store's SQL runs: SQLite (embedded, the default) or PostgreSQL (shared).

Everything above this module writes one SQL dialect: SQLite's ``?`` placeholders and the
``INSERT ... ON CONFLICT`` upserts both engines understand. A PostgreSQL connection is
wrapped in :class:`PgConnection`, which offers the few ``sqlite3.Connection`` methods the
store uses (``execute``, ``executemany``, ``in_transaction``, ``close``) and translates
placeholders; :class:`Dialect` holds what cannot be shared (column types, how to begin a
transaction, how to lock, how to tell whether a table exists).

>>> is_postgres_url("postgresql://u:secret@db.example/news"), is_postgres_url("news.db")
(True, False)
>>> mask_url("postgresql://u:secret@db.example/news")
'postgresql://u:***@db.example/news'
>>> PgConnection.translate("SELECT 1 FROM t WHERE a = ? AND b LIKE '%x'")
"SELECT 1 FROM t WHERE a = %s AND b LIKE '%%x'"
"""

from __future__ import annotations

import contextlib
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_S = 60  # how long a PostgreSQL writer waits for another's story lock before giving up


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***``: safe to print in an error line."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def lock_key(name: str) -> int:
    """A stable 32-bit key for ``pg_advisory_xact_lock`` from a lock name."""
    return zlib.crc32(f"storylens:{name}".encode())


@dataclass(frozen=True)
class Dialect:
    name: str
    begin: str
    # Tables whose insertion order the SQL relies on ("ORDER BY rowid"): SQLite has the column
    # built in, PostgreSQL gets an explicit identity column of that name.
    rowid_tables: tuple[str, ...] = ()

    def ddl(self, schema: str) -> list[str]:
        """The statements of a schema written for SQLite, in this dialect."""
        statements = [s.strip() for s in schema.split(";") if s.strip()]
        if self.name == "sqlite":
            return statements
        out = []
        for statement in statements:
            statement = statement.replace(" WITHOUT ROWID", "")
            statement = re.sub(r"\bBLOB\b", "BYTEA", statement)
            statement = re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement)  # PostgreSQL's REAL is 4 bytes
            match = re.match(r"CREATE TABLE IF NOT EXISTS (\w+) \(", statement)
            if match and match.group(1) in self.rowid_tables:
                statement = statement[: match.end()] + "\n    rowid BIGSERIAL," + statement[match.end() :]
            out.append(statement)
        return out

    def table_exists_sql(self) -> str:
        if self.name == "sqlite":
            return "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"

    def lock_sql(self) -> str | None:
        """A statement taking a transaction-long exclusive lock (``?`` = :func:`lock_key`);
        None when beginning a transaction already excludes other writers (SQLite's
        ``BEGIN IMMEDIATE``)."""
        return None if self.name == "sqlite" else "SELECT pg_advisory_xact_lock(?)"


SQLITE = Dialect("sqlite", begin="BEGIN IMMEDIATE")
POSTGRES = Dialect("postgresql", begin="BEGIN", rowid_tables=("articles", "analyses", "story_merges"))


class PgConnection:
    """A psycopg 3 connection in autocommit mode that reads like ``sqlite3.Connection``:
    transactions are explicit ``BEGIN`` / ``COMMIT`` statements, as the store issues them."""

    _translated: ClassVar[dict[str, str]] = {}

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        self._conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        self._conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT_S}s'")
        self.has_pgvector = False

    @classmethod
    def translate(cls, sql: str) -> str:
        found = cls._translated.get(sql)
        if found is None:
            found = cls._translated[sql] = sql.replace("%", "%%").replace("?", "%s")
        return found

    def execute(self, sql: str, params: Sequence[Any] | None = None):
        if not params:  # without parameters psycopg reads "%" literally: nothing to translate
            return self._conn.execute(sql)
        return self._conn.execute(self.translate(sql), list(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]):
        cursor = self._conn.cursor()
        cursor.executemany(self.translate(sql), [list(row) for row in rows])
        return cursor

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def try_extension(self, name: str) -> bool:
        """``CREATE EXTENSION IF NOT EXISTS name``; False when the server lacks it (or we may not).
        The extension's schema is added to this connection's ``search_path``, so that its types
        and operators resolve whatever schema the store's tables live in."""
        import psycopg

        installed = "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = %s"
        found = self._conn.execute(installed, [name]).fetchone()
        if found is None:
            # Not on the server, not allowed, or another process created it just now: look again.
            with contextlib.suppress(psycopg.Error):
                self._conn.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
            found = self._conn.execute(installed, [name]).fetchone()
        if found is None:
            return False
        visible = self._conn.execute("SELECT %s = ANY(current_schemas(false))", [found[0]]).fetchone()[0]
        if not visible:
            self._conn.execute(
                "SELECT set_config('search_path', current_setting('search_path') || ', ' || quote_ident(%s), false)",
                [found[0]],
            )
        return True

    def enable_pgvector(self) -> bool:
        """pgvector's extension and its psycopg adapters (numpy arrays in and out of ``vector``
        columns); False when the server lacks the extension or the ``pgvector`` client is missing."""
        try:
            from pgvector.psycopg import register_vector
        except ImportError:
            return False
        if not self.try_extension("vector"):
            return False
        register_vector(self._conn)
        return True

    def close(self) -> None:
        self._conn.close()


def postgres_error_reason(error: BaseException) -> str:
    """A user's reason for a PostgreSQL failure, on one line."""
    message = " ".join(str(error).split()) or type(error).__name__
    lowered = message.lower()
    if "password authentication failed" in lowered or "authentication" in lowered:
        return "authentication failed (check the user and password in the URL)"
    if "does not exist" in lowered and "database" in lowered:
        return f"no such database on the server ({message})"
    if "connection refused" in lowered or "could not connect" in lowered or "timeout" in lowered:
        return f"cannot reach the PostgreSQL server ({message})"
    if "lock timeout" in lowered:
        return f"another writer held the store's lock for more than {LOCK_TIMEOUT_S} s; try again"
    if "invalid" in lowered and ("dsn" in lowered or "uri" in lowered or "connection" in lowered):
        return f"not a valid PostgreSQL URL ({message})"
    return f"database error: {message}"


def postgres_user_errors() -> tuple[type[BaseException], ...]:
    """psycopg's exceptions for faults of the server or the connection, not of our SQL."""
    import psycopg

    return (psycopg.OperationalError, psycopg.InterfaceError)
