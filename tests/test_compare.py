"""The comparer on real text: the seed pair and the multilingual example stories.

These use the bundled encoders and the shipped model (a few seconds in all): the scores are
what ``storylens compare`` prints, not mocks.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from conftest import ARABIC_DAILY, EXAMPLES, SPUTNIK
from storylens.compare import Comparer
from storylens.ingest import read_articles
from storylens.similarity import DIMENSIONS

pytestmark = pytest.mark.slow

MULTILINGUAL = sorted((EXAMPLES / "multilingual").glob("[abc]-*"))


def _story(path: Path) -> str:
    """a-… / b-… / c-… files tell story A, B or C; the seed pair is story A."""
    return "a" if path.parent == EXAMPLES else path.name[0]


@pytest.fixture(scope="module")
def comparer() -> Comparer:
    return Comparer()


@pytest.fixture(scope="module")
def articles() -> dict[Path, object]:
    return {path: read_articles(path)[0] for path in [SPUTNIK, ARABIC_DAILY, *MULTILINGUAL]}


@pytest.fixture(scope="module")
def seed(comparer: Comparer, articles):
    return comparer.compare(articles[SPUTNIK], articles[ARABIC_DAILY]).to_dict()


def _names(items) -> set[str]:
    return {item["name"] if isinstance(item, dict) else item for item in items}


def test_seed_pair_is_very_similar_by_the_shipped_model(seed) -> None:
    assert seed["model"] == "semeval-v1"
    assert seed["overall"]["score"] <= 1.5
    assert seed["overall"]["label"] == "very similar"
    assert all(1.0 <= seed[dim]["score"] <= 4.0 for dim in DIMENSIONS)


def test_seed_pair_shares_its_people_and_places(seed) -> None:
    people = seed["evidence"]["entities"]["people"]
    shared = " ".join(_names(people["shared"]))
    for name in ("Antonov", "Biden", "Putin"):
        assert name in shared
    places = _names(seed["evidence"]["geography"]["places"]["shared"])
    assert "Moscow" in places
    assert places & {"Washington", "United States"}


def test_seed_pair_lists_what_only_one_side_reports(seed) -> None:
    people = seed["evidence"]["entities"]["people"]
    only_sputnik = " ".join(people["only_a"])
    assert "Khashoggi" in only_sputnik and "bin Salman" in only_sputnik
    orgs_only_arabic = " ".join(seed["evidence"]["entities"]["organisations"]["only_b"])
    assert "TASS" in orgs_only_arabic and "First Channel" in orgs_only_arabic
    years_only_sputnik = {d[:4] for d in seed["evidence"]["time"]["only_a"]}
    assert {"1934", "1980", "1998"} <= years_only_sputnik


def test_seed_pair_cleaned_texts_have_no_page_chrome(seed) -> None:
    chrome = ("Discuss", "Archives", "Follow our latest local and sports news", "Sputnik\n")
    for article in seed["articles"]:
        text = f"{article['title']}\n{article['body']}\n"
        assert not any(f"\n{line}" in f"\n{text}" for line in chrome)


def test_every_different_story_pair_is_dissimilar_and_every_same_story_pair_ranks_above_them(
    comparer: Comparer, articles
) -> None:
    paths = list(articles)
    pairs = list(itertools.combinations(paths, 2))
    scores = comparer.score([(articles[a], articles[b]) for a, b in pairs])[:, 0]
    same = {pair: s for pair, s in zip(pairs, scores, strict=True) if _story(pair[0]) == _story(pair[1])}
    different = {pair: s for pair, s in zip(pairs, scores, strict=True) if _story(pair[0]) != _story(pair[1])}
    languages = {articles[p].lang for p in paths}
    assert {"en", "ar", "ru", "de", "es", "fr"} <= languages
    assert len(different) > 30 and min(different.values()) >= 3.0, min(different.items(), key=lambda kv: kv[1])
    # Cross-lingual retellings of one story are closer than any pair of different stories.
    cross_lingual = {p: s for p, s in same.items() if articles[p[0]].lang != articles[p[1]].lang}
    assert len(cross_lingual) >= 10
    assert max(same.values()) < min(different.values())


def test_english_and_other_language_tellings_of_the_seed_story_rank_above_other_stories(
    comparer: Comparer, articles
) -> None:
    others = [p for p in MULTILINGUAL if _story(p) != "a"]
    retellings = [p for p in MULTILINGUAL if _story(p) == "a"]
    for english in (SPUTNIK, ARABIC_DAILY):
        same = comparer.score([(articles[english], articles[p]) for p in retellings])[:, 0]
        different = comparer.score([(articles[english], articles[p]) for p in others])[:, 0]
        assert same.max() < different.min()


def test_scores_are_symmetric(comparer: Comparer, articles) -> None:
    a, b = articles[SPUTNIK], articles[MULTILINGUAL[0]]
    forward, backward = comparer.score([(a, b), (b, a)])
    assert forward == pytest.approx(backward, abs=1e-6)
