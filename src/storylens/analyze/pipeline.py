"""The analyse stage: entities, dates, quotes and numbers of one article."""

from __future__ import annotations

from storylens.analyze.dates import find_dates
from storylens.analyze.mentions import Mention, merge
from storylens.analyze.numbers import find_numbers
from storylens.analyze.quotes import Speaker, find_quotes
from storylens.analyze.text import language_of, script_of
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
    text = article.full_text
    lang = language_of(text, article.lang)
    entities, mentions = merge(entity_mentions(text, lang))
    found_dates = find_dates(text, lang, article.published)
    numbers = find_numbers(text, lang, [(d.start, d.end) for d in found_dates])
    speakers = sorted(
        (Speaker(m.start, m.end, entities[i].text) for m, i in mentions if entities[i].kind == "person"),
        key=lambda s: s.start,
    )
    quotes = find_quotes(text, lang, speakers)
    article.analysis = Analysis(entities, [d.mention for d in found_dates], quotes, numbers)
    return article.analysis


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
