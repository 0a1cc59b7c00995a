"""The :class:`Comparer`: profiles two articles, scores them with a similarity model and
collects the evidence (shared and unique entities, dates, quotes, numbers, passages)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from storylens.article import Article, DateMention, Entity
from storylens.embed import CachedEncoder, get_encoder
from storylens.similarity import DIMENSIONS, build_profiles, label, load_model, pair_features
from storylens.similarity.features import feature_names
from storylens.similarity.model import SimilarityModel
from storylens.similarity.profile import Profile, beyond_window, blend_views, model_window, retold, whole_article
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
        """JSON-ready: the seven scores with their labels, a one-line ``verdict``, the
        evidence, both articles, and ``notes`` on what the analyser could not cover
        (a language it has no rules for, a text cut to the per-article bound)."""
        return {
            "model": self.model,
            "encoders": self.encoders,
            "verdict": verdict(self.scores, self.evidence),
            "notes": coverage_notes(self.a, self.b),
            **{dim: {"score": round(self.scores[dim], 2), "label": label(self.scores[dim])} for dim in DIMENSIONS},
            "evidence": self.evidence,
            "articles": [_article_summary(self.a), _article_summary(self.b)],
        }


def coverage_notes(a: Article, b: Article) -> list[str]:
    """What each side's analysis left out, as sentences starting "A:" or "B:"."""
    notes = []
    for tag, article in (("A", a), ("B", b)):
        if article.analysis is not None:
            notes.extend(f"{tag}: {note[:1].upper()}{note[1:]}." for note in article.analysis.notes)
    return notes


# The overall score's reading, by the SemEval scale's bands (1 very similar … 4 very dissimilar).
_STORY_BANDS = ((1.75, "Same story"), (2.5, "Related stories"), (3.25, "Different stories with something in common"))
TOLD_DIFFERENTLY = 2.0  # narrative, style or tone above this: the same events are told another way


def verdict(scores: dict[str, float], evidence: dict[str, Any]) -> str:
    """One line for a reader: what the pair is, how similar overall, and what both name.

    >>> verdict({"overall": 1.37, "narrative": 1.6, "style": 2.3, "tone": 1.8},
    ...         {"entities": {"people": {"shared": [{"name": "Joe Biden"}]}}, "geography": {"places": {"shared": []}}})
    'Same story, told differently: very similar overall (1.37); both name Biden'
    """
    overall = scores["overall"]
    story = next((text for limit, text in _STORY_BANDS if overall <= limit), "Different stories")
    apart = evidence.get("time", {}).get("reports_from_days_apart")
    window = _story_window_days()
    if apart is not None and window is not None and apart > window and overall <= _STORY_BANDS[1][0]:
        # The stories' date gate: one event is reported within days; the text alone cannot tell a
        # recall from the return three months later.
        return f"Same topic, another event: reported {apart} days apart; {label(overall)} overall " \
               f"({overall:.2f}); {_shared_names(evidence)}"
    if story == "Same story" and any(scores.get(dim, 1.0) > TOLD_DIFFERENTLY for dim in ("narrative", "style", "tone")):
        story += ", told differently"
    return f"{story}: {label(overall)} overall ({overall:.2f}); {_shared_names(evidence)}"


@cache
def _story_window_days() -> int | None:
    """The shipped story settings' window: articles reporting from days further apart are
    another event (the same rule as the clusterer's date gate)."""
    from storylens.stories.clusterer import StoryParams

    return StoryParams.load().window_days


def _shared_names(evidence: dict[str, Any]) -> str:
    people = [_surname(item["name"]) for item in evidence["entities"]["people"]["shared"]]
    places = [item["name"] for item in evidence["geography"]["places"]["shared"]]
    named = sorted(dict.fromkeys(people))[:4] or places[:3]
    return f"both name {_and_list(named)}" if named else "no person or place named in both"


def _surname(name: str) -> str:
    from storylens.analyze.names import name_words

    words = name_words(name)
    return words[-1] if words else name


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
        in ``profiled``, when there, is reused; a short dated one borrows its vectors."""
        return self._view_profiles(articles, model_window, progress, profiled)

    def whole_profiles(
        self, articles: Sequence[Article], progress: bool | None = None, profiled: Sequence[Profile] = ()
    ) -> list[Profile]:
        """Profiles of each article whole and undated
        (:func:`~storylens.similarity.profile.whole_article`), the model's second view of an
        article longer than its window. A profile in ``profiled`` of the same text lends its
        vectors: only the undated analysis is made anew (as for windows)."""
        return self._view_profiles(articles, whole_article, progress, profiled)

    def _view_profiles(self, articles, view, progress, profiled) -> list[Profile]:
        known = {id(profile.article): profile for profile in profiled}
        by_text = {profile.article.full_text: profile for profile in profiled}
        views = [view(article) for article in articles]
        todo = [v for v in views if id(v) not in known and v.full_text not in by_text]
        fresh = iter(self.profiles(todo, progress, store_analyses=False) if todo else [])

        def profile_of(v: Article) -> Profile:
            if id(v) in known:
                return known[id(v)]
            return retold(by_text[v.full_text], v) if v.full_text in by_text else next(fresh)

        return [profile_of(v) for v in views]

    def score(self, pairs: Sequence[tuple[Article, Article]], progress: bool | None = None) -> np.ndarray:
        """(n, 7) scores of article pairs; each distinct article is profiled once (and once
        more whole, when it is longer than the model window)."""
        distinct = {article.id: article for pair in pairs for article in pair}
        windows = dict(zip(distinct, self.window_profiles(list(distinct.values()), progress), strict=True))
        scores = self.score_profiles([windows[a.id] for a, _ in pairs], [windows[b.id] for _, b in pairs])
        long_rows = [i for i, (a, b) in enumerate(pairs) if beyond_window(a) or beyond_window(b)]
        if long_rows:
            long = {a.id: a for i in long_rows for a in pairs[i]}
            views = self.whole_profiles(list(long.values()), progress, profiled=[*windows.values()])
            whole = dict(zip(long, views, strict=True))
            left, right = [whole[pairs[i][0].id] for i in long_rows], [whole[pairs[i][1].id] for i in long_rows]
            scores[long_rows] = blend_views(scores[long_rows], self.score_profiles(left, right))
        return scores

    def pair_scores(self, windows: Sequence[Profile], wholes: Sequence[Profile] | None = None) -> np.ndarray:
        """(7,) scores of one pair from its two window profiles, averaged with those of the
        whole articles when given (for a pair with an article beyond the model window)."""
        scores = self.score_profiles([windows[0]], [windows[1]])[0]
        if wholes is not None:
            scores = blend_views(scores, self.score_profiles([wholes[0]], [wholes[1]])[0])
        return scores

    def compare(self, a: Article, b: Article) -> Comparison:
        profile_a, profile_b = self.profiles([a, b])  # whole articles: the evidence
        profiled = [profile_a, profile_b]
        windows = self.window_profiles([a, b], profiled=profiled)
        wholes = self.whole_profiles([a, b], profiled=profiled) if beyond_window(a) or beyond_window(b) else None
        scores = self.pair_scores(windows, wholes)
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
        "tone": _tone_evidence(a, b),
    }


def _entity_name(entity: Entity) -> str:
    return entity.canonical or entity.text


def _shared_entity(x: Entity, y: Entity) -> dict[str, str]:
    return {"name": _entity_name(x), "a": x.text, "b": y.text}


def date_key(mention: DateMention) -> str | None:
    """A date as precise as the article wrote it, in ISO 8601: 2021-03-17 (a day), 2021-03
    (a month), 1934 (a year), --03-12 (a day without a year); None when unresolved."""
    if mention.value is None:
        return mention.month_day
    if mention.granularity == "year":
        return f"{mention.value.year:04d}"
    if mention.granularity == "month":
        return f"{mention.value.year:04d}-{mention.value.month:02d}"
    return mention.value.isoformat()


def _granularity(key: str) -> str:
    if key.startswith("--"):
        return "day of year"
    return {4: "year", 7: "month"}.get(len(key), "day")


def _date_evidence(a: Profile, b: Profile) -> dict[str, Any]:
    """Dates of each side by :func:`date_key`; a day without a year is shared with the same
    day of any year on the other side."""
    dates_a = _dates_by_key(a.article.analysis.dates)
    dates_b = _dates_by_key(b.article.analysis.dates)
    shared = set(dates_a) & set(dates_b)
    matched_a, matched_b = set(shared), set(shared)
    for mine, theirs, matched_mine, matched_theirs in ((dates_a, dates_b, matched_a, matched_b),
                                                       (dates_b, dates_a, matched_b, matched_a)):  # fmt: skip
        for key in mine:
            if key.startswith("--"):
                same_day = [k for k in theirs if len(k) == 10 and k.endswith(key[1:])]
                if same_day:
                    shared.update(same_day)
                    matched_mine.add(key)
                    matched_theirs.update(same_day)
    closest, basis = None, None
    if a.day_ordinals and b.day_ordinals:
        closest, basis = min(abs(x - y) for x in a.day_ordinals for y in b.day_ordinals), "calendar"
    else:
        closest = _closest_day_of_year(dates_a, dates_b)
        basis = "day of year" if closest is not None else None
    published = [p.isoformat() if p else None for p in (a.article.published, b.article.published)]
    published_gap = None
    if a.article.published and b.article.published:
        published_gap = abs((a.article.published - b.article.published).days)
    reports_from, year_day_gap = _reports_from(a.article, b.article)
    return {
        "shared": sorted(shared),
        "only_a": sorted(set(dates_a) - matched_a),
        "only_b": sorted(set(dates_b) - matched_b),
        "closest_days": closest,
        "closest_days_basis": basis,
        "published": published,
        "published_days_apart": published_gap,
        "reports_from": reports_from,
        "reports_from_days_apart": published_gap if published_gap is not None else year_day_gap,
        "mentions": {"a": _date_mentions(dates_a), "b": _date_mentions(dates_b)},
    }


def _reports_from(a: Article, b: Article) -> tuple[list[str | None], int | None]:
    """The day each article reports from, as the story clusterer's date gate reads it (its
    publication date, else its dateline's or lede's day; "--06-20" when there is no year),
    and the days between those days of the year, the short way round (None when one is
    unknown; the caller prefers the publication dates' gap when both have one)."""
    from storylens.stories.clusterer import NO_YEAR_DAY, days_apart
    from storylens.stories.profiles import event_year_day, year_day_text

    days = [event_year_day(a), event_year_day(b)]
    shown = [a.published.isoformat() if a.published else year_day_text(days[0]),
             b.published.isoformat() if b.published else year_day_text(days[1])]  # fmt: skip
    if NO_YEAR_DAY in days:
        return shown, None
    return shown, days_apart(*days)


def _dates_by_key(mentions: Sequence[DateMention]) -> dict[str, str]:
    """key → the text as first written."""
    found: dict[str, str] = {}
    for mention in mentions:
        key = date_key(mention)
        if key is not None:
            found.setdefault(key, mention.text)
    return found


def _date_mentions(dates: dict[str, str]) -> list[dict[str, str]]:
    return [{"value": key, "granularity": _granularity(key), "text": text} for key, text in sorted(dates.items())]


def _closest_day_of_year(dates_a: dict[str, str], dates_b: dict[str, str]) -> int | None:
    """Days between the nearest days of the year (12 March, 3 September: 175), for pairs
    whose days have no year to put them on a calendar."""
    days_a, days_b = _days_of_year(dates_a), _days_of_year(dates_b)
    if not days_a or not days_b:
        return None
    return min(min(abs(x - y), 366 - abs(x - y)) for x in days_a for y in days_b)


def _days_of_year(dates: dict[str, str]) -> set[int]:
    days = set()
    for key in dates:
        if key.startswith("--") or len(key) == 10:
            month, day = int(key[-5:-3]), int(key[-2:])
            days.add(date(2000, month, day).timetuple().tm_yday)  # 2000: leap, 29 February fits
    return days


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
    """The model's style features (``a``, ``b``: raw, by feature name) and the same facts
    in words a reader knows (``readable``: name, value A, value B, unit)."""
    from storylens.similarity.profile import STYLE_FEATURES

    facts_a, facts_b = text_facts(a.article), text_facts(b.article)
    return {
        "a": {name: round(float(v), 3) for name, v in zip(STYLE_FEATURES, a.style, strict=True)},
        "b": {name: round(float(v), 3) for name, v in zip(STYLE_FEATURES, b.style, strict=True)},
        "quotes": [a.quotes, b.quotes],
        "readable": [
            {"name": name, "a": facts_a[key], "b": facts_b[key], "unit": unit} for key, name, unit in _STYLE_FACTS
        ],
    }


_STYLE_FACTS = (
    ("words", "words", ""),
    ("sentences", "sentences", ""),
    ("words_per_sentence", "average sentence length", "words"),
    ("digit_share", "share of digits", "%"),
    ("capital_share", "share of capital letters", "%"),
    ("quoted_share", "share of text in quotes", "%"),
)
# Words that distance a writer from a claim or load it. English only, like most wires' copy;
# other languages count none (said so in the report, not guessed).
HEDGES = ("reportedly", "allegedly", "purportedly", "apparently", "so-called", "claimed", "claims", "according to",
          "unconfirmed", "unverified", "alleged", "supposedly")  # fmt: skip
_HEDGE_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(h) for h in HEDGES) + r")(?!\w)", re.IGNORECASE)
QUOTE_CHARS = '"“”«»„‘’「」'


def text_facts(article: Article) -> dict[str, Any]:
    """Counts a reader can check in the text: words, sentences, shares of digits,
    capitals and quoted text, question and exclamation marks, hedging words."""
    quoted = sum(len(q.text) for q in article.analysis.quotes) if article.analysis else 0
    facts = _text_facts(article.full_text, article.body, quoted)
    return {**facts, "hedges": list(facts["hedges"])}  # a copy: the cached one is shared


@lru_cache(maxsize=1024)  # per-article work, asked by every pair (and twice per pair) an article is in
def _text_facts(text: str, body: str, quoted: int) -> dict[str, Any]:
    from storylens.embed import split_sentences

    sentences = split_sentences(body) or [body]
    words = re.findall(r"\w+", text)
    letters = max(sum(map(str.isalpha, text)), 1)
    return {
        "words": len(words),
        "sentences": len(sentences),
        "words_per_sentence": round(len(words) / max(len(sentences), 1), 1),
        "digit_share": round(100 * sum(map(str.isdigit, text)) / max(len(text), 1), 1),
        "capital_share": round(100 * sum(map(str.isupper, text)) / letters, 1),
        "quoted_share": round(100 * quoted / max(len(text), 1), 1),
        "questions": sum(text.count(ch) for ch in "?؟？"),
        "exclamations": sum(text.count(ch) for ch in "!！"),
        "hedges": tuple(sorted(m.group().lower() for m in _HEDGE_RE.finditer(text))),
    }


def _tone_evidence(a: Profile, b: Profile) -> dict[str, Any]:
    """What the tone score can be checked against: how much each side quotes, asks and
    exclaims, and the hedging words it uses (English)."""
    sides = {}
    for tag, profile in (("a", a), ("b", b)):
        facts = text_facts(profile.article)
        sides[tag] = {
            "quotes": len(profile.article.analysis.quotes),
            "quoted_share": facts["quoted_share"],
            "questions": facts["questions"],
            "exclamations": facts["exclamations"],
            "hedges": facts["hedges"],
        }
    return sides


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
