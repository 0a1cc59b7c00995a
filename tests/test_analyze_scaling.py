"""The analyse stage on huge inputs (issue 7, section 4): a 19 MB article and a 5 MB article
on one line, made of the shipped example articles, are analysed (the stage is linear, and
bounded at ``MAX_ANALYSED_CHARS``) and still find the story's people. Speed itself is
measured by ``bench/analyze_scaling.py``, not asserted here."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import ARABIC_DAILY, EXAMPLES, SPUTNIK
from storylens.analyze import analyze
from storylens.analyze.dates import MAX_DATES
from storylens.analyze.mentions import Cluster, PersonIndex
from storylens.analyze.names import name_words, same_name, same_word
from storylens.analyze.numbers import MAX_NUMBERS
from storylens.analyze.pipeline import MAX_ANALYSED_CHARS, bounded_text, entity_mentions
from storylens.analyze.quotes import MAX_QUOTES
from storylens.article import Article

ENGLISH = [SPUTNIK, ARABIC_DAILY, *sorted((EXAMPLES / "multilingual").glob("*-en-*.txt"))]


def _huge_text(size: int, one_line: bool = False) -> str:
    """``size`` characters of the English examples, each copy's paragraphs numbered so no
    two paragraphs repeat (repeats would be dropped before the bound applies)."""
    texts = [path.read_text(encoding="utf-8") for path in ENGLISH]
    parts, length, copy = [], 0, 0
    while length < size:
        paragraphs = texts[copy % len(texts)].split("\n\n")
        part = "\n\n".join(f"{p.strip()} ({copy}.{k})" for k, p in enumerate(paragraphs) if p.strip())
        parts.append(part)
        length += len(part) + 2
        copy += 1
    text = "\n\n".join(parts)
    return (" ".join(text.split()) if one_line else text)[:size]


def _people(article: Article) -> str:
    assert article.analysis is not None
    return " ".join(e.canonical for e in article.analysis.of_kind("person"))


@pytest.mark.parametrize(("size", "one_line"), [(19_000_000, False), (5_000_000, True)], ids=["19MB", "5MB-one-line"])
def test_huge_article_is_analysed_within_the_bound(size: int, one_line: bool) -> None:
    title = "Russia recalls its ambassador"
    article = Article(title, _huge_text(size, one_line), lang="en", published=date(2021, 3, 20))
    analysis = analyze(article)
    people = _people(article)
    for name in ("Antonov", "Biden", "Putin"):
        assert name in people
    assert any(e.canonical == "Moscow" for e in analysis.of_kind("place"))
    assert analysis.quotes and analysis.numbers and analysis.dates
    assert len(analysis.dates) <= MAX_DATES and len(analysis.numbers) <= MAX_NUMBERS
    assert len(analysis.quotes) <= MAX_QUOTES
    cut = [note for note in analysis.notes if "characters were analysed" in note]
    assert cut and f"of {len(article.full_text):,}" in cut[0]


def test_repeated_paragraphs_are_analysed_once_and_said_so() -> None:
    body = SPUTNIK.read_text(encoding="utf-8")
    copies = MAX_ANALYSED_CHARS // len(body) + 2
    text, notes = bounded_text("\n\n".join([body] * copies))
    assert len(text) <= MAX_ANALYSED_CHARS
    assert text == bounded_text(body)[0] == body  # nothing but the repeats went
    paragraphs = len([p for p in body.split("\n\n") if p.strip()])
    assert notes == [f"{paragraphs * (copies - 1):,} repeated paragraphs were analysed once"]


def test_short_articles_are_analysed_whole_without_notes() -> None:
    for path in ENGLISH:
        text = path.read_text(encoding="utf-8")
        assert bounded_text(text) == (text, [])


def _brute_force_find(clusters: list[Cluster], name: str) -> Cluster | None:
    """The lookup before the index: every cluster, in order, first of the most mentioned."""
    words = name_words(name)
    matches = [
        c
        for c in clusters
        if (len(words) >= 2 and same_name(c.name, name))
        or (len(words) == 1 and same_word(name_words(c.name)[-1], words[0]))
    ]
    return max(matches, key=lambda c: len(c.mentions), default=None)


@pytest.mark.parametrize("path", [*ENGLISH, *sorted((EXAMPLES / "multilingual").glob("*.txt"))], ids=lambda p: p.name)
def test_person_index_finds_what_a_scan_of_every_cluster_finds(path) -> None:
    text = path.read_text(encoding="utf-8")
    lang = path.name.split("-")[1] if path.parent.name == "multilingual" else "en"
    mentions = sorted(entity_mentions(text, lang), key=lambda m: (-len(name_words(m.name)), m.start))
    index = PersonIndex()
    for mention in mentions:  # persons and unknown capitalised words: both are looked up
        if mention.kind not in ("person", None):
            continue
        found = index.find(mention.name)
        assert found is _brute_force_find(index.clusters, mention.name)
        if mention.kind == "person":
            if found is None:
                index.add(Cluster("person", [mention]))
            else:
                index.append(found, mention)
    if path in (SPUTNIK, ARABIC_DAILY):
        assert len(index.clusters) >= 3  # Antonov, Biden, Putin at least: the lookups ran over real people
