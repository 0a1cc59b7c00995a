"""JSON and JSON Lines: one object, a list of objects, or one object per line.

Field names follow what news datasets and scrapers use, first match wins:
``title``/``headline``; ``text``/``body``/``content``; ``url``/``link``;
``outlet``/``source``/``site``/``sitename``/``publisher`` (a ``{"name": ...}`` object
too, as in news APIs); ``date``/``published``/``published_at``/``publish_date``;
``lang``/``language``; ``id``. Other fields are ignored.

Record sources: ``path`` for a single object, ``path[i]`` for item *i* (from 0) of a
JSON array, ``path:N`` for line *N* (from 1) of a JSON Lines file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from storylens.article import Article
from storylens.errors import InputError
from storylens.ingest.text import article_from_lines, clean_lines

__all__ = ["article_from_record", "iter_json_records", "iter_jsonl_records"]

_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "site", "sitename", "publisher"),
    "published": ("date", "published", "published_at", "publish_date"),
    "lang": ("lang", "language"),
    "id": ("id",),
}


def _field(record: dict[str, Any], name: str) -> Any:
    for key in _FIELDS[name]:
        value = record.get(key)
        if value not in (None, "", []):
            return value
    return None


def _as_text(value: Any, name: str, source: str) -> str | None:
    """A text field as a string: a list of paragraphs is joined, other types refused."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n\n".join(value)
    raise InputError(source, f"field '{name}' must be a string, got {type(value).__name__}")


def _outlet(value: Any) -> str | None:
    if isinstance(value, dict):  # news APIs: "source": {"id": ..., "name": ...}
        value = value.get("name")
    return str(value) if value not in (None, "") else None


def article_from_record(record: Any, *, source: str) -> Article:
    """An :class:`Article` from one decoded JSON object."""
    if not isinstance(record, dict):
        raise InputError(source, f"expected a JSON object, got {type(record).__name__}")
    title = _as_text(_field(record, "title"), "title", source)
    text = _as_text(_field(record, "text"), "text", source)
    if not (title and title.strip()) and not (text and text.strip()):
        raise InputError(source, "record has neither 'title' nor 'text'")
    meta = {
        "title": title,
        "url": _field(record, "url"),
        "outlet": _outlet(_field(record, "outlet")),
        "published": _field(record, "published"),
        "lang": _field(record, "lang"),
        "id": _field(record, "id"),
    }
    meta = {key: value for key, value in meta.items() if value is not None}
    return article_from_lines(clean_lines(text or ""), source=source, meta=meta)


def _malformed(error: json.JSONDecodeError) -> str:
    return f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"


_TOO_DEEP = "malformed JSON: nested too deeply"


def parse_jsonl_line(line: str, where: str) -> Any:
    """The object on one JSON Lines line; :class:`InputError` naming ``where`` when malformed."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(where, f"malformed JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise InputError(where, _TOO_DEEP) from None


def iter_jsonl_records(
    text: str, source: str, on_error: Callable[[InputError], None] | None = None
) -> Iterator[tuple[str, Any]]:
    """(record source, decoded object) per non-blank line; InputError names ``source:N``.
    With ``on_error`` a malformed line is handed to it and skipped instead of raised."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = parse_jsonl_line(line, where)
        except InputError as error:
            if on_error is None:
                raise
            on_error(error)
            continue
        yield where, record


def _looks_like_lines(text: str) -> bool:
    """Several non-blank lines, each an object on its own: JSON Lines named .json."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.startswith("{") and line.endswith("}") for line in lines)


def iter_json_records(
    text: str, source: str, on_error: Callable[[InputError], None] | None = None
) -> Iterator[tuple[str, Any]]:
    """(record source, decoded object) for a JSON document: one object or an array."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and _looks_like_lines(text):
            yield from iter_jsonl_records(text, source, on_error)
            return
        raise InputError(source, _malformed(error)) from None
    except RecursionError:  # "[[[[…" nested deeper than the parser's stack
        raise InputError(source, _TOO_DEEP) from None
    if isinstance(data, list):
        if not data:
            raise InputError(source, "no articles (empty JSON array)")
        for index, item in enumerate(data):
            yield f"{source}[{index}]", item
    else:
        yield source, data
