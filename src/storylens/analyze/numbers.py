"""Numbers with their units: 1,000 (en) = 1.000 (de) = 1 000 (fr, ru) = 1000; 12,5 % =
12.5; $2 billion = 2e9; 3 млн = 3e6. Dates, times and years are not numbers here (the
caller passes the date spans to skip); neither are codes (80-680, 090/105).
"""

from __future__ import annotations

import re
from functools import cache

from storylens.analyze.lexicon import data
from storylens.analyze.text import ascii_digits
from storylens.article import NumberMention

COMMA_DECIMAL = frozenset({"de", "es", "fr", "it", "pl", "ru", "tr"})
SPACE_GROUPING = frozenset({"fr", "ru", "pl", "de", "es", "it", "tr", None})
NUMBER_RE = re.compile(
    r"(?:(?<=[\u3000-\u9fff\uff00-\uffef])|(?<![\w.,/\-]))"  # after a Chinese character, or not inside a word
    r"(?:\d{1,3}(?P<sep>[,.\u00a0\u202f ])\d{3}(?:(?P=sep)\d{3})*(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![\d]|[/\-]\d|[.,]\d)"
)
# A bound on per-article output: the first MAX_NUMBERS numbers (a news article has tens).
MAX_NUMBERS = 2000
REST_RE = re.compile(r"\s(\d{1,3})(?![\d.,])")
TIME_RE = re.compile(r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|uhr|h\b)|\d{1,2}:\d{2}", re.IGNORECASE)


@cache
def _unit_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, float]]:
    numbers = data("lexicon")["numbers"]
    scales: dict[str, float] = numbers["scales"]
    after = [*numbers["percent"], *numbers["currency_after"], *numbers["units"]]
    return (
        re.compile(rf"\s?(?P<scale>{_alternation(scales)})\.?", re.IGNORECASE),
        re.compile(rf"\s?(?P<unit>{_alternation(after)})", re.IGNORECASE),
        re.compile(
            rf"(?P<before>{_alternation(numbers['currency_before'] + ['%', 'yüzde', '百分之'])})\s?$", re.IGNORECASE
        ),
        {k.rstrip("*").lower(): v for k, v in scales.items()},
    )


def _alternation(words) -> str:
    """Words as a regex alternation, longest first; 'stem*' matches inflected forms;
    alphabetic entries end at a word boundary, except Chinese ones (3万人 is 30,000 people)."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        stem = word.rstrip("*")
        pattern = re.escape(stem).replace(r"\ ", r"\s") + (r"\w*" if word.endswith("*") else "")
        if stem[-1:].isalnum() and not "\u3000" <= stem[-1] <= "\u9fff":
            pattern += r"(?!\w)"
        parts.append(pattern)
    return "|".join(parts)


def parse_number(raw: str, lang: str | None) -> float | None:
    """The value of a numeral written the way ``lang`` writes numbers.

    >>> [parse_number(*case) for case in [("1,000", "en"), ("1.000", "de"), ("12,5", "de"), ("1 000", "fr")]]
    [1000.0, 1000.0, 12.5, 1000.0]
    """
    raw = re.sub(r"[\s\u00a0\u202f]", "", raw)  # 1 000 000: spaces only ever group thousands
    separators = [c for c in raw if c in ",."]
    if not separators:
        return float(raw)
    decimal = "," if lang in COMMA_DECIMAL else "."
    if len(set(separators)) == 2:  # 1,000.5 or 1.000,5: the last separator is the decimal one
        decimal = separators[-1]
    elif len(separators) > 1:
        return float(raw.replace(separators[0], ""))  # 1,000,000
    elif separators[0] != decimal and len(raw.partition(separators[0])[2]) == 3:
        return float(raw.replace(separators[0], ""))  # 1.000 in German, 1,000 in English
    else:
        decimal = separators[0]  # 12,5 in English text is still twelve and a half
    integer, _, fraction = raw.rpartition(decimal)
    return _float(integer.replace(",", "").replace(".", ""), fraction)


def _float(integer: str, fraction: str) -> float | None:
    try:
        return float(f"{integer or 0}.{fraction or 0}")
    except ValueError:
        return None


def find_numbers(text: str, lang: str | None, skip: list[tuple[int, int]]) -> list[NumberMention]:
    """Numbers outside the ``skip`` spans (the dates), with unit, scale and currency.

    >>> [(n.text, n.value) for n in find_numbers("Inflation hit 12,5 % and 3 Mrd. Euro.", "de", [])]
    [('12,5 %', 12.5), ('3 Mrd. Euro', 3000000000.0)]
    """
    text = ascii_digits(text)
    scale_re, unit_re, before_re, scales = _unit_patterns()
    skipped = bytearray(len(text))  # dates and times: an overlap test per number in O(number)
    for s, e in skip + [m.span() for m in TIME_RE.finditer(text)]:
        skipped[s:e] = b"\x01" * (e - s)
    found: list[NumberMention] = []
    consumed = 0  # end of the last number with its unit: "3 bin 434" is one number
    for match in NUMBER_RE.finditer(text):
        start, end = match.span()
        if start < consumed or skipped.find(1, start, end) >= 0:
            continue
        raw = match.group()
        if match.group("sep") == " " and lang not in SPACE_GROUPING:
            raw, end = raw.split(" ")[0], start + len(raw.split(" ")[0])
        value = parse_number(raw, lang)
        if value is None:
            continue
        scale = scale_re.match(text, end)
        if scale:
            factor = scales.get(scale.group("scale").lower(), _prefix_scale(scale.group("scale"), scales))
            value *= factor
            end = scale.end()
            rest = REST_RE.match(text, end)
            if rest and parse_number(rest.group(1), lang) < factor:
                value += parse_number(rest.group(1), lang)  # Turkish 3 bin 434 = 3434
                end = rest.end()
        unit = unit_re.match(text, end)
        if unit:
            end = unit.end()
        before = before_re.search(text[max(0, start - 8) : start])
        if before:
            start -= len(before.group())
        consumed = end
        found.append(NumberMention(text[start:end].strip(), value))
        if len(found) == MAX_NUMBERS:
            break
    return found


def _prefix_scale(word: str, scales: dict[str, float]) -> float:
    word = word.lower().rstrip(".")
    return next((v for k, v in sorted(scales.items(), key=lambda kv: -len(kv[0])) if word.startswith(k)), 1.0)
