"""Who reports what: the facts of one story × its articles, quotes aligned across languages,
and each article's distance from the story's core on the seven dimensions.

Facts are merged across languages and scripts by the analyse stage's cross-script keys
(:func:`storylens.similarity.profile.match_key`: Putin = Путин = بوتين), dates by calendar
day, numbers by value. Quotes in different languages share no words, so they are aligned by
their multilingual USE vectors; in one language, by fuzzy string match as well.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from storylens.article import Article
from storylens.similarity import DIMENSIONS
from storylens.similarity.profile import match_key

QUOTE_COSINE = 0.62  # USE cosine above which two quotes count as the same statement
QUOTE_FUZZ = 80
OUTLIER_MARGIN = 0.5  # how far above the story's median score an article must be to be pointed out
MAX_DISTANCE_PEERS = 20  # articles each one is scored against (bounds work on big stories)
_KIND_OF = {"person": "person", "org": "organisation", "place": "place", "misc": "other"}


def outlet_of(article: Article) -> str:
    """The outlet, or when unknown the file the article came from (its stem)."""
    if article.outlet:
        return article.outlet
    if article.source:
        return Path(article.source.split(":")[0]).stem or article.source
    return article.id[:12]


def collect_facts(articles: Sequence[Article]) -> list[dict[str, Any]]:
    """One row per fact: kind, label, the forms each article uses, and who reports it."""
    facts: dict[str, dict[str, Any]] = {}
    for column, article in enumerate(articles):
        analysis = article.analysis
        if analysis is None:
            continue
        for entity in analysis.entities:
            if entity.kind == "misc":
                continue
            key = "e:" + match_key(entity)
            _add(facts, key, _KIND_OF[entity.kind], entity.canonical or entity.text, entity.text, column)
        for mention in analysis.dates:
            if mention.value is not None:
                label = mention.value.isoformat() if mention.granularity != "year" else str(mention.value.year)
                _add(facts, "d:" + label, "date", label, mention.text, column)
        for number in analysis.numbers:
            _add(facts, f"n:{round(number.value, 3):g}", "number", f"{round(number.value, 3):g}", number.text, column)
    for row in facts.values():
        row["label"] = Counter(row.pop("labels")).most_common(1)[0][0]
    return _merge_same_label(list(facts.values()))


def _merge_same_label(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one kind and one label are one fact: two analyses can key one name twice (an
    outlet retyped as an organisation in one article, found as one in another; "ABC News")."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        same = merged.setdefault((row["kind"], row["label"].casefold()), row)
        if same is not row:
            same["articles"] |= row["articles"]
            for column, form in row["forms"].items():
                same["forms"].setdefault(column, form)
    for row in merged.values():
        row["articles"] = sorted(row["articles"])
    return list(merged.values())


def _add(facts: dict, key: str, kind: str, label: str, form: str, column: int) -> None:
    row = facts.setdefault(key, {"key": key, "kind": kind, "labels": [], "forms": {}, "articles": set()})
    row["labels"].append(label)
    row["forms"].setdefault(str(column), form)
    row["articles"].add(column)


def align_quotes(articles: Sequence[Article], encoder=None) -> list[dict[str, Any]]:
    """Groups of quotes that render one statement, across articles and languages."""
    quotes = [(col, q) for col, a in enumerate(articles) if a.analysis for q in a.analysis.quotes]
    if not quotes:
        return []
    vectors = encoder.encode([q.text for _, q in quotes]) if encoder is not None else None
    groups: list[list[int]] = []
    for i in range(len(quotes)):
        for group in groups:
            if any(_same_quote(quotes, vectors, i, j) for j in group):
                group.append(i)
                break
        else:
            groups.append([i])
    aligned = []
    for group in groups:
        members = [quotes[i] for i in group]
        speakers = Counter(q.speaker for _, q in members if q.speaker)
        aligned.append(
            {
                "speaker": speakers.most_common(1)[0][0] if speakers else None,
                "articles": sorted({col for col, _ in members}),
                "texts": [{"article": col, "text": q.text} for col, q in members],
            }
        )
    aligned.sort(key=lambda g: (-len(g["articles"]), g["articles"]))
    return aligned


def _same_quote(quotes, vectors, i: int, j: int) -> bool:
    (col_i, qi), (col_j, qj) = quotes[i], quotes[j]
    if col_i == col_j:
        return False
    if fuzz.ratio(qi.text, qj.text) >= QUOTE_FUZZ:
        return True
    return vectors is not None and float(vectors[i] @ vectors[j]) >= QUOTE_COSINE


def coverage_matrix(articles: Sequence[Article], quotes: list[dict[str, Any]]) -> dict[str, Any]:
    """Facts × articles, with the flags a reader looks for: facts one outlet alone reports,
    and facts every outlet but one reports."""
    outlets = [outlet_of(a) for a in articles]
    all_outlets = sorted(set(outlets))
    rows = collect_facts(articles)
    for number, group in enumerate(quotes):
        texts = [t["text"] for t in group["texts"]]
        rows.append({"key": f"q:{number}", "kind": "quote", "label": min(texts, key=len)[:160],
                     "forms": {str(t["article"]): t["text"] for t in group["texts"]}, "articles": group["articles"]})
    for row in rows:
        reporting = sorted({outlets[c] for c in row["articles"]})
        row["outlets"] = reporting
        row["only"] = reporting[0] if len(reporting) == 1 and len(all_outlets) >= 2 else None
        missing = sorted(set(all_outlets) - set(reporting))
        row["omitted_by"] = missing[0] if len(all_outlets) >= 3 and len(missing) == 1 else None
    rows.sort(key=lambda r: (-len(r["outlets"]), r["kind"], r["label"]))
    return {
        "columns": [{"article": a.id, "outlet": o, "lang": a.lang} for a, o in zip(articles, outlets, strict=True)],
        "outlets": all_outlets,
        "facts": rows,
    }


def distances(scores: np.ndarray, article_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Each article's mean predicted score (1 … 4) against the others, per dimension, beside
    the story's median: evidence of where an article departs from how the others tell it."""
    n = len(article_ids)
    if n < 2:
        return [{"article": i, "dimensions": {}, "departs_on": []} for i in article_ids]
    means = np.nanmean(scores, axis=1)  # (n, 7)
    median = np.median(means, axis=0)
    out = []
    for row, article_id in enumerate(article_ids):
        dims = {
            dim: {"score": round(float(means[row, d]), 2), "story_median": round(float(median[d]), 2),
                  "above_median": round(float(means[row, d] - median[d]), 2)}
            for d, dim in enumerate(DIMENSIONS)
        }
        departs = [dim for dim, v in dims.items() if v["above_median"] >= OUTLIER_MARGIN]
        out.append({"article": article_id, "dimensions": dims, "departs_on": departs})
    return out


def pair_score_tensor(judge, items: Sequence[Any]) -> np.ndarray:
    """(n, peers, 7) predicted scores of each item against up to MAX_DISTANCE_PEERS others
    (the first ones placed, the story's earliest core), NaN where an item meets itself."""
    n = len(items)
    peers = list(range(min(n, MAX_DISTANCE_PEERS)))
    left = [items[i] for i in range(n) for _ in peers]
    right = [items[j] for _ in range(n) for j in peers]
    from storylens.similarity import pair_features

    features = pair_features([x.profile for x in left], [y.profile for y in right], judge.encoder_names)
    scores = judge.model.predict(features).reshape(n, len(peers), len(DIMENSIONS))
    for i in peers:
        scores[i, i] = np.nan
    return scores
