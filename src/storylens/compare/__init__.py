"""Compare stage: two articles → the seven scores and the evidence behind each.

>>> from storylens.compare import Comparer            # doctest: +SKIP
>>> result = Comparer().compare(article_a, article_b)  # doctest: +SKIP
>>> result.scores["overall"], result.to_dict()["evidence"]["entities"]  # doctest: +SKIP
"""

from storylens.compare.comparer import Comparer, Comparison
from storylens.compare.render import render_text

__all__ = ["Comparer", "Comparison", "render_text"]
