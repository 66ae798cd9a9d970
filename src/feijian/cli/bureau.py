"""``feijian bureau init|enroll|publish|recover|models``: the bureau's keys, trust list, escrow recovery and
the cross-institution models over the archive."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from feijian.cli.context import Context
from feijian.domain.errors import InputError
from feijian.store.case_store import recover
from feijian.store.identities import BureauStore, read_public_identity


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bureau", help="医保局：密钥、信任列表、托管恢复 / bureau keys, trust list, escrow recovery")
    s = p.add_subparsers(dest="bureau_command", metavar="ACTION", required=True)

    init = s.add_parser("init", help="创建医保局密钥（托管、接收、信任列表签名）/ create the bureau keys")
    init.add_argument("--name", default="", help="医保局名称 / bureau name")
    init.add_argument("--force", action="store_true", help="覆盖已有密钥 / replace existing keys")
    init.set_defaults(func=cmd_init)

    enroll = s.add_parser("enroll", help="把检查员加入信任列表 / add an inspector to the trust list")
    enroll.add_argument("identity_file", metavar="IDENTITY_FILE")
    enroll.set_defaults(func=cmd_enroll)

    publish = s.add_parser("publish", help="写出公钥和签名的信任列表 / write the public keys and signed trust list")
    publish.add_argument("--out", required=True, metavar="FILE")
    publish.set_defaults(func=cmd_publish)

    rec = s.add_parser("recover", help="用托管密钥把案件密钥转给新身份并轮换 / escrow recovery to a new identity")
    rec.add_argument("case", metavar="CASE")
    rec.add_argument("--identity", required=True, metavar="IDENTITY_FILE",
                     help="新身份的公开身份文件 / the new identity's public identity file")
    rec.set_defaults(func=cmd_recover)

    models = s.add_parser("models", help="跨机构大数据模型 M01–M05，生成线索清单 / run the cross-institution models "
                                         "(docs/models.md) and write the clue list")
    models.add_argument("--archive", required=True, metavar="PATH_OR_URL",
                        help="SQLite 归档文件或 PostgreSQL URL / a SQLite archive or a postgresql:// URL")
    models.add_argument("--from", dest="period_from", metavar="DATE", help="起始日期 / first day (YYYY-MM-DD)")
    models.add_argument("--to", dest="period_to", metavar="DATE", help="结束日期 / last day (YYYY-MM-DD)")
    models.add_argument("--models", metavar="M01,M02", help="只运行这些模型 / run only these models")
    models.add_argument("--out", metavar="FILE.csv",
                        help="线索清单 CSV，附医保局签名 FILE.minisig / write the clue list here (UTF-8 with BOM), "
                             "signed by the bureau (FILE.minisig)")
    models.set_defaults(func=cmd_models)

    clues = s.add_parser("clues", help="按机构写出签名的线索清单 / write one signed clue list per institution")
    clues.add_argument("--archive", required=True, metavar="PATH_OR_URL")
    clues.add_argument("--out", required=True, metavar="DIR", help="写入目录 / the folder to write the lists in")
    clues.add_argument("--run", dest="run_id", metavar="RUN_ID", help="模型运行编号（默认最近一次） / the model run "
                                                                       "(default: the latest)")
    clues.set_defaults(func=cmd_clues)

    feedback = s.add_parser("feedback", help="线索核查反馈：各模型的下发、反馈与属实数 / clue feedback per model")
    feedback.add_argument("--archive", required=True, metavar="PATH_OR_URL")
    feedback.add_argument("--details", action="store_true", help="逐条列出反馈 / list every answer")
    feedback.set_defaults(func=cmd_feedback)


def cmd_init(ctx: Context, args) -> int:
    store = BureauStore(ctx.home)
    if store.exists() and not args.force:
        raise InputError(f"医保局密钥已存在（--force 覆盖）/ bureau keys already exist in {ctx.home}")
    keys = store.init(ctx.passphrase("医保局口令 / bureau passphrase: ", confirm=True), args.name, overwrite=args.force)
    pub = keys.public()
    print(f"已创建医保局密钥 / bureau keys created: signing key id {pub.key_id}")
    return 0


def cmd_enroll(ctx: Context, args) -> int:
    store = BureauStore(ctx.home)
    keys = store.unlock(ctx.passphrase("医保局口令 / bureau passphrase: "))
    member = store.enroll_file(keys, Path(args.identity_file))
    print(f"已登记 / enrolled: {member.name} ({member.staff_no}, {member.role}) {member.key_id}")
    return 0


def cmd_publish(ctx: Context, args) -> int:
    tl = BureauStore(ctx.home).publish(Path(args.out))
    print(f"已发布信任列表 / trust list written: {args.out} (seq {tl.seq}, {len(tl.members)} members)")
    return 0


def cmd_recover(ctx: Context, args) -> int:
    store = BureauStore(ctx.home)
    keys = store.unlock(ctx.passphrase("医保局口令 / bureau passphrase: "))
    path = Path(args.case)
    if not path.exists():
        raise InputError(f"找不到案件文件 / no such case file: {path}")
    new_owner = read_public_identity(Path(args.identity))
    case_keys = recover(path, keys.escrow_key, new_owner)
    print(f"已恢复并轮换案件密钥 / case key recovered for {new_owner.name} ({new_owner.key_id}) and rotated; "
          f"case {case_keys.case_id}")
    return 0


def _date_arg(text, option: str):
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} 应为 YYYY-MM-DD / {option} must be a date YYYY-MM-DD, not {text!r}") from None


def _archive_keys(ctx: Context, archive: str, *, need_signing: bool = False):
    """The bureau's keys: for a SQLite archive (its key derives from them) or to sign."""
    from feijian.sync.archive import is_postgres_url

    if not is_postgres_url(archive) and not Path(archive).exists():
        raise InputError(f"找不到归档 / no such archive: {archive}")
    if need_signing or not is_postgres_url(archive):
        return BureauStore(ctx.home).unlock(ctx.passphrase("医保局口令 / bureau passphrase: "))
    return None


def cmd_clues(ctx: Context, args) -> int:
    from feijian.sync.archive import Archive
    from feijian.sync.clue_lists import public_key_file, write_clue_lists

    keys = _archive_keys(ctx, args.archive, need_signing=True)
    out = Path(args.out)
    with Archive.open(args.archive, bureau_keys=keys) as archive:
        sent = write_clue_lists(archive, out, keys, run_id=args.run_id)
    pub = out / "bureau.pub"
    pub.write_text(public_key_file(keys.public()), encoding="ascii")
    for s in sent:
        print(f"  {s.path.name}: {s.clues} 条线索 / clues, 签名 / signature {s.signature_path.name}")
    print(f"已写出 {len(sent)} 份线索清单 / {len(sent)} clue lists written to {out} "
          f"(minisign -V -p {pub} -m FILE checks each)")
    print("清单含人员编号，请按涉密文件传递 / the lists hold patients' numbers: hand them over as confidential documents")
    return 0


def cmd_feedback(ctx: Context, args) -> int:
    from feijian.sync.archive import Archive
    from feijian.sync.bureau_models import load_config
    from feijian.sync.clue_lists import feedback_rows, feedback_summary

    keys = _archive_keys(ctx, args.archive)
    cfg = load_config()
    with Archive.open(args.archive, bureau_keys=keys) as archive:
        summary = feedback_summary(archive)
        rows = feedback_rows(archive) if args.details else []
    if not summary:
        print("尚未下发线索清单 / no clue list sent yet")
        return 0
    print("模型\t下发\t回收\t已反馈\t属实\t部分属实\t不属实\t无法核实\t核实金额\t准确率 / "
          "model, sent, received, answered, confirmed, partly, unfounded, unverifiable, verified amount, precision")
    for f in summary:
        p = "—" if f.precision is None else f"{f.precision:.0%}"
        r = f.by_result
        print(f"{f.model} {cfg.m(f.model)['name']}\t{f.sent}\t{f.received}\t{f.answered}\t{r['confirmed']}\t"
              f"{r['partly']}\t{r['unfounded']}\t{r['unverifiable']}\t{f.verified_amount:.2f}\t{p}")
    for row in rows:
        print(f"{row['clue_id']}\t{row['case_id']}\t{row['result'] or '待核查 / open'}\t"
              f"{row['verified_amount'] or ''}\t{row['explanation'] or ''}")
    return 0


def cmd_models(ctx: Context, args) -> int:
    from feijian.sync.archive import Archive, is_postgres_url
    from feijian.sync.bureau_models import MODELS, load_config, run_models, write_clue_csv

    models = MODELS
    if args.models:
        models = tuple(m.strip().upper() for m in args.models.split(",") if m.strip())
        unknown = [m for m in models if m not in MODELS]
        if unknown or not models:
            raise InputError(f"未知模型 / unknown model(s) {', '.join(unknown) or args.models!r}: "
                             f"choose from {', '.join(MODELS)}")
    lo, hi = _date_arg(args.period_from, "--from"), _date_arg(args.period_to, "--to")
    keys = None
    if not is_postgres_url(args.archive) and not Path(args.archive).exists():
        raise InputError(f"找不到归档 / no such archive: {args.archive}")
    if not is_postgres_url(args.archive) or args.out:  # the SQLite archive's key; the list's signature
        keys = BureauStore(ctx.home).unlock(ctx.passphrase("医保局口令 / bureau passphrase: "))
    cfg = load_config()
    with Archive.open(args.archive, bureau_keys=keys) as archive:
        run = run_models(archive, period_from=lo, period_to=hi, cfg=cfg, models=models)
        names = {i["medins_code"]: i["medins_name"] for i in archive.cases.institutions()}
    print(f"模型运行 / model run {run.run_id}（{len(names)} 家机构 / institutions）")
    for m in models:
        print(f"  {m} {cfg.m(m)['name']}: {run.count(m)} 条 / rows, {run.seconds[m]:.2f} s")
    if args.out:
        out = write_clue_csv(run, Path(args.out), cfg, names, bureau_keys=keys)
        print(f"线索清单 / clue list: {out} ({len(run.hits)} 条 / rows), 医保局签名 / signed: {out}.minisig")
    return 0
