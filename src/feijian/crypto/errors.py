"""Errors of the crypto layer (all :class:`FeijianError`, one line for the user)."""

from __future__ import annotations

from feijian.domain.errors import FeijianError, InputError


class WrongPassphrase(FeijianError):
    exit_code = 3

    def __init__(self, message: str = "口令错误 / wrong passphrase") -> None:
        super().__init__(message)


class WrongKey(FeijianError):
    exit_code = 3

    def __init__(self, message: str = "密钥不匹配：无法解开此案件 / wrong key: this key cannot open the case") -> None:
        super().__init__(message)


class BadKeyFile(InputError):
    """A key, identity or trust file that is not in the expected format."""


class TrustError(FeijianError):
    """A trust list or bureau key that does not verify."""

    exit_code = 4
