"""``feijian intake import PKG... --archive PATH_OR_URL``: bureau intake (issue 8)."""

from __future__ import annotations

import argparse
from pathlib import Path

from feijian.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("intake", help="医保局接收案件包 / bureau intake of case packages")
    s = p.add_subparsers(dest="intake_command", metavar="ACTION", required=True)
    im = s.add_parser("import", help="核验并导入归档 / verify and import into the archive")
    im.add_argument("packages", nargs="+", metavar="PKG")
    im.add_argument("--archive", required=True, metavar="PATH_OR_URL",
                    help="SQLite 文件或 PostgreSQL URL / a SQLite file or a postgresql:// URL")
    im.add_argument("--receipts", metavar="DIR", help="回执写入目录 / write signed receipts here (default: beside each package)")
    im.set_defaults(func=cmd_import)


def cmd_import(ctx: Context, args) -> int:
    from feijian.store.identities import BureauStore
    from feijian.sync.intake import intake

    bureau = BureauStore(ctx.home)
    keys = bureau.unlock(ctx.passphrase("医保局口令 / bureau passphrase: "))
    trust = bureau.trust_list()
    for pkg in args.packages:
        receipt = intake([Path(pkg)], args.archive, bureau_keys=keys, trust=trust)[0]
        folder = Path(args.receipts) if args.receipts else Path(pkg).parent
        path = receipt.write(folder)
        print(f"已导入 / imported {receipt.package_id} (case {receipt.case_id}); 回执 / receipt {path}")
    return 0
