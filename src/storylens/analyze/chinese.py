"""Entities in Chinese text: jieba's part-of-speech tags (nr person, ns place, nt
organisation) corrected by the gazetteer (jieba tags 莫斯科 as a person and 普京 as a
place), runs of transliteration characters joined into one foreign name (佩 + 斯科夫 →
佩斯科夫), and the word after a person title (总统, 大使, 发言人) taken as a person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

from storylens.analyze import gazetteer
from storylens.analyze.lexicon import data
from storylens.analyze.mentions import Mention


@dataclass(slots=True)
class Piece:
    word: str
    flag: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.word)


@cache
def _posseg() -> Any:
    """jieba.posseg, loaded once (its dictionary takes ~0.5 s; jieba caches it in the
    temp directory itself)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


@dataclass(frozen=True)
class Lexicon:
    titles: frozenset[str]
    org_suffixes: tuple[str, ...]
    transliteration: frozenset[str]  # characters that spell foreign names: 普京, 佩斯科夫
    surnames: frozenset[str]  # the commonest Chinese family names: 习近平


@cache
def _lexicon() -> Lexicon:
    chinese = data("lexicon")["chinese"]
    return Lexicon(
        frozenset(chinese["person_titles"]),
        tuple(chinese["org_suffixes"]),
        frozenset(chinese["transliteration_chars"]),
        frozenset(chinese["surnames"]),
    )


def _pieces(text: str) -> list[Piece]:
    pieces, offset = [], 0
    for pair in _posseg().cut(text):
        pieces.append(Piece(pair.word, pair.flag, offset))
        offset += len(pair.word)
    return _join_transliterations(pieces)


def _join_transliterations(pieces: list[Piece]) -> list[Piece]:
    """Adjacent pieces written only in transliteration characters, one of them tagged as
    a name, are one foreign name."""
    chars = _lexicon().transliteration
    out: list[Piece] = []
    for piece in pieces:
        previous = out[-1] if out else None
        both = previous is not None and set(previous.word) <= chars and set(piece.word) <= chars
        if both and previous.end == piece.start and (piece.flag.startswith("nr") or previous.flag.startswith("nr")):
            out[-1] = Piece(previous.word + piece.word, "nr", previous.start)
        else:
            out.append(piece)
    return out


def chinese_mentions(text: str) -> list[Mention]:
    lexicon = _lexicon()
    gaz = gazetteer.get()
    mentions = []
    after_title = False
    for piece in _pieces(text):
        kind, canonical = _classify(piece, after_title, lexicon, gaz)
        if kind is not None:
            mentions.append(Mention(piece.start, piece.end, piece.word, kind, canonical))
        after_title = piece.word in lexicon.titles
    return mentions


def _classify(piece: Piece, after_title: bool, lexicon: Lexicon, gaz) -> tuple[str | None, str | None]:
    """(kind, canonical) of one segment, or (None, None)."""
    word = piece.word
    if piece.flag == "eng" or word.isascii():
        return _latin_piece(word, gaz)
    if len(word) < 2:
        return None, None
    place = gaz.lookup(word)
    if place is not None:
        return place.kind, place.canonical
    if piece.flag == "nt" or (piece.flag.startswith("n") and len(word) >= 3 and word.endswith(lexicon.org_suffixes)):
        return "org", None
    foreign = set(word) <= lexicon.transliteration
    # jieba tags many common words nr (诸如): a Chinese name starts with a family name.
    chinese_name = piece.flag == "nr" and word[0] in lexicon.surnames and len(word) <= 3
    if chinese_name or piece.flag in ("nrt", "nrfg") or (foreign and (piece.flag == "nr" or after_title)):
        return "person", None
    if piece.flag == "ns":
        return "place", None
    return None, None


def _latin_piece(word: str, gaz) -> tuple[str | None, str | None]:
    """Latin words inside Chinese text: known places and acronyms (an e-mail's "lara" is not
    Lara, Venezuela)."""
    if not word[:1].isupper():
        return None, None
    place = gaz.lookup(word)
    if place is not None:
        return place.kind, place.canonical
    return ("org", None) if word.isupper() and 2 <= len(word) <= 6 else (None, None)
