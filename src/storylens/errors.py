"""Errors a user can act on. The CLI turns them into one line and exit code 2."""

from __future__ import annotations


class StorylensError(Exception):
    """Base class of the errors storylens reports to users."""


class InputError(StorylensError):
    """An input that cannot be read as an article. Names the input and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")
