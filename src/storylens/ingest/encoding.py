"""Bytes to clean text: size and binary checks, encoding detection, mojibake repair.

Order matters and each step is there for a reason:

1. the size is checked with ``stat`` *before* reading, so a 5 GB file is refused without
   being loaded (and a sparse file full of NULs is "too large", not "binary");
2. a byte-order mark wins, because it is the writer's own statement of the encoding (and
   UTF-16/32 text is full of NUL bytes that would otherwise look binary);
3. UTF-16 without a BOM is recognised by where its NUL bytes sit: the high byte of every
   ASCII space, digit and newline is zero, so NULs fall (almost) all on odd offsets
   (little-endian) or all on even ones (big-endian) -- binary files scatter them;
4. binary content (known magic numbers, NUL bytes, many control characters) is refused;
5. strict UTF-8 is tried next: valid UTF-8 that is not UTF-8 is vanishingly rare;
6. UTF-8 with a few invalid bytes (a stray byte from a bad copy-paste) is still UTF-8
   when its valid multi-byte sequences outnumber the invalid ones many times over -- a
   legacy code page almost never forms valid sequences by chance: the bad bytes become
   U+FFFD and a warning names the file;
7. otherwise ``charset_normalizer`` *detects* the legacy code page (Windows-1256,
   KOI8-R, Windows-1251, ...) from the byte statistics instead of guessing one;
8. ``ftfy`` repairs mojibake -- text that was decoded with the wrong code page upstream,
   as in scraped corpora (``gÃ¼nlÃ¼k`` -> ``günlük``).

Cost: every step is linear in the size of the input (at most 20 MB, see
:data:`storylens.ingest.DEFAULT_MAX_BYTES`); the binary and UTF-16 sniffs look at the first
64 KiB only, and charset_normalizer samples a bounded number of chunks.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer
import ftfy

from storylens.errors import InputError, warn

__all__ = ["decode_bytes", "fix_mojibake", "read_limited"]

# The writer's own statement of the encoding. UTF-32 first: its LE mark starts with UTF-16's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Magic numbers of the binary files people most often pass by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"%PDF-", "PDF document"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_SNIFF_BYTES = 65_536  # enough to judge "binary or text" without scanning 20 MB
_MAX_CONTROL_RATIO = 0.05  # text files have (almost) no C0 controls besides \t \n \r \f
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def read_limited(path: Path, source: str, max_bytes: int) -> bytes:
    """The bytes of ``path``, refusing missing, oversized and empty files by name."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except OSError as error:
        raise InputError(source, f"cannot read: {error.strerror or error}") from None
    if not path.is_file():
        raise InputError(source, "not a regular file")
    if stat.st_size > max_bytes:
        raise InputError(source, f"too large: {_megabytes(stat.st_size)} (limit {_megabytes(max_bytes)})")
    if stat.st_size == 0:
        raise InputError(source, "empty file (0 bytes)")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # +1: the file may have grown since stat
    except OSError as error:
        raise InputError(source, f"cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise InputError(source, f"too large: more than {_megabytes(max_bytes)}")
    return data


def _binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not text, or None when it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({kind}), not text"
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if controls > _MAX_CONTROL_RATIO * len(head):
        return f"binary file ({100 * controls // len(head)}% control characters), not text"
    return None


_UTF16_MIN_NUL_SHARE = 0.02  # of the code units: a space or digit every 50 characters at least
_UTF16_PARITY = 0.95  # share of the NUL bytes on the offsets of the high bytes


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when ``data`` reads as BOM-less UTF-16 text, else None."""
    head = data[:_SNIFF_BYTES]
    units = len(head) // 2
    if not units or b"\x00" not in head:
        return None
    odd = head[1::2].count(0)  # high bytes of little-endian code units
    even = head[0::2].count(0)
    for encoding, on_high, elsewhere in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if on_high >= _UTF16_MIN_NUL_SHARE * units and on_high >= _UTF16_PARITY * (on_high + elsewhere):
            text = head[: units * 2].decode(encoding, errors="replace")
            # One replacement may be a surrogate pair cut by the sample's end; binary has many.
            if text.count("\ufffd") <= 1 and _looks_like_text(text):
                return encoding
    return None


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for char in text if char < " " and char not in "\t\n\r\f\v")
    return controls <= _MAX_CONTROL_RATIO * len(text) and "\x00" not in text


# Legacy code pages (cp1252, cp1251, koi8-r, cp1256) almost never form valid multi-byte
# sequences, and form invalid ones at every accented letter: a ratio of 4 tells them apart.
_MIN_VALID_PER_INVALID = 4


def _mostly_utf8(data: bytes, source: str) -> str | None:
    """``data`` as UTF-8 with its few invalid bytes replaced (and a warning), or None when
    it is not mostly UTF-8 (then it is a legacy code page)."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    valid_multibyte = non_ascii - replaced - data.count("\ufffd".encode())
    if replaced <= 0 or valid_multibyte < _MIN_VALID_PER_INVALID * replaced:
        return None
    warn(source, f"not valid UTF-8: {replaced} invalid byte sequence(s) replaced with U+FFFD")
    return text


def decode_bytes(data: bytes, source: str) -> str:
    """Decode ``data`` to text (BOM, BOM-less UTF-16, UTF-8, then detection); InputError if
    binary or no encoding fits. The result is not yet mojibake-repaired: see :func:`fix_mojibake`."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(source, f"undecodable: invalid {encoding} after its byte-order mark") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            reason = f"undecodable: looks like {utf16} without a byte-order mark, but is invalid"
            raise InputError(source, reason) from None
    reason = _binary_reason(data)
    if reason:
        raise InputError(source, reason)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data, source)
    if mostly is not None:
        return mostly
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(source, "undecodable: no text encoding fits the bytes")
    return str(best)


def fix_mojibake(text: str) -> str:
    """Repair mojibake and stray control characters with ftfy, leaving typography alone:
    curly quotes and full-width CJK punctuation are the author's, not damage."""
    return ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False)
