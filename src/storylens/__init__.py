"""storylens: one news story through every outlet and language that covered it, offline."""

from storylens.article import Analysis, Article, DateMention, Entity, NumberMention, Quote
from storylens.errors import InputError, StorylensError

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Article",
    "DateMention",
    "Entity",
    "InputError",
    "NumberMention",
    "Quote",
    "StorylensError",
    "__version__",
]
