"""Errors of the crypto layer. The crypto layer stands on the standard library and ``cryptography`` alone
(tests/test_layers.py), so these are plain exceptions with a one-line message; the store layer turns them into
the matching :class:`feijian.domain.errors.FeijianError` subclasses (``feijian.store.errors``)."""

from __future__ import annotations


class CryptoError(Exception):
    exit_code = 1
    default = "密码学操作失败 / cryptographic operation failed"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default)


class WrongPassphrase(CryptoError):
    exit_code = 3
    default = "口令错误 / wrong passphrase"


class WrongKey(CryptoError):
    exit_code = 3
    default = "密钥不匹配：无法解开此案件 / wrong key: this key cannot open the case"


class BadKeyFile(CryptoError):
    """A key, identity or trust file that is not in the expected format."""

    exit_code = 2
    default = "密钥文件无效 / invalid key file"


class TrustError(CryptoError):
    """A trust list or bureau key that does not verify."""

    exit_code = 4
    default = "信任列表无效 / trust list does not verify"
