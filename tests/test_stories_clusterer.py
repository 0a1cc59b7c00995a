"""The story clusterer's contract, on small literal streams (no encoder needed): River-style
invariants, merges that keep the older id, the date window, determinism, and a store holding
one story of 5,000 articles."""

from __future__ import annotations

import copy
import pickle
from types import SimpleNamespace

import numpy as np
import pytest

from storylens.stories.clusterer import Placement, StoryClusterer, StoryParams, story_id
from storylens.stories.index import UNDATED, ExactIndex

PARAMS = StoryParams(k=10, min_cosine=0.0, window_days=7, linkage="min", join_at=1.5, merge_at=1.5)


class CosineJudge:
    """Stand-in for the pair model: Overall falls linearly from 4 (cosine 0) to 1 (cosine 1)."""

    def overall(self, item, candidates):
        return np.array([4.0 - 3.0 * float(item.vector @ c.vector) for c in candidates])


def item(name: str, vector, day: int = UNDATED) -> SimpleNamespace:
    v = np.asarray(vector, dtype=np.float32)
    return SimpleNamespace(id=name, vector=v / np.linalg.norm(v), day=day)


def clustered_stream(n_stories: int, per_story: int, dim: int = 32, seed: int = 0) -> list[SimpleNamespace]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_stories, dim))
    items = []
    for i in range(per_story):
        for s in range(n_stories):
            items.append(item(f"{s}-{i}", centres[s] / np.linalg.norm(centres[s]) + 0.05 * rng.normal(size=dim)))
    return items


def test_learn_one_leaves_its_input_unchanged_and_is_deterministic() -> None:
    stream = clustered_stream(4, 5)
    before = copy.deepcopy(stream)
    runs = []
    for _ in range(2):
        clusterer = StoryClusterer(CosineJudge(), PARAMS, dim=32)
        runs.append([clusterer.learn_one(x).story for x in stream])
    assert runs[0] == runs[1]
    assert len(set(runs[0])) == 4
    for x, y in zip(stream, before, strict=True):
        assert x.id == y.id and np.array_equal(x.vector, y.vector)


def test_state_pickles_and_predict_does_not_learn() -> None:
    clusterer = StoryClusterer(CosineJudge(), PARAMS, dim=32)
    stream = clustered_stream(3, 4)
    for x in stream:
        clusterer.learn_one(x)
    size = len(clusterer.index)
    assert clusterer.predict_one(stream[0]) == clusterer.story_of(stream[0].id)
    probe = item("new", stream[1].vector)
    assert clusterer.predict_one(probe) == clusterer.story_of(stream[1].id)
    assert len(clusterer.index) == size and "new" not in clusterer.row_of
    restored = pickle.loads(pickle.dumps(clusterer))
    assert restored.predict_one(probe) == clusterer.predict_one(probe)


def test_defaults_are_immutable() -> None:
    with pytest.raises(AttributeError):
        PARAMS.join_at = 3.0  # type: ignore[misc]


def test_a_bridging_article_merges_two_stories_into_the_older_id() -> None:
    clusterer = StoryClusterer(CosineJudge(), PARAMS, dim=2)
    a = clusterer.learn_one(item("a", [1.0, 0.0]))
    b = clusterer.learn_one(item("b", [0.0, 1.0]))
    assert (a.story, b.story) == ("s-000001", "s-000002") and a.new_story and b.new_story
    bridge = clusterer.learn_one(item("bridge", [1.0, 1.0]))  # cosine 0.71 to both: Overall 1.88
    assert bridge.new_story  # too far from either to join
    loose = StoryClusterer(CosineJudge(), StoryParams(**{**PARAMS.__dict__, "join_at": 2.0, "merge_at": 2.0,
                                                         "meta": {}}), dim=2)
    for name, vector in (("a", [1.0, 0.0]), ("b", [0.0, 1.0])):
        loose.learn_one(item(name, vector))
    merged = loose.learn_one(item("bridge", [1.0, 1.0]))
    assert merged == Placement("bridge", "s-000001", False, pytest.approx(1.879, abs=1e-3), ["s-000002"])
    assert {loose.story_of(x) for x in ("a", "b", "bridge")} == {"s-000001"}
    assert loose.sizes == {1: 3}
    # Later articles of the absorbed story land in the kept one.
    assert loose.learn_one(item("b2", [0.05, 1.0])).story == "s-000001"


def test_merge_needs_both_stories_under_merge_at() -> None:
    params = StoryParams(**{**PARAMS.__dict__, "join_at": 2.0, "merge_at": 1.2, "meta": {}})
    clusterer = StoryClusterer(CosineJudge(), params, dim=2)
    clusterer.learn_one(item("a", [1.0, 0.0]))
    clusterer.learn_one(item("b", [0.0, 1.0]))
    placed = clusterer.learn_one(item("closer-to-a", [1.0, 0.8]))
    assert placed.story == "s-000001" and placed.merged == []
    assert clusterer.story_of("b") == "s-000002"


def test_date_window_keeps_far_articles_apart_and_undated_ones_in() -> None:
    clusterer = StoryClusterer(CosineJudge(), PARAMS, dim=2)
    clusterer.learn_one(item("march", [1.0, 0.0], day=737_869))
    assert clusterer.learn_one(item("june", [1.0, 0.02], day=737_869 + 90)).new_story
    assert clusterer.learn_one(item("next-day", [1.0, 0.01], day=737_870)).story == "s-000001"
    assert not clusterer.learn_one(item("undated", [1.0, 0.01])).new_story
    unwindowed = StoryClusterer(CosineJudge(), StoryParams(**{**PARAMS.__dict__, "window_days": None, "meta": {}}),
                                dim=2)
    unwindowed.learn_one(item("march", [1.0, 0.0], day=737_869))
    assert not unwindowed.learn_one(item("june", [1.0, 0.02], day=737_869 + 90)).new_story


def test_exact_index_matches_brute_force_on_clustered_vectors() -> None:
    stream = clustered_stream(20, 30, dim=16, seed=3)
    index = ExactIndex(dim=16, capacity=8)  # grows several times
    for x in stream:
        index.add(x.vector)
    matrix = np.stack([x.vector for x in stream])
    for query in stream[::37]:
        rows, scores = index.search(query.vector, 10)
        expected = np.argsort(-(matrix @ query.vector), kind="stable")[:10]
        assert set(rows.tolist()) == set(expected.tolist())
        assert np.all(np.diff(scores) <= 1e-6)


def test_one_story_of_5000_articles() -> None:
    rng = np.random.default_rng(7)
    centre = rng.normal(size=64)
    stored: dict[str, SimpleNamespace] = {}  # what a store would rebuild items from
    clusterer = StoryClusterer(CosineJudge(), PARAMS, dim=64, fetch=lambda ids: [stored[i] for i in ids])
    placed = set()
    for i in range(5000):
        stored[f"a{i}"] = x = item(f"a{i}", centre + 0.3 * rng.normal(size=64))
        placed.add(clusterer.learn_one(x).story)
    assert placed == {story_id(1)}
    assert clusterer.sizes == {1: 5000} and len(clusterer.index) == 5000
    other = rng.normal(size=64)
    assert clusterer.learn_one(item("other", other)).new_story


class PairCosineJudge(CosineJudge):
    """The same judge with the batched call ``learn_many`` uses when a judge offers it."""

    def pair_overall(self, left, right):
        return np.array([4.0 - 3.0 * float(x.vector @ y.vector) for x, y in zip(left, right, strict=True)])


@pytest.mark.parametrize("judge", [CosineJudge(), PairCosineJudge()], ids=["overall", "pair_overall"])
def test_learn_many_places_a_batch_exactly_as_learn_one_in_a_loop(judge) -> None:
    # Loose stories (wide noise, a merge-happy rule) so that joins, new stories and merges all happen.
    params = StoryParams(k=5, min_cosine=0.0, window_days=None, linkage="mean2", join_at=2.0, merge_at=1.9)
    stream = clustered_stream(6, 6, dim=4, seed=4)
    one = StoryClusterer(judge, params, dim=4)
    expected = [one.learn_one(x) for x in stream]
    many = StoryClusterer(judge, params, dim=4)
    got = many.learn_many(stream[:7]) + many.learn_many(stream[7:])
    assert got == expected
    assert any(p.merged for p in expected) and any(p.new_story for p in expected)
    assert any(not p.new_story for p in expected)
    assert (many.ids, many.row_story, many.parent, many.sizes) == (one.ids, one.row_story, one.parent, one.sizes)
    assert many.learn_many(stream[:3]) == []  # placed articles are not placed again


@pytest.mark.parametrize("batched", [False, True])
def test_date_gate_keeps_far_days_apart_and_undated_bridges_do_not_merge_them(batched: bool) -> None:
    """A recall (day of the year 80) and a return (day 172) that read alike stay two stories,
    an undated article close to both joins one without merging them, and an article dated
    three days after the recall joins the recall. SimpleNamespace items carry ``year_day``."""

    def dated(name: str, vector, year_day: int) -> SimpleNamespace:
        return SimpleNamespace(**vars(item(name, vector)), year_day=year_day)

    stream = [dated("recall", [1.0, 0.05], 80), dated("return", [1.0, -0.05], 172),
              item("undated", [1.0, 0.0]), dated("follow-up", [1.0, 0.1], 83)]  # fmt: skip
    clusterer = StoryClusterer(CosineJudge(), PARAMS, dim=2)
    placed = clusterer.learn_many(stream) if batched else [clusterer.learn_one(x) for x in stream]
    story = {p.article_id: p.story for p in placed}
    assert story["return"] != story["recall"]
    assert story["undated"] in (story["recall"], story["return"])
    assert not any(p.merged for p in placed)
    assert clusterer.story_of("follow-up") == clusterer.story_of("recall")
    assert len({clusterer.story_of(x.id) for x in stream}) == 2
