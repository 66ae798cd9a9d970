"""The demo province's institutions as signed bureau packages (:mod:`feijian.demoprovince.province` builds
them): one case per institution, created by the given inspector, carrying its case tables, encrypted to the
bureau's intake key; a newer package of the same case continues the signer's chain."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pyarrow as pa

from feijian.demoprovince.province import DemoInstitution, Province
from feijian.domain import events as E
from feijian.domain.events import make_event
from feijian.sync.package import PackageContent, PackageInfo, write_package


def case_id_of(inst: DemoInstitution) -> str:
    return f"DEMO-{inst.medins_code}"


def write_packages(province: Province, out_dir: Path, identity, bureau_intake_public: bytes, *,
                   tables: Optional[dict[int, dict[str, pa.Table]]] = None, seq: int = 1,
                   prev: Optional[dict[int, str]] = None) -> list[PackageInfo]:
    """One signed bureau package per institution (a case created by ``identity``, carrying its case tables).

    ``tables`` overrides an institution's tables (a newer package of the same case); ``seq``/``prev`` place
    it in the signer's chain (``prev``: the previous manifest's SHA-256 per institution index).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    infos = []
    for inst in province.institutions:
        case_id = case_id_of(inst)
        if inst.index not in province.events:
            province.events[inst.index] = [make_event(
                case_id=case_id, author=identity.public.key_id, device=identity.device_id, lamport=1,
                type=E.CASE_CREATED, payload={"info": {"case_id": case_id, "institution": inst.medins_name}},
                prev_hash="")]
        data = (tables or {}).get(inst.index, inst.tables)
        content = PackageContent(case_id, list(province.events[inst.index]), tables=dict(data))
        infos.append(write_package(out_dir / f"{case_id}-{seq}.fjpkg", content, identity, kind="bureau",
                                   recipients={"bureau": bureau_intake_public}, seq=seq,
                                   prev=(prev or {}).get(inst.index, "")))
    return infos
