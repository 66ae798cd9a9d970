"""``feijian transfer suggest|flag|letter|list``: 移送 to the police, the health commission or the discipline
inspection authority — which findings the conditions point to, the inspectors' flags, the letter as a PDF
(recorded in the case as a document and as a transfer)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from feijian.casework import transfers as tr
from feijian.cli.context import Context
from feijian.cli.selfcheck import _open


def register(sub: argparse._SubParsersAction) -> None:
    kinds = list(tr.authorities())
    p = sub.add_parser("transfer", help="移送公安、卫生健康、纪检监察 / transfer findings to another authority")
    s = p.add_subparsers(dest="transfer_command", metavar="ACTION", required=True)
    sg = s.add_parser("suggest", help="按条件列出应移送的问题 / the findings the conditions point to")
    sg.add_argument("case", metavar="CASE")
    sg.add_argument("--to", choices=kinds, help="只看此机关 / one authority only")
    sg.set_defaults(func=cmd_suggest)
    fl = s.add_parser("flag", help="为问题设置移送标记 / set a finding's transfer flags")
    fl.add_argument("case", metavar="CASE")
    fl.add_argument("finding", metavar="FINDING_ID")
    fl.add_argument("--flags", default="", help="逗号分隔；空串清除 / comma-separated; '' clears: " + ", ".join(tr.flag_labels()))
    fl.add_argument("--note", default="")
    fl.set_defaults(func=cmd_flag)
    lt = s.add_parser("letter", help="生成移送书 PDF 并记入案件 / render the letter and record the transfer")
    lt.add_argument("case", metavar="CASE")
    lt.add_argument("--to", required=True, choices=kinds, help="移送机关 / the authority: " + ", ".join(kinds))
    lt.add_argument("--out", required=True, metavar="FILE.pdf")
    lt.add_argument("--recipient", default="", help="接收单位全称 / the recipient, e.g. 某市公安局")
    lt.add_argument("--findings", default="", help="问题编号，逗号分隔（默认按条件）/ finding ids (default: by the conditions)")
    lt.add_argument("--authority", default="", help="移送机关（本局）/ the sending bureau")
    lt.add_argument("--contact", default="")
    lt.add_argument("--no-record", action="store_true", help="草稿，不记入案件 / draft: do not record")
    lt.set_defaults(func=cmd_letter)
    ls = s.add_parser("list", help="已移送记录 / transfers made")
    ls.add_argument("case", metavar="CASE")
    ls.set_defaults(func=cmd_list)


def cmd_suggest(ctx: Context, args) -> int:
    from feijian.casework.findings import findings

    with _open(ctx, args.case) as (store, _):
        titles = {f.finding_id: f.title for f in findings(store)}
        cands = tr.candidates(store, args.to)
        for kind in ([args.to] if args.to else list(tr.authorities())):
            mine = [c for c in cands if c.authority == kind]
            print(f"{tr.authority(kind)['name']}（{kind}）：{len(mine)} 个问题")
            for c in mine:
                print(f"  {c.finding_id}  {titles.get(c.finding_id, '')}：{'；'.join(c.reasons)}")
    return 0


def cmd_flag(ctx: Context, args) -> int:
    with _open(ctx, args.case) as (store, _):
        tr.set_flags(store, args.finding, args.flags.split(","), args.note)
        print(f"已设置移送标记 / flags set: {args.finding} {args.flags or '（清除）'}")
    return 0


def cmd_letter(ctx: Context, args) -> int:
    from feijian.reports.issue import render

    opts = {"transfer_to": args.to, "recipient": args.recipient,
            "transfer_findings": [x.strip() for x in args.findings.split(",") if x.strip()]}
    if args.authority:
        opts["authority"] = args.authority
    if args.contact:
        opts["contact"] = args.contact
    with _open(ctx, args.case) as (store, _):
        issued = render("transfer", store, Path(args.out), record=not args.no_record,
                        generated_at=dt.datetime.now().replace(microsecond=0), **opts)
        from feijian.reports.context import build_context

        ids = build_context(store, doc="transfer", with_line_details=False, **opts).options["transfer"]["finding_ids"]
        if not args.no_record:
            tr.record_transfer(store, args.to, ids, recipient=args.recipient, doc_no=issued.doc_no, sha256=issued.sha256)
    print(f"已生成 / written: {issued.path}（{issued.pages} 页，{len(ids)} 个问题）")
    print(f"文号 / document number: {issued.doc_no}")
    print(f"SHA-256: {issued.sha256}")
    print("已记入案件 / recorded in the case" if not args.no_record else "草稿，未记入案件 / draft: not recorded")
    return 0


def cmd_list(ctx: Context, args) -> int:
    with _open(ctx, args.case) as (store, _):
        made = tr.transfers(store.state())
        if not made:
            print("尚无移送记录 / no transfers recorded")
        for t in made:
            print(f"{t['doc_no']}  {tr.authority(t['authority'])['name']}  {t['recipient']}  "
                  f"{len(t['finding_ids'])} 个问题  {t['sha256'][:16]}")
    return 0
