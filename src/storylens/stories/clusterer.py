"""Online story clustering: one article at a time, River-style ``learn_one`` / ``predict_one``.

Placing an article:

1. **Candidates**: the ``k`` nearest stored articles by cosine of their vectors
   (:mod:`.index`), within ``window_days`` of its publication day when both are dated, and
   above ``min_cosine`` (a cheap floor that only spares the pair model obvious strangers).
2. **Judgement**: the learned pair model predicts the SemEval Overall score (1 = very similar
   … 4 = very dissimilar) of the article against each candidate; a story's score is its
   best-scoring member (``linkage="min"``) or the mean of its best two (``"mean2"``).
3. **Date gate**: a story is one event. When the article reports from a known day of the year
   (its publication day, else its dateline's or lede's day: :attr:`Item.year_day`) and the
   story's candidate members that have one all lie more than ``window_days`` from it, the
   story is another event whatever the texts share (the ambassador's recall in March and his
   return in June; two rate decisions), and is not joined.
4. **Decision**: join the best story whose score is at most ``join_at``; otherwise start a new
   one. When other candidate stories also score at most ``merge_at``, the article bridges
   them: they merge into the oldest (lowest) id, and the merge is recorded.

Settings live in :class:`StoryParams` (fitted on SemEval train.jsonl, shipped as
``stories/models/stories-v1.json``); learned state is plain lists and dicts. Nothing is random:
the same input order gives the same stories.

>>> import numpy as np
>>> class Cosine:  # a stand-in pair judge: Overall falls from 4 to 1 as the cosine rises
...     def overall(self, item, candidates):
...         return np.array([4 - 3 * float(item.vector @ c.vector) for c in candidates])
>>> from types import SimpleNamespace as Item
>>> clusterer = StoryClusterer(Cosine(), StoryParams(join_at=1.5, merge_at=1.5, min_cosine=0.0), dim=2)
>>> stream = [("a", [1, 0]), ("b", [0.99, 0.14]), ("c", [0, 1]), ("d", [0.14, 0.99])]
>>> [clusterer.learn_one(Item(id=i, vector=np.array(v) / np.linalg.norm(v), day=-1)).story for i, v in stream]
['s-000001', 's-000001', 's-000002', 's-000002']
>>> clusterer.predict_one(Item(id="e", vector=np.array([1.0, 0.0]), day=-1))
's-000001'
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from storylens.stories.index import UNDATED, ExactIndex, VectorIndex

NO_YEAR_DAY = 0  # Item.year_day of an article with no publication date and no dated dateline or lede
PARAMS_PACKAGE = "storylens.stories.models"
DEFAULT_PARAMS = "stories-v1"


@dataclass(frozen=True)
class StoryParams:
    """How candidates are found and when an article joins a story (see the module docstring)."""

    k: int = 20
    min_cosine: float = 0.25
    window_days: int | None = 7
    linkage: str = "min"
    join_at: float = 1.8
    merge_at: float = 1.6
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, name: str = DEFAULT_PARAMS, directory: Path | None = None) -> StoryParams:
        root = directory or Path(str(resources.files(PARAMS_PACKAGE)))
        data = json.loads((root / f"{name}.json").read_text())
        return cls(**{k: data[k] for k in ("k", "min_cosine", "window_days", "linkage", "join_at", "merge_at")},
                   meta=data.get("meta", {}))

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self), indent=1, ensure_ascii=False) + "\n")
        return path


class Item(Protocol):
    """What the clusterer needs of an article: an id, an L2-normalised vector, a day ordinal
    (``UNDATED`` when unknown) and, optionally, ``year_day``: the day of the year it reports
    from, 1–366 (``NO_YEAR_DAY`` when unknown). The pair judge may need more (a ``Profile``)."""

    id: str
    vector: np.ndarray
    day: int


def days_apart(left: int, right: int) -> int:
    """Days between two days of the year, the short way round the year.

    >>> days_apart(80, 172), days_apart(360, 5)
    (92, 11)
    """
    gap = abs(left - right)
    return min(gap, 366 - gap)


class PairJudge(Protocol):
    def overall(self, item: Any, candidates: Sequence[Any]) -> np.ndarray:
        """Predicted Overall (1 … 4) of ``item`` against each candidate item."""
        ...


@dataclass
class Placement:
    article_id: str
    story: str
    new_story: bool
    score: float | None  # the story's linkage score; None for a new story
    merged: list[str] = field(default_factory=list)  # story ids absorbed into ``story``


def story_id(seq: int) -> str:
    return f"s-{seq:06d}"


def story_seq(sid: str) -> int:
    return int(sid.split("-", 1)[1])


class StoryClusterer:
    """Assigns each article to a story as it arrives (see the module docstring).

    Parameters: ``judge`` scores pairs; ``params`` are the decision settings; ``index`` the
    nearest-neighbour index (exact by default); ``fetch`` turns stored article ids into the
    judge's items (profiles of stored articles are not all kept in memory).
    Attributes: ``ids`` (row → article id), ``row_story`` (row → story seq at insertion),
    ``parent`` (merged story seq → the seq it merged into), ``sizes`` (live story seq → size).
    """

    def __init__(
        self,
        judge: PairJudge,
        params: StoryParams | None = None,
        dim: int = 512,
        index: VectorIndex | None = None,
        fetch=None,
    ) -> None:
        self.judge = judge
        self.params = params or StoryParams()
        self.index = index if index is not None else ExactIndex(dim)
        self.fetch = fetch
        self.ids: list[str] = []
        self.row_of: dict[str, int] = {}
        self.row_story: list[int] = []
        self.parent: dict[int, int] = {}
        self.sizes: dict[int, int] = {}
        self.next_seq = 1
        self._recent: dict[str, Any] = {}  # items placed in this process, by id, for the judge

    # -- the two public methods -----------------------------------------------------------
    def predict_one(self, item: Item) -> str | None:
        """The story ``item`` would join, or None if it would start a new one."""
        placement = self._place(item)
        return None if placement.new_story else placement.story

    def learn_one(self, item: Item) -> Placement:
        """Place ``item`` and remember it; returns where it went (and what merged)."""
        placement = self._place(item)
        self.apply(item, placement)
        return placement

    def learn_many(self, items: Sequence[Item]) -> list[Placement]:
        """``learn_one`` of each item in order, with the pair model called once for the batch.

        An article's candidates are the nearest rows among everything placed before it, and
        every placed article becomes a row whatever its story: so all candidate rows are known
        before any decision, the pairs are scored in one call, and only the (cheap) decisions
        run one by one. Same placements as ``learn_one`` in a loop."""
        fresh = [item for item in dict((i.id, i) for i in items).values() if item.id not in self.row_of]
        before = len(self.ids)
        candidate_rows = []
        for item in fresh:  # rows first: article i's candidates include the batch's earlier ones
            rows, cosines = self.index.search(item.vector, self.params.k, item.day, self.params.window_days)
            candidate_rows.append(rows[cosines >= self.params.min_cosine])
            self.add_row(item.id, item.vector, item.day, 0)  # its story is set when it is placed
        overall, candidates = self._batch_overall(fresh, candidate_rows, before)
        placements = []
        for i, item in enumerate(fresh):
            scores, days = self._linkage_scores(item, candidate_rows[i], overall[i], candidates[i])
            placement = self._decide(item.id, scores, days)
            self._record(before + i, placement)
            self._remember(item)
            placements.append(placement)
        return placements

    def _batch_overall(self, fresh: Sequence[Item], candidate_rows: list[np.ndarray], before: int) -> tuple[list, list]:
        """Each fresh item's predicted Overall against its candidate rows, and those rows' items."""
        batch = {before + i: item for i, item in enumerate(fresh)}
        stored = [self.ids[r] for rows in candidate_rows for r in rows if r not in batch]
        known = dict(zip(dict.fromkeys(stored), self._items(list(dict.fromkeys(stored))), strict=True))
        left = [item for item, rows in zip(fresh, candidate_rows, strict=True) for _ in rows]
        right = [batch[r] if r in batch else known[self.ids[r]] for rows in candidate_rows for r in rows]
        bounds = np.cumsum([0] + [len(rows) for rows in candidate_rows])
        per_item = [right[bounds[i] : bounds[i + 1]] for i in range(len(fresh))]
        if not left:
            return [np.zeros(0) for _ in fresh], per_item
        if hasattr(self.judge, "pair_overall"):
            flat = np.asarray(self.judge.pair_overall(left, right), dtype=np.float64)
        else:
            flat = np.concatenate([np.asarray(self.judge.overall(x, [y]), dtype=np.float64)
                                   for x, y in zip(left, right, strict=True)])
        return [flat[bounds[i] : bounds[i + 1]] for i in range(len(fresh))], per_item

    def _record(self, row: int, placement: Placement) -> None:
        """``apply`` for a row already in the index."""
        seq = story_seq(placement.story)
        self._merge_into(seq, placement)
        self.row_story[row] = seq
        self.sizes[seq] += 1

    # -- internals --------------------------------------------------------------------------
    def root(self, seq: int) -> int:
        while seq in self.parent:
            seq = self.parent[seq]
        return seq

    def story_of(self, article_id: str) -> str | None:
        row = self.row_of.get(article_id)
        return None if row is None else story_id(self.root(self.row_story[row]))

    def _place(self, item: Item) -> Placement:
        if item.id in self.row_of:
            return Placement(item.id, self.story_of(item.id) or "", False, None)
        return self._decide(item.id, *self._story_scores(item))

    def _decide(self, article_id: str, scores: dict[int, float], days: dict[int, set[int]] | None = None) -> Placement:
        joinable = sorted((score, seq) for seq, score in scores.items() if score <= self.params.join_at)
        if not joinable:
            return Placement(article_id, story_id(self.next_seq), True, None)
        best_score, best_seq = joinable[0]
        # An undated article close to two stories bridges them only when their days agree: it
        # must not merge the March recall and the June return it happens to resemble.
        days = days or {}
        best_days = days.get(best_seq, set())
        bridged = sorted(
            seq for score, seq in joinable
            if score <= self.params.merge_at and self._days_agree(days.get(seq, set()), best_days)
        ) or [best_seq]  # fmt: skip
        if best_seq not in bridged:
            bridged = sorted([best_seq, *bridged])
        keep = bridged[0]  # the oldest story keeps its id
        merged = [story_id(s) for s in bridged[1:]]
        return Placement(article_id, story_id(keep), False, float(best_score), merged)

    def _story_scores(self, item: Item) -> tuple[dict[int, float], dict[int, set[int]]]:
        rows, cosines = self.index.search(item.vector, self.params.k, item.day, self.params.window_days)
        rows = rows[cosines >= self.params.min_cosine]
        if len(rows) == 0:
            return {}, {}
        candidates = self._items([self.ids[r] for r in rows])
        overall = np.asarray(self.judge.overall(item, candidates), dtype=np.float64)
        return self._linkage_scores(item, rows, overall, candidates)

    def _days_agree(self, left: set[int], right: set[int]) -> bool:
        """Two sets of known days of the year (an article's, a story's candidate members') agree
        when either is empty or some pair lies within ``window_days``."""
        window = self.params.window_days
        if window is None or not left or not right:
            return True
        return any(days_apart(a, b) <= window for a in left for b in right)

    def _linkage_scores(
        self, item: Item, rows: np.ndarray, overall: np.ndarray, candidates: Sequence[Any]
    ) -> tuple[dict[int, float], dict[int, set[int]]]:
        """Each candidate story's linkage score and the known days of the year of its candidate
        members. The date gate leaves out a story whose known days all lie more than
        ``window_days`` from the article's (undated members do not vouch for a story: they are
        where a same-topic article would slip in)."""
        per_story: dict[int, list[float]] = {}
        known: dict[int, set[int]] = {}
        for row, score, candidate in zip(rows, overall, candidates, strict=True):
            seq = self.root(self.row_story[row])
            per_story.setdefault(seq, []).append(float(score))
            day = getattr(candidate, "year_day", NO_YEAR_DAY)
            if day != NO_YEAR_DAY:
                known.setdefault(seq, set()).add(day)
        day = getattr(item, "year_day", NO_YEAR_DAY)
        own = {day} if day != NO_YEAR_DAY else set()
        scores = {seq: self._linkage(sorted(values)) for seq, values in per_story.items()
                  if self._days_agree(own, known.get(seq, set()))}  # fmt: skip
        return scores, known

    def _linkage(self, ascending: list[float]) -> float:
        if self.params.linkage == "mean2" and len(ascending) > 1:
            return (ascending[0] + ascending[1]) / 2
        return ascending[0]

    def _items(self, ids: list[str]) -> list[Any]:
        missing = [i for i in ids if i not in self._recent]
        fetched = dict(zip(missing, self.fetch(missing), strict=True)) if missing and self.fetch else {}
        return [self._recent.get(i) or fetched[i] for i in ids]

    def apply(self, item: Item, placement: Placement) -> None:
        """Record a placement (after the store committed it, when there is a store)."""
        if item.id in self.row_of:
            return
        seq = story_seq(placement.story)
        self._merge_into(seq, placement)
        self.add_row(item.id, item.vector, item.day, seq)
        self.sizes[seq] += 1
        self._remember(item)

    def _merge_into(self, seq: int, placement: Placement) -> None:
        if placement.new_story:
            self.next_seq = max(self.next_seq, seq + 1)
            self.sizes[seq] = 0
        for absorbed in placement.merged:
            old = story_seq(absorbed)
            self.parent[old] = seq
            self.sizes[seq] += self.sizes.pop(old, 0)

    def add_row(self, article_id: str, vector: np.ndarray, day: int, seq: int) -> None:
        self.row_of[article_id] = self.index.add(vector, day, article_id)
        self.ids.append(article_id)
        self.row_story.append(seq)

    def _remember(self, item: Item, keep: int = 4096) -> None:
        # Recent articles are the likeliest candidates of the next ones in a stream: keep
        # their judge items instead of rebuilding them from the store.
        self._recent[item.id] = item
        if len(self._recent) > keep:
            self._recent.pop(next(iter(self._recent)))


__all__ = ["UNDATED", "Placement", "StoryClusterer", "StoryParams", "story_id", "story_seq"]
