"""``feijian clues import|result|feedback|status``: a bureau's clue list, verified one by one."""

from __future__ import annotations

import argparse
from pathlib import Path

from feijian.casework import clues as cw
from feijian.cli.case import open_case
from feijian.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clues", help="线索核查 / clue lists from the bureau")
    s = p.add_subparsers(dest="clues_command", metavar="ACTION", required=True)
    imp = s.add_parser("import", help="导入线索清单（CSV/XLSX） / import a clue list")
    imp.add_argument("case", metavar="CASE")
    imp.add_argument("file", metavar="FILE", help="线索清单；医保局签名在旁边的 FILE.minisig / the list; the bureau's "
                                                  "signature beside it in FILE.minisig")
    imp.add_argument("--unsigned", action="store_true",
                     help="导入没有签名的清单（其他系统导出的），记为未签名 / import a list without a signature "
                          "(another system's export), recorded as unsigned")
    imp.set_defaults(func=cmd_import)
    res = s.add_parser("result", help="录入一条线索的核查结果 / record a clue's result")
    res.add_argument("case", metavar="CASE")
    res.add_argument("clue_id", metavar="CLUE_ID")
    res.add_argument("--result", required=True, help="属实 / 部分属实 / 不属实 / 无法核实")
    res.add_argument("--amount", default="0", help="核实金额 / verified amount")
    res.add_argument("--explanation", required=True, help="核查说明 / explanation")
    res.add_argument("--evidence", action="append", default=[], metavar="ID", help="证据编号（可多次） / evidence id")
    res.set_defaults(func=cmd_result)
    fb = s.add_parser("feedback", help="导出反馈表（与清单同样式，加结果列） / write the feedback file")
    fb.add_argument("case", metavar="CASE")
    fb.add_argument("--out", required=True, metavar="FILE", help=".csv（UTF-8 BOM）或 .xlsx")
    fb.add_argument("--list", dest="list_id", default=None, metavar="ID", help="线索清单编号或文件名 / the list")
    fb.set_defaults(func=cmd_feedback)
    st = s.add_parser("status", help="线索核查进度 / clues cleared")
    st.add_argument("case", metavar="CASE")
    st.set_defaults(func=cmd_status)


def cmd_import(ctx: Context, args) -> int:
    from feijian.casework.signed_clues import import_signed_clues
    from feijian.store.identities import IdentityStore

    trust = IdentityStore(ctx.home).trust_list()
    with open_case(ctx, args.case) as store:
        cl, sig = import_signed_clues(store, Path(args.file), trust, unsigned=args.unsigned)
    print(f"已导入线索 {len(cl.rows)} 条（{cl.format}, {cl.encoding}） / imported {len(cl.rows)} clues from {cl.file_name}")
    if sig is not None:
        print(f"医保局签名有效 / signed by the bureau {sig.bureau_name} {sig.bureau_key_id} "
              f"(model run {sig.run_id}, institution {sig.medins_code})")
    else:
        print("未签名的清单（--unsigned） / an unsigned list (--unsigned)")
    print(f"SHA-256: {cl.sha256}")
    if cl.blank_rows:
        print(f"跳过空行 {cl.blank_rows} 行 / {cl.blank_rows} blank rows skipped")
    return 0


def cmd_result(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        cw.record_clue_result(store, args.clue_id, args.result, args.amount, args.explanation, args.evidence)
        progress = cw.clue_progress(store)
    print(progress.text)
    return 0


def cmd_feedback(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        out = cw.export_feedback(store, Path(args.out), args.list_id)
        progress = cw.clue_progress(store)
    print(f"反馈表 / feedback file: {out}（{progress.text}）")
    return 0


def cmd_status(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        progress = cw.clue_progress(store)
        items = cw.clues(store)
    print(progress.text)
    print("；".join(f"{k} {v}" for k, v in progress.by_result.items()))
    print(f"疑似金额 / suspected: {progress.suspected_amount:.2f}; 核实金额 / verified: {progress.verified_amount:.2f}")
    for c in items:
        print(f"{c.clue_id}\t{c.clue_type}\t{c.result_label or '待核查'}\t{c.verified_amount:.2f}")
    return 0
