"""The parts of an article that get embedded.

Whole-article vectors blur a story; SemEval systems that did well compared the head, the
tail and aligned passages too. Every view is plain text, so the vector cache (keyed by the
text's hash) never embeds the same words twice, e.g. when ``head`` is the whole article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storylens.article import Article

# Sentence ends in Latin, Cyrillic, Arabic (؟ ۔) and CJK scripts; CJK needs no space after.
_SENTENCE_END = re.compile(r"(?<=[.!?؟۔])\s+|(?<=[。！？])|\n+")

LEAD_CHARS = 320
HEAD_CHARS = 1600
TAIL_CHARS = 1600
PASSAGE_CHARS = 480
MAX_PASSAGES = 12  # bounds the cost of very long articles; later passages rarely carry the story
# Sentences, for sentence-level alignment by the encoders trained on sentences (USE). A
# fragment shorter than SENTENCE_MIN_CHARS ("Reuters.", "Foto:") aligns with anything.
MAX_SENTENCES = 24
SENTENCE_MIN_CHARS = 15
SENTENCE_MAX_CHARS = 400


def split_sentences(text: str) -> list[str]:
    """Sentences (or lines) of ``text``, stripped, empty ones dropped.

    >>> split_sentences("Putin spoke. Biden listened!\\nNew line")
    ['Putin spoke.', 'Biden listened!', 'New line']
    """
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def pack_passages(sentences: list[str], max_chars: int = PASSAGE_CHARS) -> list[str]:
    """Greedily join consecutive sentences into passages of at most ``max_chars``
    (a longer sentence becomes a passage of its own, cut at ``2 * max_chars``)."""
    passages: list[str] = []
    current = ""
    for sentence in sentences:
        sentence = sentence[: 2 * max_chars]
        if current and len(current) + 1 + len(sentence) > max_chars:
            passages.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        passages.append(current)
    return passages


@dataclass(frozen=True)
class ArticleViews:
    title: str
    lead: str
    head: str
    tail: str
    passages: tuple[str, ...]
    sentences: tuple[str, ...] = ()

    def texts(self, with_sentences: bool = False) -> list[str]:
        """All distinct texts of the views (and of the sentences), for batch embedding."""
        sentences = self.sentences if with_sentences else ()
        return list(dict.fromkeys([self.title, self.lead, self.head, self.tail, *self.passages, *sentences]))


def article_views(article: Article) -> ArticleViews:
    body = article.body.strip()
    sentences = split_sentences(body)
    lead = _take_sentences(sentences, LEAD_CHARS) or body[:LEAD_CHARS]
    title = article.title.strip() or lead
    head = article.full_text.strip()[:HEAD_CHARS]
    return ArticleViews(
        title=title,
        lead=lead,
        head=head,
        # A short article's tail is its head: the same string costs no second embedding.
        tail=head if len(article.full_text.strip()) <= HEAD_CHARS else body[-TAIL_CHARS:],
        passages=tuple(pack_passages(sentences)[:MAX_PASSAGES]) or (lead,),
        sentences=_alignable_sentences(article.title.strip(), sentences) or (lead,),
    )


def _alignable_sentences(title: str, sentences: list[str]) -> tuple[str, ...]:
    """The title and the body's first sentences long enough to carry a fact, each clipped."""
    kept = [s[:SENTENCE_MAX_CHARS] for s in ([title] if title else []) + sentences if len(s) >= SENTENCE_MIN_CHARS]
    return tuple(kept[:MAX_SENTENCES])


def _take_sentences(sentences: list[str], max_chars: int) -> str:
    """The first sentences whose total length stays within ``max_chars`` (at least one)."""
    taken: list[str] = []
    for sentence in sentences:
        if taken and sum(map(len, taken)) + len(sentence) > max_chars:
            break
        taken.append(sentence)
    return " ".join(taken)[: 2 * max_chars]
