"""The SQLite store: idempotent ingest, atomic batches, vectors and analyses round-trip."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from storylens.article import Analysis, Article, DateMention, Entity, Quote
from storylens.store import Store


def _article(body: str = "Russia's ambassador Anatoly Antonov returned to Moscow.") -> Article:
    return Article(title="Ambassador recalled", body=body, lang="en", published=date(2021, 3, 20), outlet="Sputnik")


def test_readding_an_article_is_a_noop(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.add_articles([_article()]) == [True]
        assert store.add_articles([_article()]) == [False]
        assert store.count_articles() == 1


def test_article_and_analysis_round_trip(tmp_path):
    article = _article()
    article.analysis = Analysis(
        entities=[Entity("Antonov", "person", "antonov", "Antonov")],
        dates=[DateMention("March 20, 2021", date(2021, 3, 20))],
        quotes=[Quote("a lot of work", "Antonov")],
    )
    with Store(tmp_path / "s.db") as store:
        store.add_articles([article], analysis_version="v1")
    with Store(tmp_path / "s.db") as reopened:
        loaded = reopened.get_article(article.id)
        assert loaded is not None
        assert loaded.published == date(2021, 3, 20)
        assert loaded.analysis == article.analysis
        assert reopened.get_analyses([article.id], "v1")[article.id].quotes[0].speaker == "Antonov"
        assert reopened.get_analyses([article.id], "v2") == {}


def test_a_failing_batch_leaves_the_database_unchanged(tmp_path):
    with Store(tmp_path / "s.db") as store:
        store.add_articles([_article("first body")])
        broken = _article("second body")
        broken.title = None  # NOT NULL column: the insert fails halfway through the batch
        with pytest.raises(Exception, match="NOT NULL"):
            store.add_articles([_article("third body"), broken])
        assert store.count_articles() == 1
        assert [a.body for a in store.iter_articles()] == ["first body"]


def test_vectors_round_trip_by_model_and_hash():
    store = Store(":memory:")
    vector = np.arange(4, dtype=np.float32)
    store.put_vectors("model-a", {"h1": vector})
    assert np.array_equal(store.get_vectors("model-a", ["h1", "h2"])["h1"], vector)
    assert store.get_vectors("model-b", ["h1"]) == {}
    assert store.count_vectors("model-a") == 1
