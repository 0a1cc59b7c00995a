"""SemEval-2022 Task 8 (multilingual news article similarity) data.

The JSON Lines files hold pairs with both scraped texts and the gold means of seven
dimensions on the task's scale, 1 = very similar … 4 = very dissimilar. Texts are repaired
with ftfy (some are UTF-8 read as Latin-1) and split into title and body where the scrape
kept a visible boundary (a newline, or two spaces after a headline).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import ftfy

from storylens.article import Article
from storylens.errors import InputError

DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")
DATA_ENV = "STORYLENS_SEMEVAL_DIR"
_TITLE_MAX = 300


@dataclass(frozen=True)
class SemevalPair:
    pair_id: str
    group_id: str
    lang1: str
    lang2: str
    article1: Article
    article2: Article
    gold: dict[str, float]
    augmented: bool = False

    @property
    def lang_pair(self) -> str:
        return f"{self.lang1}-{self.lang2}"


def semeval_article(text: str, lang: str, source: str) -> Article:
    text = ftfy.fix_text(text).strip()
    title, body = "", text
    for separator in ("\n", "  "):
        cut = text.find(separator)
        if 0 < cut <= _TITLE_MAX:
            title, body = text[:cut].strip(), text[cut:].strip()
            break
    return Article(title=title, body=body or title, lang=lang, lang_confidence=1.0, source=source)


def resolve_data_dir(data: str | Path | None) -> Path:
    """``data`` if given, else $STORYLENS_SEMEVAL_DIR; must hold train.jsonl / test.jsonl."""
    chosen = data or os.environ.get(DATA_ENV)
    if not chosen:
        raise InputError("semeval", f"no data directory: pass --data DIR or set ${DATA_ENV}")
    path = Path(chosen)
    if not path.is_dir():
        raise InputError(str(path), "not a directory")
    return path


def load_pairs(path: str | Path, limit: int | None = None) -> list[SemevalPair]:
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file")
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pairs.append(_pair(row, f"{path.name}:{number}"))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
                raise InputError(f"{path}:{number}", f"not a SemEval pair ({error})") from None
            if limit and len(pairs) >= limit:
                break
    return pairs


def _pair(row: dict, source: str) -> SemevalPair:
    return SemevalPair(
        pair_id=str(row["pair_id"]),
        group_id=str(row.get("group_id") or row["pair_id"]),
        lang1=row["lang1"],
        lang2=row["lang2"],
        article1=semeval_article(row["text1"], row["lang1"], f"{source}#1"),
        article2=semeval_article(row["text2"], row["lang2"], f"{source}#2"),
        gold={dim: float(row[dim]) for dim in DIMENSIONS if row.get(dim) is not None},
        augmented=bool(row.get("augmented", False)),
    )
