"""``feijian evidence add|list|export``: the case's evidence vault."""

from __future__ import annotations

import argparse
from pathlib import Path

from feijian.cli.case import open_case
from feijian.cli.context import Context
from feijian.domain.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evidence", help="证据库 / the evidence vault")
    s = p.add_subparsers(dest="evidence_command", metavar="ACTION", required=True)
    add = s.add_parser("add", help="加入证据文件并显示 SHA-256 / add an evidence file; prints its SHA-256")
    add.add_argument("case", metavar="CASE")
    add.add_argument("file", metavar="FILE")
    add.add_argument("--finding", default="", metavar="ID", help="支持的问题编号 / the finding it supports")
    add.add_argument("--note", default="", help="说明 / note")
    add.set_defaults(func=cmd_add)
    ls = s.add_parser("list", help="列出证据 / list evidence")
    ls.add_argument("case", metavar="CASE")
    ls.set_defaults(func=cmd_list)
    ex = s.add_parser("export", help="导出一件证据（校验哈希）/ export one item (hash checked)")
    ex.add_argument("case", metavar="CASE")
    ex.add_argument("evidence_id", metavar="ID")
    ex.add_argument("--out", required=True, metavar="FILE")
    ex.set_defaults(func=cmd_export)


def cmd_add(ctx: Context, args) -> int:
    src = Path(args.file)
    if not src.is_file():
        raise InputError(f"找不到证据文件 / no such file: {src}")
    with open_case(ctx, args.case) as store:
        item = store.add_evidence(src, finding_id=args.finding, note=args.note)
    print(f"{item.sha256}  {item.original_name}")
    print(f"证据编号 / evidence id: {item.evidence_id} ({item.size} bytes)")
    return 0


def cmd_list(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        items = store.evidence_items()
    for it in items:
        print(f"{it.evidence_id}\t{it.kind}\t{it.sha256}\t{it.size}\t{it.original_name}\t{it.finding_id}")
    return 0


def cmd_export(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        store.export_evidence(args.evidence_id, Path(args.out))
    print(f"已导出（哈希已校验）/ exported, hash checked: {args.out}")
    return 0
