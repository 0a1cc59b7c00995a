"""The analyse stage on the two seed articles (English, and an Arabic daily machine-
translated to English), plus dates, numbers and quotes on short texts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import ARABIC_DAILY, SPUTNIK
from storylens.analyze import analyze
from storylens.analyze.dates import find_dates
from storylens.analyze.numbers import find_numbers
from storylens.analyze.quotes import find_quote_spans
from storylens.article import Analysis, Article, Entity


def seed_article(path: Path, published: date | None) -> Article:
    """title = first non-empty line, body = the rest."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    return Article(lines[first].strip(), "\n".join(lines[first + 1 :]).strip(), lang="en", published=published)


@pytest.fixture(scope="module")
def sputnik() -> Analysis:
    return analyze(seed_article(SPUTNIK, date(2021, 3, 20)))


@pytest.fixture(scope="module")
def arabic_daily() -> Analysis:
    return analyze(seed_article(ARABIC_DAILY, date(2021, 3, 21)))


def find(entities: list[Entity], kind: str, name: str) -> Entity:
    """The entity of ``kind`` whose canonical or written name contains ``name``."""
    for entity in entities:
        if entity.kind == kind and (name in entity.canonical or name in entity.text):
            return entity
    raise AssertionError(f"no {kind} {name!r} in {[(e.kind, e.canonical) for e in entities]}")


# ---------------------------------------------------------------- entities


@pytest.mark.parametrize(
    "name", ["Antonov", "Biden", "Putin", "Peskov", "Navalny", "Khashoggi", "bin Salman"]
)  # fmt: skip
def test_sputnik_persons(sputnik: Analysis, name: str) -> None:
    find(sputnik.entities, "person", name)


@pytest.mark.parametrize("name", ["Moscow", "Washington", "United States", "Iraq", "Afghanistan", "Riyadh", "New York"])
def test_sputnik_places(sputnik: Analysis, name: str) -> None:
    find(sputnik.entities, "place", name)


@pytest.mark.parametrize("name", ["ABC News", "CNN", "Russian Ministry of Foreign Affairs", "Kremlin", "White House"])
def test_sputnik_organisations(sputnik: Analysis, name: str) -> None:
    find(sputnik.entities, "org", name)


def test_sputnik_has_no_capitalised_noise(sputnik: Analysis) -> None:
    """Sentence starts, weekdays, page chrome and a lone capitalised adjective are no names."""
    names = {e.text for e in sputnik.entities} | {e.canonical for e in sputnik.entities}
    for noise in ("World", "Discuss", "Earlier", "Following", "Saturday", "Friday", "Royal", "Former", "The"):
        assert noise not in names


def test_mentions_of_one_person_merge_with_count(sputnik: Analysis) -> None:
    """Vladimir Putin, Putin (x3), Putin's: one entity, the full name as its name."""
    putin = find(sputnik.entities, "person", "Putin")
    assert putin.canonical == "Vladimir Putin"
    assert putin.key == "vladimir putin"
    assert putin.count == 5
    assert len([e for e in sputnik.entities if "Putin" in e.canonical]) == 1
    assert find(sputnik.entities, "person", "Salman").canonical == "Mohammed bin Salman"
    assert find(sputnik.entities, "person", "Salman").count == 2  # "bin Salman" later folds in


def test_places_get_the_gazetteer_canonical(sputnik: Analysis) -> None:
    """US, U.S. and United States are one place; Russian (a demonym) counts as Russia."""
    united_states = find(sputnik.entities, "place", "United States")
    assert united_states.canonical == "United States" and united_states.count >= 10
    assert find(sputnik.entities, "place", "Russia").key == "russia"
    washington = find(sputnik.entities, "place", "Washington")
    assert washington.count == 3  # Washington, DC counts DC too


def test_arabic_daily_entities(arabic_daily: Analysis) -> None:
    for name in ("Antonov", "Biden", "Putin"):
        find(arabic_daily.entities, "person", name)
    for name in ("Moscow", "Washington", "United States"):
        find(arabic_daily.entities, "place", name)
    for name in ("TASS", "Russian Foreign Ministry", "First Channel"):
        find(arabic_daily.entities, "org", name)
    assert find(arabic_daily.entities, "org", "ABC").canonical == "ABC News"  # the alias of the gazetteer
    assert find(arabic_daily.entities, "person", "Antonov").count == 7


def test_analysis_is_stored_and_serialisable(sputnik: Analysis) -> None:
    article = seed_article(SPUTNIK, date(2021, 3, 20))
    analysis = analyze(article)
    assert article.analysis is analysis
    assert Analysis.from_dict(analysis.to_dict()) == analysis


# ---------------------------------------------------------------- quotes


def test_sputnik_quotes_and_speakers(sputnik: Analysis) -> None:
    by_start = {q.text[:30]: q for q in sputnik.quotes}
    meetings = by_start["I have already planned several"]
    assert "Antonov" in (meetings.speaker or "")
    assert meetings.text.endswith("how much time this will take")  # the closing comma is cut
    assert "Antonov" in (by_start["It is necessary to analyse the"].speaker or "")  # "the diplomat said"
    assert "Peskov" in (by_start["very bad statements"].speaker or "")
    assert "Biden" in (by_start["that will come in time."].speaker or "")
    assert "killer" not in by_start  # a one-word scare quote is not a quotation
    assert any(q.text.startswith("capture or kill") for q in sputnik.quotes)  # "…' unbalanced inner quote


def test_arabic_daily_quotes(arabic_daily: Analysis) -> None:
    killer = next(q for q in arabic_daily.quotes if "killer" in q.text)
    assert killer.text == "the killer is the one who describes the other as such."
    assert "Putin" in (killer.speaker or "")  # not Biden: "responded to Biden by saying"
    murderer = next(q for q in arabic_daily.quotes if "murderer" in q.text)
    assert "Biden" in (murderer.speaker or "")
    assert not any(q.text == "First Channel" for q in arabic_daily.quotes)  # a name in quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “it is late” and left.", ["it is late"]),
        ('She said "we will go" and "we will stay".', ["we will go", "we will stay"]),
        ("Er sagte: „Wir kommen morgen“.", ["Wir kommen morgen"]),
        ("Il a dit : « nous partons demain ».", [" nous partons demain "]),
        ("Он сказал: «Мы уедем завтра».", ["Мы уедем завтра"]),
        ("他说：「我们明天走」。", ["我们明天走"]),
        ("Biden’s aide said ‘we are ready now’ twice.", ["we are ready now"]),
        ("Biden’s and Putin’s aides met.", []),
    ],
)
def test_quote_marks(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in find_quote_spans(text)] == expected


def test_quote_speaker_after_the_quote_and_in_arabic() -> None:
    english = analyze(
        Article("", '"We will not give up on this," said Alexei Navalny, the opposition leader.', lang="en")
    )
    assert english.quotes[0].speaker == "Alexei Navalny"
    arabic = analyze(Article("", "وقال السفير الروسي أناتولي أنطونوف: «لقد خططت لعدة اجتماعات في موسكو».", lang="ar"))
    assert arabic.quotes[0].speaker == "أناتولي أنطونوف"


# ---------------------------------------------------------------- dates


def test_seed_dates(sputnik: Analysis, arabic_daily: Analysis) -> None:
    years = {d.value.year for d in sputnik.dates if d.granularity == "year"}
    assert {1998, 1934, 1980, 2020} <= years
    wednesday = next(d for d in sputnik.dates if d.text == "Wednesday")
    assert wednesday.value == date(2021, 3, 17) and wednesday.granularity == "relative"
    yesterday = next(d for d in arabic_daily.dates if d.text == "yesterday")
    assert yesterday.value == date(2021, 3, 20)


@pytest.mark.parametrize(
    ("lang", "text", "value", "granularity"),
    [
        ("en", "It happened on March 20, 2021 in Moscow.", date(2021, 3, 20), "day"),
        ("en", "It happened on 20 March in Moscow.", date(2021, 3, 20), "day"),
        ("en", "He died Dec. 1 after years of illness.", date(2020, 12, 1), "day"),
        ("en", "The report of 20.03.2021 says so.", date(2021, 3, 20), "day"),
        ("en", "Filed 2021-03-20 in court.", date(2021, 3, 20), "day"),
        ("en", "Talks began in March 2021.", date(2021, 3, 1), "month"),
        ("ru", "Это случилось 20 марта 2021 года.", date(2021, 3, 20), "day"),
        ("ru", "Это было в марте 2021 года.", date(2021, 3, 1), "month"),
        ("de", "Am 20. März kam er zurück.", date(2021, 3, 20), "day"),
        ("es", "Llegó el 20 de marzo de 2021.", date(2021, 3, 20), "day"),
        ("fr", "Il est rentré le 20 mars.", date(2021, 3, 20), "day"),
        ("it", "È tornato il 20 marzo 2021.", date(2021, 3, 20), "day"),
        ("pl", "Wrócił 20 marca 2021 roku.", date(2021, 3, 20), "day"),
        ("tr", "20 Mart 2021 tarihinde döndü.", date(2021, 3, 20), "day"),
        ("ar", "عاد في 20 مارس 2021 إلى موسكو.", date(2021, 3, 20), "day"),
        ("zh", "他于2021年3月20日返回莫斯科。", date(2021, 3, 20), "day"),
    ],
)
def test_absolute_dates(lang: str, text: str, value: date, granularity: str) -> None:
    found = find_dates(text, lang, date(2021, 3, 21))
    assert [(f.mention.value, f.mention.granularity) for f in found] == [(value, granularity)]


@pytest.mark.parametrize(
    ("lang", "text", "value"),
    [
        ("en", "He returned yesterday.", date(2021, 3, 20)),
        ("en", "He returned on Wednesday.", date(2021, 3, 17)),
        ("en", "He returned last week.", date(2021, 3, 14)),
        ("ru", "Он вернулся вчера.", date(2021, 3, 20)),
        ("ru", "Он вернулся в среду.", date(2021, 3, 17)),
        ("ar", "عاد أمس إلى موسكو.", date(2021, 3, 20)),
        ("ar", "عاد يوم الأربعاء إلى موسكو.", date(2021, 3, 17)),
        ("de", "Er kam gestern zurück.", date(2021, 3, 20)),
        ("es", "Regresó ayer a Moscú.", date(2021, 3, 20)),
        ("fr", "Il est rentré hier.", date(2021, 3, 20)),
        ("it", "È tornato ieri.", date(2021, 3, 20)),
        ("pl", "Wrócił wczoraj.", date(2021, 3, 20)),
        ("tr", "Dün döndü.", date(2021, 3, 20)),
        ("zh", "他昨天返回。", date(2021, 3, 20)),
        ("zh", "他周三返回。", date(2021, 3, 17)),
    ],
)
def test_relative_dates_resolve_against_publication(lang: str, text: str, value: date) -> None:
    published = date(2021, 3, 21)  # a Sunday
    found = find_dates(text, lang, published)
    assert [f.mention.value for f in found] == [value]
    assert find_dates(text, lang, None)[0].mention.value is None  # nothing to resolve against


def test_relative_year_and_lowercase_english_weekday() -> None:
    found = find_dates("Sales fell last year, a wednesday slump.", "en", date(2021, 3, 21))
    assert [(f.mention.value, f.mention.granularity) for f in found] == [(date(2020, 1, 1), "year")]


def test_dates_are_fast() -> None:
    """A 1,000-word article in well under 20 ms (dateparser's search_dates takes seconds)."""
    import time

    text = " ".join(["The ambassador returned to Moscow on Wednesday, March 17, 2021, after talks."] * 80)
    find_dates(text, "en", date(2021, 3, 20))
    start = time.perf_counter()
    found = find_dates(text, "en", date(2021, 3, 20))
    assert time.perf_counter() - start < 0.02
    assert len(found) == 160


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "About 1,000 protesters and 2.5 million viewers.", [("1,000", 1000.0), ("2.5 million", 2.5e6)]),
        ("de", "Rund 1.000 Menschen, eine Quote von 12,5 %.", [("1.000 Menschen", 1000.0), ("12,5 %", 12.5)]),
        ("fr", "Environ 1 000 personnes, soit 3,5 pour cent.", [("1 000 personnes", 1000.0), ("3,5 pour cent", 3.5)]),
        ("ru", "Около 3 млн рублей и 1 500 человек.", [("3 млн рублей", 3e6), ("1 500 человек", 1500.0)]),
        ("en", "Sanctions worth $2 billion, 12% more.", [("$2 billion", 2e9), ("12%", 12.0)]),
        ("ar", "وصل السعر إلى ١٥٠٠ جنيه.", [("1500 جنيه", 1500.0)]),
        ("tr", "Toplam 3 bin 434 kişi öldü.", [("3 bin 434 kişi", 3434.0)]),
        ("zh", "英国 64% 的劳动力和3万人。", [("64%", 64.0), ("3万人", 3e4)]),
    ],
)
def test_numbers(lang: str, text: str, expected: list[tuple[str, float]]) -> None:
    assert [(n.text, n.value) for n in find_numbers(text, lang, [])] == expected


def test_years_dates_and_times_are_not_numbers() -> None:
    article = Article("", "In 2020, on 20.03.2021 at 10:30, 25 people met; code 80-680.", lang="en")
    analysis = analyze(article)
    assert [(n.text, n.value) for n in analysis.numbers] == [("25 people", 25.0)]
    assert {d.text for d in analysis.dates} == {"2020", "20.03.2021"}


# ---------------------------------------------------------------- language by script


def test_language_guessed_from_script() -> None:
    russian = analyze(Article("", "Президент России Владимир Путин прилетел в Москву.", lang=None))
    assert find(russian.entities, "person", "Путин").canonical == "Vladimir Putin"
    assert find(russian.entities, "place", "Moscow").text == "Москва"  # natasha's lemma, as written
    arabic = analyze(Article("", "وصل الرئيس الروسي فلاديمير بوتين إلى موسكو.", lang=None))
    assert find(arabic.entities, "person", "بوتين").text == "فلاديمير بوتين"
    assert find(arabic.entities, "place", "Moscow")
