"""``feijian points CASE [--out FILE.csv]``: 医保医师记分 — per doctor, the points range the case's findings
carry under ``resources/casework/penalties.toml``, printed and optionally exported."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from feijian.cli.context import Context
from feijian.domain.errors import InputError

COLUMNS = ["doctor", "findings", "recover", "penalty_min", "penalty_max", "points_min", "points_max", "status"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("points", help="医保医师记分 / the doctors' points the findings carry")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--out", metavar="FILE.csv", help="导出 CSV（UTF-8-BOM）/ export as CSV")
    p.add_argument("--basis", default="gross", choices=["gross", "in-scope"], help="金额口径 / amount basis")
    p.set_defaults(func=cmd_points)


def points_csv(by_doctor) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in by_doctor.sort_values(["points_max", "doctor"], ascending=[False, True], kind="stable").itertuples(index=False):
        w.writerow([r.doctor, int(r.findings), f"{r.recover:.2f}", f"{r.penalty_min:.2f}", f"{r.penalty_max:.2f}",
                    int(r.points_min), int(r.points_max), r.status])
    return buf.getvalue().encode("utf-8-sig")


def cmd_points(ctx: Context, args) -> int:
    from feijian.casework.penalties import penalty_rules, penalty_summary
    from feijian.cli.selfcheck import _open

    with _open(ctx, args.case) as (store, _):
        s = penalty_summary(store, basis=args.basis)
    dp = penalty_rules()["doctor_points"]
    print(f"记分标准：累计 {dp['suspend_at']} 分暂停、{dp['terminate_at']} 分终止医保支付资格 / "
          f"suspend at {dp['suspend_at']}, terminate at {dp['terminate_at']}")
    if s.by_doctor.empty:
        print("没有问题涉及医师 / no findings attributed to a doctor")
    for r in s.by_doctor.sort_values(["points_max", "doctor"], ascending=[False, True], kind="stable").itertuples(index=False):
        print(f"  {r.doctor}: {r.points_min}–{r.points_max} 分，{r.findings} 个问题，金额 {r.recover:.2f} 元 {r.status}")
    if args.out:
        try:
            Path(args.out).write_bytes(points_csv(s.by_doctor))
        except OSError as e:
            raise InputError(f"无法写入 / cannot write {args.out}: {e.strerror}") from None
        print(f"已写出 / written: {args.out}")
    return 0
