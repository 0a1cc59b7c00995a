"""Entities in Arabic text by rules. Arabic has no capitals, so names are found by what
surrounds them: place names through the gazetteer (after stripping the clitics و ف ب ل ك
and the article ال), the words after a person title (الرئيس الروسي فلاديمير بوتين: the
title, then adjectives, demonyms and places to skip, then up to two name words, three
with بن), organisation cues with the words after them (وزارة الخارجية الروسية), and
surnames already known from a title anywhere else in the text (لبوتين, وبوتين).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from storylens.analyze import gazetteer
from storylens.analyze.lexicon import arabic, speech_verbs
from storylens.analyze.mentions import Mention
from storylens.analyze.text import fold

AR_TOKEN_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F]+|[A-Za-z][A-Za-z&]*(?:\.[A-Za-z]\.?)*")
BREAK_RE = re.compile(r"[.،,؛;:!؟?\n\"«»“”()\[\]\-–—]")
MAX_SKIPS = 4
ADJECTIVE_LIKE_MIN_RANK = 500_000


@dataclass(slots=True)
class ArToken:
    text: str
    start: int
    end: int
    variants: tuple[str, ...]  # folded, with clitics stripped in turn
    broken: bool  # punctuation between this token and the previous one


@cache
def _variants(word: str) -> tuple[str, ...]:
    """وبالرياض → (وبالرياض, بالرياض, الرياض, رياض): every clitic reading, longest first."""
    folded = fold(word)
    out = [folded]
    for conjunction in ("و", "ف"):
        if folded.startswith(conjunction) and len(folded) > 3:
            out.append(folded[1:])
    for base in list(out):
        if base.startswith("لل") and len(base) > 4:
            out.append("ال" + base[2:])
        for preposition in ("ب", "ل", "ك"):
            if base.startswith(preposition) and len(base) > 3:
                out.append(base[1:])
    for base in list(out):
        if base.startswith("ال") and len(base) > 4:
            out.append(base[2:])
    return tuple(dict.fromkeys(out))


class ArabicExtractor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.gaz = gazetteer.get()
        self.titles = arabic("person_titles")
        self.skips = arabic("title_skips")
        self.org_cues = arabic("org_cues")
        self.function = arabic("function_words")
        self.verbs = speech_verbs("ar")
        self.tokens = self._tokens()
        self.taken: set[int] = set()
        self.person_ranges: list[tuple[int, int]] = []
        self.mentions: list[Mention] = []

    def _tokens(self) -> list[ArToken]:
        out, previous_end = [], 0
        for match in AR_TOKEN_RE.finditer(self.text):
            broken = bool(BREAK_RE.search(self.text[previous_end : match.start()]))
            out.append(ArToken(match.group(), match.start(), match.end(), _variants(match.group()), broken))
            previous_end = match.end()
        return out

    def _is(self, index: int, words) -> bool:
        return any(v in words for v in self.tokens[index].variants)

    def _is_function(self, index: int) -> bool:
        return self.tokens[index].variants[0] in self.function.exact or self._is(index, self.verbs)

    def run(self) -> list[Mention]:
        for index in range(len(self.tokens)):
            if index not in self.taken and not self._is_function(index):
                self._place(index) or self._organisation(index) or self._titled_person(index)
        self._after_speech_verbs()
        self._known_surnames()
        self._latin_acronyms()
        return self.mentions

    # ------------------------------------------------------------------ places

    def _place(self, index: int) -> bool:
        """The longest gazetteer name starting here (clitics stripped on its first word),
        or a demonym (الروسية → Russia). A word listed as no place is none under any
        clitic reading either: كورونا is the virus, not ك + Verona."""
        if self.tokens[index].variants[0] in gazetteer.not_place_keys():
            return False
        for size in range(min(self.gaz.max_words, len(self.tokens) - index), 0, -1):
            if any(self.tokens[k].broken for k in range(index + 1, index + size)):
                continue
            rest = " ".join(self.tokens[k].variants[0] for k in range(index + 1, index + size))
            for variant in self.tokens[index].variants:
                place = self.gaz.lookup(f"{variant} {rest}".strip())
                if place is not None and len(variant) >= 3 and (size > 1 or _plausible_place(variant, place)):
                    self._add(index, index + size, place.kind, place.canonical)
                    return True
        for variant in self.tokens[index].variants:
            country = self.gaz.demonym(variant)
            if country is not None:
                self._add(index, index + 1, "place", country)
                return True
        return False

    # ------------------------------------------------------------------ organisations

    def _organisation(self, index: int) -> bool:
        """وزارة/وكالة/شبكة … and up to two words after it (a known institution among
        them, such as تاس, is taken alone)."""
        if not self._is(index, self.org_cues):
            return False
        end = index + 1
        while end < len(self.tokens) and end - index <= 2 and not self.tokens[end].broken:
            if self._is_function(end) or self._is(end, self.titles) or self._is(end, self.org_cues):
                break
            place = self.gaz.lookup(self.tokens[end].variants[0])
            if place is not None and place.kind == "org":
                self._add(end, end + 1, "org", place.canonical)
                self.taken.add(index)
                return True
            end += 1
        if end == index + 1:
            return False
        self._add(index, end, "org")
        return True

    # ------------------------------------------------------------------ persons

    def _titled_person(self, index: int) -> bool:
        if not self._is(index, self.titles):
            return False
        position, skipped = index + 1, 0
        while position < len(self.tokens) and skipped < MAX_SKIPS and not self.tokens[position].broken:
            if self._skippable(position):
                self._place(position)  # الروسي, واشنطن: record them on the way
                position, skipped = position + 1, skipped + 1
                continue
            break
        end = self._name_end(position)
        if end > position:
            self._add(position, end, "person")
            return True
        return False

    def _skippable(self, index: int) -> bool:
        token = self.tokens[index]
        return (
            self._is(index, self.skips)
            or self._is(index, self.titles)
            or token.variants[0].startswith("ال")
            or any(self.gaz.demonym(v) or self._major_place(v) for v in token.variants)
        )

    def _major_place(self, word: str) -> bool:
        """Countries, regions and cities of a million: a smaller town's name is more likely
        a person's (فلاديمير is Vladimir the city too)."""
        place = self.gaz.lookup(word)
        return place is not None and place.rank >= gazetteer.BIG_CITY_RANK

    def _name_end(self, start: int) -> int:
        """Up to two name words (three across بن/عبد), stopping at punctuation, function
        words, speech verbs, definite nouns (ال…) and known places."""
        end, words = start, 0
        while end < len(self.tokens) and words < 2:
            if (end > start and self.tokens[end].broken) or not self._name_word(end):
                break
            if self.tokens[end].variants[0] in arabic("name_links") and end + 1 < len(self.tokens):
                end += 1  # بن سلمان: the link and the next word are one name word
            end, words = end + 1, words + 1
        return end

    def _name_word(self, index: int) -> bool:
        token = self.tokens[index]
        first = token.variants[0]
        if len(first) < 2 or not re.match(r"[\u0600-\u06FF]", first):
            return False
        if any(v.startswith("ال") for v in token.variants) or self._is_function(index) or self._is(index, self.titles):
            return False  # definite nouns (الصحفيين, للصحفيين) are not names
        return not self._major_place(first)

    def _after_speech_verbs(self) -> None:
        """قال بيسكوف: a word after a speech verb is a person when it recurs in the text
        (one-off words there are mostly nouns: قال مسؤول, an official said)."""
        counts = Counter(t.variants[-1] for t in self.tokens)
        for index in range(len(self.tokens) - 1):
            following = index + 1
            if following in self.taken or not self._is(index, self.verbs) or self.tokens[following].broken:
                continue
            if self._name_word(following) and counts[self.tokens[following].variants[-1]] >= 2:
                self._add(following, self._name_end(following), "person")

    def _known_surnames(self) -> None:
        """Every other occurrence of a titled person's last name (with its clitics: لبوتين)."""
        surnames = {self.tokens[end - 1].variants[0]: self.tokens[end - 1].text for _, end in self.person_ranges}
        for index, token in enumerate(self.tokens):
            if index in self.taken:
                continue
            found = next((surnames[v] for v in token.variants if v in surnames), None)
            if found is not None:
                self._add(index, index + 1, "person", name=found)

    def _latin_acronyms(self) -> None:
        for index, token in enumerate(self.tokens):
            if index in self.taken or not token.text[:1].isascii():
                continue
            place = self.gaz.lookup(token.text)
            if place is not None:
                self._add(index, index + 1, place.kind, place.canonical)
            elif token.text.replace(".", "").isupper() and len(token.text) >= 2:
                self._add(index, index + 1, "org")

    # ------------------------------------------------------------------ output

    def _add(self, start: int, end: int, kind, canonical: str | None = None, name: str | None = None) -> None:
        first, last = self.tokens[start], self.tokens[end - 1]
        if name is None:
            name = " ".join(t.text for t in self.tokens[start:end])
        if kind == "person":
            self.person_ranges.append((start, end))
        self.taken.update(range(start, end))
        self.mentions.append(Mention(first.start, last.end, name, kind, canonical))


def _plausible_place(word: str, place: gazetteer.Place) -> bool:
    """A one-word town name that reads like a definite noun or adjective (العالية, the
    high one) must be a big city to count."""
    if place.rank >= gazetteer.COUNTRY_RANK or not (word.startswith("ال") or word.endswith("يه")):
        return True
    return place.rank >= ADJECTIVE_LIKE_MIN_RANK


def arabic_mentions(text: str) -> list[Mention]:
    return ArabicExtractor(text).run()
