"""``feijian trust import FILE``: the bureau's public keys and signed trust list, for an inspector or lead."""

from __future__ import annotations

import argparse
from pathlib import Path

from feijian.cli.context import Context
from feijian.store.identities import IdentityStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trust", help="医保局公钥与信任列表 / the bureau's keys and trust list")
    s = p.add_subparsers(dest="trust_command", metavar="ACTION", required=True)
    imp = s.add_parser("import", help="导入医保局发布的信任列表 / import the trust list the bureau published")
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(func=cmd_import)
    show = s.add_parser("show", help="显示已导入的信任列表 / show the imported trust list")
    show.set_defaults(func=cmd_show)


def cmd_import(ctx: Context, args) -> int:
    tl = IdentityStore(ctx.home).import_trust(Path(args.file))
    print(f"已导入信任列表 / trust list imported: bureau {tl.bureau.key_id}, seq {tl.seq}, {len(tl.members)} 名成员 / members")
    return 0


def cmd_show(ctx: Context, args) -> int:
    tl = IdentityStore(ctx.home).trust_list()
    if tl is None:
        print("尚未导入信任列表 / no trust list imported")
        return 1
    print(f"医保局 / bureau: {tl.bureau.name} {tl.bureau.key_id}  seq {tl.seq}  {tl.issued_at}")
    for m in tl.members:
        state = "已撤销 / revoked" if m.key_id in tl.revoked else ""
        print(f"{m.key_id}  {m.name}  {m.staff_no}  {m.role}  {state}".rstrip())
    return 0
