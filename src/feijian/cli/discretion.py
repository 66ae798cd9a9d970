"""``feijian discretion import|show|suggest``: a province's 裁量基准 table, validated, and its suggestions."""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from pathlib import Path

from feijian.casework import discretion as dz
from feijian.cli.context import Context
from feijian.domain.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("discretion", help="裁量基准 / a province's discretion table")
    s = p.add_subparsers(dest="discretion_command", metavar="ACTION", required=True)
    imp = s.add_parser("import", help="校验并导入省级裁量基准 / validate and import a province's table")
    imp.add_argument("file", metavar="FILE.toml")
    imp.set_defaults(func=cmd_import)
    show = s.add_parser("show", help="显示当前裁量基准 / show the table in use")
    show.set_defaults(func=cmd_show)
    sg = s.add_parser("suggest", help="建议档次与区间 / suggest a grade and range")
    sg.add_argument("--article", type=int, required=True)
    sg.add_argument("--amount", required=True)
    sg.add_argument("--condition", default="", help="情节，逗号分隔 / conditions, comma-separated")
    sg.set_defaults(func=cmd_suggest)
    cd = s.add_parser("conditions", help="案件的裁量情节（全案/逐问题/自查比对）/ a case's conditions")
    cd.add_argument("case", metavar="CASE")
    cd.add_argument("--set", dest="set_conditions", default=None, metavar="C1,C2",
                    help="设置情节（替换原有；空串清除）/ set the conditions (replaces; '' clears)")
    cd.add_argument("--finding", default="", metavar="ID", help="只设本问题 / set them on one finding")
    cd.set_defaults(func=cmd_conditions)


def cmd_import(ctx: Context, args) -> int:
    table = dz.import_table(ctx.home, Path(args.file))
    print(f"已导入裁量基准 / imported: {table.province}（{len(table.ranges)} 条款，{len(table.bands)} 个金额档）")
    return 0


def cmd_show(ctx: Context, args) -> int:
    t = dz.active_table(ctx.home)
    print(f"{t.province}  {t.basis}  ({t.source})")
    for b in t.bands:
        print(f"  金额 < {b.below:,} 元 → {b.grade}" if b.below is not None else f"  其余 → {b.grade}")
    for art, grades in t.ranges.items():
        print(f"  第{art}条: " + "；".join(f"{g} {lo}–{hi}" for g, (lo, hi) in grades.items()))
    print("  情节 / conditions: " + "、".join(dz.condition_label(c) for c in t.conditions))
    return 0


def cmd_suggest(ctx: Context, args) -> int:
    try:
        amount = Decimal(args.amount)
    except InvalidOperation:
        raise InputError(f"金额不是数字 / amount {args.amount!r} is not a number") from None
    conds = [c.strip() for c in args.condition.split(",") if c.strip()]
    s = dz.suggest(dz.active_table(ctx.home), args.article, amount, conds)
    if s is None:
        raise InputError(f"第{args.article}条没有分档 / article {args.article} has no graded range")
    print(f"{s.grade}: {s.low:,.2f} – {s.high:,.2f} 元")
    for r in s.reasons:
        print(f"  · {r}")
    return 0


def cmd_conditions(ctx: Context, args) -> int:
    from feijian.casework import discretion_conditions as dc
    from feijian.casework.findings import findings
    from feijian.cli.selfcheck import _open

    with _open(ctx, args.case) as (store, _):
        if args.set_conditions is not None:
            dc.set_conditions(store, args.set_conditions.split(","), finding_id=args.finding)
        elif args.finding:
            raise InputError("--finding 须与 --set 一起使用 / --finding goes with --set")
        table = dz.active_table(ctx.home)
        print("全案情节 / case-wide: " + ("、".join(dz.condition_label(c) for c in dc.case_conditions(store)) or "（无）"))
        fs = findings(store)
        for f in fs:
            conds = dc.conditions_by_finding(store, fs)[f.finding_id]
            text = "；".join(f"{dz.condition_label(c.code)}（{dc.SOURCE_ZH[c.source]}）" for c in conds) or "（无）"
            s = dz.suggest(table, f.article, Decimal(f.amount), [c.code for c in conds])
            grade = f"{s.grade} {s.low:,.2f}–{s.high:,.2f} 元" if s else "未分档"
            print(f"  {f.finding_id}  {f.title}：{text} → {grade}")
    return 0
