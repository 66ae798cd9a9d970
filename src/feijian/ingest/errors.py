"""Errors of the import, each with a one-line message (Chinese / English)."""

from __future__ import annotations

from feijian.domain.errors import InputError


class EncodingProblem(InputError):
    """The bytes are not in the declared or detected encoding, or mix encodings."""


class NotATable(InputError):
    """The file has no header row a contract table recognises, or is not a CSV/XLSX at all."""


class EmptyFile(InputError):
    """The file has no bytes (or no header)."""


class MappingProblem(InputError):
    """A mapping file or a column mapping cannot be used (unknown field, two columns for one field …)."""


class DuplicateImport(InputError):
    """The same file (same SHA-256) was imported into this case before."""
