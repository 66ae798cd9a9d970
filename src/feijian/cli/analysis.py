"""``feijian query`` and ``feijian analyse``: the inspector's own read-only SQL and analyses over a case's
tables (:mod:`feijian.casework.analysis_query`), each run logged in the case's command log, shown a page at a
time; the whole result leaves the encrypted store only on ``--out FILE.csv``."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

import pyarrow as pa

from feijian.casework import analysis_log as L
from feijian.casework import analysis_query as Q
from feijian.casework.analysis_benford import thresholds as benford_thresholds
from feijian.casework.analysis_export import cell, result_csv
from feijian.cli.case import open_case
from feijian.cli.context import Context
from feijian.domain.errors import InputError

CLI_KINDS = {k.replace("_", "-"): k for k in Q.ANALYSIS_KINDS}
DEFAULT_SHOWN = 50
MAX_CELL = 40


def register(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("query", help="只读 SQL 查询本案件的表 / a read-only SELECT over the case's tables",
                       description="只允许一条 SELECT；结果分页显示，只有 --out 时才写出文件；每次查询记入命令日志。 / "
                                   "One SELECT only; the result is shown a page at a time and written to a file only "
                                   "with --out; every query is logged.")
    q.add_argument("case", metavar="CASE")
    q.add_argument("sql", metavar="SQL", nargs="?", help='如 "SELECT count(*) FROM fees"')
    q.add_argument("--tables", action="store_true", help="列出本案件可查询的表及字段 / list the case's tables and fields")
    _output_options(q)
    q.set_defaults(func=cmd_query)

    a = sub.add_parser("analyse", aliases=["analyze"],
                       help="字段统计、分层、断号、重复、本福特、前 N 名、交叉表 / the auditor's analyses",
                       description="分析 / analyses: " + ", ".join(CLI_KINDS) + ". 每次分析记入命令日志；"
                                   "--history 列出，--rerun N 重做并比对哈希。 / Every run is logged; --history lists "
                                   "the log, --rerun N runs entry N again and compares its hash.")
    a.add_argument("case", metavar="CASE")
    a.add_argument("analysis", nargs="?", choices=list(CLI_KINDS), metavar="ANALYSIS",
                   help="stats | stratify | gaps | key-duplicates | duplicates | top | crosstab | benford")
    a.add_argument("--table", default="fees", help="表名（默认 fees）/ case table (default fees)")
    a.add_argument("--field", help="字段（stats、stratify、benford）/ the field")
    a.add_argument("--value", help="求和的数值字段（stratify、duplicates、top、crosstab）/ numeric field to sum")
    a.add_argument("--bands", type=int, help="等宽分层数（默认 10）/ number of equal-width bands (default 10)")
    a.add_argument("--edges", help="分层边界，逗号分隔，如 0,100,1000 / band edges")
    a.add_argument("--key", help="序号字段（gaps、key-duplicates），如 feedetl_sn / the key sequence field")
    a.add_argument("--group", default="", help="分组字段，逗号分隔，如 mdtrt_id / group fields")
    a.add_argument("--fields", default="", help="重复比对字段，逗号分隔（duplicates）/ fields that must agree")
    a.add_argument("--by", help="前 N 名的分组字段（top）/ the field to rank")
    a.add_argument("--n", type=int, help="前 N 名（默认 10）/ how many (default 10)")
    a.add_argument("--order", choices=("sum", "count"), help="按金额或行数排序（top）/ rank by sum or count")
    a.add_argument("--top", type=int, help="最常见取值个数（stats，默认 10）/ most frequent values shown (stats)")
    a.add_argument("--rows", dest="row_field", help="交叉表的行字段 / crosstab rows")
    a.add_argument("--cols", dest="col_field", help="交叉表的列字段 / crosstab columns")
    a.add_argument("--digits", type=int, choices=(1, 2), help="本福特：首位 1 或前两位 2 / Benford: first 1 or first two 2")
    floor = benford_thresholds()["min_value"]
    a.add_argument("--min-value", metavar="AMOUNT", help=f"本福特：只检验绝对值不小于此数的金额（默认 {floor}，Nigrini）/ "
                                                        f"Benford: test only amounts of at least this (default {floor})")
    a.add_argument("--history", action="store_true", help="列出命令日志 / list the logged queries and analyses")
    a.add_argument("--rerun", metavar="N", help="重做日志第 N 条（或事件编号）并比对哈希 / rerun log entry N (or an event id)")
    a.add_argument("--check-evidence", metavar="EVIDENCE_ID",
                   help="重做作为证据的结果并与证据记录比对 / rerun a result in evidence and compare with its record")
    _output_options(a)
    a.set_defaults(func=cmd_analyse)


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--evidence-for", metavar="FINDING_ID", help="把全部结果（CSV，加密）作为该问题的证据 / put the "
                                                               "whole result (CSV, encrypted) in evidence for the finding")
    p.add_argument("--limit", type=int, default=DEFAULT_SHOWN, help=f"每页行数（默认 {DEFAULT_SHOWN}）/ rows per page")
    p.add_argument("--page", type=int, default=1, help="显示第几页（默认 1）/ which page to show")
    p.add_argument("--out", metavar="FILE.csv", help="把全部结果写入 CSV（明文，须明确要求）/ write the whole result "
                                                     "to a CSV file (plaintext: only on request)")


# -- formatting ------------------------------------------------------------------------------------------------

def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _clip(text: str) -> str:
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    if width(text) <= MAX_CELL:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > MAX_CELL - 1:
            break
        out += ch
    return out + "…"


def _pad(text: str, w: int, right: bool) -> str:
    gap = " " * (w - width(text))
    return gap + text if right else text + gap


def shown(value) -> str:
    """A value as the screen shows it: floats to six significant digits (the CSV keeps every digit)."""
    if isinstance(value, float):
        return format(value, ".6g")
    return cell(value)


def format_table(table: pa.Table) -> list[str]:
    """The rows as aligned text lines (numbers right-aligned, Chinese counted double width)."""
    names = table.column_names
    cols = [[_clip(shown(v)) for v in table.column(i).to_pylist()] for i in range(table.num_columns)]
    numeric = [pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t) for t in table.schema.types]
    widths = [max([width(n)] + [width(v) for v in c]) for n, c in zip(names, cols)]
    lines = ["  ".join(_pad(n, w, r) for n, w, r in zip(names, widths, numeric)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for i in range(table.num_rows):
        lines.append("  ".join(_pad(c[i], w, r) for c, w, r in zip(cols, widths, numeric)).rstrip())
    return lines


def _check_paging(args) -> None:
    if args.limit < 1:
        raise InputError("--limit 至少为 1 / --limit must be at least 1")
    if args.page < 1:
        raise InputError("--page 至少为 1 / --page must be at least 1")


def _keep(args) -> int:
    """Rows to keep in memory: the whole result when it is written out or put in evidence, else up to the
    page shown."""
    return sys.maxsize if args.out or args.evidence_for else args.limit * args.page


def attach(store, result: Q.QueryResult, args) -> None:
    if not args.evidence_for:
        return
    from feijian.casework.analysis_evidence import attach_result

    rec = attach_result(store, result, args.evidence_for)
    print(f"已作为问题 {rec.finding_id} 的证据 / in evidence for finding {rec.finding_id}: {rec.evidence_id}")
    print(f"证据文件 SHA-256 / CSV SHA-256: {rec.csv_sha256}（{rec.rows} 行 / rows）")


def show(result: Q.QueryResult, args) -> None:
    start = args.limit * (args.page - 1)
    page = result.table.slice(start, args.limit)
    for line in format_table(page):
        print(line)
    if result.rows == 0:
        print("（无结果行 / no rows）")
    elif page.num_rows == 0:
        print(f"第 {args.page} 页没有行 / page {args.page} is past the end")
    else:
        pages = -(-result.rows // args.limit)
        print(f"第 {start + 1}–{start + page.num_rows} 行，共 {result.rows} 行（第 {args.page}/{pages} 页）/ rows "
              f"{start + 1}–{start + page.num_rows} of {result.rows} (page {args.page} of {pages})")
    print(f"SHA-256: {result.sha256}  ({result.seconds:.2f} s)")
    if result.event_id:
        print(f"已记入命令日志 / logged: event {result.event_id}")


def write_out(result: Q.QueryResult, path: Path) -> None:
    if not path.parent.exists():
        raise InputError(f"输出目录不存在 / no such folder: {path.parent}")
    path.write_bytes(result_csv(result.table))
    print(f"已导出 {result.table.num_rows} 行 / exported {result.table.num_rows} rows: {path}")


def _summary_lines(result: Q.QueryResult) -> list[str]:
    s = result.summary or {}
    kind = result.sql
    if kind.startswith("benford") or "mad" in s:
        if s.get("n"):
            return [f"本福特 {s['test']}：n = {s['n']}（排除 {s['excluded']} 个小于 {s['min_value']} 的值），MAD = "
                    f"{s['mad']:.5f}（{s['conformity']}），χ² = {s['chi_square']:.2f}，df = {s['df']}，"
                    f"p = {s['p_value']:.4g} / Benford {s['test']}: MAD {s['mad']:.5f} ({s['conformity']})"]
        return ["没有可检验的金额 / no amounts to test"]
    if kind == "gaps":
        return [f"断号 {s['gaps']} 处，缺 {s['missing']} 个号；{s['keys']} 个序号中 {s['keys_without_number']} 个无数字 / "
                f"{s['gaps']} gaps, {s['missing']} numbers missing"]
    if kind in ("duplicates", "key_duplicates"):
        return [f"重复组 {s['groups']} 个，涉及 {s['rows_in_groups']} 行 / {s['groups']} duplicate groups, "
                f"{s['rows_in_groups']} rows"]
    if kind == "stratify":
        return [f"共 {s['rows']} 行，合计 {s['sum']} / {s['rows']} rows, sum {s['sum']}"]
    return []


# -- commands --------------------------------------------------------------------------------------------------

def cmd_query(ctx: Context, args) -> int:
    _check_paging(args)
    with open_case(ctx, args.case) as store:
        if args.tables:
            from feijian.casework.analysis_source import table_columns

            for name in Q.available_tables(store):
                print(f"{name}: {', '.join(table_columns(name))}")
            return 0
        if not args.sql:
            raise InputError('请给出查询，如 "SELECT count(*) FROM fees" / give a query, e.g. "SELECT count(*) FROM fees"')
        if args.evidence_for:  # a finding that is not there fails before the query runs
            from feijian.casework.findings import get_finding

            get_finding(store, args.evidence_for)
        result = Q.run_query(store, args.sql, limit=_keep(args))
        attach(store, result, args)
    show(result, args)
    if args.out:
        write_out(result, Path(args.out))
    return 0


def _split(text: str) -> list[str]:
    return [t.strip() for t in (text or "").split(",") if t.strip()]


def params_from_args(args) -> dict:
    p: dict = {"table": args.table, "field": args.field, "value": args.value, "key": args.key, "by": args.by,
               "rows": args.row_field, "cols": args.col_field, "bands": args.bands, "n": args.n,
               "order": args.order, "top": args.top, "digits": args.digits, "min_value": args.min_value,
               "groups": _split(args.group), "fields": _split(args.fields)}
    if args.edges:
        try:
            from decimal import Decimal, InvalidOperation

            p["edges"] = [str(Decimal(e)) for e in _split(args.edges)]
        except InvalidOperation:
            raise InputError(f"--edges 须为逗号分隔的数字 / --edges must be numbers: {args.edges}") from None
    return {k: v for k, v in p.items() if v not in (None, "", [], ())}


def _logged(store, which: str) -> L.LoggedRun:
    runs = L.history(store)
    if which.isdigit() and len(which) < 6:
        n = int(which)
        if not 1 <= n <= len(runs):
            raise InputError(f"命令日志只有 {len(runs)} 条 / the log has {len(runs)} entries, no entry {n}")
        return runs[n - 1]
    return L.get_run(store, which)


def print_history(runs: list[L.LoggedRun]) -> None:
    if not runs:
        print("命令日志为空 / no logged queries or analyses")
        return
    for i, r in enumerate(runs, 1):
        print(f"{i:3d}  {r.time}  {r.by}  {r.kind}  rows={r.rows}  {r.sha256[:16]}  {r.event_id}")
        print(f"     {r.text}")


def cmd_analyse(ctx: Context, args) -> int:
    _check_paging(args)
    chosen = [x for x in (args.analysis, args.history, args.rerun, args.check_evidence) if x]
    if len(chosen) != 1:
        raise InputError("请给出一种分析，或 --history，或 --rerun N，或 --check-evidence ID / give one analysis, or "
                         "--history, or --rerun N, or --check-evidence ID")
    with open_case(ctx, args.case) as store:
        if args.check_evidence:
            from feijian.casework.analysis_evidence import check_result_evidence

            check = check_result_evidence(store, args.check_evidence)
            print(f"重做 / rerun: {check.record.as_run().text}")
            print(check.message)
            return 0 if check.ok else 4
        if args.evidence_for:
            from feijian.casework.findings import get_finding

            get_finding(store, args.evidence_for)
        if args.history:
            print_history(L.history(store))
            return 0
        if args.rerun:
            run = _logged(store, args.rerun)
            print(f"重做 / rerunning: {run.text}")
            result = Q.rerun(store, run, **({"limit": _keep(args)} if run.kind == "query" else {}))
            same = result.matches(run)
        else:
            result = Q.run_analysis(store, CLI_KINDS[args.analysis], params_from_args(args))
            run, same = None, True
        attach(store, result, args)
    for line in _summary_lines(result):
        print(line)
    show(result, args)
    if args.out:
        write_out(result, Path(args.out))
    if run is not None:
        if same:
            print(f"结果与日志一致 / same result as logged: {run.rows} rows, SHA-256 {run.sha256}")
        else:
            legacy = run.hash_scheme == L.ORDERED
            print(f"结果与日志不一致 / DIFFERENT from the logged result: logged {run.rows} rows {run.sha256}, "
                  f"now {result.rows} rows {result.ordered_sha256 if legacy else result.sha256}")
            if legacy and result.rows == run.rows:
                print("（该记录早于与行序无关的哈希，按返回的行序比对：若 ORDER BY 未定下每一行的次序，行序可能不同 / "
                      "logged before the order-independent hash, so compared in the order returned: rows tied "
                      "in the ORDER BY may have come in another order）")
            return 4
    return 0
