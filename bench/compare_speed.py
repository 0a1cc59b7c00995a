"""How fast storylens embeds and compares articles.

For the shipped example articles and for synthetic articles of 200, 800 and 3,000 words
(sentences drawn, seeded, from the examples), measures on a fresh in-memory store:

* articles profiled per second (embedding of all views with every encoder the model uses,
  plus analysis, of the whole article and of the model's window) — the cold cost of a new
  article;
* pairs compared per second with full evidence (what ``Comparer.compare`` does once the
  articles are profiled: the model's scores, through the window and, for an article longer
  than the window, whole, and the evidence);
* pairs scored per second once profiled (features + model on the windows, batched) — the
  cost of comparing a stream of articles against each other.

Prints a table and writes ``bench/results/compare_speed.json``.

    python bench/compare_speed.py [--articles 8] [--out bench/results/compare_speed.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import time
from itertools import combinations
from pathlib import Path

from storylens.article import Article
from storylens.compare import Comparer
from storylens.compare.comparer import collect_evidence
from storylens.embed import split_sentences
from storylens.ingest import read_articles
from storylens.similarity.profile import beyond_window
from storylens.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def example_articles() -> list[Article]:
    paths = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in {".txt", ".json", ".html"})
    return [article for path in paths for article in read_articles(path)]


def synthetic_articles(pool: list[Article], words: int, count: int, seed: int) -> list[Article]:
    """Articles of about ``words`` words, each a seeded shuffle of sentences of the examples
    (mixed languages, like a real multilingual stream)."""
    rng = random.Random(seed)
    sentences = [s for article in pool for s in split_sentences(article.body) if len(s.split()) > 3]
    articles = []
    for index in range(count):
        chosen: list[str] = []
        while sum(len(s.split()) for s in chosen) < words:
            chosen.append(rng.choice(sentences))
        articles.append(Article(title=f"Synthetic article {index}", body=" ".join(chosen), lang=None))
    return articles


def measure(label: str, articles: list[Article]) -> dict:
    for article in articles:
        article.analysis = None  # analysis is part of the cold cost
    with Store(":memory:") as store:
        comparer = Comparer(store=store)
        started = time.perf_counter()
        profiles = comparer.profiles(articles, progress=False)  # whole articles: the evidence
        windows = comparer.window_profiles(articles, progress=False)  # what the model scores
        wholes = comparer.whole_profiles(articles, profiled=profiles)  # and, beyond the window, whole
        profile_seconds = time.perf_counter() - started

        pairs = list(combinations(range(len(profiles)), 2))
        started = time.perf_counter()
        for i, j in pairs:
            long = beyond_window(articles[i]) or beyond_window(articles[j])
            comparer.pair_scores([windows[i], windows[j]], [wholes[i], wholes[j]] if long else None)
            collect_evidence(profiles[i], profiles[j], comparer.encoder_names[0])
        evidence_seconds = time.perf_counter() - started

        # Scoring a stream: all pairs, repeated up to >= 10,000 pairs in one batch.
        repeat = max(1, -(-10_000 // max(len(pairs), 1)))
        left = [windows[i] for i, _ in pairs] * repeat
        right = [windows[j] for _, j in pairs] * repeat
        started = time.perf_counter()
        comparer.score_profiles(left, right)
        batch_seconds = time.perf_counter() - started
    words = sum(len(a.full_text.split()) for a in articles)
    return {
        "set": label,
        "articles": len(articles),
        "mean_words": round(words / len(articles)),
        "articles_per_s": round(len(articles) / profile_seconds, 2),
        "words_per_s": round(words / profile_seconds),
        "pairs_per_s_with_evidence": round(len(pairs) / evidence_seconds, 1),
        "pairs_per_s_scoring": round(len(left) / batch_seconds),
        "model": comparer.model.name,
        "encoders": comparer.encoder_names,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=8, help="synthetic articles per size")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/compare_speed.json")
    args = parser.parse_args()

    pool = example_articles()
    # Warm up once so that model loading is not billed to the first row.
    measure("warm-up", pool[:2])
    rows = [measure("examples", pool)]
    for words in (200, 800, 3000):
        rows.append(measure(f"synthetic {words} words", synthetic_articles(pool, words, args.articles, seed=words)))

    header = f"{'set':<24}{'articles':>9}{'words':>7}{'art/s':>8}{'words/s':>9}{'pairs/s+evid':>14}{'pairs/s':>10}"
    print(header)
    for r in rows:
        print(
            f"{r['set']:<24}{r['articles']:>9}{r['mean_words']:>7}{r['articles_per_s']:>8}{r['words_per_s']:>9}"
            f"{r['pairs_per_s_with_evidence']:>14}{r['pairs_per_s_scoring']:>10}"
        )
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine, "rows": rows}, indent=1) + "\n")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
