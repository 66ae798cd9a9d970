"""The unlocked inspector and the case files in the data folder."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from feijian.domain.errors import FeijianError

log = logging.getLogger("feijian.gui")

CASE_SUFFIX = ".fjcase"


@dataclass(frozen=True)
class CaseSummary:
    path: Path
    name: str
    institution: str = ""
    level: str = ""
    stage: str = ""
    hits: int = 0
    confirmed: int = 0
    confirmed_amount: Decimal = Decimal("0")
    error: str = ""


class Session:
    def __init__(self, home: Path) -> None:
        from feijian.store.identities import IdentityStore

        self.home = Path(home)
        self.identities = IdentityStore(self.home)
        self.identity: Any = None

    @property
    def cases_dir(self) -> Path:
        return self.home / "cases"

    @property
    def unlocked(self) -> bool:
        return self.identity is not None

    def lock(self) -> None:
        self.identity = None

    def case_files(self) -> list[Path]:
        if not self.cases_dir.is_dir():
            return []
        return sorted(self.cases_dir.glob(f"*{CASE_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)

    def case_path(self, name: str) -> Path:
        return self.cases_dir / f"{name}{CASE_SUFFIX}"

    def open_case(self, path: Path):
        from feijian.store.case_store import CaseStore

        return CaseStore.open(Path(path), self.identity)

    def create_case(self, info, *, name: Optional[str] = None) -> Path:
        from feijian.store.case_store import CaseStore

        self.cases_dir.mkdir(parents=True, exist_ok=True)
        path = self.case_path(name or info.name)
        if path.exists():
            from feijian.domain.errors import InputError

            raise InputError(f"已有同名案件 / a case with this name exists: {path.name}")
        kwargs = {}
        bureau = self.identities.bureau_public() if hasattr(self.identities, "bureau_public") else None
        if bureau is not None and getattr(bureau, "escrow_public", None):
            kwargs["escrow_public"] = bureau.escrow_public
        store = CaseStore.create(path, info, self.identity, **kwargs)
        store.close()
        log.info("case created %s", info.case_id)
        return path

    def summary(self, path: Path) -> CaseSummary:
        try:
            store = self.open_case(path)
        except FeijianError as exc:
            return CaseSummary(path, path.stem, error=str(exc))
        try:
            return summarise(store, path)
        finally:
            store.close()


def summarise(store, path: Path) -> CaseSummary:
    from feijian.gui.case_data import case_figures

    info = store.info
    fig = case_figures(store)
    return CaseSummary(path, info.name, info.medins_name, info.medins_lv, fig.stage_label, fig.hits,
                       fig.confirmed, fig.confirmed_amount)
