"""``feijian report CASE --doc NAME --out FILE.pdf``: renders an inspection document and records its issue."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from feijian.cli.context import Context
from feijian.domain.errors import InputError
from feijian.reports.documents import DOCUMENTS


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(f"{k}（{v}）" for k, (_, v) in DOCUMENTS.items())
    p = sub.add_parser("report", help="生成检查文书 PDF / render an inspection document as PDF",
                       description=f"文书 / documents: {names}")
    p.add_argument("case", metavar="CASE", help="案件名或 .fjcase 文件 / case name or .fjcase file")
    p.add_argument("--doc", required=True, choices=list(DOCUMENTS), metavar="NAME",
                   help="文书名 / document: " + ", ".join(DOCUMENTS))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="输出 PDF / output PDF")
    p.add_argument("--authority", default="", help="检查组织机关 / issuing authority, e.g. 某省医疗保障局")
    p.add_argument("--contact", default="", help="检查组联系人及电话 / the team's contact")
    p.add_argument("--doc-no", default=None, help="文号（默认按案件前缀自动编号）/ document number (default: next in the case)")
    p.add_argument("--rules", default="", help="疑点清单的规则，如 R01,R02 / rules for the hit list")
    p.add_argument("--status", default="", help="疑点清单的复核状态，如 open,confirmed / review states for the hit list")
    p.add_argument("--record", default="", help="笔录编号（现场检查笔录/询问笔录；默认全部）/ evidence id of one record")
    p.add_argument("--no-record", action="store_true",
                   help="只生成，不记入案件事件日志（草稿）/ draft: do not record the issue in the case")
    p.add_argument("--condition", default="",
                   help="裁量情节，如 first_offence,repeated（见 discretion/national.toml）/ discretion conditions")
    p.add_argument("--discretion", default="", metavar="FILE",
                   help="裁量基准文件（默认数据目录中导入的，否则示例）/ the discretion table")
    p.add_argument("--annex", action="append", default=[], choices=["analysis-log"], metavar="ANNEX",
                   help="附加附件：analysis-log（数据查询与分析命令日志）/ add an annex: analysis-log (the command log)")
    p.set_defaults(func=cmd_report)


def options_from_args(args) -> dict:
    opts: dict = {}
    if args.authority:
        opts["authority"] = args.authority
    if args.contact:
        opts["contact"] = args.contact
    if args.doc_no:
        opts["doc_no"] = args.doc_no
    if args.rules:
        opts["rules"] = [r for r in args.rules.split(",") if r.strip()]
    if args.status:
        opts["statuses"] = [s for s in args.status.split(",") if s.strip()]
    if args.record:
        opts["record_id"] = args.record
    if getattr(args, "condition", ""):
        opts["discretion_conditions"] = [c.strip() for c in args.condition.split(",") if c.strip()]
    if getattr(args, "annex", None):
        opts["annexes"] = list(dict.fromkeys(args.annex))
    if getattr(args, "discretion", ""):
        opts["discretion_table"] = args.discretion
    return opts


def cmd_report(ctx: Context, args) -> int:
    from feijian.reports.issue import render
    from feijian.store.case_store import CaseStore
    from feijian.store.identities import IdentityStore

    out = Path(args.out)
    if not out.parent.exists():
        raise InputError(f"输出目录不存在 / no such folder: {out.parent}")
    path = ctx.resolve_case(args.case)
    identity = IdentityStore(ctx.home).unlock(ctx.passphrase())
    opts = options_from_args(args)
    if "discretion_table" not in opts:
        from feijian.casework.discretion import imported_path

        if imported_path(ctx.home).exists():
            opts["discretion_table"] = str(imported_path(ctx.home))
    with CaseStore.open(path, identity) as store:
        issued = render(args.doc, store, out, record=not args.no_record,
                        generated_at=dt.datetime.now().replace(microsecond=0), **opts)
    print(f"已生成 / written: {issued.path}（{issued.pages} 页 / pages）")
    print(f"文号 / document number: {issued.doc_no}")
    print(f"SHA-256: {issued.sha256}")
    if issued.event_id:
        print(f"已记入案件 / recorded in the case: event {issued.event_id}")
    else:
        print("草稿，未记入案件 / draft: not recorded in the case")
    return 0
