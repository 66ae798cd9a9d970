"""``feijian draw commit|run|verify|pdf``: the 双随机一公开 draw, committed, signed and independently verified.

commit: a fresh seed (kept secret in ``--seed-out``) and its SHA-256 commitment, signed by the bureau, to
publish before the draw. run: the draw from the two input files and the revealed seed; writes the record
(canonical JSON) and its minisign signature ``RECORD.minisig`` made with the bureau's signing key.
verify: recomputes the draw from the record and the input files and checks the signature (``--pubkey`` a
minisign public-key file, else the bureau key of the data folder or of the imported trust list).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from feijian.casework import draw as dr
from feijian.casework import draw_files as df
from feijian.cli.context import Context
from feijian.crypto import minisign
from feijian.domain.errors import InputError
from feijian.store.identities import BureauStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("draw", help="双随机一公开抽查 / the verifiable random draw of institutions and inspectors")
    s = p.add_subparsers(dest="draw_command", metavar="ACTION", required=True)

    c = s.add_parser("commit", help="生成种子并公布其承诺值 / make a seed and its commitment to publish before the draw")
    c.add_argument("--seed-out", required=True, metavar="FILE", help="保密保存的种子 / the secret seed file")
    c.add_argument("--out", required=True, metavar="COMMIT.json", help="公布的承诺 / the commitment to publish")
    c.set_defaults(func=cmd_commit)

    r = s.add_parser("run", help="抽取机构与检查组并签名 / draw and sign the record")
    r.add_argument("--institutions", required=True, metavar="FILE", help="机构名录 CSV/XLSX")
    r.add_argument("--inspectors", required=True, metavar="FILE", help="检查人员库 CSV/XLSX")
    r.add_argument("--n", type=int, required=True, help="抽取机构数 / institutions to draw")
    r.add_argument("--team-size", type=int, default=2, help="每组检查人员数 / inspectors per team (default 2)")
    r.add_argument("--stratify", default="", help="分层字段 type,level,region / strata fields")
    r.add_argument("--weighted", action="store_true", help="按风险评分加权 / weight by risk score")
    r.add_argument("--seed-file", required=True, metavar="FILE", help="draw commit 生成的种子 / the committed seed")
    r.add_argument("--commitment", required=True, metavar="COMMIT.json", help="事先公布的承诺 / the published commitment")
    r.add_argument("--authority", default="", help="组织机关 / the authority")
    r.add_argument("--out", required=True, metavar="RECORD.json")
    r.set_defaults(func=cmd_run)

    v = s.add_parser("verify", help="由记录独立重算并核对签名 / recompute the draw and check the signature")
    v.add_argument("record", metavar="RECORD.json")
    v.add_argument("--institutions", required=True, metavar="FILE")
    v.add_argument("--inspectors", required=True, metavar="FILE")
    v.add_argument("--pubkey", metavar="FILE", help="minisign 公钥文件 / a minisign public-key file")
    v.set_defaults(func=cmd_verify)

    d = s.add_parser("pdf", help="打印抽查记录 / render the 抽查记录 PDF")
    d.add_argument("record", metavar="RECORD.json")
    d.add_argument("--out", required=True, metavar="FILE.pdf")
    d.set_defaults(func=cmd_pdf)


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"无法读取{what} / cannot read {path}: {e.strerror}") from None


sig_path = df.sig_path


def _keys(ctx: Context):
    return BureauStore(ctx.home).unlock(ctx.passphrase("医保局口令 / bureau passphrase: "))


def cmd_commit(ctx: Context, args) -> int:
    c = df.make_commitment(_keys(ctx))
    out, seed_out = Path(args.out), Path(args.seed_out)
    df.write_commitment(c, out, seed_out)
    print(f"承诺值 / commitment: {c.commitment}")
    print(f"请在抽取前公布 {out} / publish {out} before the draw; keep {seed_out} secret until then")
    return 0


def cmd_run(ctx: Context, args) -> int:
    commitment = df.read_commitment(Path(args.commitment))
    seed = df.read_seed(Path(args.seed_file))
    params = dr.DrawParams(args.n, args.team_size, tuple(k.strip() for k in args.stratify.split(",") if k.strip()),
                           args.weighted)
    rec = df.draw_files(Path(args.institutions), Path(args.inspectors), params, seed, commitment,
                        authority=args.authority)
    body, sig = df.sign_record(_keys(ctx), rec)
    out = Path(args.out)
    df.write_record(body, sig, out)
    for r in rec.result:
        print(f"{r.order:>3} {r.institution.code} {r.institution.name}  检查组 / team: {'、'.join(r.team)}")
    print(f"抽查记录 / record: {out} (signed: {sig_path(out)}), seed {rec.seed}")
    return 0


def _bureau_pub(ctx: Context, args):
    if args.pubkey:
        pub, _ = minisign.parse_public_key_file(_read(args.pubkey, "公钥文件").decode("utf-8", "replace"))
        return pub
    return df.bureau_verifier(ctx.home)


def cmd_verify(ctx: Context, args) -> int:
    record = df.verify_files(Path(args.record), Path(args.institutions), Path(args.inspectors), _bureau_pub(ctx, args))
    print(f"验证通过 / verified: signature good, seed matches commitment {record['commitment'][:16]}…, "
          f"inputs' hashes match, {len(record['result'])} institutions recomputed identically")
    return 0


def cmd_pdf(ctx: Context, args) -> int:
    from feijian.reports.draw_record import render

    Path(args.out).write_bytes(render(df.load_record(Path(args.record))))
    print(f"已生成 / written: {args.out}")
    return 0


def load_record(path: str) -> dr.DrawRecord:
    return df.load_record(Path(path))
