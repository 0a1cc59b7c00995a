"""What the server shares between requests: the store path, one SQLite connection per worker
thread, and the lock that serialises writes and model inference.

SQLite allows one writer at a time and ``sqlite3`` connections belong to the thread that
opened them, so every worker thread gets its own :class:`~storylens.store.Store` (WAL mode:
readers never wait for the writer), and everything that may write (ingest, and the vector
cache that compare and similar fill) runs under one process-wide lock. A request that cannot
get the lock within ``queue_timeout`` seconds gets a 503 before any work is done, so a 2xx
always means the work ran and committed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from storylens.store import Store

BUSY_TIMEOUT_MS = 30_000  # a CLI process writing the same file at the same time: wait, don't fail


class Busy(Exception):
    """The write queue did not free up in time."""


class ServerState:
    def __init__(self, db_path: str | Path, token: str | None, queue_timeout: float) -> None:
        self.db_path = str(db_path)
        self.token = token or None
        self.queue_timeout = queue_timeout
        self.lock = threading.Lock()
        self._local = threading.local()
        with self.lock:  # create the schema once, before any request
            self._open().close()

    def _open(self) -> Store:
        store = Store(self.db_path)
        if not store.is_postgres:  # PostgreSQL writers queue on the server's locks instead
            # Store has no setting for this; a busy connection must wait for a writer in another process.
            store._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return store

    def store(self) -> Store:
        """This thread's connection (opened on first use, under the lock: opening writes the schema)."""
        store = getattr(self._local, "store", None)
        if store is None:
            self._acquire()
            try:
                store = self._open()
            finally:
                self.lock.release()
            self._local.store = store
        return store

    def _acquire(self) -> None:
        if not self.lock.acquire(timeout=self.queue_timeout):
            raise Busy(f"the server is busy (waited {self.queue_timeout:g} s for the write queue); retry later")

    @contextmanager
    def exclusive(self) -> Iterator[Store]:
        """This thread's store, with the write lock held."""
        store = self.store()
        self._acquire()
        try:
            yield store
        finally:
            self.lock.release()

    @cached_property
    def model(self):
        """The shipped similarity model, loaded once."""
        from storylens.similarity import load_model

        return load_model()
