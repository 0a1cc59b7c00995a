"""The analyse stage says what it could not do, and does not mistake outlets for people
(issue 7, section 5): days without a year, news agencies and outlets, and languages it
has no rules for (Hindi, Swahili, Japanese: short news texts written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SPUTNIK
from storylens.analyze import analyze
from storylens.analyze.dates import find_dates
from storylens.article import Analysis, Article

HINDI = (
    "नई दिल्ली, 12 मार्च: प्रधानमंत्री नरेंद्र मोदी ने मंगलवार को कहा कि सरकार किसानों के लिए नई योजना शुरू करेगी। "
    "उन्होंने कहा, \"यह योजना देश के हर गांव तक पहुंचेगी।\" इस योजना पर 5,000 करोड़ रुपये खर्च होंगे।"
)
SWAHILI = (
    "NAIROBI, Kenya — Rais William Ruto amesema Jumanne kwamba serikali itajenga barabara mpya kuelekea Mombasa. "
    "\"Tutakamilisha mradi huu kabla ya mwisho wa mwaka,\" alisema Ruto. Mradi huo utagharimu shilingi bilioni 50."
)
JAPANESE = (
    "東京、3月12日 — 岸田文雄首相は火曜日、新たな経済対策を発表した。"
    "首相は「国民の生活を守るために全力を尽くす」と述べた。対策の規模は約5兆円となる見込みだ。"
)


def _round_trip(analysis: Analysis) -> Analysis:
    return Analysis.from_dict(analysis.to_dict())


@pytest.mark.parametrize(
    ("text", "lang", "coverage", "name"),
    [
        (HINDI, "hi", "none", "Hindi (hi)"),
        (SWAHILI, "sw", "partial", "Swahili (sw)"),
        (JAPANESE, "ja", "partial", "Japanese (ja)"),
    ],
    ids=["hi", "sw", "ja"],
)
def test_uncovered_languages_are_named_in_the_analysis(text: str, lang: str, coverage: str, name: str) -> None:
    analysis = analyze(Article("", text, lang=lang))
    assert analysis.coverage == coverage
    assert len(analysis.notes) == 1 and analysis.notes[0].startswith(name)
    assert "not" in analysis.notes[0]
    again = _round_trip(analysis)
    assert (again.coverage, again.notes) == (analysis.coverage, analysis.notes)


def test_hindi_still_gets_its_numbers_and_says_what_it_missed() -> None:
    analysis = analyze(Article("", HINDI, lang="hi"))
    assert 5000.0 in {n.value for n in analysis.numbers}
    assert "people" in analysis.notes[0] and "quotes" in analysis.notes[0]


def test_a_script_without_an_extractor_is_not_covered_even_undeclared() -> None:
    assert analyze(Article("", HINDI)).coverage == "none"


def test_covered_languages_carry_no_notes() -> None:
    analysis = analyze(Article("", SPUTNIK.read_text(encoding="utf-8"), lang="en"))
    assert (analysis.coverage, analysis.notes) == ("full", [])
    russian = analyze(Article("", "Президент России Владимир Путин заявил во вторник, что посол вернётся.", lang="ru"))
    assert (russian.coverage, russian.notes) == ("full", [])


# ------------------------------------------------------------------ days without a year

DATELINE = "LIMA, March 12 (Reuters) - A magnitude 7.0 earthquake struck southern Peru on Sunday."


def test_a_day_without_a_year_is_kept_as_a_day_of_the_year() -> None:
    (found, *_) = find_dates(DATELINE, "en", None)
    mention = found.mention
    assert (mention.text, mention.value, mention.month_day) == ("March 12", None, "--03-12")
    analysis = analyze(Article("", DATELINE, lang="en"))
    stored = _round_trip(analysis)
    assert [d.month_day for d in stored.dates if d.text == "March 12"] == ["--03-12"]
    assert find_dates("ISTANBUL, 3 September (AFP) - A quake.", "en", None)[0].mention.month_day == "--09-03"


def test_a_day_without_a_year_resolves_against_the_publication_date_then_the_texts_year() -> None:
    published = find_dates(DATELINE, "en", date(2023, 3, 14))[0].mention
    assert (published.value, published.month_day) == (date(2023, 3, 12), None)
    in_text = find_dates(DATELINE + " It was the strongest since 2019, when 2019's quake hit.", "en", None)
    assert in_text[0].mention.value == date(2019, 3, 12)


def test_impossible_days_without_a_year_are_no_dates() -> None:
    assert find_dates("On 31 February nothing happened.", "en", None) == []
    assert find_dates("On 29 February it rained.", "en", None)[0].mention.month_day == "--02-29"


# ------------------------------------------------------------------ outlets are not people

WIRE = (
    "A magnitude 7.0 earthquake struck southern Peru on Sunday, the U.S. Geological Survey said. "
    "Daily Wire reported that Reuters and Associated Press journalists reached the town of Arequipa. "
    "\"The ground shook for a whole minute,\" resident Maria Quispe told Reuters. According to the Daily Wire, "
    "mayor Victor Hugo Rivera said the damage was heavy. Agence France-Presse and Xinhua also reported it."
)


def test_outlets_and_agencies_are_organisations_not_people() -> None:
    analysis = analyze(Article("Quake hits Peru", WIRE, lang="en"))
    people = {e.canonical for e in analysis.of_kind("person")}
    orgs = " | ".join(e.canonical for e in analysis.of_kind("org"))
    for outlet in ("Daily Wire", "Geological Survey", "Associated Press", "Reuters", "Agence France-Presse", "Xinhua"):
        assert outlet in orgs
        assert not any(outlet in person for person in people)
    assert {"Maria Quispe", "Victor Hugo Rivera"} <= people


@pytest.mark.parametrize("outlet", ["Novaya Vremya", "The Novaya Vremya", "https://novayavremya.com/news/12"])
def test_the_articles_own_outlet_is_an_organisation(outlet: str) -> None:
    text = (
        "The death toll rose to 12, Novaya Vremya reported on Monday. Rescuers told Novaya Vremya that they had "
        "reached the village, and Kremlin spokesman Dmitry Peskov declined to comment."
    )
    unnamed = analyze(Article("", text, lang="en"))
    assert "Novaya Vremya" in {e.canonical for e in unnamed.of_kind("person")}  # what the rules alone make of it
    named = analyze(Article("", text, lang="en", outlet=outlet))
    assert "Novaya Vremya" in {e.canonical for e in named.of_kind("org")}
    assert {e.canonical for e in named.of_kind("person")} == {"Dmitry Peskov"}
