"""双随机一公开: a verifiable random draw of institutions and of an inspection team for each.

Pure functions, no I/O beyond reading the two input tables from bytes. The draw is a function of
(institution list, inspector pool, parameters, seed) only, computed with integers and SHA-256 so any
machine reproduces it bit for bit:

- the seed (32 random bytes, hex) is committed before the draw by publishing ``sha256(seed_hex)``, and
  revealed in the record afterwards;
- random numbers come from a counter-mode SHA-256 stream over the seed (``rand_below`` rejects the
  biased tail, so every value is exactly uniform);
- institutions are taken in code order; N is split over strata (type / level / region, as asked) by the
  largest-remainder method; within a stratum institutions are drawn one by one without replacement,
  each with probability proportional to its integer weight (1, or ``1 + round(risk × 100)`` when the draw
  is risk-weighted);
- a team is drawn for each drawn institution, in draw order, from the inspectors that may inspect it:
  never one of the same unit or region as the institution, never one who declared a conflict with it, and
  nobody in two teams.

The record (``DrawRecord.to_dict``) carries the inputs' SHA-256, the algorithm's name and version, the
parameters, the seed and its commitment, and the result; ``verify_record`` recomputes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Optional, Sequence

from feijian.domain.errors import InputError

ALGORITHM = "feijian-draw"
ALGORITHM_VERSION = "1"
RECORD_FORMAT = "feijian-draw-record/v1"
COMMITMENT_FORMAT = "feijian-draw-commitment/v1"
STRATA_KEYS = ("type", "level", "region")

INSTITUTION_HEADERS = {
    "code": ("code", "机构编码", "定点医药机构编码", "fixmedins_code", "medins_code"),
    "name": ("name", "机构名称", "定点医药机构名称", "fixmedins_name", "medins_name"),
    "type": ("type", "机构类型", "类型", "medins_type"),
    "level": ("level", "等级", "机构等级", "medins_lv"),
    "region": ("region", "区域", "地区", "所在地区", "统筹区", "admdvs"),
    "risk": ("risk", "风险", "风险评分", "risk_score"),
}
INSPECTOR_HEADERS = {
    "identity": ("identity", "身份", "检查人员", "姓名", "key_id", "staff_no"),
    "unit": ("unit", "单位", "工作单位", "所在单位"),
    "region": ("region", "区域", "地区", "所在地区"),
    "conflicts": ("conflicts", "conflict", "回避", "利害关系", "申报回避", "declared_conflicts"),
}
OPTIONAL = {"risk", "conflicts", "type", "level"}


@dataclass(frozen=True)
class Institution:
    code: str
    name: str
    type: str = ""
    level: str = ""
    region: str = ""
    risk: Decimal = Decimal("0")

    def stratum(self, keys: Sequence[str]) -> str:
        return "|".join(getattr(self, k) for k in keys)

    def weight(self, weighted: bool) -> int:
        if not weighted:
            return 1
        return 1 + int((self.risk * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Inspector:
    identity: str
    unit: str
    region: str
    conflicts: tuple[str, ...] = ()  # institution codes or names declared

    def may_inspect(self, inst: Institution) -> bool:
        return not recusal_reasons(self, inst)


def recusal_reasons(insp: Inspector, inst: Institution) -> list[str]:
    """Why ``insp`` may not inspect ``inst`` (empty: may)."""
    out = []
    if insp.unit and insp.unit == inst.name:
        out.append("本单位")
    if insp.unit and insp.unit == inst.code:
        out.append("本单位")
    if insp.region and inst.region and insp.region == inst.region:
        out.append("同一地区")
    if inst.code in insp.conflicts or (inst.name and inst.name in insp.conflicts):
        out.append("申报利害关系")
    return out


def recusals(inspectors: Iterable[Inspector], inst: Institution) -> list[tuple[str, list[str]]]:
    """The inspectors of the pool who may not inspect ``inst``, each with the reasons, in identity order."""
    return [(i.identity, r) for i in sorted(inspectors, key=lambda i: i.identity) if (r := recusal_reasons(i, inst))]


@dataclass(frozen=True)
class DrawParams:
    n: int
    team_size: int = 2
    stratify: tuple[str, ...] = ()
    weighted: bool = False

    def to_dict(self) -> dict:
        return {"n": self.n, "team_size": self.team_size, "stratify": list(self.stratify), "weighted": self.weighted}

    @classmethod
    def from_dict(cls, d: dict) -> "DrawParams":
        return cls(int(d["n"]), int(d["team_size"]), tuple(d.get("stratify", ())), bool(d.get("weighted", False)))

    def check(self) -> None:
        if self.n < 1:
            raise InputError("抽取数量须至少为 1 / the number to draw must be at least 1")
        if self.team_size < 1:
            raise InputError("每组人数须至少为 1 / the team size must be at least 1")
        bad = [k for k in self.stratify if k not in STRATA_KEYS]
        if bad:
            raise InputError(f"未知的分层字段 / unknown strata field(s): {', '.join(bad)} (use {', '.join(STRATA_KEYS)})")


@dataclass(frozen=True)
class DrawnInstitution:
    order: int
    institution: Institution
    stratum: str
    weight: int
    team: tuple[str, ...]  # inspector identities, the first is the team leader

    def to_dict(self) -> dict:
        i = self.institution
        return {"order": self.order, "code": i.code, "name": i.name, "type": i.type, "level": i.level,
                "region": i.region, "risk": str(i.risk), "stratum": self.stratum, "weight": self.weight,
                "team": list(self.team)}


@dataclass(frozen=True)
class DrawRecord:
    params: DrawParams
    seed: str
    commitment: str
    inputs: dict  # {"institutions": {"file", "sha256", "rows"}, "inspectors": {...}}
    strata: dict  # stratum -> {"population", "drawn"}
    result: tuple[DrawnInstitution, ...]
    drawn_at: str = ""
    authority: str = ""
    algorithm: dict = field(default_factory=lambda: {"name": ALGORITHM, "version": ALGORITHM_VERSION})

    def to_dict(self) -> dict:
        return {"format": RECORD_FORMAT, "algorithm": dict(self.algorithm), "authority": self.authority,
                "drawn_at": self.drawn_at, "params": self.params.to_dict(), "commitment": self.commitment,
                "seed": self.seed, "inputs": self.inputs, "strata": self.strata,
                "result": [r.to_dict() for r in self.result]}

    def find(self, code: str) -> Optional[DrawnInstitution]:
        return next((r for r in self.result if r.institution.code == code), None)


# ---- seed and commitment ------------------------------------------------------------------------------
def new_seed() -> str:
    return secrets.token_hex(32)


def commitment_of(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def check_seed(seed: str) -> str:
    seed = seed.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", seed):
        raise InputError("种子须为 64 位十六进制 / the seed must be 64 hex digits")
    return seed


class RandomStream:
    """Uniform integers from SHA-256(seed ‖ counter), the same on every machine."""

    def __init__(self, seed: str) -> None:
        self._seed = bytes.fromhex(check_seed(seed))
        self._counter = 0
        self._buf = b""

    def _bytes(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._buf += hashlib.sha256(self._seed + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def rand_below(self, n: int) -> int:
        if n < 1:
            raise ValueError("n must be positive")
        nbytes = (n.bit_length() + 7) // 8 + 1
        space = 1 << (8 * nbytes)
        limit = space - space % n
        while True:
            v = int.from_bytes(self._bytes(nbytes), "big")
            if v < limit:
                return v % n


# ---- reading the inputs -------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别文件编码 / cannot decode the file (UTF-8 or GB18030 expected)")


def read_rows(data: bytes, file_name: str) -> list[dict[str, str]]:
    """The rows of a CSV or workbook's first sheet as dicts keyed by the header's cells."""
    if file_name.lower().endswith((".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")):
        from feijian.ingest.xlsx import open_workbook, read_sheet, sheet_names

        wb = open_workbook(data, file_name)
        rows = read_sheet(wb, sheet_names(wb)[0]).rows
    else:
        text = _decode(data)
        sample = text.split("\n", 1)[0]
        delim = "\t" if sample.count("\t") > sample.count(",") else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"{file_name}: 文件为空 / the file is empty")
    header = [c.strip() for c in rows[0]]
    out = []
    for line, r in enumerate(rows[1:], start=2):
        if len(r) > len(header) and any(c.strip() for c in r[len(header):]):
            raise InputError(f"{file_name} 第 {line} 行列数多于表头 / line {line} has more cells than the header")
        out.append({h: (r[i].strip() if i < len(r) else "") for i, h in enumerate(header)})
    return out


def _columns(header: Iterable[str], wanted: dict, file_name: str) -> dict[str, str]:
    lower = {h.lower(): h for h in header}
    found = {}
    for key, aliases in wanted.items():
        col = next((lower[a.lower()] for a in aliases if a.lower() in lower), None)
        if col is None and key not in OPTIONAL:
            raise InputError(f"{file_name}: 缺少列 {key}（可用列名：{'、'.join(aliases)}）/ missing column {key}")
        if col is not None:
            found[key] = col
    return found


def parse_institutions(data: bytes, file_name: str = "institutions.csv") -> list[Institution]:
    rows = read_rows(data, file_name)
    cols = _columns(rows[0].keys() if rows else [], INSTITUTION_HEADERS, file_name)
    out, seen = [], set()
    for line, r in enumerate(rows, start=2):
        code = r[cols["code"]]
        if not code:
            raise InputError(f"{file_name} 第 {line} 行缺少机构编码 / line {line}: no institution code")
        if code in seen:
            raise InputError(f"{file_name} 第 {line} 行机构编码重复 / line {line}: duplicate code {code}")
        seen.add(code)
        risk_text = r.get(cols.get("risk", ""), "") or "0"
        try:
            risk = Decimal(risk_text)
        except InvalidOperation:
            raise InputError(f"{file_name} 第 {line} 行风险评分不是数字 / line {line}: risk {risk_text!r} is not a number") from None
        if risk < 0 or not risk.is_finite():
            raise InputError(f"{file_name} 第 {line} 行风险评分须不小于 0 / line {line}: risk must be ≥ 0")
        out.append(Institution(code, r[cols["name"]], r.get(cols.get("type", ""), ""), r.get(cols.get("level", ""), ""),
                               r[cols["region"]], risk))
    if not out:
        raise InputError(f"{file_name}: 没有机构 / no institutions")
    return sorted(out, key=lambda i: i.code)


def parse_inspectors(data: bytes, file_name: str = "inspectors.csv") -> list[Inspector]:
    rows = read_rows(data, file_name)
    cols = _columns(rows[0].keys() if rows else [], INSPECTOR_HEADERS, file_name)
    out, seen = [], set()
    for line, r in enumerate(rows, start=2):
        ident = r[cols["identity"]]
        if not ident:
            raise InputError(f"{file_name} 第 {line} 行缺少检查人员 / line {line}: no inspector identity")
        if ident in seen:
            raise InputError(f"{file_name} 第 {line} 行检查人员重复 / line {line}: duplicate inspector {ident}")
        seen.add(ident)
        conflicts = tuple(c.strip() for c in re.split(r"[;；,，|、]", r.get(cols.get("conflicts", ""), "")) if c.strip())
        out.append(Inspector(ident, r[cols["unit"]], r[cols["region"]], conflicts))
    if not out:
        raise InputError(f"{file_name}: 没有检查人员 / no inspectors")
    return sorted(out, key=lambda i: i.identity)


def file_entry(data: bytes, file_name: str, rows: int) -> dict:
    return {"file": file_name, "sha256": hashlib.sha256(data).hexdigest(), "rows": rows}


# ---- the draw -----------------------------------------------------------------------------------------
def allocate(population: dict[str, int], n: int) -> dict[str, int]:
    """Split ``n`` over strata in proportion to their size (largest remainder, ties by stratum name)."""
    total = sum(population.values())
    alloc = {s: (n * c) // total for s, c in population.items()}
    left = n - sum(alloc.values())
    by_remainder = sorted(population, key=lambda s: (-((n * population[s]) % total), s))
    for s in by_remainder[:left]:
        alloc[s] += 1
    return alloc


def _weighted_without_replacement(items: list, weights: list[int], k: int, rng: RandomStream) -> list:
    items, weights, out = list(items), list(weights), []
    for _ in range(k):
        r = rng.rand_below(sum(weights))
        acc = 0
        for i, w in enumerate(weights):
            acc += w
            if r < acc:
                out.append(items.pop(i))
                weights.pop(i)
                break
    return out


def draw(institutions: Sequence[Institution], inspectors: Sequence[Inspector], params: DrawParams, seed: str,
         ) -> tuple[tuple[DrawnInstitution, ...], dict]:
    """The drawn institutions with their teams, and the strata table; raises InputError when not possible."""
    params.check()
    seed = check_seed(seed)
    insts = sorted(institutions, key=lambda i: i.code)
    pool = sorted(inspectors, key=lambda i: i.identity)
    if params.n > len(insts):
        raise InputError(f"抽取数量 {params.n} 大于机构数 {len(insts)} / cannot draw {params.n} of {len(insts)} institutions")
    rng = RandomStream(seed)
    population: dict[str, list[Institution]] = {}
    for inst in insts:
        population.setdefault(inst.stratum(params.stratify), []).append(inst)
    alloc = allocate({s: len(v) for s, v in population.items()}, params.n)
    picked: list[tuple[str, Institution]] = []
    for s in sorted(population):
        members = population[s]
        for inst in _weighted_without_replacement(members, [m.weight(params.weighted) for m in members], alloc[s], rng):
            picked.append((s, inst))
    used: set[str] = set()
    result = []
    for order, (s, inst) in enumerate(picked, start=1):
        eligible = [i for i in pool if i.identity not in used and i.may_inspect(inst)]
        if len(eligible) < params.team_size:
            raise InputError(
                f"机构 {inst.code} 可派检查人员不足：需要 {params.team_size} 人，回避后仅 {len(eligible)} 人 / "
                f"not enough inspectors for {inst.code} after recusal ({len(eligible)} < {params.team_size})")
        team = _weighted_without_replacement(eligible, [1] * len(eligible), params.team_size, rng)
        used.update(t.identity for t in team)
        result.append(DrawnInstitution(order, inst, s, inst.weight(params.weighted), tuple(t.identity for t in team)))
    strata = {s: {"population": len(population[s]), "drawn": alloc[s]} for s in sorted(population)}
    return tuple(result), strata


def run_draw(inst_data: bytes, inst_name: str, pool_data: bytes, pool_name: str, params: DrawParams, seed: str,
             *, commitment: str = "", drawn_at: str = "", authority: str = "") -> DrawRecord:
    """Read both inputs, check the seed against its commitment, draw, and return the record."""
    seed = check_seed(seed)
    if commitment and commitment_of(seed) != commitment.strip().lower():
        raise InputError("种子与事先公布的承诺值不符 / the seed does not match the published commitment")
    insts = parse_institutions(inst_data, inst_name)
    pool = parse_inspectors(pool_data, pool_name)
    result, strata = draw(insts, pool, params, seed)
    inputs = {"institutions": file_entry(inst_data, inst_name, len(insts)),
              "inspectors": file_entry(pool_data, pool_name, len(pool))}
    return DrawRecord(params, seed, commitment_of(seed), inputs, strata, result, drawn_at, authority)


@dataclass(frozen=True)
class Verification:
    ok: bool
    problems: tuple[str, ...]


def verify_record(record: dict, inst_data: bytes, pool_data: bytes) -> Verification:
    """Recompute a draw from its record and the two input files; every difference is a problem."""
    problems = []
    if record.get("format") != RECORD_FORMAT:
        return Verification(False, ("不是抽查记录 / not a draw record",))
    alg = record.get("algorithm", {})
    if alg.get("name") != ALGORITHM or alg.get("version") != ALGORITHM_VERSION:
        problems.append(f"算法不符 / algorithm {alg} is not {ALGORITHM} {ALGORITHM_VERSION}")
    seed = str(record.get("seed", ""))
    try:
        check_seed(seed)
    except InputError as e:
        return Verification(False, (str(e),))
    if commitment_of(seed) != record.get("commitment"):
        problems.append("种子与承诺值不符 / the seed does not hash to the commitment")
    for key, data in (("institutions", inst_data), ("inspectors", pool_data)):
        want = record.get("inputs", {}).get(key, {}).get("sha256")
        got = hashlib.sha256(data).hexdigest()
        if want != got:
            problems.append(f"输入文件已变 / {key} file differs: sha256 {got[:16]}… ≠ {str(want)[:16]}…")
    try:
        params = DrawParams.from_dict(record["params"])
        inputs = record.get("inputs", {})
        again = run_draw(inst_data, inputs.get("institutions", {}).get("file", "institutions.csv"), pool_data,
                         inputs.get("inspectors", {}).get("file", "inspectors.csv"), params, seed)
    except (InputError, KeyError, ValueError) as e:
        problems.append(f"无法重算 / cannot recompute: {e}")
        return Verification(False, tuple(problems))
    if [r.to_dict() for r in again.result] != record.get("result"):
        problems.append("重算结果与记录不符 / the recomputed result differs from the record")
    if again.strata != record.get("strata"):
        problems.append("分层与记录不符 / the strata differ from the record")
    return Verification(not problems, tuple(problems))


def record_from_dict(d: dict) -> DrawRecord:
    """A DrawRecord read back (for documents and case creation); no recomputation."""
    result = tuple(
        DrawnInstitution(int(r["order"]), Institution(r["code"], r["name"], r.get("type", ""), r.get("level", ""),
                                                      r.get("region", ""), Decimal(r.get("risk", "0"))),
                         r.get("stratum", ""), int(r.get("weight", 1)), tuple(r.get("team", ())))
        for r in d.get("result", ()))
    return DrawRecord(DrawParams.from_dict(d["params"]), d["seed"], d["commitment"], d.get("inputs", {}),
                      d.get("strata", {}), result, d.get("drawn_at", ""), d.get("authority", ""),
                      dict(d.get("algorithm", {})))
