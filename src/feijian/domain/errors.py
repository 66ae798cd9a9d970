"""Errors a user can act on. Every layer raises a subclass of :class:`FeijianError`; the CLI prints its
message as one line and the GUI shows it in a dialog. Anything else is a bug and gets a traceback."""

from __future__ import annotations


class FeijianError(Exception):
    """An error with a message fit for the user (Chinese or English, one line)."""

    exit_code = 1


class Cancelled(FeijianError):
    """The user cancelled a long operation; whatever it was doing has been rolled back."""

    exit_code = 130

    def __init__(self, message: str = "cancelled / 已取消") -> None:
        super().__init__(message)


class InputError(FeijianError):
    """Bad input: a file, an argument or a value that cannot be used."""

    exit_code = 2
