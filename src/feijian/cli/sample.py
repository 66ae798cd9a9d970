"""``feijian sample``: reproducible samples (病历抽查), their review results and the extrapolation."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from feijian.casework import sampling
from feijian.cli.case import open_case
from feijian.cli.context import Context
from feijian.domain.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="抽样、录入核查结果与外推 / draw a sample, record results, extrapolate",
                       description="抽取可重现的样本并记录为事件；或录入样本核查结果；或外推。 / Draw a reproducible "
                                   "sample (recorded as an event); or record review results; or extrapolate.")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--method", choices=sampling.METHODS, help="srs 简单随机 / systematic 系统 / stratified 分层 / mus 货币单位")
    p.add_argument("--n", type=int, help="样本量 / sample size")
    p.add_argument("--seed", type=int, help="随机种子 / seed")
    p.add_argument("--unit", choices=sampling.UNITS, default="encounter", help="抽样单位：就诊或费用明细 / encounter or fee line")
    p.add_argument("--stratify", choices=("department", "amount"), default="department", help="分层依据 / stratify by")
    p.add_argument("--bands", default="", help="金额分层下限（元），逗号分隔 / amount band edges in yuan, e.g. 0,500,2000")
    p.add_argument("--allocation", choices=("proportional", "equal"), default="proportional")
    p.add_argument("--out", metavar="FILE", help="抽样清单 CSV / the sample sheet (CSV, UTF-8 with BOM)")
    p.add_argument("--list", action="store_true", help="列出已抽样本 / list the case's samples")
    p.add_argument("--results", metavar="FILE", help="核查结果 CSV（unit_id, audited[, note]） / review results to record")
    p.add_argument("--sample", metavar="ID", help="样本编号（用于 --results/--extrapolate/--verify） / the sample id")
    p.add_argument("--extrapolate", action="store_true", help="外推样本 / extrapolate the sample given by --sample")
    p.add_argument("--estimator", choices=("mean-per-unit", "difference", "ratio"), default="mean-per-unit")
    p.add_argument("--confidence", type=float, default=0.90)
    p.add_argument("--verify", action="store_true", help="重现抽样并核对 / re-perform the draw and compare")
    p.set_defaults(func=cmd_sample)


def _write_sheet(sheet, path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(sheet.columns))
        for row in sheet.itertuples(index=False):
            w.writerow(["" if v is None else v for v in row])


def cmd_sample(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        if args.list:
            for s in sampling.samples(store):
                print(f"{s.sample_id}\t{s.method}\t{s.unit}\tseed={s.seed}\tn={len(s.selected)}/{s.population_size}\t{s.population_hash[:16]}")
            return 0
        if args.results or args.extrapolate or args.verify:
            if not args.sample:
                raise InputError("请用 --sample 指定样本 / name the sample with --sample")
            sample = sampling.get_sample(store, args.sample)
            if args.results:
                n = _record_results(store, sample, Path(args.results))
                print(f"已录入 {n} 个样本单位的核查结果 / recorded {n} results")
            if args.verify:
                ok, why = sampling.reperform(store, sample)
                print("重现一致 / re-performed: identical" if ok else f"重现不一致 / NOT reproduced: {why}")
                if not ok:
                    return 4
            if args.extrapolate:
                est = sampling.extrapolate(store, sample.sample_id, estimator=args.estimator, confidence=args.confidence)
                print(f"估计方法 / estimator: {est.method}; 样本 {est.sample_size} / 总体 {est.population_size}")
                print(f"点估计 / point estimate: {est.point:,.2f}; 标准误 / SE: {est.standard_error:,.2f}; t = {est.t:.4f}")
                print(f"{est.confidence:.0%} 双侧区间 / two-sided interval: [{est.lower:,.2f}, {est.upper:,.2f}]")
                print(f"建议追回金额（区间下限） / recovery (lower limit): {est.recovery}")
            if args.out:
                _write_sheet(sampling.sample_sheet(store, sample), Path(args.out))
            return 0
        if not (args.method and args.n is not None and args.seed is not None and args.out):
            raise InputError("抽样需要 --method、--n、--seed 与 --out / drawing needs --method, --n, --seed and --out")
        options = {"stratify_by": args.stratify, "allocation": args.allocation}
        if args.bands:
            try:
                options["bands"] = tuple(float(b) for b in args.bands.split(","))
            except ValueError:
                raise InputError(f"--bands 须为逗号分隔的数字 / --bands must be numbers: {args.bands}") from None
        sample = sampling.draw_sample(store, args.method, args.n, args.seed, unit=args.unit, **options)
        _write_sheet(sampling.sample_sheet(store, sample), Path(args.out))
    print(f"样本编号 / sample id: {sample.sample_id}")
    print(f"{sampling.METHOD_ZH[sample.method]}：从 {sample.population_size} 个{sampling.UNIT_ZH[sample.unit]}中抽取 "
          f"{len(sample.selected)} 个（种子 {sample.seed}） / {sample.method}: {len(sample.selected)} of {sample.population_size}")
    print(f"总体哈希 / population SHA-256: {sample.population_hash}")
    print(f"抽样清单 / sample sheet: {args.out}")
    return 0


def _record_results(store, sample, path: Path) -> int:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取结果文件（须为 UTF-8 CSV） / cannot read the results file {path}: {exc}") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or "unit_id" not in rows[0] or "audited" not in rows[0]:
        raise InputError("结果文件须有 unit_id 与 audited 列 / the results file needs unit_id and audited columns")
    from feijian.casework.changes import transaction

    with transaction(store):
        for r in rows:
            sampling.record_result(store, sample.sample_id, r["unit_id"], r["audited"], r.get("note") or "")
    return len(rows)
