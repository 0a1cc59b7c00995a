"""The :class:`Comparer`: profiles two articles, scores them with a similarity model and
collects the evidence (shared and unique entities, dates, quotes, numbers, passages)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from storylens.article import Article, Entity
from storylens.embed import CachedEncoder, get_encoder
from storylens.similarity import DIMENSIONS, build_profiles, label, load_model, pair_features
from storylens.similarity.features import feature_names
from storylens.similarity.model import SimilarityModel
from storylens.similarity.profile import Profile, model_window
from storylens.store import Store

# Below the pair's best passage match by more than this, a passage counts as unmatched:
# a fact, quote or angle that only one side reports. Relative, so it holds for any encoder.
UNMATCHED_MARGIN = 0.06
QUOTE_MATCH_RATIO = 80  # rapidfuzz ratio for the same quote in two same-language texts
TOP_PASSAGES = 5


@dataclass
class Comparison:
    a: Article
    b: Article
    scores: dict[str, float]
    evidence: dict[str, Any]
    model: str
    encoders: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "encoders": self.encoders,
            **{dim: {"score": round(self.scores[dim], 2), "label": label(self.scores[dim])} for dim in DIMENSIONS},
            "evidence": self.evidence,
            "articles": [_article_summary(self.a), _article_summary(self.b)],
        }


class Comparer:
    """Scores article pairs. Vectors are cached in ``store`` (when given) by content hash."""

    def __init__(self, store: Store | None = None, model: SimilarityModel | None = None) -> None:
        self.model = model or load_model()
        self.store = store
        self.encoders = [CachedEncoder(get_encoder(key), store) for key in self.model.encoders]
        self.encoder_names = [encoder.name for encoder in self.encoders]
        expected = getattr(self.model, "feature_names", None)
        if expected is not None and expected != feature_names(self.encoder_names):
            raise ValueError(f"model {self.model.name} was fitted on other features or encoder settings")

    def profiles(
        self, articles: Sequence[Article], progress: bool | None = None, store_analyses: bool = True
    ) -> list[Profile]:
        return build_profiles(articles, self.encoders, progress=progress, store_analyses=store_analyses)

    def score_profiles(self, a: Sequence[Profile], b: Sequence[Profile]) -> np.ndarray:
        """(n, 7) scores for the pairs (a[i], b[i])."""
        return self.model.predict(pair_features(a, b, self.encoder_names))

    def window_profiles(
        self, articles: Sequence[Article], progress: bool | None = None, profiled: Sequence[Profile] = ()
    ) -> list[Profile]:
        """Profiles of what the model scores: each article's
        :func:`~storylens.similarity.profile.model_window`. Windows are model inputs, not
        the user's articles: their analyses (a few ms each) are not stored; their vectors
        are cached like any text's. A short undated article is its own window: its profile
        in ``profiled``, when there, is reused."""
        known = {id(profile.article): profile for profile in profiled}
        windows = [model_window(article) for article in articles]
        todo = [w for w in windows if id(w) not in known]
        fresh = iter(self.profiles(todo, progress, store_analyses=False) if todo else [])
        return [known[id(w)] if id(w) in known else next(fresh) for w in windows]

    def score(self, pairs: Sequence[tuple[Article, Article]], progress: bool | None = None) -> np.ndarray:
        """(n, 7) scores of article pairs; each distinct article is profiled once."""
        distinct = {article.id: article for pair in pairs for article in pair}
        profiles = dict(zip(distinct, self.window_profiles(list(distinct.values()), progress), strict=True))
        return self.score_profiles([profiles[a.id] for a, _ in pairs], [profiles[b.id] for _, b in pairs])

    def compare(self, a: Article, b: Article) -> Comparison:
        profile_a, profile_b = self.profiles([a, b])  # whole articles: the evidence
        window_a, window_b = self.window_profiles([a, b], profiled=[profile_a, profile_b])
        scores = self.score_profiles([window_a], [window_b])[0]
        evidence = collect_evidence(profile_a, profile_b, self.encoder_names[0])
        return Comparison(
            a=a,
            b=b,
            scores=dict(zip(DIMENSIONS, map(float, scores), strict=True)),
            evidence=evidence,
            model=self.model.name,
            encoders=self.encoder_names,
        )


def collect_evidence(a: Profile, b: Profile, encoder: str) -> dict[str, Any]:
    from storylens.analyze.names import match_entities

    analysis_a, analysis_b = a.article.analysis, b.article.analysis
    assert analysis_a is not None and analysis_b is not None  # build_profiles analyses both
    by_kind = {}
    for kind in ("person", "org", "place"):
        match = match_entities(analysis_a.of_kind(kind), analysis_b.of_kind(kind))
        by_kind[kind] = {
            "shared": [_shared_entity(x, y) for x, y in match.shared],
            "only_a": [_entity_name(e) for e in match.only_a],
            "only_b": [_entity_name(e) for e in match.only_b],
        }
    return {
        "entities": {"people": by_kind["person"], "organisations": by_kind["org"]},
        "geography": {"places": by_kind["place"]},
        "time": _date_evidence(a, b),
        "quotes": _quote_evidence(a, b),
        "numbers": _number_evidence(a, b),
        "passages": _passage_evidence(a, b, encoder),
        "style": _style_evidence(a, b),
    }


def _entity_name(entity: Entity) -> str:
    return entity.canonical or entity.text


def _shared_entity(x: Entity, y: Entity) -> dict[str, str]:
    return {"name": _entity_name(x), "a": x.text, "b": y.text}


def _date_evidence(a: Profile, b: Profile) -> dict[str, Any]:
    dates_a = {d.value.isoformat(): d.text for d in a.article.analysis.dates if d.value}
    dates_b = {d.value.isoformat(): d.text for d in b.article.analysis.dates if d.value}
    shared = sorted(dates_a.keys() & dates_b.keys())
    closest = None
    if a.day_ordinals and b.day_ordinals:
        closest = min(abs(x - y) for x in a.day_ordinals for y in b.day_ordinals)
    published = [p.isoformat() if p else None for p in (a.article.published, b.article.published)]
    published_gap = None
    if a.article.published and b.article.published:
        published_gap = abs((a.article.published - b.article.published).days)
    return {
        "shared": shared,
        "only_a": sorted(dates_a.keys() - dates_b.keys()),
        "only_b": sorted(dates_b.keys() - dates_a.keys()),
        "closest_days": closest,
        "published": published,
        "published_days_apart": published_gap,
    }


def _quote_evidence(a: Profile, b: Profile) -> dict[str, Any]:
    quotes_a = a.article.analysis.quotes
    quotes_b = b.article.analysis.quotes
    shared = []
    for qa in quotes_a:
        best = max(quotes_b, key=lambda qb: fuzz.ratio(qa.text, qb.text), default=None)
        if best is not None and fuzz.ratio(qa.text, best.text) >= QUOTE_MATCH_RATIO:
            shared.append({"a": qa.text, "b": best.text, "speaker": qa.speaker or best.speaker})
    matched_a = {item["a"] for item in shared}
    matched_b = {item["b"] for item in shared}
    return {
        "shared": shared,
        "only_a": [{"text": q.text, "speaker": q.speaker} for q in quotes_a if q.text not in matched_a],
        "only_b": [{"text": q.text, "speaker": q.speaker} for q in quotes_b if q.text not in matched_b],
    }


def _number_evidence(a: Profile, b: Profile) -> dict[str, Any]:
    text_of_a = {round(n.value, 3): n.text for n in a.article.analysis.numbers}
    text_of_b = {round(n.value, 3): n.text for n in b.article.analysis.numbers}
    return {
        "shared": [text_of_a[v] for v in sorted(text_of_a.keys() & text_of_b.keys())],
        "only_a": [text_of_a[v] for v in sorted(text_of_a.keys() - text_of_b.keys())],
        "only_b": [text_of_b[v] for v in sorted(text_of_b.keys() - text_of_a.keys())],
    }


def _passage_evidence(a: Profile, b: Profile, encoder: str) -> dict[str, Any]:
    """The best-matching passage pairs, and the passages of each side that match nothing
    on the other side well (what only that outlet reports)."""
    from storylens.embed import article_views

    passages_a = article_views(a.article).passages
    passages_b = article_views(b.article).passages
    ea, eb = a.encoded[encoder], b.encoded[encoder]
    sims = ea.passages[: ea.n_passages] @ eb.passages[: eb.n_passages].T
    order = np.dstack(np.unravel_index(np.argsort(-sims, axis=None), sims.shape))[0]
    best, used_a, used_b = [], set(), set()
    for i, j in order:
        if i in used_a or j in used_b:
            continue
        best.append({"a": passages_a[i], "b": passages_b[j], "cosine": round(float(sims[i, j]), 3)})
        used_a.add(i)
        used_b.add(j)
        if len(best) == TOP_PASSAGES:
            break
    floor = float(sims.max()) - UNMATCHED_MARGIN
    return {
        "best_matches": best,
        "only_a": [passages_a[i] for i in range(ea.n_passages) if sims[i].max() < floor],
        "only_b": [passages_b[j] for j in range(eb.n_passages) if sims[:, j].max() < floor],
    }


def _style_evidence(a: Profile, b: Profile) -> dict[str, Any]:
    from storylens.similarity.profile import STYLE_FEATURES

    return {
        "a": {name: round(float(v), 3) for name, v in zip(STYLE_FEATURES, a.style, strict=True)},
        "b": {name: round(float(v), 3) for name, v in zip(STYLE_FEATURES, b.style, strict=True)},
        "quotes": [a.quotes, b.quotes],
    }


def _article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "lang": article.lang,
        "lang_confidence": round(article.lang_confidence, 3),
        "title": article.title,
        "body": article.body,
        "outlet": article.outlet,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "removed_lines": article.removed_lines,
    }
