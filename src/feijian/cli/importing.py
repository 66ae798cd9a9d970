"""``feijian import CASE DATA_DIR [--mapping FILE] [--report FILE]``: import extracts into a case."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from feijian.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="导入医院数据 / import hospital extracts into a case")
    p.add_argument("case", metavar="CASE", help="案件名或 .fjcase 文件 / case name or .fjcase file")
    p.add_argument("data_dir", metavar="DATA_DIR", help="数据文件夹（CSV/XLSX）/ folder of extracts")
    p.add_argument("--mapping", metavar="FILE", help="列映射 JSON {表: {源列名: 字段}} / column mapping file")
    p.add_argument("--report", metavar="FILE", help="拒绝行报告（UTF-8-BOM CSV）/ write the import report here")
    p.add_argument("--encoding", metavar="NAME",
                   help="声明文本文件的编码（utf-8、utf-8-sig、gbk、gb18030），默认自动识别 / declare the text files' encoding "
                        "(checked strictly); detected when omitted")
    p.add_argument("--skip-duplicates", action="store_true",
                   help="跳过已导入过的相同文件 / leave out files imported before instead of refusing")
    p.set_defaults(func=cmd_import)


def _progress(done: int, total: int, message: str) -> None:
    if sys.stderr.isatty() and total:
        print(f"\r{100 * done // total:3d}% {message[:60]:<60}", end="", file=sys.stderr, flush=True)


def cmd_import(ctx: Context, args) -> int:
    from feijian.casework.importing import import_folder
    from feijian.cli.case import open_case
    from feijian.domain.errors import InputError
    from feijian.ingest import load_mapping, write_report

    data_dir = Path(args.data_dir)
    if not data_dir.is_dir():
        raise InputError(f"找不到数据目录 / no such folder: {data_dir}")
    mapping = load_mapping(args.mapping) if args.mapping else None
    with open_case(ctx, args.case) as store:
        summary = import_folder(store, data_dir, mapping=mapping, progress=_progress,
                                skip_duplicates=args.skip_duplicates, encoding=args.encoding)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(summary.text())
    if args.report:
        write_report(summary.rejected, Path(args.report))
        print(f"导入报告 / import report: {args.report} ({len(summary.rejected)} 行拒绝 / rows refused)")
    elif summary.rejected:
        print(f"拒绝 {len(summary.rejected)} 行，用 --report FILE 写出明细 / {len(summary.rejected)} rows refused: "
              f"--report FILE writes them")
    return 0
