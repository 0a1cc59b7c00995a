"""Cross-script name matching: name_key, same_name, match_entities."""

from __future__ import annotations

import pytest

from storylens.analyze.names import match_entities, name_key, same_name, skeleton
from storylens.article import Entity

SAME = [
    ("Putin", "Путин"),
    ("Putin", "بوتين"),
    ("Putin", "Putins"),  # German genitive
    ("Putin", "Poutine"),  # French
    ("Putin", "Putina"),  # Polish/Russian genitive
    ("Putin", "Putinowi"),
    ("Antonov", "Антонов"),
    ("Antonov", "أنطونوف"),
    ("Antonov", "Antonow"),
    ("Biden", "Байден"),
    ("Biden", "بايدن"),
    ("Biden", "Bidena"),
    ("Biden", "Biden’s"),
    ("Moscow", "Москва"),
    ("Moscow", "موسكو"),
    ("Moscow", "Moskau"),
    ("Moscow", "莫斯科"),  # through the gazetteer
    ("Washington", "Вашингтон"),
    ("Washington", "واشنطن"),
    ("Washington", "Waszyngton"),
    ("Peskov", "Песков"),
    ("Peskov", "بيسكوف"),
    ("Peskov", "Pieskow"),
    ("Navalny", "Навальный"),
    ("Navalny", "نافالني"),
    ("Navalny", "Nawalnego"),
    ("Zelensky", "Selenskyj"),
    ("Zelensky", "Зеленский"),
    ("Erdoğan", "Эрдоган"),
    ("Erdogan", "أردوغان"),
    ("Thomas", "توماس"),  # the -s is no case ending here
    ("Vladimir Putin", "Путина"),  # a surname matches a full name
    ("Vladimir Putin", "Владимир Путин"),
    ("Anatoly Antonov", "أناتولي أنطونوف"),
    ("Joe Biden", "جو بايدن"),
    ("Mohammed bin Salman", "محمد بن سلمان"),
    ("Mohammed bin Salman", "bin Salman"),
    ("Joseph R. Biden Jr.", "Biden"),  # initials and Jr. are not the surname
]

DIFFERENT = [
    ("Putin", "Pushkin"),
    ("Biden", "Baden"),  # one vowel apart, and Baden is a place
    ("Moscow", "Moscato"),
    ("Antonov", "Antonio"),
    ("Peskov", "Pashkov"),
    ("Navalny", "Nevelskoy"),
    ("Joe Biden", "Hunter Biden"),  # same surname, other first name
    ("Moscow", "Washington"),
    ("Moscow", "Kyiv"),
    ("Putin", ""),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_name(a: str, b: str) -> None:
    assert same_name(a, b)
    assert same_name(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names(a: str, b: str) -> None:
    assert not same_name(a, b)
    assert not same_name(b, a)


def test_name_key_is_lowercase_latin() -> None:
    assert name_key("Путин") == "putin"
    assert name_key("Erdoğan") == "erdogan"
    assert name_key("Biden’s") == "biden"
    assert name_key("Putin'in") == "putin"
    assert name_key("  Jean-Pierre  Raffarin ") == "jean pierre raffarin"
    assert name_key("普京") == "pujing"


def test_skeleton_folds_phonetic_variants() -> None:
    assert skeleton("Putin") == skeleton("Путина") == skeleton("بوتين") == "BTN"
    assert skeleton("Antonov") == skeleton("Antonow") == skeleton("أنطونوف") == "NTNF"
    assert skeleton("Washington") == skeleton("واشنطن")


def entity(text: str, kind: str = "person", count: int = 1, key: str | None = None) -> Entity:
    return Entity(text=text, kind=kind, key=key if key is not None else name_key(text), canonical=text, count=count)


def test_match_entities_pairs_one_to_one_by_similarity() -> None:
    english = [entity("Vladimir Putin", count=5), entity("Joe Biden", count=3), entity("Moscow", "place")]
    russian = [entity("Путин"), entity("Байден"), entity("Навальный"), entity("Москва", "place", key="moscow")]
    match = match_entities(english, russian)
    assert [(a.text, b.text) for a, b in match.shared] == [
        ("Moscow", "Москва"),  # same key: score 1
        ("Vladimir Putin", "Путин"),
        ("Joe Biden", "Байден"),
    ]
    assert match.only_a == []
    assert [e.text for e in match.only_b] == ["Навальный"]


def test_match_entities_respects_kinds() -> None:
    match = match_entities([entity("Washington", "place")], [entity("Washington", "person")])
    assert match.shared == []
    misc = match_entities([entity("Sputnik", "misc")], [entity("Sputnik", "org")])
    assert len(misc.shared) == 1  # misc matches any kind


def test_match_entities_is_one_to_one() -> None:
    """Two Putins on one side, one on the other: one pair; on equal similarity the more
    mentioned entity wins; an equal key beats a transliteration match."""
    match = match_entities([entity("Vladimir Putin", count=1), entity("V. Putin", count=4)], [entity("Путин")])
    assert [(a.text, b.text) for a, b in match.shared] == [("V. Putin", "Путин")]
    assert [e.text for e in match.only_a] == ["Vladimir Putin"]
    keyed = match_entities([entity("Vladimir Putin", count=9), entity("Putin")], [entity("Путин")])
    assert [(a.text, b.text) for a, b in keyed.shared] == [("Putin", "Путин")]


def test_name_similarity_hook_for_chinese() -> None:
    """普京 does not transliterate to Putin; a pluggable similarity (an encoder in real use,
    a lookup table here) is asked only for pairs in different scripts."""
    calls: list[tuple[str, str]] = []
    table = {("Vladimir Putin", "普京"): 0.93, ("Joe Biden", "拜登"): 0.91, ("Joe Biden", "普京"): 0.2}

    def similarity(a: str, b: str) -> float:
        calls.append((a, b))
        return table.get((a, b), 0.0)

    english = [entity("Vladimir Putin"), entity("Joe Biden"), entity("Joe Biden Jr")]
    chinese = [entity("普京"), entity("拜登")]
    match = match_entities(english, chinese, name_similarity=similarity)
    assert sorted((a.text, b.text) for a, b in match.shared) == [("Joe Biden", "拜登"), ("Vladimir Putin", "普京")]
    assert all(b in ("普京", "拜登") for _, b in calls)  # only cross-script pairs were asked
    without = match_entities(english, chinese)
    assert without.shared == []
    low = match_entities(english, chinese, name_similarity=lambda a, b: 0.5)
    assert low.shared == []  # below the threshold


def test_hook_is_not_asked_within_one_script() -> None:
    def fail(a: str, b: str) -> float:
        raise AssertionError(f"asked for {a} / {b}")

    match = match_entities([entity("Peskov")], [entity("Lavrov")], name_similarity=fail)
    assert match.shared == []
