"""Case packages (architecture decisions 2-4): export, verify, merge, bureau intake.

Public API (docs/interfaces.md): :func:`export_package`, :func:`verify_package`, :func:`merge_packages`,
:func:`intake`. Imported lazily so that ``feijian.sync.archive_reader`` stays usable on its own.
"""

from __future__ import annotations

from feijian.sync.reasons import Rejected

__all__ = ["Rejected", "export_package", "verify_package", "merge_packages", "resolve_conflict", "intake"]


def __getattr__(name):  # lazy: avoid importing the store for the verifier alone
    if name == "export_package":
        from feijian.sync.package import export_package

        return export_package
    if name == "verify_package":
        from feijian.sync.verify import verify_package

        return verify_package
    if name == "merge_packages":
        from feijian.sync.merge import merge_packages

        return merge_packages
    if name == "resolve_conflict":
        from feijian.sync.merge import resolve_conflict

        return resolve_conflict
    if name == "intake":
        from feijian.sync.intake import intake

        return intake
    raise AttributeError(name)
