"""The analyse stage: entities, dates, quotes and numbers of one article.

Linear in the text, and bounded: an article longer than ``MAX_ANALYSED_CHARS`` (a long
read is 100,000 characters; the limit is ten times that) loses its repeated paragraphs,
then is cut at a word boundary before the limit; ``Analysis.notes`` says so.
"""

from __future__ import annotations

import re
from functools import cache

from storylens.analyze.dates import find_dates
from storylens.analyze.lexicon import LANGS, word_set
from storylens.analyze.mentions import Mention, merge
from storylens.analyze.numbers import find_numbers
from storylens.analyze.quotes import Speaker, find_quotes
from storylens.analyze.text import fold, language_of, script_of
from storylens.article import Analysis, Article


def analyze(article: Article) -> Analysis:
    """Analyse ``article`` (its ``lang``, else a guess from the script; relative dates
    against its ``published`` date), store the result in ``article.analysis`` and return it.

    >>> from datetime import date
    >>> article = Article("Putin recalls envoy", "Russian President Vladimir Putin said on Wednesday "
    ...                   "that ambassador Anatoly Antonov will fly to Moscow. Putin's envoy agreed.",
    ...                   lang="en", published=date(2021, 3, 20))
    >>> analysis = analyze(article)
    >>> [(e.canonical, e.kind, e.count) for e in analysis.of_kind("person")]
    [('Vladimir Putin', 'person', 3), ('Anatoly Antonov', 'person', 1)]
    >>> [(d.text, d.value.isoformat()) for d in analysis.dates]
    [('Wednesday', '2021-03-17')]
    """
    text, notes = bounded_text(article.full_text)
    lang = language_of(text, article.lang)
    coverage, coverage_notes = language_coverage(text, lang)
    entities, mentions = merge(outlets_as_orgs(entity_mentions(text, lang), article.outlet))
    found_dates = find_dates(text, lang, article.published)
    numbers = find_numbers(text, lang, [(d.start, d.end) for d in found_dates])
    speakers = sorted(
        (Speaker(m.start, m.end, entities[i].text) for m, i in mentions if entities[i].kind == "person"),
        key=lambda s: s.start,
    )
    quotes = find_quotes(text, lang, speakers)
    article.analysis = Analysis(
        entities, [d.mention for d in found_dates], quotes, numbers, coverage=coverage, notes=coverage_notes + notes
    )
    return article.analysis


def outlets_as_orgs(mentions: list[Mention], outlet: str | None) -> list[Mention]:
    """News outlets and agencies are organisations, never people: a name the lexicon's
    ``outlets`` list holds (Reuters, Associated Press, Daily Wire, Xinhua …) or that the
    article's own ``outlet`` field names (with or without "The"; as a web site,
    novayavremya.com names Novaya Vremya) is retyped ``org``. Names the extractor already
    types by an organisation word (Geological Survey, Kyiv Independent) need no list."""
    names = word_set("outlets").exact | _outlet_forms(outlet)
    for mention in mentions:
        if mention.kind == "org" or (mention.canonical and not mention.weak_place):
            continue  # a small town's name (Xinhua, Hebei) yields to the outlet
        form = _outlet_form(mention.name)
        if form in names or form.replace(" ", "") in names:
            mention.kind, mention.canonical, mention.misc_ok, mention.weak_place = "org", None, True, False
    return mentions


def _outlet_forms(outlet: str | None) -> frozenset[str]:
    if not outlet or not outlet.strip():
        return frozenset()
    site = re.sub(r"^[a-z]+://|^www\.|[/?#].*$", "", fold(outlet.strip()))
    site = re.sub(r"^www\.", "", site)
    site = re.sub(r"\.[a-z]{2,3}(?:\.[a-z]{2})?$", "", site) if " " not in site else site
    return frozenset({fold(outlet.strip()), _outlet_form(outlet), site})


def _outlet_form(name: str) -> str:
    """Folded, without a leading "the"."""
    return re.sub(r"^the\s+", "", fold(name.strip()))


MAX_ANALYSED_CHARS = 1_000_000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def bounded_text(text: str, limit: int = MAX_ANALYSED_CHARS) -> tuple[str, list[str]]:
    """The text the analyser reads, at most ``limit`` characters, and notes on what was
    left out: first paragraphs repeated word for word (counted once), then whatever is
    past the limit (cut at the last space before it).

    >>> bounded_text("Same.\\n\\nSame.\\n\\nOther words here.", limit=25)
    ('Same.\\n\\nOther words here.', ['1 repeated paragraph was analysed once'])
    """
    if len(text) <= limit:
        return text, []
    notes = []
    paragraphs = _PARAGRAPH_BREAK.split(text)
    unique = list(dict.fromkeys(p for p in paragraphs if p.strip()))
    repeated = len([p for p in paragraphs if p.strip()]) - len(unique)
    if repeated:
        text = "\n\n".join(unique)
        notes.append(f"{repeated:,} repeated {_plural(repeated, 'paragraph')} {_was(repeated)} analysed once")
    if len(text) > limit:
        total = len(text)
        space = text.rfind(" ", limit // 2, limit)
        text = text[: space if space > 0 else limit]
        notes.append(f"only the first {len(text):,} of {total:,} characters were analysed (the bound per article)")
    return text, notes


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _was(count: int) -> str:
    return "was" if count == 1 else "were"


def language_coverage(text: str, lang: str | None) -> tuple[str, list[str]]:
    """How well the analyser covers the text's language: ``("full", [])`` for the ten
    languages it has rules for; ``"partial"`` for Japanese (read with the Chinese rules)
    and for other Latin-script languages (names by their capitals, English month names);
    ``"none"`` for scripts it has no extractor for (Devanagari, Thai, Greek, Hebrew …),
    where only numbers and numeric dates are found.

    >>> language_coverage("नई दिल्ली में प्रधानमंत्री ने कहा", "hi")[0], language_coverage("Putin said", "en")
    ('none', ('full', []))
    """
    script = script_of(text)
    if lang in LANGS and script != "other":
        return "full", []
    name = _language_name(lang)
    if script == "other":
        return "none", [
            f"{name} is not covered by the analyser: people, organisations, places, written-out dates and "
            "quotes were not analysed (only numbers and numeric dates were)"
        ]
    if lang == "ja" or script == "cjk":
        return "partial", [
            f"{name} is not fully covered: it was read with the Chinese rules (names in kanji only; "
            "names in katakana or hangul are missed)"
        ]
    if lang is None:
        return "partial", [
            "the language is unknown: the rules of every covered Latin-script language were applied"
        ]
    return "partial", [
        f"{name} is not covered by the analyser: names were found by their capitals only, dates only "
        "in numeric or English form, quotes without its speech verbs"
    ]


@cache
def _language_name(lang: str | None) -> str:
    """Hindi (hi), by pycountry's ISO 639 table; the code alone when it is not there."""
    if not lang:
        return "the language (unknown)"
    import pycountry

    found = pycountry.languages.get(alpha_2=lang) if len(lang) == 2 else pycountry.languages.get(alpha_3=lang)
    return f"{found.name.removesuffix(' (macrolanguage)')} ({lang})" if found is not None else f"language {lang!r}"


def entity_mentions(text: str, lang: str | None) -> list[Mention]:
    """Mentions by the extractor of the text's language (or script, when unknown)."""
    script = script_of(text)
    if lang == "ru" or (lang is None and script == "cyrillic"):
        from storylens.analyze.russian import russian_mentions

        return russian_mentions(text)
    if lang == "ar" or (lang is None and script == "arabic"):
        from storylens.analyze.arabic import arabic_mentions

        return arabic_mentions(text)
    if lang in ("zh", "ja") or (lang is None and script == "cjk"):
        from storylens.analyze.chinese import chinese_mentions

        return chinese_mentions(text)
    from storylens.analyze.latin import latin_mentions

    return latin_mentions(text, lang)
