"""Nearest-neighbour index over article vectors: where a new article's candidate stories come from.

The index is a small pluggable object (:class:`VectorIndex`): ``add`` vectors with an optional
publication day, ``search`` the top ``k`` rows by cosine within a day window. :class:`ExactIndex`
is an exact numpy matrix product, which the project's measurements put at ~1–2 ms per query at
10^5 × 512-d (see ``bench/stories.py``); it holds every stored vector in memory. On a PostgreSQL
store whose server has pgvector, :class:`PgvectorIndex` searches the server's HNSW index instead,
and the process holds only article ids (``docs/scaling.md``).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

UNDATED = -1  # day ordinal of an article without a publication date


class VectorIndex(Protocol):
    def add(self, vector: np.ndarray, day: int = UNDATED, key: str | None = None) -> int:
        """Append one L2-normalised vector (of the article ``key``); returns its row number."""
        ...

    def search(
        self, vector: np.ndarray, k: int, day: int = UNDATED, window_days: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rows and cosines of the ``k`` nearest vectors, best first. With ``day`` and
        ``window_days``, dated rows further than ``window_days`` from ``day`` are skipped;
        undated rows (and an undated query) are never excluded by date."""
        ...

    def __len__(self) -> int: ...


class ExactIndex:
    """Exact cosine search: a float32 matrix grown by doubling, one matrix-vector product per query.

    >>> index = ExactIndex(dim=2)
    >>> index.add(np.array([1.0, 0.0]), day=10), index.add(np.array([0.0, 1.0]), day=100)
    (0, 1)
    >>> rows, scores = index.search(np.array([0.6, 0.8]), k=2)
    >>> rows.tolist()
    [1, 0]
    >>> index.search(np.array([0.6, 0.8]), k=2, day=12, window_days=7)[0].tolist()
    [0]
    """

    def __init__(self, dim: int, capacity: int = 1024) -> None:
        self.dim = dim
        self._vectors = np.zeros((capacity, dim), dtype=np.float32)
        self._days = np.full(capacity, UNDATED, dtype=np.int64)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    needs_vectors = True  # loading a store hands it every stored vector

    def add(self, vector: np.ndarray, day: int = UNDATED, key: str | None = None) -> int:
        if self._size == len(self._vectors):
            self._vectors = np.concatenate([self._vectors, np.zeros_like(self._vectors)])
            self._days = np.concatenate([self._days, np.full(len(self._days), UNDATED, dtype=np.int64)])
        self._vectors[self._size] = vector
        self._days[self._size] = day
        self._size += 1
        return self._size - 1

    def add_many(self, vectors: np.ndarray, days: np.ndarray, keys: list[str] | None = None) -> None:
        """Bulk load (opening a store): one copy instead of one per row."""
        need = self._size + len(vectors)
        if need > len(self._vectors):
            capacity = max(need, 2 * len(self._vectors))
            grown = np.zeros((capacity, self.dim), dtype=np.float32)
            grown[: self._size] = self._vectors[: self._size]
            grown_days = np.full(capacity, UNDATED, dtype=np.int64)
            grown_days[: self._size] = self._days[: self._size]
            self._vectors, self._days = grown, grown_days
        self._vectors[self._size : need] = vectors
        self._days[self._size : need] = days
        self._size = need

    def vector(self, row: int) -> np.ndarray:
        return self._vectors[row]

    def search(
        self, vector: np.ndarray, k: int, day: int = UNDATED, window_days: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if self._size == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        scores = self._vectors[: self._size] @ np.asarray(vector, dtype=np.float32)
        if window_days is not None and day != UNDATED:
            days = self._days[: self._size]
            outside = (days != UNDATED) & (np.abs(days - day) > window_days)
            scores = np.where(outside, -np.inf, scores)
        k = min(k, self._size)
        top = np.argpartition(-scores, k - 1)[:k]
        # Best first; ties broken by row (older first) so placement is deterministic.
        order = np.lexsort((top, -scores[top]))
        top = top[order]
        keep = np.isfinite(scores[top])
        return top[keep], scores[top][keep]

    @property
    def nbytes(self) -> int:
        return self._vectors.nbytes + self._days.nbytes


class PgvectorIndex:
    """Search through pgvector on the store's PostgreSQL server (HNSW, inner product).

    The vectors live in the store's ``story_vectors`` table, written in the transaction that
    stores each article (:func:`storylens.stories.storage.record`); this object maps the
    server's article ids to the clusterer's rows, and keeps the vectors added in this process
    since the last commit (a batch's earlier articles are candidates of its later ones before
    they are stored) in a small exact index of its own. ``ef_search`` trades recall for speed
    (pgvector's default is 40; ``k`` candidates need more than ``k``).
    """

    needs_vectors = False  # loading a store registers article ids only: the server has the vectors

    def __init__(self, store, dim: int, ef_search: int = 100) -> None:
        self.store = store
        self.dim = dim
        self._row_of: dict[str, int] = {}
        self._size = 0
        self._pending = ExactIndex(dim, capacity=64)
        self._pending_rows: list[int] = []
        # Iterative scans (pgvector 0.8) keep reading the graph until k rows pass the day filter.
        db = store.connection
        db.execute(f"SET hnsw.ef_search = {int(ef_search)}")
        if _pgvector_version(db) >= (0, 8):
            db.execute("SET hnsw.iterative_scan = relaxed_order")

    def __len__(self) -> int:
        return self._size

    def add(self, vector: np.ndarray, day: int = UNDATED, key: str | None = None) -> int:
        if key is None:
            raise ValueError("PgvectorIndex.add needs the article id (key) its vector is stored under")
        row = self._row_of[key] = self._size
        self._size += 1
        self._pending.add(vector, day)
        self._pending_rows.append(row)
        return row

    def add_many(self, vectors: np.ndarray | None, days: np.ndarray, keys: list[str] | None = None) -> None:
        """Register stored articles (their vectors are on the server already)."""
        for key in keys or []:
            self._row_of[key] = self._size
            self._size += 1

    def committed(self) -> None:
        """The vectors added so far are on the server: forget the in-process copies."""
        self._pending = ExactIndex(self.dim, capacity=64)
        self._pending_rows = []

    def search(
        self, vector: np.ndarray, k: int, day: int = UNDATED, window_days: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        if self._size == 0 or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.asarray(vector, dtype=np.float32)
        where, params = "", [query]
        if window_days is not None and day != UNDATED:
            where = "WHERE day = ? OR abs(day - ?) <= ?"
            params += [UNDATED, day, window_days]
        found = self.store.connection.execute(
            f"SELECT article_id, -(embedding <#> ?) FROM story_vectors {where} ORDER BY embedding <#> ? LIMIT ?",
            [*params, query, k],
        ).fetchall()
        best: dict[int, float] = {}
        for article_id, score in found:
            row = self._row_of.get(article_id)  # None: placed by another process, not loaded yet
            if row is not None:
                best[row] = float(score)
        pending_rows, pending_scores = self._pending.search(query, k, day, window_days)
        for position, score in zip(pending_rows, pending_scores, strict=True):
            best[self._pending_rows[position]] = float(score)
        # Best first, ties by row (older first), as ExactIndex orders them.
        ranked = sorted(best.items(), key=lambda pair: (-pair[1], pair[0]))[:k]
        rows = np.array([row for row, _ in ranked], dtype=np.int64)
        return rows, np.array([score for _, score in ranked], dtype=np.float32)


def _pgvector_version(db) -> tuple[int, ...]:
    row = db.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
    return tuple(int(part) for part in row[0].split(".")[:2] if part.isdigit()) if row else (0,)
