"""Language identification: ISO 639-1 code and confidence for a text, offline.

Wraps ``py3langid`` (its naive-Bayes model ships inside the package) in its
normalised-probability mode, so the confidence is a probability in [0, 1]. Two things are
added on top of the raw classifier:

* an *abstain* path: text with too little linguistic content (empty, digits and
  punctuation, a handful of letters, or a tie between many languages) gives
  ``(None, 0.0)`` -- "unknown language" is a legitimate answer, not an error;
* regional varieties that the model labels separately (Egyptian and Moroccan Arabic, Wu
  and Cantonese Chinese, ...) are folded into their ISO 639-1 macro-language, and their
  probabilities summed, because storylens compares *languages*, not dialects.
"""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

__all__ = ["MIN_CONFIDENCE", "MIN_LETTERS", "detect_language"]

MIN_LETTERS = 20
"""Below this many letters (an ideograph counts as two) the text is not classified."""

MIN_CONFIDENCE = 0.2
"""Below this probability the best guess is no better than a shrug: answer ``None``."""

_MAX_CHARS = 20_000  # the first 20k characters decide; classifying 20 MB adds nothing
# Cost: bounded -- whatever the length of the text, only its first _MAX_CHARS characters are read.

# py3langid labels that are varieties of an ISO 639-1 macro-language.
_MACRO = {
    "ary": "ar",  # Moroccan Arabic
    "arz": "ar",  # Egyptian Arabic
    "wuu": "zh",  # Wu Chinese
    "yue": "zh",  # Cantonese
    "uzs": "uz",  # Southern Uzbek
    "gug": "gn",  # Paraguayan Guarani
}
_NO_LANGUAGE = {"zxx", "und"}  # "no linguistic content", "undetermined"

# Bounded repeats: "\S+@" would backtrack over a whole run of non-spaces from every start
# (quadratic on a 20k-character line without spaces); addresses are short.
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[^\s@]{1,64}@[^\s@]{1,255}\.\w+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """Load the bundled model once (about half a second), in probability mode."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _is_wide(char: str) -> bool:
    """Kana, CJK ideographs and hangul syllables: one of them carries about a short word."""
    code = ord(char)
    return 0x3040 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


def _enough_letters(text: str) -> bool:
    """Whether ``text`` has at least :data:`MIN_LETTERS` letters (wide ones count double)."""
    weight = 0
    for char in text:
        if char.isalpha():
            weight += 2 if _is_wide(char) else 1
            if weight >= MIN_LETTERS:
                return True
    return False


def _fold(ranked: list[tuple[str, float]]) -> tuple[str, float]:
    """Sum the probabilities of labels that map to one macro-language; return the best."""
    totals: dict[str, float] = {}
    for label, prob in ranked:
        code = _MACRO.get(label, label)
        totals[code] = totals.get(code, 0.0) + prob
    return max(totals.items(), key=lambda item: item[1])


def detect_language(text: str) -> tuple[str | None, float]:
    """The language of ``text`` as ``(ISO 639-1 code, probability)``.

    Returns ``(None, 0.0)`` when the text has too little linguistic content to tell. Codes
    are two-letter where ISO 639-1 has one; the few model labels without one (e.g. ``ace``)
    are returned as their ISO 639-3 code.
    """
    sample = _URL_OR_EMAIL.sub(" ", text[:_MAX_CHARS])
    if not _enough_letters(sample):
        return None, 0.0
    code, prob = _fold(_identifier().rank(sample))
    if code in _NO_LANGUAGE or prob < MIN_CONFIDENCE:
        return None, 0.0
    return code, min(1.0, max(0.0, prob))
