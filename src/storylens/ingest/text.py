"""Text to :class:`Article`: line normalisation, title choice, metadata, language.

Every reader (plain text, HTML, JSON) ends here, so every article gets the same
treatment: mojibake repair, whitespace normalisation, page-chrome removal, the first
headline-like line as its title when it has none, and a detected language unless the
input stated one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from storylens.article import Article
from storylens.errors import InputError
from storylens.ingest.chrome import is_headline_like, strip_chrome
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


def parse_date(value: Any) -> date | None:
    """A calendar day from an ISO string, a date/datetime, or anything ``dateparser``
    reads ("20 March 2021", "20 марта 2021"). None when it cannot be read: an unknown
    date is not a reason to drop an article."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
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


def build_article(
    title: str,
    body_lines: Iterable[str],
    *,
    source: str,
    removed: Iterable[str] = (),
    meta: Mapping[str, Any] | None = None,
) -> Article:
    """The :class:`Article` of cleaned parts; ``meta`` may hold any of :data:`META_KEYS`."""
    meta = dict(meta or {})
    unknown = set(meta) - META_KEYS
    if unknown:
        raise TypeError(f"unknown article metadata: {', '.join(sorted(unknown))}")
    body = "\n\n".join(body_lines)
    title = _clean_meta_text(title) or ""
    if not title and not body:
        raise InputError(source, "no article text (only page chrome or whitespace)")
    lang = _clean_meta_text(meta.get("lang"))
    if lang:
        # The input's own statement; "en-US" / "pt_BR" -> the language subtag.
        lang, confidence = lang.lower().replace("_", "-").split("-")[0], 1.0
    else:
        lang, confidence = detect_language(f"{title}\n\n{body}")
    return Article(
        title=title,
        body=body,
        lang=lang,
        lang_confidence=confidence,
        outlet=_clean_meta_text(meta.get("outlet")),
        url=_clean_meta_text(meta.get("url")),
        published=parse_date(meta.get("published")) or date_in_name(meta.get("url"), source),
        source=source,
        id=str(meta["id"]) if meta.get("id") not in (None, "") else "",
        removed_lines=list(removed),
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
    if title:
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
