"""Dates: absolute ones by per-language regular expressions (month names come from
dateparser's language data), relative ones (yesterday, on Wednesday, last week, вчера,
أمس, 昨天) resolved against the publication date.

A day without a year ("12 March", "Sept. 3", the dateline of a wire story) is resolved
against the publication date when there is one (the last such day up to 180 days ahead);
else against the year the text names most often; else it is kept as a day of the year
(``DateMention.month_day`` = "--03-12", ISO 8601's year-less form), which still matches
the same day in another article and is shown as "12 March".

dateparser's own ``search_dates`` is avoided: it is slow (tens of milliseconds per
paragraph) and finds dates in ordinary words. The expressions here scan a 1,000-word
article in a few milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from storylens.analyze.lexicon import month_abbreviations, month_names, relative_days, weekday_names
from storylens.analyze.text import ascii_digits, fold
from storylens.article import DateMention

# A bound on per-article work and output: the first MAX_DATES date mentions in text order
# (a news article has tens; a 20 MB text would otherwise carry hundreds of thousands).
MAX_DATES = 2000
FUTURE_SLACK = timedelta(days=180)  # "20 December" in a January article is last December
DAY_SUFFIX = r"(?:\.|st|nd|rd|th|er|º|-?го)?"
AR_CLITIC = r"(?:[وفبل]|ال|وال|بال)?"


@dataclass(slots=True)
class Found:
    start: int
    end: int
    mention: DateMention


@cache
def _patterns(lang: str | None) -> list[tuple[str, re.Pattern[str]]]:
    """(kind, pattern) in priority order: the first pattern to claim characters keeps them."""
    months = _alternation(month_names(lang))
    # Next to a day number an abbreviation is a month too: Dec. 1, 1 Sept.
    day_months = _alternation(
        {**month_names(lang), **{f"{a}.": n for a, n in month_abbreviations(lang).items()}, **month_abbreviations(lang)}
    )
    weekdays = _alternation(weekday_names(lang))
    relatives = _alternation(relative_days(lang))
    left, right = {"ar": (rf"(?<!\w){AR_CLITIC}", r"(?!\w)"), "zh": ("", "")}.get(lang, (r"(?<!\w)", r"(?!\w)"))
    year = r"(?P<y>(?:19|20)\d{2})"
    return [
        ("iso", re.compile(r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")),
        ("numeric", re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<s>[./-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})(?!\d)")),
        ("cjk", re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?")),
        ("day_month", re.compile(
            rf"(?<![\d.])(?P<d>\d{{1,2}}){DAY_SUFFIX}\s+(?:de\s+)?{left}(?P<mn>{day_months})(?!\w)"
            rf"(?:,?\s+(?:de\s+|del\s+)?{year}(?!\d))?", re.IGNORECASE)),
        ("month_day", re.compile(
            rf"{left}(?P<mn>{day_months})(?!\w)\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+{year}(?!\d))?",
            re.IGNORECASE)),
        ("month_year", re.compile(rf"{left}(?P<mn>{months}){right}\s+(?:de\s+|of\s+)?{year}(?!\d)", re.IGNORECASE)),
        ("cjk_year", re.compile(r"(?P<y>(?:19|20)\d{2})\s*年")),
        ("year", re.compile(r"(?<![\d.,:/\-$€£])(?P<y>(?:19|20)\d{2})(?![\d%]|[.,:/\-]\d)")),
        ("relative", re.compile(rf"{left}(?P<rel>{relatives}){right}", re.IGNORECASE)),
        ("weekday", re.compile(rf"{left}(?P<wd>{weekdays}){right}", re.IGNORECASE)),
    ]  # fmt: skip


def _alternation(words) -> str:
    ordered = sorted({re.escape(w) for w in words if w}, key=len, reverse=True)
    return "|".join(ordered).replace(r"\ ", r"\s+") or "(?!)"


def find_dates(text: str, lang: str | None, published: date | None) -> list[Found]:
    """Date mentions with their character spans, in text order.

    >>> [f.mention.value.isoformat() for f in find_dates("Biden spoke on March 17, 2021.", "en", None)]
    ['2021-03-17']
    """
    text = ascii_digits(text)
    reference_year = published.year if published else _common_year(text)
    taken = bytearray(len(text))  # 1 where a date was found: an overlap test per match in O(match)
    found: list[Found] = []
    for kind, pattern in _patterns(lang):
        for match in pattern.finditer(text):
            start, end = match.span()
            if taken.find(1, start, end) >= 0:
                continue
            if kind == "weekday" and not _weekday_ok(match, lang):
                continue
            mention = _mention(kind, match, lang, published, reference_year)
            if mention is not None:
                taken[start:end] = b"\x01" * (end - start)
                found.append(Found(start, end, mention))
    return sorted(found, key=lambda f: f.start)[:MAX_DATES]


def _weekday_ok(match: re.Match[str], lang: str | None) -> bool:
    """English weekdays are capitalised; elsewhere a lower-case weekday is normal."""
    word = match.group("wd")
    return lang not in (None, "en") or word[:1].isupper()


def _common_year(text: str) -> int | None:
    years = Counter(int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text))
    return years.most_common(1)[0][0] if years else None


def _mention(kind: str, match: re.Match[str], lang: str | None, published: date | None, year: int | None):
    text = match.group()
    groups = match.groupdict()
    if kind in ("relative", "weekday"):
        return _relative(text, groups, lang, published)
    if kind in ("year", "cjk_year"):
        return DateMention(text, date(int(groups["y"]), 1, 1), "year")
    if kind == "numeric":
        first, second = int(groups["a"]), int(groups["b"])
        month_first = lang in (None, "en") and groups["s"] == "/" and first <= 12
        month, day = (first, second) if month_first else (second, first)
        return _day(text, int(groups["y"]), month, day)
    month = int(groups["m"]) if groups.get("m") else _month_number(groups["mn"], lang)
    if month is None:
        return None
    explicit_year = int(groups["y"]) if groups.get("y") else None
    if groups.get("d") is None:
        if explicit_year is None:
            return None  # a bare month name (May) says too little
        return _safe(text, explicit_year, month, 1, "month")
    if explicit_year is None and published is not None:
        return _day_without_year(text, month, int(groups["d"]), published)
    return _day(text, explicit_year or year, month, int(groups["d"]))


def _month_number(name: str, lang: str | None) -> int | None:
    key = re.sub(r"\s+", " ", fold(name)).rstrip(".")
    return month_names(lang).get(key) or month_abbreviations(lang).get(key)


def _day(text: str, year: int | None, month: int, day: int) -> DateMention | None:
    if year is None:  # kept as a day of the year: "12 March" still matches "2023-03-12"
        if _safe("", 2000, month, day, "day") is None:  # 2000: a leap year, 29 February exists
            return None
        return DateMention(text, None, "day", month_day=f"--{month:02d}-{day:02d}")
    return _safe(text, year, month, day, "day")


def _safe(text: str, year: int, month: int, day: int, granularity) -> DateMention | None:
    try:
        return DateMention(text, date(year, month, day), granularity)
    except ValueError:
        return None  # 31 February, 13/13/2020: not a date


def _day_without_year(text: str, month: int, day: int, published: date) -> DateMention | None:
    mention = _safe(text, published.year, month, day, "day")
    if mention is not None and mention.value and mention.value - published > FUTURE_SLACK:
        mention = _safe(text, published.year - 1, month, day, "day")
    return mention


def _relative(text: str, groups: dict, lang: str | None, published: date | None) -> DateMention:
    """yesterday → published − 1 day; Wednesday → the last Wednesday up to the publication
    day (news reports the past); last year → 1 January of the year before."""
    if groups.get("wd"):
        weekday = weekday_names(lang)[re.sub(r"\s+", " ", fold(groups["wd"]))]
        if published is None:
            return DateMention(text, None, "relative")
        return DateMention(text, published - timedelta(days=(published.weekday() - weekday) % 7), "relative")
    unit, amount = relative_days(lang)[re.sub(r"\s+", " ", fold(groups["rel"]))]
    if published is None:
        return DateMention(text, None, "relative")
    if unit == "year":
        return DateMention(text, date(published.year + amount, 1, 1), "year")
    if unit == "month":
        months = published.year * 12 + published.month - 1 + amount
        return DateMention(text, date(months // 12, months % 12 + 1, 1), "month")
    days = amount * (7 if unit == "week" else 1)
    return DateMention(text, published + timedelta(days=days), "relative")
