"""Entities in Russian text: natasha's NER (slovnet model with navec embeddings, both
shipped inside the natasha package: nothing is downloaded) for PER/LOC/ORG, names put in
the nominative with pymorphy2, places and institutions mapped through the gazetteer,
plus demonyms (российского → Russia) and later case forms of known surnames (Путину).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from storylens.analyze import gazetteer
from storylens.analyze.mentions import Mention

CYRILLIC_WORD_RE = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
LATIN_ACRONYM_RE = re.compile(r"\b[A-Z]{2,6}\b")
KINDS = {"PER": "person", "LOC": "place", "ORG": "org"}


@cache
def _natasha() -> tuple[Any, Any]:
    """Segmenter and NER tagger; loading takes ~1 s, once per process."""
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


@cache
def _morph() -> Any:
    """pymorphy2 (natasha's own dependency) with its OpenCorpora tags, which ``inflect``
    takes; natasha's MorphVocab wrapper speaks Universal Dependencies tags instead."""
    import natasha  # noqa: F401  # its yargy patches pymorphy2 for Python 3.11 (inspect.getargspec is gone)
    import pymorphy2

    return pymorphy2.MorphAnalyzer()


def nominative(phrase: str) -> str:
    """A Russian name phrase in the nominative, keeping gender and capitals (natasha's own
    normaliser needs its morphology tagger, which doubles the time).

    >>> nominative("Владимира Путина"), nominative("Саудовской Аравии")
    ('Владимир Путин', 'Саудовская Аравия')
    """
    words = []
    for word in phrase.split():
        parses = _morph().parse(word)
        best = next((p for p in parses if {"Name", "Surn", "Geox", "Orgn"} & set(p.tag.grammemes)), parses[0])
        inflected = best.inflect({"nomn"}) if "nomn" not in best.tag else None
        lemma = inflected.word if inflected is not None else word.lower()
        # pymorphy guesses unknown foreign names; trust a guess that only changes the
        # ending (Байдена → Байден), not one that grows the word (Сингхом → Сингхомы).
        stem = len(word) - 2
        if len(lemma) > len(word) or lemma[:stem] != word.lower()[:stem]:
            lemma = word.lower()
        words.append(_recase(lemma, word))
    return " ".join(words)


def _recase(lemma: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return lemma.upper()
    return lemma[:1].upper() + lemma[1:] if original[:1].isupper() else lemma


def russian_mentions(text: str) -> list[Mention]:
    from natasha import Doc

    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    gaz = gazetteer.get()
    mentions: list[Mention] = []
    covered: set[int] = set()
    for span in doc.spans:
        kind = KINDS.get(span.type)
        if kind is None:
            continue
        name = span.text if span.text.isupper() else nominative(span.text)
        place = gaz.lookup(span.text) or gaz.lookup(name)
        if place is not None and kind != "person":
            mentions.append(Mention(span.start, span.stop, name, place.kind, place.canonical))
        else:
            mentions.append(Mention(span.start, span.stop, name, kind))
        covered.update(range(span.start, span.stop))
    mentions.extend(_other_words(text, covered))
    return mentions


def _other_words(text: str, covered: set[int]) -> list[Mention]:
    """Words outside natasha's spans: demonyms, capitalised words (kept as possible case
    forms of a known surname) and Latin acronyms."""
    gaz = gazetteer.get()
    found = []
    for match in CYRILLIC_WORD_RE.finditer(text):
        if match.start() in covered:
            continue
        word = match.group()
        country = gaz.demonym(word)
        if country is not None:
            found.append(Mention(match.start(), match.end(), word, "place", country))
        elif word[:1].isupper() and len(word) > 2:
            found.append(Mention(match.start(), match.end(), word, None, misc_ok=False))
    for match in LATIN_ACRONYM_RE.finditer(text):
        if match.start() not in covered:
            place = gaz.lookup(match.group())
            kind, canonical = (place.kind, place.canonical) if place else ("org", None)
            found.append(Mention(match.start(), match.end(), match.group(), kind, canonical))
    return found
