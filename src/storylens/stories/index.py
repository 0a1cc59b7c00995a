"""Nearest-neighbour index over article vectors: where a new article's candidate stories come from.

The index is a small pluggable object (:class:`VectorIndex`): ``add`` vectors with an optional
publication day, ``search`` the top ``k`` rows by cosine within a day window. :class:`ExactIndex`
is an exact numpy matrix product, which the project's measurements put at ~1–2 ms per query at
10^5 × 512-d (see ``bench/stories.py``); an approximate index (faiss, usearch) plugs in behind
the same two methods when stores grow past that.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

UNDATED = -1  # day ordinal of an article without a publication date


class VectorIndex(Protocol):
    def add(self, vector: np.ndarray, day: int = UNDATED) -> int:
        """Append one L2-normalised vector; returns its row number."""
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

    def add(self, vector: np.ndarray, day: int = UNDATED) -> int:
        if self._size == len(self._vectors):
            self._vectors = np.concatenate([self._vectors, np.zeros_like(self._vectors)])
            self._days = np.concatenate([self._days, np.full(len(self._days), UNDATED, dtype=np.int64)])
        self._vectors[self._size] = vector
        self._days[self._size] = day
        self._size += 1
        return self._size - 1

    def add_many(self, vectors: np.ndarray, days: np.ndarray) -> None:
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
