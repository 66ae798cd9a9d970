"""``feijian selfcheck``: 自查自纠 — the institution's own side (start, mark, report, export) and the inspection
case's side (import the signed declaration, show it and the declared / not declared split)."""

from __future__ import annotations

import argparse
import csv
import io
from contextlib import contextmanager
from pathlib import Path

from feijian.casework import self_inspection as si
from feijian.cli.context import Context
from feijian.domain.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("selfcheck", help="自查自纠 / the institution's self-inspection and its comparison")
    s = p.add_subparsers(dest="selfcheck_command", metavar="ACTION", required=True)

    st = s.add_parser("start", help="将案件设为本机构自查自纠 / make the case the institution's self-inspection")
    st.add_argument("case", metavar="CASE")
    st.add_argument("--staff", default="", help="自查部门或人员 / who runs it, e.g. 医保办")
    st.set_defaults(func=cmd_start)

    mk = s.add_parser("mark", help="标记疑点已整改及退回金额 / mark hits corrected with the money returned")
    mk.add_argument("case", metavar="CASE")
    mk.add_argument("hit_id", nargs="?", metavar="HIT_ID")
    mk.add_argument("--refund", help="退回金额（元）/ amount returned (yuan)")
    mk.add_argument("--note", default="")
    mk.add_argument("--withdraw", action="store_true", help="撤回整改标记 / withdraw the mark")
    mk.add_argument("--file", metavar="FILE.csv", help="批量：列 hit_id,refund[,note] / many at once: hit_id,refund[,note]")
    mk.set_defaults(func=cmd_mark)

    sh_ = s.add_parser("sheet", help="写出整改工作表（CSV，填 refund 后用 mark --file 读回）/ the worksheet for mark --file")
    sh_.add_argument("case", metavar="CASE")
    sh_.add_argument("--out", required=True, metavar="FILE.csv")
    sh_.add_argument("--with-visits", action="store_true",
                     help="加入就诊ID和日期（明文写盘，注意保管）/ add visit id and date (written in plain text)")
    sh_.set_defaults(func=cmd_sheet)

    rp = s.add_parser("report", help="自查报告：按规则和科室汇总 / the self-inspection report's totals")
    rp.add_argument("case", metavar="CASE")
    rp.add_argument("--out", metavar="FILE.pdf", help="写出自查报告 PDF / write the 自查报告 as PDF")
    rp.add_argument("--authority", default="", help="报送机关 / the bureau it goes to")
    rp.set_defaults(func=cmd_report)

    ex = s.add_parser("export", help="导出签名的自查包 / export the signed self-inspection package")
    ex.add_argument("case", metavar="CASE")
    ex.add_argument("--out", required=True, metavar="FILE.json", help="自查包（签名写在 FILE.json.minisig）/ package")
    ex.set_defaults(func=cmd_export)

    im = s.add_parser("import", help="检查案件导入机构的自查包 / import an institution's package into an inspection case")
    im.add_argument("case", metavar="CASE")
    im.add_argument("package", metavar="FILE.json", help="自查包，签名在旁边的 .minisig / the package, its .minisig beside it")
    im.add_argument("--signer-key", default="", metavar="KEY_ID",
                    help="要求签名者密钥编号为此值 / require the signer's key id (as the institution gave it)")
    im.set_defaults(func=cmd_import)

    sh = s.add_parser("show", help="显示导入的自查申报及已申报/未申报比对 / the declarations and the split")
    sh.add_argument("case", metavar="CASE")
    sh.add_argument("--out", metavar="HITS.csv", help="写出带 self_inspection 列的疑点文件 / hits CSV with the status column")
    sh.add_argument("--list", action="store_true", help="逐条列出 / list every hit")
    sh.set_defaults(func=cmd_show)


@contextmanager
def _open(ctx: Context, case: str):
    from feijian.store.case_store import CaseStore
    from feijian.store.identities import IdentityStore

    path = ctx.resolve_case(case)
    identity = IdentityStore(ctx.home).unlock(ctx.passphrase())
    with CaseStore.open(path, identity) as store:
        yield store, identity


def cmd_start(ctx: Context, args) -> int:
    with _open(ctx, args.case) as (store, _):
        si.start(store, staff=args.staff)
        print(f"已设为自查自纠 / self-inspection mode: {store.info.medins_name}（{store.info.medins_code}）")
    return 0


def _text(value) -> str:
    import pandas as pd

    try:
        if value is None or pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


SHEET_COLUMNS = ["hit_id", "rule_code", "department", "amount", "refund", "note"]


def cmd_sheet(ctx: Context, args) -> int:
    from feijian.rules.catalogue import load_catalogue

    with _open(ctx, args.case) as (store, _):
        if not si.is_self_inspection(store):
            raise InputError("此案件不是自查自纠 / this case is not a self-inspection (run `selfcheck start`)")
        hits = si._hits(store)
        depts = si.hit_departments(store, hits)
        corr = si.corrections(store.state())
        names = {c: m.name_zh for c, m in load_catalogue().items()}
        cols = SHEET_COLUMNS[:3] + ["rule_name"] + (["mdtrt_id", "date"] if args.with_visits else []) + SHEET_COLUMNS[3:]
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        for r in hits.itertuples(index=False):
            hid = str(r.hit_id)
            c = corr.get(hid)
            row = {"hit_id": hid, "rule_code": r.rule_code, "department": depts.get(hid, si.UNATTRIBUTED),
                   "rule_name": names.get(str(r.rule_code), ""), "mdtrt_id": _text(r.mdtrt_id), "date": _text(r.date)[:10],
                   "amount": f"{si.to_decimal(r.amount):.2f}",
                   "refund": str(c.refund) if c and c.corrected else "", "note": c.note if c and c.corrected else ""}
            w.writerow([row[k] for k in cols])
    try:
        Path(args.out).write_bytes(buf.getvalue().encode("utf-8-sig"))
    except OSError as e:
        raise InputError(f"无法写入 / cannot write {args.out}: {e.strerror}") from None
    print(f"已写出整改工作表 / written: {args.out}（{len(hits)} 条；填写 refund 列后运行 selfcheck mark --file）")
    return 0


def _read_marks(path: Path) -> list[tuple[str, str, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise InputError(f"无法读取 / cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path.name} 不是 UTF-8 文本 / not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"hit_id", "refund"} <= set(reader.fieldnames):
        raise InputError(f"{path.name} 须有列 hit_id, refund / needs the columns hit_id, refund")
    return [(r["hit_id"].strip(), (r["refund"] or "").strip(), (r.get("note") or "").strip()) for r in reader]


def cmd_mark(ctx: Context, args) -> int:
    if bool(args.file) == bool(args.hit_id):
        raise InputError("请给出 HIT_ID 或 --file（二选一）/ give either HIT_ID or --file")
    with _open(ctx, args.case) as (store, _):
        if args.file:
            rows = _read_marks(Path(args.file))
            filled = [r for r in rows if r[1]]
            si.mark_many(store, filled)
            print(f"已标记整改 / marked corrected: {len(filled)} 条疑点 / hits")
            if len(filled) < len(rows):
                print(f"未填退回金额、未标记 / left unmarked (no refund given): {len(rows) - len(filled)} 条")
            return 0
        if args.withdraw:
            si.mark_corrected(store, args.hit_id, "0", note=args.note, corrected=False)
            print(f"已撤回整改标记 / withdrawn: {args.hit_id}")
            return 0
        if args.refund is None:
            raise InputError("请给出退回金额 --refund / give the amount returned with --refund")
        si.mark_corrected(store, args.hit_id, args.refund, note=args.note)
        print(f"已标记整改 / marked corrected: {args.hit_id}，退回 {args.refund} 元")
    return 0


def cmd_report(ctx: Context, args) -> int:
    with _open(ctx, args.case) as (store, _):
        rep = si.self_report(store)
        print(f"{rep.institution_name}（{rep.institution_code}）自查：疑点 {rep.hits_total} 条，金额 {rep.amount_total:.2f} 元；"
              f"已整改 {len(rep.declared)} 条，退回 {rep.refund_total:.2f} 元")
        for label, frame, key in (("按规则 / by rule", rep.by_rule, "rule_code"), ("按科室 / by department", rep.by_department, "department")):
            print(label)
            for r in frame.itertuples(index=False):
                print(f"  {getattr(r, key)}: 疑点 {r.hits}，整改 {r.corrected}，金额 {r.amount:.2f}，退回 {r.refund:.2f}")
        if args.out:
            from feijian.reports.issue import render

            issued = render("self-report", store, Path(args.out), authority=args.authority)
            print(f"已写出自查报告 / written: {issued.path}（{issued.pages} 页，文号 {issued.doc_no}，SHA-256 {issued.sha256}）")
    return 0


def cmd_export(ctx: Context, args) -> int:
    with _open(ctx, args.case) as (store, identity):
        pkg = si.export_package(store, identity)
    body, sig = si.write_package(pkg, Path(args.out))
    c = pkg.content
    print(f"已写出自查包 / written: {body}（签名 / signature {sig.name}）")
    print(f"申报 {c['totals']['declared']} 条，金额 {c['totals']['amount']} 元，退回 {c['totals']['refund']} 元；"
          f"签名者 {c['signer']['name']} 密钥 {c['signer']['key_id']}")
    return 0


def cmd_import(ctx: Context, args) -> int:
    pkg = si.read_package(Path(args.package))
    content = si.verify_package(pkg)
    if args.signer_key and content["signer"]["key_id"].lower() != args.signer_key.strip().lower():
        raise InputError(f"自查包签名者密钥 {content['signer']['key_id']} 不是要求的 {args.signer_key} / "
                         "the package is signed by another key")
    with _open(ctx, args.case) as (store, _):
        si.import_package(store, pkg)
        print(f"已导入自查包 / imported: {content['institution']['name']}，申报 {content['totals']['declared']} 条，"
              f"签名者 {content['signer']['name']}（{content['signer']['key_id']}）")
        _print_split(store, listing=False)
    return 0


def _print_split(store, *, listing: bool) -> None:
    split = si.split_hits(store)
    if split is None:
        print("尚未导入自查包 / no self-inspection package imported")
        return
    print(f"自查已申报 / declared: {len(split.declared)} 条，金额 {split.declared_amount:.2f} 元")
    print(f"自查未申报 / not declared: {len(split.not_declared)} 条，金额 {split.not_declared_amount:.2f} 元")
    if split.declared_not_found:
        print(f"申报但本案未发现 / declared, not among this case's hits: {len(split.declared_not_found)} 条")
    if listing:
        hits = store.hits()
        rules = dict(zip(hits["hit_id"].astype(str), hits["rule_code"].astype(str))) if len(hits) else {}
        for h in split.declared:
            print(f"  {h}  {rules.get(h, '')}  {si.STATUS_ZH[si.DECLARED]}")
        for h in split.not_declared:
            print(f"  {h}  {rules.get(h, '')}  {si.STATUS_ZH[si.NOT_DECLARED]}")
        for h in split.declared_not_found:
            print(f"  {h}  —  申报但未发现")


def cmd_show(ctx: Context, args) -> int:
    with _open(ctx, args.case) as (store, _):
        pkgs = si.imported_packages(store.state())
        for pk in pkgs:
            c = pk["content"]
            print(f"自查包 / package {pk['sha256'][:16]}：{c['institution']['name']}（{c['institution']['code']}），"
                  f"导出于 {c['exported_at']}，签名者 {c['signer']['name']}（{c['signer']['key_id']}），"
                  f"申报 {c['totals']['declared']} 条，金额 {c['totals']['amount']} 元，退回 {c['totals']['refund']} 元")
        _print_split(store, listing=args.list)
        if args.out:
            if not pkgs:
                raise InputError("尚未导入自查包，无法写出申报状态 / no package imported: no status to write")
            from feijian.cli.screen import self_inspection_column
            from feijian.rules import write_hits_csv

            hits = store.hits()
            n = write_hits_csv(hits, Path(args.out), self_inspection_column(store, hits))
            print(f"已写出 / written: {args.out}（{n} 条）")
    return 0
