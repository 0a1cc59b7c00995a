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

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from storylens.article import Article
from storylens.errors import InputError
from storylens.ingest.chrome import strip_chrome
from storylens.ingest.encoding import decode_bytes, read_limited
from storylens.ingest.html import article_from_html
from storylens.ingest.jsonl import article_from_record, iter_json_records, iter_jsonl_records, parse_jsonl_line
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


def _articles_in(text: str, fmt: str, source: str, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    if fmt == "html":
        yield article_from_html(text, source=source)
    elif fmt in ("json", "jsonl"):
        records = iter_json_records if fmt == "json" else iter_jsonl_records
        for where, record in records(text, source, on_error):
            yield from _record_article(record, where, on_error)
    else:
        yield article_from_text(text, source=source)


def _record_article(record, where: str, on_error: ErrorHandler | None) -> Iterator[Article]:
    """The article of one JSON record; a bad record goes to ``on_error`` when there is one."""
    try:
        yield article_from_record(record, source=where)
    except InputError as error:
        if on_error is None:
            raise
        on_error(error)


def read_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, on_error: ErrorHandler | None = None
) -> list[Article]:
    """The articles of one file (one, or several for JSON arrays and JSON Lines). With
    ``on_error`` a bad record of a JSON (Lines) file is handed to it and skipped, so one
    malformed line or access-wall record does not cost the file's other articles; a file
    that cannot be read at all still raises."""
    path = Path(path)
    source = str(path)
    text = decode_bytes(read_limited(path, source, max_bytes), source)
    if not text.strip():
        raise InputError(source, "empty file (whitespace only)")
    fmt = EXTENSIONS.get(path.suffix.lower()) or _sniff(text)
    return list(_articles_in(text, fmt, source, on_error))


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
        articles = read_file(path, max_bytes=max_bytes, on_error=on_error)
    except InputError as error:
        if on_error is None:
            raise
        on_error(error)
        return
    yield from articles


def stream_articles(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, on_error: ErrorHandler | None = None
) -> Iterator[Article]:
    """The articles of several files or folders, one at a time, in bounded memory: folders
    file by file, and a JSON Lines file above ``max_bytes`` line by line (UTF-8; each line
    at most ``max_bytes``) instead of being refused as too large. The first bad input raises
    :class:`InputError` (``path:N`` for a line), unless ``on_error`` is given: then every bad
    input (a missing path, an unreadable file, a bad record or line) is handed to it and
    skipped, and the rest streams on."""
    for path in paths:
        path = Path(path)
        files = [path] if not path.is_dir() else article_files(path)
        if path.is_dir() and not files:
            _report(InputError(str(path), f"no article files ({' '.join(sorted(EXTENSIONS))}) in this folder"),
                    on_error)  # fmt: skip
        for file in files:
            if _is_big_jsonl(file, max_bytes):
                yield from _stream_jsonl(file, max_bytes, on_error)
            else:
                yield from _guarded(file, max_bytes, on_error)


def _report(error: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise error
    on_error(error)


def _is_big_jsonl(path: Path, max_bytes: int) -> bool:
    if EXTENSIONS.get(path.suffix.lower()) != "jsonl":
        return False
    try:
        return path.is_file() and path.stat().st_size > max_bytes
    except OSError:
        return False


def _stream_jsonl(path: Path, max_bytes: int, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    source = str(path)
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{source}:{number}"
            if len(raw) > max_bytes:
                _report(InputError(where, f"line too large: more than {max_bytes / 1e6:.1f} MB"), on_error)
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                _report(InputError(where, "undecodable: a large JSON Lines file is read as UTF-8"), on_error)
                continue
            if not line.strip():
                continue
            try:
                record = parse_jsonl_line(line, where)
            except InputError as error:
                _report(error, on_error)
                continue
            yield from _record_article(record, where, on_error)


def read_articles(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article]:
    """All articles of a file or folder; the first bad file raises :class:`InputError`."""
    return list(iter_articles(path, max_bytes=max_bytes))
