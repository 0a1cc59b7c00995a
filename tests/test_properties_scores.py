"""Properties every score must have, on the shipped example articles (issue 7 section 5):
symmetric, within 1…4, and an article against itself the most similar pair there is on
every dimension. The examples are profiled once per module; hypothesis picks the pairs and
the perturbations (truncations) of real texts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from storylens.ingest import read_articles

pytestmark = pytest.mark.slow
PATHS = sorted(EXAMPLES.glob("*.txt")) + sorted(p for p in (EXAMPLES / "multilingual").iterdir() if p.name[1] == "-")
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module", params=["semeval-v1", "semeval-fast"])
def scored(request):
    """(comparer, articles, window profiles) of every example, for one shipped model."""
    from storylens.compare import Comparer
    from storylens.similarity.model import load_model

    try:
        model = load_model(request.param)
    except FileNotFoundError:
        pytest.skip(f"model {request.param} not shipped")
    comparer = Comparer(model=model)
    articles = [read_articles(path)[0] for path in PATHS]
    return comparer, articles, comparer.window_profiles(articles, progress=False)


def _scores(scored, i: int, j: int) -> np.ndarray:
    comparer, _, profiles = scored
    return comparer.score_profiles([profiles[i]], [profiles[j]])[0]


def test_there_are_enough_examples() -> None:
    assert len(PATHS) >= 10


@FAST
@given(i=st.integers(0, len(PATHS) - 1), j=st.integers(0, len(PATHS) - 1))
def test_scores_are_symmetric_and_within_the_scale(scored, i: int, j: int) -> None:
    forward, backward = _scores(scored, i, j), _scores(scored, j, i)
    assert forward == pytest.approx(backward, abs=1e-5)
    assert np.all((forward >= 1.0) & (forward <= 4.0))


@FAST
@given(i=st.integers(0, len(PATHS) - 1), j=st.integers(0, len(PATHS) - 1))
def test_an_article_is_most_similar_to_itself_on_every_dimension(scored, i: int, j: int) -> None:
    itself, other = _scores(scored, i, i), _scores(scored, i, j)
    assert np.all(itself <= other + 1e-6), (PATHS[i].name, PATHS[j].name, itself, other)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(i=st.integers(0, len(PATHS) - 1), keep=st.floats(0.5, 0.95))
def test_a_truncated_copy_stays_in_the_scale_and_symmetric(scored, i: int, keep: float) -> None:
    comparer, articles, _ = scored
    article = articles[i]
    cut = replace(article, body=article.body[: max(1, int(len(article.body) * keep))], id="", analysis=None)
    forward = comparer.score([(article, cut)])[0]
    backward = comparer.score([(cut, article)])[0]
    assert forward == pytest.approx(backward, abs=1e-5)
    assert np.all((forward >= 1.0) & (forward <= 4.0))
    assert np.all(comparer.score([(cut, cut)])[0] <= forward + 1e-6)  # the copy is most similar to itself
