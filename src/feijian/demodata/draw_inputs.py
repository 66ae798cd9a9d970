"""A synthetic institution list and inspector pool for trying the 双随机 draw (screenshots, the demo).

Deterministic: 36 institutions of one province (three types, three levels, four regions, risk scores 0–0.9)
and 24 inspectors of eight units in the four regions, three of them with declared conflicts.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

REGIONS = ("玄武区", "秦淮区", "鼓楼区", "江宁区")
TYPES = ("综合医院", "专科医院", "基层医疗机构")
LEVELS = ("三级", "二级", "一级")
NAMES = {"综合医院": "第{0}人民医院", "专科医院": "专科医院{0}", "基层医疗机构": "社区卫生服务中心{0}"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢"


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def institutions() -> bytes:
    rows = []
    for i in range(36):
        region = REGIONS[i % 4]
        kind = TYPES[(i // 4) % 3]
        level = LEVELS[(i * 7) % 3]
        name = f"演示市{region[:2]}" + NAMES[kind].format(i + 1)
        rows.append([f"H32010{i:06d}", name, kind, level, region, f"{(i * 37 % 10) / 10:.1f}"])
    return _csv(["机构编码", "机构名称", "机构类型", "等级", "地区", "风险评分"], rows)


def inspectors() -> bytes:
    rows = []
    for j in range(24):
        conflicts = {3: "H32010000001", 8: "H32010000005；H32010000009", 15: "H32010000002"}.get(j, "")
        rows.append([f"{SURNAMES[j]}检查（YB-{j + 1:03d}）", f"演示市医保中心{j % 8 + 1}科", REGIONS[j % 4], conflicts])
    return _csv(["检查人员", "工作单位", "所在地区", "申报回避"], rows)


def write(out: Path) -> tuple[Path, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    inst, pool = out / "机构名录.csv", out / "检查人员库.csv"
    inst.write_bytes(institutions())
    pool.write_bytes(inspectors())
    return inst, pool
