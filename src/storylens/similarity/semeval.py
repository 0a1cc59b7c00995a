"""SemEval-2022 Task 8 (multilingual news article similarity) data.

The JSON Lines files hold pairs with both scraped texts and the gold means of seven
dimensions on the task's scale, 1 = very similar … 4 = very dissimilar. Texts are repaired
with ftfy (some are UTF-8 read as Latin-1) and split into title and body where the scrape
kept a visible boundary (a newline, or two spaces after a headline).

Some texts are no article at all but the page a scraper was shown instead: an IP block, an
ad-block or cookie wall (61 of the 4,864 texts; 36 of them not even under the article's
headline). ``ingest`` refuses such pages, so in use they never reach a model; here a pair
holding one still needs a score. When a text holds nothing of its article (a wall page with no
headline), the pair gets the **no-article prior** (:func:`no_article_prior`): the mean gold of
train's such pairs, not a judgement of the wall's text. Judging it went wrong where it mattered
most: two different articles blocked by the same IP-block page are one identical text, which
the learned models' duplicate ceiling scores 1 (the same article). A headline over a wall is
evidence and is judged. Train's leave-one-language-pair-out CV (original pairs, each fold's own
prior, ad-hoc runs) chose it: the prior for bare wall pages only 0.7812, for every wall page
0.7805, for none 0.7798.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ftfy
import numpy as np

from storylens.article import Article
from storylens.errors import InputError

DIMENSIONS = ("overall", "geography", "entities", "time", "narrative", "style", "tone")
DATA_ENV = "STORYLENS_SEMEVAL_DIR"
_TITLE_MAX = 300
# Fewer train pairs with a text that holds no article than this: the prior is the mean of all pairs.
MIN_NO_ARTICLE_PAIRS = 10


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


_NO_ARTICLE: dict[str, bool] = {}  # article id (a content hash) -> holds nothing of the article


def holds_no_article(article: Article) -> bool:
    """Whether the text is an access-wall page without even its article's headline, which
    ``ingest`` refuses (cached by content)."""
    from storylens.ingest.text import wall_page

    if article.id not in _NO_ARTICLE:
        title, refusal = wall_page(article.full_text)
        _NO_ARTICLE[article.id] = refusal is not None and not title
    return _NO_ARTICLE[article.id]


def no_article_mask(pairs: Sequence[SemevalPair]) -> np.ndarray:
    """Per pair, whether either text holds nothing of its article (:func:`holds_no_article`)."""
    return np.array([holds_no_article(p.article1) or holds_no_article(p.article2) for p in pairs], dtype=bool)


def no_article_prior(gold: np.ndarray, no_article: np.ndarray) -> np.ndarray:
    """The scores (one per dimension) of a pair with a text that holds no article: the mean
    gold of such training pairs (the annotators rated them from the real articles), or of all
    pairs when fewer than :data:`MIN_NO_ARTICLE_PAIRS` are."""
    rows = gold[no_article] if no_article.sum() >= MIN_NO_ARTICLE_PAIRS else gold
    return rows.mean(axis=0)


def with_no_article_prior(predictions: np.ndarray, no_article: np.ndarray, prior: np.ndarray | None) -> np.ndarray:
    """``predictions`` with the pairs in ``no_article`` scored ``prior`` (unchanged without one)."""
    if prior is None or not no_article.any():
        return predictions
    scored = predictions.copy()
    scored[no_article] = prior
    return scored
