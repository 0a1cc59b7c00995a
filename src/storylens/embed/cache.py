"""Embedding with a content-hash cache in the store: nothing is embedded twice."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from tqdm import tqdm

from storylens.article import content_hash
from storylens.embed.encoders import Encoder
from storylens.store import Store


class CachedEncoder:
    """Wraps an :class:`Encoder`; vectors are looked up by (encoder name, text hash) in the
    store (or an in-memory dict without one) and only the missing texts are embedded, in
    batches, with a progress bar when there are many."""

    def __init__(self, encoder: Encoder, store: Store | None = None, batch_size: int = 32) -> None:
        self.encoder = encoder
        self.store = store
        self.batch_size = batch_size
        self._memory: dict[str, np.ndarray] = {}
        self.embedded = 0  # texts actually sent to the model: lets callers and tests see cache hits

    @property
    def name(self) -> str:
        return self.encoder.name

    @property
    def dim(self) -> int:
        return self.encoder.dim

    def encode(self, texts: Sequence[str], progress: bool | None = None) -> np.ndarray:
        hashes = [content_hash(text) for text in texts]
        known = self._lookup(set(hashes))
        missing = list(dict.fromkeys(h for h in hashes if h not in known))
        if missing:
            text_of = dict(zip(hashes, texts, strict=True))
            known.update(self._embed([text_of[h] for h in missing], missing, progress))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([known[h] for h in hashes])

    def _lookup(self, hashes: set[str]) -> dict[str, np.ndarray]:
        found = {h: self._memory[h] for h in hashes if h in self._memory}
        if self.store is not None and len(found) < len(hashes):
            found.update(self.store.get_vectors(self.name, hashes - found.keys()))
        return found

    def _embed(self, texts: list[str], hashes: list[str], progress: bool | None) -> dict[str, np.ndarray]:
        show = len(texts) > 4 * self.batch_size if progress is None else progress
        new: dict[str, np.ndarray] = {}
        with tqdm(total=len(texts), desc=f"embedding ({self.name})", unit="text", disable=not show) as bar:
            for start in range(0, len(texts), self.batch_size):
                batch = texts[start : start + self.batch_size]
                vectors = self.encoder.encode(batch)
                chunk = dict(zip(hashes[start : start + self.batch_size], vectors, strict=True))
                new.update(chunk)
                if self.store is not None:
                    self.store.put_vectors(self.name, chunk)  # per batch: an interrupt keeps the work done
                bar.update(len(batch))
        self.embedded += len(texts)
        self._memory.update(new)
        return new
