"""The analyse stage: named entities, dates, quotes and numbers of an article, in ten
languages, offline and without a multilingual model; and cross-script name matching.

``analyze(article)`` fills ``article.analysis``; ``names.same_name`` and
``names.match_entities`` compare the entities of two articles across scripts.
"""

from storylens.analyze.names import EntityMatch, match_entities, name_key, same_name
from storylens.analyze.pipeline import analyze

__all__ = ["EntityMatch", "analyze", "match_entities", "name_key", "same_name"]
