"""The rule catalogue (``resources/rules/catalogue.toml``): names, category, legal basis, needed tables and
检查路径 of every rule, as :class:`feijian.domain.records.RuleMeta`."""

from __future__ import annotations

import tomllib
from functools import lru_cache

from feijian.domain.errors import InputError
from feijian.domain.records import RuleMeta
from feijian.paths import resource

CATEGORIES = ("虚假诊疗", "串换", "分解收费", "超标准收费", "重复收费", "超限定", "过度诊疗", "数据不符", "虚计耗材", "挂床")
SEVERITIES = ("high", "medium", "low")


@lru_cache(maxsize=1)
def _raw() -> dict:
    path = resource("rules", "catalogue.toml")
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"规则目录无法读取 / cannot read the rule catalogue {path}: {exc}") from None


def ruleset_version() -> str:
    return str(_raw()["ruleset_version"])


def common_notes() -> str:
    return str(_raw().get("common", {}).get("notes", "")).strip()


@lru_cache(maxsize=1)
def load_catalogue() -> dict[str, RuleMeta]:
    out: dict[str, RuleMeta] = {}
    for code, r in _raw()["rules"].items():
        if r["category"] not in CATEGORIES or r["severity"] not in SEVERITIES:
            raise InputError(f"规则目录 {code}: 类别或严重程度无效 / invalid category or severity")
        out[code] = RuleMeta(
            code=code,
            name_zh=r["name_zh"],
            name_en=r["name_en"],
            category=r["category"],
            severity=r["severity"],
            legal_basis=r["legal_basis"],
            article=int(r["article"]),
            grain=r["grain"],
            needs=tuple(r.get("needs", ())),
            check_path=r["check_path"],
            kind=r.get("kind", "deterministic"),
            notes=r.get("notes", ""),
        )
    return out


RULESET_VERSION = ruleset_version()
