"""Clustering metrics on literal examples worked out by hand, and the labelled-set loaders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO
from storylens.errors import InputError
from storylens.stories.evaluation import (
    bcubed,
    constraint_scores,
    load_labelled_jsonl,
    load_miranda,
    pairwise,
    stream_order,
)

GOLD = {"a": "1", "b": "1", "c": "2", "d": "2", "e": "3"}
MIRANDA_TEST = REPO.parent / "shared/data/news-clustering/dataset/dataset.test.json"


def test_perfect_clustering_scores_one() -> None:
    renamed = {k: f"s-{v}" for k, v in GOLD.items()}
    assert bcubed(renamed, GOLD) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert pairwise(renamed, GOLD) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_bcubed_and_pairwise_by_hand() -> None:
    predicted = {"a": "x", "b": "y", "c": "y", "d": "y", "e": "z"}
    # BCubed precision: a 1, b 1/3, c 2/3, d 2/3, e 1 -> 11/15; recall: a 1/2, b 1/2, c 1, d 1, e 1 -> 4/5.
    assert bcubed(predicted, GOLD)["precision"] == pytest.approx(11 / 15, abs=1e-4)
    assert bcubed(predicted, GOLD)["recall"] == pytest.approx(4 / 5, abs=1e-4)
    # Pairs put together: bc, bd, cd (one right: cd); gold pairs: ab, cd.
    assert pairwise(predicted, GOLD) == {"precision": pytest.approx(1 / 3, abs=1e-4), "recall": 0.5,
                                         "f1": pytest.approx(0.4, abs=1e-4)}


def test_everything_in_one_story_has_full_recall_and_low_precision() -> None:
    predicted = dict.fromkeys(GOLD, "s")
    assert pairwise(predicted, GOLD)["recall"] == 1.0
    assert pairwise(predicted, GOLD)["precision"] == pytest.approx(2 / 10)
    assert bcubed(predicted, GOLD)["recall"] == 1.0


def test_constraint_scores() -> None:
    predicted = {"a": "x", "b": "x", "c": "y", "d": "x"}
    scores = constraint_scores(predicted, same=[("a", "b"), ("c", "d")], different=[("a", "d"), ("b", "c")])
    assert scores["false_joins"] == 1 and scores["missed"] == 1
    assert scores["precision"] == 0.5 and scores["recall"] == 0.5


def test_labelled_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    rows = [{"title": "B", "text": "Second.", "date": "2024-10-31", "story": "s1"},
            {"title": "A", "text": "First.", "date": "2024-10-30", "story": 7}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    labelled = load_labelled_jsonl(path)
    assert [item.story for item in labelled] == ["s1", "7"]
    assert [item.article.title for item in stream_order(labelled)] == ["A", "B"]  # dated: date order
    path.write_text('{"title": "A", "text": "x", "story": "1"}\n{"title": "B", "text": "y"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"set\.jsonl:2: no gold 'story' field"):
        load_labelled_jsonl(path)


def test_miranda_format(tmp_path: Path) -> None:
    """The documented format (shared/data/news-clustering/SOURCE.md), written out by hand."""
    path = tmp_path / "dataset.test.json"
    docs = [
        {"id": "24300839", "date": "2014-01-02 10:00:00", "lang": "spa", "title": "Inundaciones",
         "text": "Lluvias torrenciales en Valencia.", "source": "El Diario", "event_id": "eng-1", "cluster": 3},
        {"id": "24300840", "date": "2014-01-01 09:00:00", "lang": "eng", "title": "Floods",
         "text": "Torrential rain in Valencia.", "source": "Daily", "event_id": "eng-1", "cluster": 3},
    ]
    path.write_text(json.dumps(docs), encoding="utf-8")
    labelled = load_miranda(path)
    assert [(i.article.lang, i.article.outlet, i.story) for i in labelled] == [("es", "El Diario", "3"),
                                                                               ("en", "Daily", "3")]
    assert stream_order(labelled)[0].article.title == "Floods"


@pytest.mark.skipif(not MIRANDA_TEST.exists(), reason="Miranda et al. 2018 data not present (see SOURCE.md)")
def test_miranda_test_split_loads() -> None:
    labelled = load_miranda(MIRANDA_TEST)
    assert len(labelled) > 10_000
    assert {item.article.lang for item in labelled} == {"en", "de", "es"}
