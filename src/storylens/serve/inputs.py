"""Request bodies -> :class:`~storylens.article.Article` records, through ingest's own readers.

A POST body is JSON (one object or a list of objects with the fields ``storylens ingest``
reads from ``.json`` files), plain text or an HTML page; text and HTML take their metadata
from query parameters. Nothing here touches the server's disk: the ``filename`` parameter is
only a label (and the place a date like ``2021-03-20`` in a file name is read from).
"""

from __future__ import annotations

import json
import re
from typing import Any

from storylens.article import Article
from storylens.errors import InputError
from storylens.ingest import article_from_html, article_from_record, article_from_text
from storylens.ingest.encoding import decode_bytes
from storylens.ingest.jsonl import iter_json_records

SOURCE = "request"
TEXT_TYPES = ("text/plain", "text/html")
JSON_TYPE = "application/json"
MAX_ARTICLES_PER_REQUEST = 100


class UnsupportedBody(ValueError):
    """A body in a media type the endpoint does not read (a 400, not a malformed body)."""


# The JSON fields ingest reads (storylens.ingest.jsonl), as a schema for the API docs and fuzzing.
ARTICLE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One article, with the field names `storylens ingest` reads from JSON files "
    "(aliases such as `headline`, `body`, `content`, `published`, `language` are read too).",
    "properties": {
        "title": {"type": "string", "pattern": "\\S"},
        "text": {
            "anyOf": [
                {"type": "string", "pattern": "\\S"},
                {"type": "array", "items": {"type": "string", "pattern": "\\S"}, "minItems": 1},
            ]
        },
        "outlet": {"type": "string"},
        "url": {"type": "string"},
        "date": {"type": "string", "description": "publication date, ISO 8601 or any readable form"},
        "lang": {"type": "string", "description": "ISO 639-1 code; detected when absent"},
        "id": {"type": "string", "description": "the input's own id, kept as metadata"},
    },
    "anyOf": [{"required": ["title"]}, {"required": ["text"]}],
}


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header."""
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = next((p.split("=", 1)[1].strip('"') for p in parts[1:] if p.lower().startswith("charset=")), None)
    return parts[0].lower(), charset


def decode(body: bytes, charset: str | None) -> str:
    """Text of a body: the declared charset when there is one, else ingest's detection."""
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise InputError(SOURCE, f"body is not valid {charset}") from None
    return decode_bytes(body, SOURCE)


def articles_from_body(body: bytes, content_type: str | None, meta: dict[str, Any]) -> list[Article]:
    """The articles of a POST body; raises InputError (malformed) or UnsupportedBody."""
    kind, charset = media_type(content_type)
    if kind == JSON_TYPE or kind.endswith("+json"):
        articles = _from_json(body)
    elif kind in TEXT_TYPES:
        text = decode(body, charset)
        if not text.strip():
            raise InputError(SOURCE, "empty body")
        source = meta.pop("filename", None) or SOURCE
        given = {k: v for k, v in meta.items() if v not in (None, "")}
        if kind == "text/html":
            articles = [article_from_html(text, source=source, **given)]
        else:
            articles = [article_from_text(text, source=source, **given)]
    else:
        wanted = f"send {JSON_TYPE}, text/plain or text/html"
        raise UnsupportedBody(f"unsupported content type {kind or '(none)'!r}; {wanted}")
    if len(articles) > MAX_ARTICLES_PER_REQUEST:
        raise UnsupportedBody(f"{len(articles)} articles in one request; at most {MAX_ARTICLES_PER_REQUEST}")
    return articles


def _from_json(body: bytes) -> list[Article]:
    text = decode(body, "utf-8")
    if not text.strip():
        raise InputError(SOURCE, "empty body")
    return [article_from_json_value(record, where) for where, record in iter_json_records(text, SOURCE)]


def article_from_json_value(value: Any, source: str) -> Article:
    """One posted article (a list item, or ``compare``'s ``a`` / ``b``), its declared fields
    type-checked first: ingest reads files leniently, the API holds posts to its schema."""
    if isinstance(value, dict):
        for name, spec in ARTICLE_SCHEMA["properties"].items():
            if name in value and not _matches(value[name], spec):
                raise InputError(source, f"field '{name}' must be {_describe(spec)}")
    return article_from_record(value, source=source)


def _matches(value: Any, spec: dict[str, Any]) -> bool:
    if "anyOf" in spec:
        return any(_matches(value, option) for option in spec["anyOf"])
    if spec["type"] == "array":
        return isinstance(value, list) and len(value) >= spec.get("minItems", 0) and all(
            _matches(item, spec["items"]) for item in value
        )
    return isinstance(value, str) and ("pattern" not in spec or re.search(spec["pattern"], value) is not None)


def _describe(spec: dict[str, Any]) -> str:
    if "anyOf" in spec:
        return " or ".join(_describe(option) for option in spec["anyOf"])
    if spec["type"] == "array":
        return "a list of non-blank strings"
    return "a non-blank string" if "pattern" in spec else "a string"


def json_body(body: bytes) -> Any:
    """A JSON document of a body that must be JSON; InputError when it is not."""
    try:
        return json.loads(decode(body, "utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(SOURCE, f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise InputError(SOURCE, "malformed JSON: nested too deeply") from None
