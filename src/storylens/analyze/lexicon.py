"""The analyse stage's word lists: the hand-written ones in ``data/*.json`` and the ones
derived from dateparser's language data (month and weekday names, relative-day words).

Every accessor is cached: the JSON is read once per process.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from storylens.analyze.text import fold

LANGS = ("en", "de", "es", "fr", "it", "pl", "tr", "ru", "ar", "zh")
LATIN_LANGS = ("en", "de", "es", "fr", "it", "pl", "tr")


@cache
def data(name: str) -> dict[str, Any]:
    """One of the bundled JSON files (``lexicon`` or ``places``)."""
    return json.loads(resources.files("storylens.analyze").joinpath(f"data/{name}.json").read_text("utf-8"))


class WordSet:
    """Folded words; an entry ``stem*`` matches every word starting with ``stem`` and
    ``*tail`` every word ending with it (inflected and compound forms: russische,
    Außenminister, Dışişleri Bakanlığı)."""

    def __init__(self, words: Iterable[str]) -> None:
        words = [fold(w) for w in words]
        self.exact = frozenset(w for w in words if not w.startswith("*") and not w.endswith("*"))
        self.prefixes = tuple(w[:-1] for w in words if w.endswith("*"))
        self.suffixes = tuple(w[1:] for w in words if w.startswith("*"))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        word = fold(word)
        return (
            word in self.exact or word.startswith(self.prefixes or ("\0",)) or word.endswith(self.suffixes or ("\0",))
        )


def _per_lang(section: dict[str, list[str]], lang: str | None, always: tuple[str, ...] = ("en",)) -> WordSet:
    """The words of ``lang`` plus those of ``always`` (English fragments are everywhere in
    news); all languages when ``lang`` is unknown."""
    langs = list(section) if lang is None or lang not in section else [lang, *always]
    return WordSet(w for code in langs for w in section.get(code, []))


@cache
def stopwords(lang: str | None) -> WordSet:
    return _per_lang(data("lexicon")["stopwords"], lang)


@cache
def person_titles(lang: str | None) -> WordSet:
    return _per_lang(data("lexicon")["person_titles"], lang)


@cache
def org_cues(lang: str | None) -> WordSet:
    return _per_lang(data("lexicon")["org_cues"], lang)


@cache
def speech_verbs(lang: str | None) -> WordSet:
    return _per_lang(data("lexicon")["speech_verbs"], lang)


@cache
def pronouns(lang: str | None) -> WordSet:
    return _per_lang(data("lexicon")["pronouns"], lang)


@cache
def word_set(key: str) -> WordSet:
    """A language-independent list of lexicon.json: determiners, name_particles, …"""
    return WordSet(data("lexicon")[key])


@cache
def arabic(key: str) -> WordSet:
    return WordSet(data("lexicon")["arabic"][key])


def _dateparser_info(lang: str) -> dict[str, Any]:
    return importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info


def _full_forms(forms: list[str]) -> list[str]:
    """Drop abbreviations: forms that are a prefix of a longer form (mar/march, mit/mittwoch).
    Each kept form comes lower-cased as written and folded (miércoles, miercoles): the
    first for regular expressions over the text, the second for lookups."""
    lowered = list(dict.fromkeys(f.lower() for f in forms))
    kept = [f for f in lowered if not any(fold(o) != fold(f) and fold(o).startswith(fold(f)) for o in lowered)]
    return list(dict.fromkeys([*kept, *map(fold, kept)]))


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@cache
def month_names(lang: str | None) -> dict[str, int]:
    """Folded month name → month number, for ``lang`` and English."""
    names: dict[str, int] = {}
    for code in dict.fromkeys([lang or "en", "en"]):
        if code not in LANGS:
            continue
        info = _dateparser_info(code)
        for number, month in enumerate(MONTHS, start=1):
            names.update(dict.fromkeys(_full_forms(info[month]), number))
        for number, name in enumerate(data("lexicon")["dates"]["extra_months"].get(code, []), start=1):
            names.update(dict.fromkeys(_full_forms([name]), number))
    if lang == "ar":
        for number, name in enumerate(data("lexicon")["dates"]["extra_months"]["ar_alt"], start=1):
            names.update(dict.fromkeys(_full_forms([name]), number))
    return names


@cache
def month_abbreviations(lang: str | None) -> dict[str, int]:
    """Abbreviated month names of three letters or more (dec, sept, märz → mär), which
    count as months only next to a day number (Dec. 1)."""
    names: dict[str, int] = {}
    for code in dict.fromkeys([lang or "en", "en"]):
        if code not in LANGS:
            continue
        info = _dateparser_info(code)
        for number, month in enumerate(MONTHS, start=1):
            full = set(_full_forms(info[month]))
            for form in info[month]:
                if len(form) >= 3 and form.lower() not in full:
                    names.update(dict.fromkeys([form.lower(), fold(form)], number))
    return names


@cache
def weekday_names(lang: str | None) -> dict[str, int]:
    """Folded weekday name → weekday (Monday = 0), for ``lang`` and English; short forms
    only for Chinese (周三), where every form is short."""
    names: dict[str, int] = {}
    for code in dict.fromkeys([lang or "en", "en"]):
        if code not in LANGS:
            continue
        info = _dateparser_info(code)
        for number, day in enumerate(WEEKDAYS):
            forms = _full_forms(info[day])
            names.update({f: number for f in forms if len(f) >= 4 or code == "zh"})
    return names


@cache
def relative_days(lang: str | None) -> dict[str, tuple[str, int]]:
    """Folded relative expression → (unit, offset): yesterday → ("day", -1), last week →
    ("week", -1), tomorrow → ("day", 1). From dateparser's ``relative-type`` data."""
    found: dict[str, tuple[str, int]] = {}
    for code in dict.fromkeys([lang or "en", "en"]):
        if code not in LANGS:
            continue
        for key, forms in _dateparser_info(code).get("relative-type", {}).items():
            parsed = _parse_relative_key(key)
            if parsed is None:
                continue
            for form in forms:
                abbreviated = form.startswith(("в пр ", "на пр ", "в сл ", "в след ", "на след "))
                if len(form) >= (2 if code == "zh" else 3) and not abbreviated:
                    found.update(dict.fromkeys(_full_forms([form]), parsed))
    return found


def _parse_relative_key(key: str) -> tuple[str, int] | None:
    """'1 day ago' → ("day", -1); 'in 2 week' → ("week", 2); hours and minutes → None."""
    parts = key.split()
    if parts[0] == "in" and len(parts) == 3 and parts[1].isdigit():
        amount, unit = int(parts[1]), parts[2]
    elif len(parts) == 3 and parts[2] == "ago" and parts[0].isdigit():
        amount, unit = -int(parts[0]), parts[1]
    else:
        return None
    return (unit, amount) if unit in ("day", "week", "month", "year") and abs(amount) <= 3 else None
