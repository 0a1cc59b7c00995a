"""HTML pages: main text and metadata with trafilatura, then the common chrome cleaning.

``trafilatura.bare_extraction`` (2.x) returns a ``Document`` (or None) whose ``text`` is
the main content, one paragraph per line, and with ``with_metadata=True`` its ``title``,
``sitename``, ``date`` (``YYYY-MM-DD``, from ``article:published_time``, ``<time>``, ...)
and ``url`` (canonical link or ``og:url``). Boilerplate that sits *inside* the article
container (share buttons, "Read also" links, captions) survives it, hence the
:mod:`~storylens.ingest.chrome` pass on its lines too.
"""

from __future__ import annotations

import logging
from typing import Any

import trafilatura

from storylens.article import Article
from storylens.errors import InputError
from storylens.ingest.text import article_from_lines, clean_lines

__all__ = ["article_from_html"]

# trafilatura logs "discarding data" as warnings; a library must not print them through
# logging's last-resort handler. Applications that configure logging still see them.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("htmldate").addHandler(logging.NullHandler())


def _extract(html: str) -> Any:
    """trafilatura's Document for ``html``, or None when it finds no main text."""
    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,  # reader comments are not the article
            include_tables=True,
            include_images=False,
        )
    except (ValueError, TypeError):  # lxml refuses some inputs outright
        return None


def _fallback_text(html: str) -> str:
    """All visible text of the page, for pages too small or odd for the main-text model."""
    try:
        return trafilatura.html2txt(html) or ""
    except (ValueError, TypeError):
        return ""


def article_from_html(html: str, *, source: str = "<string>", **meta: Any) -> Article:
    """An :class:`Article` from an HTML page. ``meta`` (``title``, ``url``, ``outlet``,
    ``published``, ``lang``, ``id``) overrides what the page says about itself."""
    document = _extract(html)
    text = (document.text if document is not None else None) or _fallback_text(html)
    lines = clean_lines(text) if text else []
    if not lines:
        raise InputError(source, "malformed HTML: no extractable text")
    found: dict[str, Any] = {}
    if document is not None:
        found = {
            "title": document.title,
            "outlet": document.sitename or document.hostname,
            "url": document.url,
            "published": document.date,
        }
    found.update({key: value for key, value in meta.items() if value is not None})
    return article_from_lines(lines, source=source, meta={k: v for k, v in found.items() if v})
