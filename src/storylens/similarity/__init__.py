"""Similarity stage: article profiles, pair features and the models that score them."""

from storylens.similarity.features import feature_names, pair_features
from storylens.similarity.model import (
    DIMENSIONS,
    EvidenceModel,
    LearnedModel,
    SimilarityModel,
    label,
    load_model,
)
from storylens.similarity.profile import Profile, build_profiles

__all__ = [
    "DIMENSIONS",
    "EvidenceModel",
    "LearnedModel",
    "Profile",
    "SimilarityModel",
    "build_profiles",
    "feature_names",
    "label",
    "load_model",
    "pair_features",
]
