"""Fitting the join rule on SemEval-2022 Task 8 train.jsonl (only).

The train split's articles are clustered as one stream, in file order. Which stored
articles are an article's candidates, and what the pair model predicts for them, do not
depend on earlier decisions (every placed article is in the index), so both are computed
once; each setting of (linkage, ``join_at``, ``merge_at``) is then a cheap replay of the
same :class:`~storylens.stories.clusterer.StoryClusterer` decision code. The setting with the
best pairwise F1 on the split's constraints wins (pairs with Overall ≤ 1.5 must share a story,
pairs with Overall ≥ 3 must not). The pair model has seen these pairs, so its scores on them
are optimistic; the test split (``bench/stories.py``) is where the result is measured.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from storylens.stories.clusterer import DEFAULT_PARAMS, StoryClusterer, StoryParams
from storylens.stories.evaluation import OTHER_STORY_AT, SAME_STORY_AT, constraint_scores
from storylens.stories.index import ExactIndex

JOIN_GRID = tuple(round(x, 2) for x in np.arange(1.2, 3.21, 0.05))
MERGE_MARGINS = (0.0, 0.1, 0.2, 0.3, 0.5, 1.0)
LINKAGES = ("min", "mean2")


@dataclass
class CandidateTable:
    """Per streamed article: candidate rows (earlier articles), their cosines and predicted Overall."""

    ids: list[str]
    rows: list[np.ndarray]
    cosines: list[np.ndarray]
    overall: list[np.ndarray]


def candidate_table(items: Sequence[Any], params: StoryParams, judge) -> CandidateTable:
    """Candidates of each item among the items before it, scored by ``judge`` in one batch."""
    index = ExactIndex(items[0].vector.shape[0] if items else 512)
    rows, cosines, pairs = [], [], []
    for position, item in enumerate(items):
        found, cos = index.search(item.vector, params.k, item.day, params.window_days)
        keep = cos >= params.min_cosine
        rows.append(found[keep])
        cosines.append(cos[keep])
        pairs += [(position, int(r)) for r in found[keep]]
        index.add(item.vector, item.day)
    scores = judge.pair_overall([items[a] for a, _ in pairs], [items[b] for _, b in pairs]) if pairs else []
    overall, start = [], 0
    for found in rows:
        overall.append(np.asarray(scores[start : start + len(found)], dtype=np.float64))
        start += len(found)
    return CandidateTable([item.id for item in items], rows, cosines, overall)


class _ReplayIndex:
    """Answers the clusterer's searches from a :class:`CandidateTable` (the query's vector
    carries its stream position)."""

    dim = 1

    def __init__(self, table: CandidateTable) -> None:
        self.table = table
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def add(self, vector, day=-1) -> int:
        self.size += 1
        return self.size - 1

    def search(self, vector, k, day=-1, window_days=None):
        position = int(vector[0])
        return self.table.rows[position], self.table.cosines[position]


class _ReplayJudge:
    def __init__(self, table: CandidateTable) -> None:
        self.table = table

    def overall(self, item, candidates):
        return self.table.overall[int(item.vector[0])]


@dataclass
class _Position:
    id: str
    vector: np.ndarray
    day: int = -1


def replay(table: CandidateTable, params: StoryParams) -> dict[str, str]:
    """Story of every article under ``params`` (k, window and min_cosine are the table's)."""
    clusterer = StoryClusterer(_ReplayJudge(table), params, index=_ReplayIndex(table))
    for position, article_id in enumerate(table.ids):
        clusterer.learn_one(_Position(article_id, np.array([position], dtype=np.float32)))
    return {article_id: clusterer.story_of(article_id) for article_id in table.ids}


def grid_search(table: CandidateTable, same, different, base: StoryParams) -> tuple[StoryParams, dict, list]:
    """The (linkage, join_at, merge_at) with the best constraint F1; ties go to the stricter."""
    results = []
    for linkage in LINKAGES:
        for join_at in JOIN_GRID:
            for margin in MERGE_MARGINS:
                params = replace(base, linkage=linkage, join_at=join_at, merge_at=round(join_at - margin, 2))
                scores = constraint_scores(replay(table, params), same, different)
                results.append((scores["f1"], -join_at, margin, linkage, params, scores))
    results.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
    best = results[0]
    return best[4], best[5], results


def semeval_stream(path: Path) -> tuple[list, list[tuple[str, str]], list[tuple[str, str]]]:
    """Distinct articles of a SemEval split (file order) and its same / different constraints."""
    from storylens.similarity.semeval import load_pairs

    pairs = load_pairs(path)
    articles: dict[str, Any] = {}
    same, different = [], []
    for pair in pairs:
        articles.setdefault(pair.article1.id, pair.article1)
        articles.setdefault(pair.article2.id, pair.article2)
        overall = pair.gold.get("overall")
        if overall is None or pair.article1.id == pair.article2.id:
            continue
        if overall <= SAME_STORY_AT:
            same.append((pair.article1.id, pair.article2.id))
        elif overall >= OTHER_STORY_AT:
            different.append((pair.article1.id, pair.article2.id))
    return list(articles.values()), same, different


def train_stories(
    data: str | Path | None, db: str | Path = "storylens.db", out: Path | None = None, progress: bool = False
) -> dict[str, Any]:
    """Fit the join rule on train.jsonl and write ``stories-v1.json``; returns a report."""
    from storylens.similarity.profile import attach_analyses
    from storylens.similarity.semeval import resolve_data_dir
    from storylens.store import Store
    from storylens.stories.profiles import FastProfiler, ModelJudge

    started = time.perf_counter()
    articles, same, different = semeval_stream(resolve_data_dir(data) / "train.jsonl")
    base = StoryParams.load()
    with Store(db) as store:
        profiler = FastProfiler(store)
        attach_analyses(articles, store, progress)  # SemEval texts are their own model windows
        items = profiler.items(articles, progress=progress)
    table = candidate_table(items, base, ModelJudge(profiler))
    best, scores, _ = grid_search(table, same, different, base)
    fitted = replace(best, meta={
        "trained_on": "SemEval-2022 Task 8 train.jsonl (stream in file order)",
        "pair_model": profiler.model.name,
        "objective": "pairwise F1 on constraints: Overall <= 1.5 same story, >= 3 different",
        "train_constraint_scores": scores,
        "articles": len(articles),
    })
    target = out or Path(__file__).resolve().parent / "models"
    target.mkdir(parents=True, exist_ok=True)
    path = fitted.save(target / f"{DEFAULT_PARAMS}.json")
    return {"path": str(path), "linkage": fitted.linkage, "join_at": fitted.join_at, "merge_at": fitted.merge_at,
            "train": scores, "articles": len(articles), "seconds": round(time.perf_counter() - started, 1)}
