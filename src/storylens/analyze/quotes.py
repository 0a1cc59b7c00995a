"""Quotations and, best effort, their speakers.

Quote marks of every language are paired left to right within a paragraph: “…”, „…“,
„…”, «…», »…«, ‚…‘, 「…」, 『…』, ‘…’ (a ’ followed by a letter is an apostrophe,
Biden’s) and straight "…" (each " closes the one before; an unpaired last one is
dropped). The speaker is looked for in the quote's sentence, with the quotes blanked
out: the speech verb nearest the quote, then the person right before it (not one after
a preposition: "responded to Biden by saying"), or right after it when the verb follows
the quote ("…", said Antonov) or in Arabic, where the verb comes first (قال بوتين);
failing that a pronoun or a role noun (he, the diplomat) stands for the last person
named before the quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from storylens.analyze.lexicon import person_titles, pronouns, speech_verbs, word_set
from storylens.analyze.text import fold
from storylens.article import Quote

CLOSERS = {"“": '”"', "„": '“”"', "«": "»", "»": "«", "‚": "‘’", "「": "」", "『": "』", "‘": "’", '"': '"', "”": "”"}
MAX_QUOTE = 1500
PRO_DROP = frozenset({"ar", "es", "it", "pl", "ru", "tr", "zh"})  # "added that …" with the subject left out
VERB_FIRST = frozenset({"ar"})
WORD_RE = re.compile(r"\w+(?:['’-]\w+)*")
SENTENCE_END_RE = re.compile(r"[.!?。！？\n]")
NOT_NEWLINE_RE = re.compile(r"[^\n]")
# A bound on per-article work: a news article quotes tens of times, never thousands; a
# 20 MB text with more quotes keeps its first MAX_QUOTES.
MAX_QUOTES = 500


@dataclass(slots=True)
class Speaker:
    start: int
    end: int
    name: str


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quotation's inside.

    >>> text = 'He said “it is late”, and Biden’s aide: "go home now".'
    >>> [text[s:e] for s, e in find_quote_spans(text)]
    ['it is late', 'go home now']
    """
    spans, i, n = [], 0, len(text)
    while i < n:
        closers = CLOSERS.get(text[i])
        if closers is None or not _opens(text, i):
            i += 1
            continue
        j = i + 1
        limit = min(n, i + MAX_QUOTE)
        while j < limit and text[j] != "\n" and not (text[j] in closers and _closes(text, j)):
            j += 1
        if j < limit and text[j] in closers:
            spans.append((i + 1, j))
            i = j + 1
        else:
            i += 1
    return spans


def _opens(text: str, i: int) -> bool:
    """Straight and single quotes open only before a word; French spaces its « » and “ ”."""
    following = text[i + 1 : i + 2]
    if not following or following == "\n":
        return False
    if text[i] in '"‘‚':
        return not following.isspace() and (text[i] != "‘" or i == 0 or not text[i - 1].isalnum())
    return True


def _closes(text: str, j: int) -> bool:
    if text[j] in '"’‘' and text[j - 1].isspace():
        return False
    return not (text[j] in "’'" and text[j + 1 : j + 2].isalpha())  # Biden’s


def find_quotes(text: str, lang: str | None, speakers: list[Speaker]) -> list[Quote]:
    """Quotes of at least two words (four characters in Chinese) with their speakers,
    chosen among ``speakers`` (the person mentions, in text order). Linear in the text:
    sentence ends and speakers are found by bisection. At most ``MAX_QUOTES`` are kept."""
    spans = find_quote_spans(text)
    masked = _mask(text, spans)
    context = _Context(masked, speakers)
    quotes = []
    for start, end in spans:
        inside = text[start:end].strip().rstrip(",;:").strip()
        if not _long_enough(inside, lang):
            continue
        speaker = _speaker(context, start, end, lang)
        quotes.append(Quote(inside, speaker.name if speaker else None))
        if len(quotes) == MAX_QUOTES:
            break
    return quotes


class _Context:
    """The masked text with its sentence ends and speaker offsets, computed once."""

    def __init__(self, masked: str, speakers: list[Speaker]) -> None:
        self.masked = masked
        self.ends = [m.end() for m in SENTENCE_END_RE.finditer(masked)]
        self.speakers = speakers
        self.starts = [s.start for s in speakers]
        self.stops = [s.end for s in speakers]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence around the quote (start, end): from the last end before ``start`` to
        the first end after ``end``."""
        k = bisect_right(self.ends, start) - 1
        left = self.ends[k] if k >= 0 and self.ends[k] <= start else 0
        j = bisect_left(self.ends, end + 2)  # an end char at position ≥ end + 1
        right = self.ends[j] - 1 if j < len(self.ends) else len(self.masked)
        return left, right

    def within(self, left: int, right: int) -> list[Speaker]:
        return self.speakers[bisect_left(self.starts, left) : bisect_right(self.starts, right)]

    def before(self, position: int, reach: int) -> Speaker | None:
        """The last speaker ending before ``position``, at most ``reach`` characters back."""
        candidates = self.speakers[: bisect_right(self.starts, position)]
        for speaker in reversed(candidates[-50:]):  # spans are short: the last few decide
            if speaker.end <= position:
                return speaker if position - speaker.end <= reach else None
        return None


def _long_enough(inside: str, lang: str | None) -> bool:
    """Two words at least, and not a title or name in quotes ("First Channel")."""
    if lang in ("zh", "ja"):
        return len(inside) >= 4
    words = WORD_RE.findall(inside)
    return len(words) >= 2 and not (len(words) <= 4 and all(w[:1].isupper() for w in words))


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with quotes blanked out (newlines kept), offsets unchanged."""
    parts, previous = [], 0
    for start, end in spans:
        parts.append(text[previous:start])
        parts.append(NOT_NEWLINE_RE.sub("_", text[start:end]))
        previous = end
    parts.append(text[previous:])
    return "".join(parts)


def _speaker(context: _Context, start: int, end: int, lang: str | None) -> Speaker | None:
    masked = context.masked
    left, right = context.sentence(start, end)
    verbs = _verbs(masked, left, right, lang)
    if not verbs:
        return None
    inside = [s for s in context.within(left, right) if s.end <= right and not start <= s.start < end]
    best = min(
        (pair for verb in verbs for pair in _pairs(masked, verb, inside, start, end, lang)),
        default=None,
    )
    if best is not None:
        return best[-1]
    if _anaphor_near(masked, verbs, lang) or lang in PRO_DROP:
        return context.before(start, 1500)
    return None


def _pairs(masked: str, verb: tuple[int, int], people: list[Speaker], start: int, end: int, lang: str | None):
    """(gap, distance to the quote, order, speaker) for every person that can be the
    subject of ``verb``: right before it (Peskov said), or right after it when the verb
    follows the quote or the language puts verbs first (…", said Antonov; قال بوتين)."""
    verb_after_quote = 0 <= verb[0] - end <= 8
    to_quote = min(abs(verb[0] - end), abs(verb[1] - start))
    for person in people:
        if person.end <= verb[0] and not _after_preposition(masked, person.start):
            yield (verb[0] - person.end, to_quote, 0 if lang != "ar" else 1, person.start, person)
        elif person.start >= verb[1] and person.start - verb[1] <= 30 and (verb_after_quote or lang in VERB_FIRST):
            yield (person.start - verb[1], to_quote, 1 if lang != "ar" else 0, person.start, person)


def _verbs(masked: str, left: int, right: int, lang: str | None) -> list[tuple[int, int]]:
    verbs = speech_verbs(lang)
    if lang == "zh":
        return [m.span() for v in verbs.exact for m in re.finditer(re.escape(v), masked[left:right])]
    found = []
    for match in WORD_RE.finditer(masked, left, right):
        if fold(match.group()) in verbs:
            found.append(match.span())
    return found


def _after_preposition(masked: str, position: int) -> bool:
    words = WORD_RE.findall(masked[max(0, position - 20) : position])
    return bool(words) and fold(words[-1]) in word_set("prepositions").exact


def _anaphor_near(masked: str, verbs: list[tuple[int, int]], lang: str | None) -> bool:
    """A pronoun or a role noun (he, the diplomat) next to a speech verb."""
    personal, titles = pronouns(lang), person_titles(lang)
    for start, end in verbs:
        window = [fold(w) for w in WORD_RE.findall(masked[max(0, start - 25) : end + 25])]
        if any(w in personal.exact or w in titles for w in window):
            return True
    return False
