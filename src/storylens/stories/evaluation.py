"""Measuring story clustering: BCubed and pairwise P/R/F1 against gold stories, pairwise
P/R/F1 on must-link / cannot-link constraints (the SemEval-derived set), and loaders for
labelled article streams (JSON Lines with a ``story`` field; Miranda et al. 2018)."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storylens.article import Article
from storylens.errors import InputError

SAME_STORY_AT = 1.5  # SemEval Overall ≤ this: the two articles tell the same story
OTHER_STORY_AT = 3.0  # Overall ≥ this: different stories
_MIRANDA_LANGS = {"eng": "en", "deu": "de", "spa": "es"}


def _prf(tp: float, predicted: float, gold: float) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """BCubed precision/recall/F1 over the items both labelings have."""
    items = [i for i in gold if i in predicted]
    if not items:
        return _prf(0, 0, 0)
    both = Counter((predicted[i], gold[i]) for i in items)
    pred_size = Counter(predicted[i] for i in items)
    gold_size = Counter(gold[i] for i in items)
    precision = sum(both[(predicted[i], gold[i])] / pred_size[predicted[i]] for i in items) / len(items)
    recall = sum(both[(predicted[i], gold[i])] / gold_size[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def pairwise(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise ("standard") P/R/F1 from the contingency table (Miranda et al.'s protocol)."""
    items = [i for i in gold if i in predicted]

    def pairs(counts: Iterable[int]) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    tp = pairs(Counter((predicted[i], gold[i]) for i in items).values())
    predicted_pairs = pairs(Counter(predicted[i] for i in items).values())
    return _prf(tp, predicted_pairs, pairs(Counter(gold[i] for i in items).values()))


def constraint_scores(
    predicted: dict[str, str], same: Sequence[tuple[str, str]], different: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """P/R/F1 of "same story" on labelled pairs: precision over the labelled pairs put together."""
    together_same = sum(predicted[a] == predicted[b] for a, b in same)
    together_diff = sum(predicted[a] == predicted[b] for a, b in different)
    scores = _prf(together_same, together_same + together_diff, len(same))
    return {**scores, "same_pairs": len(same), "different_pairs": len(different),
            "false_joins": together_diff, "missed": len(same) - together_same}


@dataclass
class LabelledArticle:
    article: Article
    story: str


def load_labelled_jsonl(path: Path) -> list[LabelledArticle]:
    """Article JSON Lines (as ``ingest`` reads them) with a gold ``story`` field per line."""
    from storylens.ingest import article_from_record

    if not path.exists():
        raise InputError(str(path), "no such file")
    labelled = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(source, f"not JSON ({error.msg})") from None
        if not isinstance(record, dict) or record.get("story") in (None, ""):
            raise InputError(source, "no gold 'story' field")
        labelled.append(LabelledArticle(article_from_record(record, source=source), str(record["story"])))
    if not labelled:
        raise InputError(str(path), "no articles")
    return labelled


def load_miranda(path: Path) -> list[LabelledArticle]:
    """Miranda et al. 2018 ``dataset.{dev,test}.json``: one JSON array of documents with
    ``id, date, lang (eng/deu/spa), title, text, source, cluster`` (see
    shared/data/news-clustering/SOURCE.md). The gold story is ``cluster``."""
    from datetime import date

    if not path.exists():
        raise InputError(str(path), "no such file (the Miranda et al. data is not distributed with storylens)")
    documents = json.loads(path.read_text(encoding="utf-8"))
    labelled = []
    for doc in documents:
        published = date.fromisoformat(str(doc["date"])[:10]) if doc.get("date") else None
        article = Article(
            title=doc.get("title") or "", body=doc.get("text") or doc.get("title") or "",
            lang=_MIRANDA_LANGS.get(doc.get("lang"), doc.get("lang")), lang_confidence=1.0,
            outlet=doc.get("source"), published=published, source=f"{path.name}#{doc.get('id')}",
        )
        labelled.append(LabelledArticle(article, str(doc["cluster"])))
    return labelled


def stream_order(labelled: Sequence[LabelledArticle]) -> list[LabelledArticle]:
    """Date order when every article is dated (stable: ties keep file order), else file order."""
    if labelled and all(item.article.published for item in labelled):
        return sorted(labelled, key=lambda item: item.article.published)
    return list(labelled)


def evaluate_stories(labelled: Sequence[LabelledArticle], params=None, progress: bool = False) -> dict[str, Any]:
    """Cluster ``labelled`` as one stream on a fresh temporary store and score it."""
    from storylens.store import Store
    from storylens.stories.api import ingest_articles, state

    ordered = stream_order(labelled)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.db") as store:
        state(store, params)
        rows = ingest_articles(store, [item.article for item in ordered], progress=progress)
    predicted = {row["id"]: row["story_id"] for row in rows}
    gold = {item.article.id: item.story for item in ordered}
    return {
        "articles": len(gold),
        "order": "date" if ordered is not labelled and all(i.article.published for i in ordered) else "file",
        "bcubed": bcubed(predicted, gold),
        "pairwise": pairwise(predicted, gold),
        "stories": {"found": len(set(predicted.values())), "gold": len(set(gold.values()))},
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{report['articles']} articles clustered as one stream ({report['order']} order)"]
    for name in ("bcubed", "pairwise"):
        s = report[name]
        lines.append(f"  {name:<9} precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}")
    lines.append(f"  stories   found {report['stories']['found']}  gold {report['stories']['gold']}")
    return "\n".join(lines)
