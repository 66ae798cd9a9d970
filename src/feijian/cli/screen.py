"""``feijian screen (CASE | DATA_DIR) [--kb DIR] [--rules R01,R02] --out HITS.csv``: run the rules and write
the hits file of rules.md. A DATA_DIR is read with ingest and screened without a case."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from feijian.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "screen",
        help="运行筛查规则，写出疑点文件 / run the rules and write the hits file",
        description="对案件或数据目录运行规则 R01–R23、S01–S04，写出 UTF-8-BOM 的疑点 CSV。"
        " Runs the rules over a case or a data folder and writes the hits CSV.",
    )
    p.add_argument("target", metavar="CASE|DATA_DIR", help="案件名、.fjcase 文件或数据目录 / case name, .fjcase file or data folder")
    p.add_argument("--kb", metavar="DIR", help="知识库目录（默认内置样例）/ knowledge-base folder (default: the bundled sample)")
    p.add_argument("--rules", metavar="R01,R02", help="只运行这些规则 / run only these rules (comma-separated)")
    p.add_argument("--out", metavar="HITS.csv", required=True, help="疑点文件 / hits file to write")
    p.set_defaults(func=run_screen)


def _progress(done: int, total: int, message: str) -> None:
    if sys.stderr.isatty():
        print(f"\r[{done}/{total}] {message:<40}", end="", file=sys.stderr, flush=True)


def run_screen(ctx: Context, args) -> int:
    from feijian.casework.screening import load_kb
    from feijian.rules import write_hits_csv

    kb = load_kb(Path(args.kb) if args.kb else None)
    extra = None
    rules = [r for r in args.rules.split(",") if r.strip()] if args.rules else None
    target = Path(args.target)
    if target.is_dir():
        from feijian.ingest import read_folder
        from feijian.rules import screen

        read = read_folder(target, kind="case", progress=_progress)
        if read.rejected:
            print(f"注意：导入时拒绝 {len(read.rejected)} 行（见 feijian import --report）/ note: {len(read.rejected)} rows refused on reading",
                  file=sys.stderr)
        hashes = tuple(sorted(f.sha256 for f in read.files))
        result = screen(read.tables, kb, rules=rules, progress=_progress, batch_hashes=hashes)
    else:
        from feijian.casework.screening import screen_case
        from feijian.store.case_store import CaseStore
        from feijian.store.identities import IdentityStore

        path = ctx.resolve_case(args.target)
        identity = IdentityStore(ctx.home).unlock(ctx.passphrase())
        with CaseStore.open(path, identity) as store:
            result = screen_case(store, kb=kb, rules=rules, progress=_progress)
            extra = self_inspection_column(store, result.hits)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    n = write_hits_csv(result.hits, Path(args.out), extra)
    run = result.run
    print(f"规则集 ruleset {run.ruleset_version}  知识库 kb {run.kb_hash[:16]}  运行 run {run.run_id}")
    counts = result.hits.groupby("rule_code").size().to_dict() if len(result.hits) else {}
    for code in run.rules_run:
        print(f"  {code}: {counts.get(code, 0)} 条疑点 / hits")
    for code, reason in run.not_run.items():
        print(f"  {code}: 未运行 {reason}")
    print(f"疑点 {n} 条，涉及金额（每条明细只计一次）{run.total_amount:.2f} 元 / {n} hits, case total {run.total_amount:.2f}")
    print(f"已写出 / written: {args.out}")
    return 0


def self_inspection_column(store, hits) -> dict | None:
    """The ``self_inspection`` column (declared / not_declared) when the case has imported a self-inspection
    package; None otherwise (the file keeps exactly the columns of rules.md)."""
    from feijian.casework import self_inspection as si

    decl = si.declared_ids(store.state())
    if decl is None or hits is None or not len(hits):
        return None if decl is None else {"self_inspection": {}}
    return {"self_inspection": {str(h): si.DECLARED if str(h) in decl else si.NOT_DECLARED for h in hits["hit_id"]}}
