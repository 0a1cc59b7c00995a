"""Errors a user can act on. The CLI turns them into one line and exit code 2.

Warnings (input that was read, but not quite as written) are one line each on stderr:
``storylens: warning: <input>: <what>``. Names are escaped (:func:`display_name`) so a
file name holding a newline cannot split an error or a warning over two lines.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def display_name(name: object) -> str:
    """``name`` as it can be printed on one line: unchanged when every character is
    printable, else quoted the way Python writes strings (``'a\\nb.txt'``)."""
    text = str(name)
    return text if text.isprintable() else repr(text)


class StorylensError(Exception):
    """Base class of the errors storylens reports to users."""


class InputError(StorylensError):
    """An input that cannot be read as an article. Names the input and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{display_name(source)}: {reason}")


class StoreError(StorylensError):
    """The database file cannot be opened, read or written (missing folder, read-only,
    corrupted, locked, ...). Names the database path and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{display_name(path)}: {reason}")


def _print_warning(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


warning_handler: Callable[[str], None] = _print_warning
"""Where :func:`warn` sends its lines; replace it to collect them (tests, a server)."""


def warn(source: str, what: str) -> None:
    """Tell the user that ``source`` was read, but not quite as written."""
    warning_handler(f"storylens: warning: {display_name(source)}: {what}")
