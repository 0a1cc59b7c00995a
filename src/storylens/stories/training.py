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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from storylens.stories.clusterer import DEFAULT_PARAMS, NO_YEAR_DAY, StoryClusterer, StoryParams
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
    year_days: list[int] = field(default_factory=list)  # per item, for the clusterer's date gate


def candidate_table(
    items: Sequence[Any], params: StoryParams, judge, known: dict[tuple[str, str], float] | None = None
) -> CandidateTable:
    """Candidates of each item among the items before it, scored by ``judge`` in one batch;
    pairs in ``known`` (either order) take that score instead (out-of-fold judgements)."""
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
    if known:
        scores = np.asarray(scores, dtype=np.float64)
        for n, (a, b) in enumerate(pairs):
            key = (items[a].id, items[b].id)
            found = known.get(key, known.get(key[::-1]))
            if found is not None:
                scores[n] = found
    overall, start = [], 0
    for found in rows:
        overall.append(np.asarray(scores[start : start + len(found)], dtype=np.float64))
        start += len(found)
    year_days = [getattr(item, "year_day", NO_YEAR_DAY) for item in items]
    return CandidateTable([item.id for item in items], rows, cosines, overall, year_days)


class _ReplayIndex:
    """Answers the clusterer's searches from a :class:`CandidateTable` (the query's vector
    carries its stream position)."""

    dim = 1

    def __init__(self, table: CandidateTable) -> None:
        self.table = table
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def add(self, vector, day=-1, key=None) -> int:
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
    year_day: int = NO_YEAR_DAY


def replay(table: CandidateTable, params: StoryParams) -> dict[str, str]:
    """Story of every article under ``params`` (k, window and min_cosine are the table's)."""
    clusterer = StoryClusterer(_ReplayJudge(table), params, index=_ReplayIndex(table))
    for position, article_id in enumerate(table.ids):
        year_day = table.year_days[position] if table.year_days else NO_YEAR_DAY
        clusterer.learn_one(_Position(article_id, np.array([position], dtype=np.float32), year_day=year_day))
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


def out_of_fold_overall(
    pairs: Sequence[Any],
    items: Sequence[Any],
    model,
    encoders: Sequence[str],
    seed: int = 0,
    profile: Callable[[Sequence[Any]], list] | None = None,
) -> dict[tuple[str, str], float]:
    """Overall of every labelled pair, predicted by a model of ``model`` 's recipe fitted
    without that pair's fold (the similarity CV's grouped folds: translated copies of a pair
    stay in its fold). A recipe that also trains on excerpt copies of the pairs (v3, v4) gets
    them here too, profiled by ``profile`` (articles -> profiles, with ``encoders``); without
    them the judgement would come from another model than the one that ships."""
    from storylens.similarity import pair_features
    from storylens.similarity.features import feature_names
    from storylens.similarity.training import FitConfig, cross_validate, gold_matrix, with_excerpts

    by_id = {item.id: item for item in items}
    labelled = [p for p in pairs if p.article1.id in by_id and p.article2.id in by_id]
    features = pair_features([by_id[p.article1.id].profile for p in labelled],
                             [by_id[p.article2.id].profile for p in labelled], encoders)  # fmt: skip
    raw = dict(model.meta.get("fit_config") or {})
    config = FitConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
    if config.self_pairs:
        raise ValueError("out-of-fold judgement of a model fitted with self-pairs is not supported")
    copies = with_excerpts(labelled, config.excerpt_chars)[len(labelled) :]
    if copies:
        if profile is None:
            raise ValueError(f"model {model.name} trains on excerpt copies: pass profile= to build theirs")
        features = np.vstack([features, _copy_features(copies, profile, encoders)])
    rows = [*labelled, *copies]
    index, predicted = cross_validate(features, gold_matrix(rows), rows, config, seed, "kfold",
                                      feature_names(encoders))["predictions"]  # fmt: skip
    return {(labelled[i].article1.id, labelled[i].article2.id): float(row[0])
            for i, row in zip(index, predicted, strict=True) if i < len(labelled)}  # fmt: skip


def _copy_features(copies: Sequence[Any], profile: Callable[[Sequence[Any]], list], encoders: Sequence[str]):
    """Pair features of excerpt copies, each distinct excerpt profiled once (cut articles
    have no id: they are told apart by their text)."""
    from storylens.similarity import pair_features

    distinct = {a.full_text: a for c in copies for a in (c.article1, c.article2)}
    profiles = dict(zip(distinct, profile(list(distinct.values())), strict=True))
    return pair_features([profiles[c.article1.full_text] for c in copies],
                         [profiles[c.article2.full_text] for c in copies], encoders)  # fmt: skip


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
    from storylens.similarity.semeval import load_pairs, resolve_data_dir
    from storylens.store import Store
    from storylens.stories.profiles import FastProfiler, ModelJudge

    started = time.perf_counter()
    path = resolve_data_dir(data) / "train.jsonl"
    articles, same, different = semeval_stream(path)
    base = StoryParams.load()
    with Store(db) as store:
        profiler = FastProfiler(store)
        attach_analyses(articles, store, progress)  # SemEval texts are their own model windows
        items = profiler.items(articles, progress=progress)
        model = profiler.model
        known = out_of_fold_overall(load_pairs(path), items, model, profiler.encoder_names,
                                    int(model.meta.get("seed", 0)), profiler.profiles)  # fmt: skip
    table = candidate_table(items, base, ModelJudge(profiler), known)
    best, scores, _ = grid_search(table, same, different, base)
    fitted = replace(
        best,
        meta={
            "trained_on": "SemEval-2022 Task 8 train.jsonl (stream in file order)",
            "pair_model": profiler.model.name,
            "objective": "pairwise F1 on constraints: Overall <= 1.5 same story, >= 3 different",
            "constraint_pairs_judged": "out of fold (5 grouped folds, the pair model's recipe)",
            "train_constraint_scores": scores,
            "articles": len(articles),
        },
    )
    target = out or Path(__file__).resolve().parent / "models"
    target.mkdir(parents=True, exist_ok=True)
    path = fitted.save(target / f"{DEFAULT_PARAMS}.json")
    return {
        "path": str(path),
        "linkage": fitted.linkage,
        "join_at": fitted.join_at,
        "merge_at": fitted.merge_at,
        "train": scores,
        "articles": len(articles),
        "seconds": round(time.perf_counter() - started, 1),
    }
