"""Ingest: files and folders of news articles -> cleaned :class:`~storylens.article.Article` records.

Formats: plain text / Markdown (``.txt .text .md``), HTML (``.html .htm``), JSON
(``.json``: one object or an array) and JSON Lines (``.jsonl .ndjson``). Other extensions
are sniffed: a leading ``<`` is HTML, a leading ``{`` or ``[`` JSON, anything else text.

Every input goes through the same steps: size and binary checks, encoding detection
(:mod:`.encoding`), mojibake repair, page-chrome removal (:mod:`.chrome`), title choice and
language identification (:mod:`.text`). Anything that cannot be read as an article raises
:class:`~storylens.errors.InputError` naming the file (``path:N`` for line *N* of a JSON
Lines file) and a short reason -- never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storylens.article import Article
from storylens.errors import InputError
from storylens.ingest.chrome import strip_chrome
from storylens.ingest.encoding import decode_bytes, read_limited
from storylens.ingest.html import article_from_html
from storylens.ingest.jsonl import article_from_record, iter_json_records, iter_jsonl_records
from storylens.ingest.text import article_from_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "article_files",
    "article_from_html",
    "article_from_record",
    "article_from_text",
    "iter_articles",
    "read_articles",
    "read_file",
    "stream_articles",
    "strip_chrome",
]

DEFAULT_MAX_BYTES = 20_000_000

EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
"""File extensions read from folders, and the format each one means."""

# A folder of articles often carries its own README (examples/ does): documentation, not news.
_DOC_STEMS = frozenset({"readme", "license", "licence", "changelog", "contributing", "authors", "notice"})

ErrorHandler = Callable[[InputError], None]


def _sniff(text: str) -> str:
    """The format of text whose extension says nothing."""
    start = text.lstrip()[:1]
    if start == "<":
        return "html"
    if start and start in "{[":
        return "json"
    return "text"


def _articles_in(text: str, fmt: str, source: str) -> Iterator[Article]:
    if fmt == "html":
        yield article_from_html(text, source=source)
    elif fmt == "json":
        for where, record in iter_json_records(text, source):
            yield article_from_record(record, source=where)
    elif fmt == "jsonl":
        for where, record in iter_jsonl_records(text, source):
            yield article_from_record(record, source=where)
    else:
        yield article_from_text(text, source=source)


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """The articles of one file (one, or several for JSON arrays and JSON Lines)."""
    path = Path(path)
    source = str(path)
    text = decode_bytes(read_limited(path, source, max_bytes), source)
    if not text.strip():
        raise InputError(source, "empty file (whitespace only)")
    fmt = EXTENSIONS.get(path.suffix.lower()) or _sniff(text)
    return list(_articles_in(text, fmt, source))


def _is_article_file(path: Path, root: Path) -> bool:
    """A known extension, not hidden (nor inside a hidden folder), not a README and the like."""
    if path.suffix.lower() not in EXTENSIONS or path.stem.lower() in _DOC_STEMS:
        return False
    return path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)


def article_files(folder: Path) -> list[Path]:
    """The article files under ``folder``, recursively, in sorted path order."""
    found = (path for path in folder.rglob("*") if _is_article_file(path, folder))
    return sorted(found, key=lambda path: path.relative_to(folder).as_posix())


def iter_articles(
    path: str | Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_error: ErrorHandler | None = None,
) -> Iterator[Article]:
    """Articles of a file or (recursively) a folder, in sorted path order.

    A file that cannot be read raises :class:`InputError` naming it, unless ``on_error`` is
    given: then it is called with the error and the file is skipped (e.g. to collect or log
    bad files and go on)."""
    path = Path(path)
    if not path.is_dir():
        yield from _guarded(path, max_bytes, on_error)
        return
    files = article_files(path)
    if not files:
        raise InputError(str(path), f"no article files ({' '.join(sorted(EXTENSIONS))}) in this folder")
    for file in files:
        yield from _guarded(file, max_bytes, on_error)


def _guarded(path: Path, max_bytes: int, on_error: ErrorHandler | None) -> Iterator[Article]:
    try:
        articles = read_file(path, max_bytes=max_bytes)
    except InputError as error:
        if on_error is None:
            raise
        on_error(error)
        return
    yield from articles


def stream_articles(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article]:
    """The articles of several files or folders, one at a time, in bounded memory: folders
    file by file, and a JSON Lines file above ``max_bytes`` line by line (UTF-8; each line
    at most ``max_bytes``) instead of being refused as too large. The first bad input raises
    :class:`InputError` (``path:N`` for a line)."""
    for path in paths:
        path = Path(path)
        files = [path] if not path.is_dir() else article_files(path)
        if path.is_dir() and not files:
            raise InputError(str(path), f"no article files ({' '.join(sorted(EXTENSIONS))}) in this folder")
        for file in files:
            if _is_big_jsonl(file, max_bytes):
                yield from _stream_jsonl(file, max_bytes)
            else:
                yield from read_file(file, max_bytes=max_bytes)


def _is_big_jsonl(path: Path, max_bytes: int) -> bool:
    if EXTENSIONS.get(path.suffix.lower()) != "jsonl":
        return False
    try:
        return path.is_file() and path.stat().st_size > max_bytes
    except OSError:
        return False


def _stream_jsonl(path: Path, max_bytes: int) -> Iterator[Article]:
    source = str(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{source}:{number}"
            if len(raw) > max_bytes:
                raise InputError(where, f"line too large: more than {max_bytes / 1e6:.1f} MB")
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                raise InputError(where, "undecodable: a large JSON Lines file is read as UTF-8") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(where, f"malformed JSON: {error.msg} (column {error.colno})") from None
            except RecursionError:
                raise InputError(where, "malformed JSON: nested too deeply") from None
            yield article_from_record(record, source=where)


def read_articles(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """All articles of a file or folder; the first bad file raises :class:`InputError`."""
    return list(iter_articles(path, max_bytes=max_bytes))
