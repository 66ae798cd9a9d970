"""Errors of the store layer, all :class:`FeijianError` (one line for the user).

The crypto layer raises plain exceptions (it may not import the domain); :func:`translated` and
:func:`translating` turn them into the same-named errors here, so callers of the store only see FeijianErrors."""

from __future__ import annotations

import contextlib
import functools

from feijian.crypto import errors as crypto_errors
from feijian.domain.errors import FeijianError, InputError


class WrongPassphrase(FeijianError):
    exit_code = 3

    def __init__(self, message: str = crypto_errors.WrongPassphrase.default) -> None:
        super().__init__(message)


class WrongKey(FeijianError):
    exit_code = 3

    def __init__(self, message: str = crypto_errors.WrongKey.default) -> None:
        super().__init__(message)


class BadKeyFile(InputError):
    """A key, identity or trust file that is not in the expected format."""


class TrustError(FeijianError):
    exit_code = 4


class CryptoFailure(FeijianError):
    pass


class NotACase(InputError):
    """The file is not a feijian case store (or its key file is missing)."""


class DamagedStore(FeijianError):
    """A case store whose bytes were damaged (truncated, flipped pages, broken chain)."""

    exit_code = 5


class ChainError(FeijianError):
    """Events that do not extend the event chains of a case (gap, fork, altered event)."""

    exit_code = 5


_MAP = {
    crypto_errors.WrongPassphrase: WrongPassphrase,
    crypto_errors.WrongKey: WrongKey,
    crypto_errors.BadKeyFile: BadKeyFile,
    crypto_errors.TrustError: TrustError,
}


@contextlib.contextmanager
def translated():
    try:
        yield
    except crypto_errors.CryptoError as exc:
        raise _MAP.get(type(exc), CryptoFailure)(str(exc)) from None


def translating(cls):
    """Class decorator: every public method raises store errors instead of crypto ones."""
    for name, value in list(vars(cls).items()):
        if name.startswith("_") or not callable(value):
            continue

        def wrap(fn):
            @functools.wraps(fn)
            def inner(*args, **kwargs):
                with translated():
                    return fn(*args, **kwargs)

            return inner

        setattr(cls, name, wrap(value))
    return cls
