"""The bureau's sample clue list and two small evidence files for the demo case."""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path

from feijian.demodata.model import Encounter
from feijian.demodata.planted import Planter
from feijian.demodata.writers import write_png

CLUE_FIELDS = ("clue_id", "clue_type", "psn_no", "mdtrt_id", "med_list_codg", "period_start", "period_end",
               "description", "suspected_amount")


def _first(planter: Planter, rule: str, note_part: str = ""):
    for p in planter.hits:
        if p.rule_code == rule and note_part in p.note:
            return p
    raise LookupError(rule)


def clue_rows(planter: Planter, clean: dict, year: int) -> list[dict]:
    rows: list[dict] = []

    def add(kind: str, desc: str, *, enc: Encounter | None = None, code: str = "", start=None, end=None,
            amount: str = "") -> None:
        rows.append({
            "clue_id": f"XS{year}{len(rows) + 1:04d}", "clue_type": kind,
            "psn_no": enc.psn_no if enc is not None else "", "mdtrt_id": enc.mdtrt_id if enc is not None else "",
            "med_list_codg": code, "period_start": start.isoformat() if start else "",
            "period_end": end.isoformat() if end else "", "description": desc, "suspected_amount": amount,
        })

    dup = _first(planter, "R01")
    add("举报线索", "患者家属举报：住院期间同一天的丹红注射液被收了两次", enc=dup.enc, code=dup.line.item.code,
        amount=str(dup.amount))
    idle = _first(planter, "R12")
    add("举报线索", "知情人举报：该患者住院期间多日不在病房（挂床住院）", enc=idle.enc)
    r20 = _first(planter, "R20")
    add("大数据筛查", "同一参保人两段住院时间重叠", enc=r20.enc)
    death = _first(planter, "R06")
    add("大数据筛查", "死亡后仍有收费记录", enc=death.enc, amount=str(death.amount))
    r19 = _first(planter, "R19", "不在医务人员名单")
    add("上级交办", "开单医生编码在本院医务人员名单中查不到", enc=r19.enc, code=r19.line.item.code)
    add("大数据筛查", "头孢曲松钠6月销售数量大于同期进货与库存变化",
        code=planter.hosp.item("CRO").code, start=dt.date(year, 6, 1), end=dt.date(year, 6, 30), amount="")
    depts = sorted(clean)
    for code in depts[:3]:
        enc = clean[code]
        add("举报线索", f"患者反映在{enc.dept_name}住院期间费用偏高", enc=enc)
    add("日常稽核", "门冬胰岛素进销存抽查（5月）", code=planter.hosp.item("INS").code,
        start=dt.date(year, 5, 1), end=dt.date(year, 5, 31))
    return rows


def write_clues(path: Path, planter: Planter, clean: dict, year: int) -> list[dict]:
    """Writes the clue list; returns for each clue whether a planted violation stands behind it."""
    rows = clue_rows(planter, clean, year)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=CLUE_FIELDS, lineterminator="\r\n")
        w.writeheader()
        for row in rows:
            w.writerow(row)
    planted_visits = {p.enc.mdtrt_id for p in planter.hits if p.enc is not None}
    planted_items = {(code, month) for code, month, _, _ in planter.inventory_shortfalls}
    out = []
    for row in rows:
        if row["mdtrt_id"]:
            founded = row["mdtrt_id"] in planted_visits
        else:
            founded = (row["med_list_codg"], int(row["period_start"][5:7])) in planted_items
        out.append({"clue_id": row["clue_id"], "founded": founded})
    return out


def scan_pixels(width: int, height: int, seed: int) -> bytearray:
    """A greyscale "scanned fee receipt": paper, a header band, ruled text lines, a round seal."""
    rng = random.Random(f"feijian-demo/{seed}/scan")
    px = bytearray([236] * (width * height))

    def rect(x0: int, y0: int, x1: int, y1: int, v: int) -> None:
        for y in range(max(0, y0), min(height, y1)):
            row = y * width
            px[row + max(0, x0):row + min(width, x1)] = bytes([v]) * (min(width, x1) - max(0, x0))

    rect(0, 0, width, 3, 40); rect(0, height - 3, width, height, 40)
    rect(0, 0, 3, height, 40); rect(width - 3, 0, width, height, 40)
    rect(40, 30, width - 40, 62, 70)
    y = 90
    while y < height - 60:
        x = 40
        while x < width - 60:
            w = rng.randint(12, 48)
            rect(x, y, min(x + w, width - 40), y + 9, rng.randint(40, 90))
            x += w + rng.randint(6, 14)
        rect(36, y + 16, width - 36, y + 17, 180)
        y += 28
    cx, cy, r = width - 130, height - 110, 60
    for yy in range(cy - r - 3, cy + r + 4):
        for xx in range(cx - r - 3, cx + r + 4):
            d = math.hypot(xx - cx, yy - cy)
            if r - 4 <= d <= r and 0 <= xx < width and 0 <= yy < height:
                px[yy * width + xx] = 110
    return px


def interview_text(planter: Planter) -> str:
    idle = _first(planter, "R12")
    enc = idle.enc
    return (
        "询问笔录（示例）\n"
        "\n"
        f"时间：{enc.admit_date.year}年12月18日 09:30 至 10:15\n"
        "地点：南江市第一人民医院 医务科会议室\n"
        "询问人：检查组成员 甲、乙（执法证号略）\n"
        "被询问人：骨科病区护士长（姓名略）\n"
        "\n"
        f"问：就诊ID {enc.mdtrt_id} 的患者住院期间是否一直在院？\n"
        f"答：该患者{enc.admit_date.month}月{enc.admit_date.day}日入院，术后有几天回家休养，床位一直保留。\n"
        "问：这几天病区是否仍收取床位费、护理费和膳食费？\n"
        "答：是的，系统按日自动计费，没有停。\n"
        "问：这几天是否有医嘱、护理记录或治疗？\n"
        "答：没有治疗，护理记录只写了“外出”。\n"
        "\n"
        "以上笔录已阅，与我所说一致。\n"
        "被询问人签名：（示例）    询问人签名：（示例）\n"
    )


def write_evidence(folder: Path, planter: Planter, seed: int) -> None:
    w, h = 640, 420
    write_png(folder / "收费凭证扫描件.png", w, h, scan_pixels(w, h, seed))
    (folder / "询问笔录.txt").write_text(interview_text(planter), encoding="utf-8")
