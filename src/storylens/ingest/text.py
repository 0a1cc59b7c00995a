"""Text to :class:`Article`: line normalisation, title choice, metadata, language.

Every reader (plain text, HTML, JSON) ends here, so every article gets the same
treatment: mojibake repair, whitespace normalisation, page-chrome removal, the first
headline-like line as its title when it has none, and a detected language unless the
input stated one. A page that was only an access wall (a cookie, ad-block or robot-check
page: nothing but the notice, maybe under the headline) is refused with the reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from storylens.article import Article
from storylens.errors import InputError, warn
from storylens.ingest.chrome import is_headline_like, is_paragraph, split_photo_credits, strip_chrome, wall_kind
from storylens.ingest.encoding import fix_mojibake
from storylens.langid import detect_language

__all__ = [
    "META_KEYS",
    "article_from_lines",
    "article_from_text",
    "build_article",
    "clean_line",
    "clean_lines",
    "date_in_name",
    "parse_date",
    "split_title",
    "wall_page",
]

META_KEYS = frozenset({"title", "url", "outlet", "published", "lang", "id"})
"""The metadata an article may be given besides its text."""

# Every Unicode space (NBSP, thin space, ideographic space, ...) becomes a plain space;
# zero-width characters and soft hyphens go: scraped text is full of them.
_SPACES = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def clean_line(line: str) -> str:
    """One line with invisible characters removed and runs of spaces collapsed."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def clean_lines(text: str) -> list[str]:
    """Mojibake-repaired, whitespace-normalised non-empty lines of ``text``.

    Every line is a paragraph: scrapers separate paragraphs by one newline as often as
    by a blank line. Markdown heading marks are dropped (``# Title`` -> ``Title``)."""
    text = fix_mojibake(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (clean_line(_MARKDOWN_HEADING.sub("", line)) for line in text.split("\n"))
    return [line for line in lines if line]


def split_title(lines: list[str]) -> tuple[str, list[str]]:
    """(title, body lines): the first line when it is headline-like, else no title.

    News pages often put a kicker (overline) above the headline: "After Biden described
    Putin as a 'killer'" / "Russia's ambassador to America returns to Moscow". When the
    first two lines are both headline-like and the text goes on, both are the title,
    joined by a colon. Further down, a short line is a subheading, not part of the title.

    >>> split_title(["After the storm", "Valencia counts its dead", "The floods killed 200 people."])
    ('After the storm: Valencia counts its dead', ['The floods killed 200 people.'])
    """
    if not lines or not is_headline_like(lines[0]):
        return "", lines
    if len(lines) > 2 and is_headline_like(lines[1]) and not _BYLINE.match(lines[1]):
        kicker = lines[0].rstrip()
        joiner = " " if kicker.endswith(("?", "!", ":", "：", "-", "–", "—")) else ": "
        return f"{kicker}{joiner}{lines[1].strip()}", lines[2:]
    return lines[0], lines[1:]


_BYLINE = re.compile(r"^(by|von|por|par|di|от|автор|بقلم|yazan|autor)\b", re.IGNORECASE)


_MAX_DATE_CHARS = 100  # a date is short; dateparser is not fed a paragraph


def parse_date(value: Any) -> date | None:
    """A calendar day from an ISO string, a date/datetime, or anything ``dateparser``
    reads ("20 March 2021", "20 марта 2021"). None when it cannot be read: an unknown
    date is not a reason to drop an article."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_DATE_CHARS:
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    import dateparser  # slow to import (~0.5 s): only for dates that are not ISO

    parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False})
    return parsed.date() if parsed else None


def _clean_meta_text(value: Any) -> str | None:
    if value is None:
        return None
    text = clean_line(fix_mojibake(str(value)))
    return text or None


def _quoted(value: Any) -> str:
    """A metadata value for a warning: JSON-like and short."""
    text = repr(value) if not isinstance(value, float) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _input_id(value: Any, source: str) -> str | None:
    """The input's own id for the record (metadata, never the article id): a string or a
    number; anything else is ignored with a warning rather than stringified."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        warn(source, f"field 'id' must be a string or a number, got {type(value).__name__}; ignored")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        warn(source, f"field 'id' is {value}; ignored")
        return None
    return clean_line(str(value)) or None


def _published(value: Any, source: str) -> date | None:
    """The declared publication day; a value that is no date is dropped with a warning."""
    if value is None or value == "":
        return None
    day = parse_date(value)
    if day is None:
        warn(source, f"field 'published' is not a date ({_quoted(value)}); dropped")
    return day


@lru_cache(maxsize=1)
def _iso_639_1() -> dict[str, str]:
    """ISO 639-1 codes, and the ISO 639-3 codes of those languages mapped to them."""
    import pycountry

    codes: dict[str, str] = {}
    for language in pycountry.languages:
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2:
            codes[alpha_2] = alpha_2
            codes.setdefault(language.alpha_3, alpha_2)
    return codes


# Languages py3langid confuses with a neighbour even at high confidence: a declaration of
# one of them is not contradicted by detecting another of the same group.
_CLOSE_LANGUAGES = ({"hr", "sr", "bs", "sh", "me"}, {"no", "nb", "nn", "da"}, {"ms", "id"}, {"cs", "sk"})
CONTRADICTION_CONFIDENCE = 0.95
"""Detection at least this sure of another language overrides a declared ``lang``."""


def _declared_lang(value: Any, source: str) -> str | None:
    """A declared language as an ISO 639-1 code ("en-US", "pt_BR", "eng" -> "en", "pt",
    "en"), or None (with a warning) when it is no known code."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        code = value.strip().lower().replace("_", "-").split("-")[0]
        known = _iso_639_1().get(code)
        if known:
            return known
    warn(source, f"field 'lang' is not an ISO 639-1 language code ({_quoted(value)}); detecting the language")
    return None


def _related(one: str, other: str) -> bool:
    return any(one in group and other in group for group in _CLOSE_LANGUAGES)


def _language(text: str, declared: Any, source: str) -> tuple[str | None, float]:
    """(language, confidence): detected, unless the input declares a valid code that the
    text does not clearly contradict -- then the declaration, at confidence 1.0.

    A declaration that detection contradicts with at least :data:`CONTRADICTION_CONFIDENCE`
    (``lang: ru`` on English text) is overridden with a warning: trusting it would run the
    wrong language's analysers and find nothing."""
    lang = _declared_lang(declared, source)
    detected, confidence = detect_language(text)
    if lang is None or detected in (None, lang):
        return (lang, 1.0) if lang else (detected, confidence)
    if confidence >= CONTRADICTION_CONFIDENCE and not _related(lang, detected):
        warn(source, f"declared lang '{lang}' contradicts the text ({detected}, {confidence:.2f}); using {detected}")
        return detected, confidence
    return lang, 1.0


def _wall_kinds(removed: Iterable[str]) -> list[str]:
    """The kinds of access wall among the removed lines, in page order, each once."""
    kinds = (wall_kind(line) for line in removed)
    return list(dict.fromkeys(kind for kind in kinds if kind))


def wall_refusal(title: str, body_lines: Sequence[str], removed: Iterable[str]) -> str | None:
    """Why a page of an access wall is no article (``no article text: the page is an access
    wall (ad-block notice) under its title, not the article``), or None when it is not one:
    its removed lines hold a wall and its body has no paragraph left."""
    if any(is_paragraph(line) for line in body_lines):
        return None
    kinds = _wall_kinds(removed)
    if not kinds:
        return None
    under = " under its title" if title else ""
    return f"no article text: the page is an access wall ({', '.join(kinds)}){under}, not the article"


def wall_page(text: str) -> tuple[str, str | None]:
    """``text``'s title as :func:`article_from_text` takes it, and the reason it refuses the
    page as an access wall (None when the page is no wall page).

    Cheaper than building the article (no language detection): for code that meets texts
    outside ``ingest`` (the SemEval data) and must treat them as ingest would.

    >>> wall_page("Access denied\\nYour IP address has been blocked. Please verify you are a human.")
    ('', 'no article text: the page is an access wall (IP block / robot check), not the article')
    >>> wall_page("Storm hits Valencia\\nThe floods killed 200 people on Tuesday, the regional government said.")
    ('Storm hits Valencia', None)
    """
    kept, removed = strip_chrome(clean_lines(text))
    title, kept = split_title(kept)
    return title, wall_refusal(title, kept, removed)


def build_article(
    title: str,
    body_lines: Iterable[str],
    *,
    source: str,
    removed: Iterable[str] = (),
    meta: Mapping[str, Any] | None = None,
) -> Article:
    """The :class:`Article` of cleaned parts; ``meta`` may hold any of :data:`META_KEYS`.

    Declared metadata is validated, never trusted blindly: an invalid ``lang``, ``id`` or
    ``published`` is ignored with a one-line warning (:func:`storylens.errors.warn`). The
    ``id`` becomes :attr:`Article.input_id`; the article id is always the content hash.

    A page whose removed lines hold an access wall (:func:`~storylens.ingest.chrome.wall_kind`:
    a cookie or ad-block wall, an IP block, ...) and whose body has no paragraph left was
    blocked: it holds at most the headline of the article it hides, which is not the article.
    It raises :class:`InputError` saying so. (A page without a wall may still be a headline
    alone, as before: a feed's title-only record is an article.)"""
    meta = dict(meta or {})
    unknown = set(meta) - META_KEYS
    if unknown:
        raise TypeError(f"unknown article metadata: {', '.join(sorted(unknown))}")
    body_lines = list(body_lines)
    removed = list(removed)
    body = "\n\n".join(body_lines)
    title = _clean_meta_text(title) or ""
    refusal = wall_refusal(title, body_lines, removed)
    if refusal:
        raise InputError(source, refusal)
    if not title and not body:
        raise InputError(source, "no article text (only page chrome or whitespace)")
    lang, confidence = _language(f"{title}\n\n{body}", meta.get("lang"), source)
    return Article(
        title=title,
        body=body,
        lang=lang,
        lang_confidence=confidence,
        outlet=_clean_meta_text(meta.get("outlet")),
        url=_clean_meta_text(meta.get("url")),
        published=_published(meta.get("published"), source) or date_in_name(meta.get("url"), source),
        source=source,
        input_id=_input_id(meta.get("id"), source),
        removed_lines=removed,
    )


_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_/.](0[1-9]|1[0-2])[-_/.](0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_name(*names: Any) -> date | None:
    """The publication day written into a URL or file name (``/2021/03/20/``,
    ``sputnik-2021-03-20.txt``), the usual fallback when a page states no date: relative
    dates in the text ("on Wednesday", "yesterday") can only be resolved against it.

    >>> date_in_name("https://x.com/world/2021/03/20/story.html"), date_in_name("a.txt")
    (datetime.date(2021, 3, 20), None)
    """
    for name in names:
        match = _NAME_DATE.search(str(name or ""))
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                continue
    return None


def article_from_lines(lines: list[str], *, source: str, meta: Mapping[str, Any] | None = None) -> Article:
    """Strip the chrome from ``lines`` and take the title from them unless ``meta`` has one."""
    meta = dict(meta or {})
    kept, removed = strip_chrome(lines)
    title = _clean_meta_text(meta.pop("title", None))
    if title and wall_kind(title):  # a block page's <title>: "Access denied"
        removed = [*removed, title]
        title = None
    if title:
        # A page's <title> or a feed's title field may carry its photo's credit too.
        title, credits, _ = split_photo_credits(title)
        removed = [*removed, *credits]
        # Pages often repeat their headline as the first line of the text.
        if kept and kept[0].casefold() == title.casefold():
            kept = kept[1:]
    else:
        title, kept = split_title(kept)
    return build_article(title or "", kept, source=source, removed=removed, meta=meta)


def article_from_text(text: str, *, source: str = "<string>", **meta: Any) -> Article:
    """An :class:`Article` from plain text: chrome removed, first headline-like line as
    title (unless ``title=`` is given), language detected (unless ``lang=`` is given).

    ``meta``: ``title``, ``url``, ``outlet``, ``published`` (date or date string), ``lang``, ``id``.
    """
    if not text.strip():
        raise InputError(source, "empty text")
    return article_from_lines(clean_lines(text), source=source, meta=meta)
