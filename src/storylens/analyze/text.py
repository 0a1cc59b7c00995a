"""Script detection, folding and tokenisation shared by the analysers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

Script = Literal["latin", "cyrillic", "arabic", "cjk", "other"]

_ARABIC_FOLD = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None, "ٱ": "ا", "’": "'", "ʼ": "'", "‘": "'"})
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case- and accent-insensitive form used for every lookup: ``Moscú`` → ``moscu``,
    ``أنطونوف`` → ``انطونوف`` (hamza seats and vowel marks go, ة → ه, ى → ي).

    >>> fold("Moscú"), fold("İstanbul"), fold("Biden’s")
    ('moscu', 'istanbul', "biden's")
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_ARABIC_FOLD)


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits → ASCII, same length (offsets stay valid)."""
    return text.translate(_ARABIC_DIGITS)


def char_script(char: str) -> Script:
    code = ord(char)
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3040 <= code <= 0x30FF or 0xAC00 <= code <= 0xD7AF:
        return "cjk"
    if (char.isalpha() and code < 0x0250) or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    return "other"


def script_of(text: str) -> Script:
    """The script most letters of ``text`` are in (the first 2,000 letters decide).

    >>> script_of("Путин"), script_of("بوتين"), script_of("普京"), script_of("Putin")
    ('cyrillic', 'arabic', 'cjk', 'latin')
    """
    counts: dict[Script, int] = {}
    seen = 0
    for char in text:
        if char.isalpha():
            script = char_script(char)
            counts[script] = counts.get(script, 0) + 1
            seen += 1
            if seen >= 2000:
                break
    return max(counts, key=counts.__getitem__) if counts else "other"


def language_of(text: str, lang: str | None) -> str | None:
    """``lang`` when given, else a guess from the script (None for Latin: the Latin rules
    then use the word lists of every Latin language)."""
    if lang:
        return lang.split("-")[0].split("_")[0].lower()
    return {"cyrillic": "ru", "arabic": "ar", "cjk": "zh"}.get(script_of(text))


# A possessive or Turkish case suffix after an apostrophe: Biden's, Putin'in, Örgütü’nden.
POSSESSIVE_RE = re.compile(r"['’][a-zçğıöşü]{0,5}$")

_ARABIC_LETTERS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "", "پ": "p", "چ": "ch", "ڤ": "v", "گ": "g",
}  # fmt: skip


def romanize_arabic(word: str) -> str:
    """A readable Latin spelling of an Arabic-script name, long vowels written: و and ي
    are u and i between consonants, w and y elsewhere (anyascii writes no vowels).

    >>> romanize_arabic("بوتين"), romanize_arabic("أنطونوف"), romanize_arabic("واشنطن")
    ('butin', 'antunuf', 'washntn')
    """
    letters = fold(word)
    out = []
    for i, char in enumerate(letters):
        previous = letters[i - 1] if i else ""
        if char == "ا":
            out.append("a")
        elif char in "وي":
            consonant = i > 0 and previous not in "اوي"
            out.append(("u" if char == "و" else "i") if consonant else ("w" if char == "و" else "y"))
        elif char == "ه" and i == len(letters) - 1 and previous != "ا":
            out.append("a")  # ة, folded to ه: a final -a
        else:
            out.append(_ARABIC_LETTERS.get(char, char))
    return "".join(out)
