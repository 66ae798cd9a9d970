"""Errors of the store layer. ``WrongKey`` comes from the crypto layer and is re-exported here."""

from __future__ import annotations

from feijian.crypto.errors import WrongKey, WrongPassphrase  # noqa: F401  (re-exported)
from feijian.domain.errors import FeijianError, InputError


class NotACase(InputError):
    """The file is not a feijian case store (or its key file is missing)."""


class DamagedStore(FeijianError):
    """A case store whose bytes were damaged (truncated, flipped pages, broken chain)."""

    exit_code = 5


class ChainError(FeijianError):
    """Events that do not extend the event chains of a case (gap, fork, altered event)."""

    exit_code = 5
