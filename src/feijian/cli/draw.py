"""``feijian draw commit|run|verify|pdf``: the 双随机一公开 draw, committed, signed and independently verified.

commit: a fresh seed (kept secret in ``--seed-out``) and its SHA-256 commitment, signed by the bureau, to
publish before the draw. run: the draw from the two input files and the revealed seed; writes the record
(canonical JSON) and its minisign signature ``RECORD.minisig`` made with the bureau's signing key.
verify: recomputes the draw from the record and the input files and checks the signature (``--pubkey`` a
minisign public-key file, else the bureau key of the data folder or of the imported trust list).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from feijian.casework import draw as dr
from feijian.cli.context import Context
from feijian.crypto import minisign
from feijian.crypto.canonical import canonical_json, utc_now
from feijian.domain.errors import InputError
from feijian.store.identities import BureauStore, IdentityStore


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


def sig_path(record: Path) -> Path:
    return record.with_name(record.name + ".minisig")


def _sign(ctx: Context, body: bytes, comment: str) -> str:
    store = BureauStore(ctx.home)
    keys = store.unlock(ctx.passphrase("医保局口令 / bureau passphrase: "))
    return minisign.sign(body, keys.signing_key, bytes.fromhex(keys.public().key_id), comment)


def cmd_commit(ctx: Context, args) -> int:
    seed = dr.new_seed()
    body = canonical_json({"format": dr.COMMITMENT_FORMAT, "commitment": dr.commitment_of(seed),
                           "algorithm": {"name": dr.ALGORITHM, "version": dr.ALGORITHM_VERSION},
                           "committed_at": utc_now()})
    sig = _sign(ctx, body, f"feijian draw commitment {dr.commitment_of(seed)}")
    seed_out = Path(args.seed_out)
    seed_out.write_text(seed + "\n", encoding="ascii")
    seed_out.chmod(0o600)
    out = Path(args.out)
    out.write_bytes(body)
    sig_path(out).write_text(sig, encoding="utf-8")
    print(f"承诺值 / commitment: {dr.commitment_of(seed)}")
    print(f"请在抽取前公布 {out} / publish {out} before the draw; keep {seed_out} secret until then")
    return 0


def cmd_run(ctx: Context, args) -> int:
    try:
        commitment = json.loads(_read(args.commitment, "承诺文件"))["commitment"]
    except (ValueError, KeyError, TypeError):
        raise InputError(f"不是承诺文件 / not a commitment file: {args.commitment}") from None
    seed = _read(args.seed_file, "种子文件").decode("ascii", "replace").strip()
    params = dr.DrawParams(args.n, args.team_size, tuple(k.strip() for k in args.stratify.split(",") if k.strip()),
                           args.weighted)
    rec = dr.run_draw(_read(args.institutions, "机构名录"), Path(args.institutions).name,
                      _read(args.inspectors, "检查人员库"), Path(args.inspectors).name, params, seed,
                      commitment=commitment, drawn_at=utc_now(), authority=args.authority)
    body = canonical_json(rec.to_dict())
    sig = _sign(ctx, body, f"feijian draw {rec.commitment} sha256={__import__('hashlib').sha256(body).hexdigest()}")
    out = Path(args.out)
    out.write_bytes(body)
    sig_path(out).write_text(sig, encoding="utf-8")
    for r in rec.result:
        print(f"{r.order:>3} {r.institution.code} {r.institution.name}  检查组 / team: {'、'.join(r.team)}")
    print(f"抽查记录 / record: {out} (signed: {sig_path(out)}), seed {rec.seed}")
    return 0


def _bureau_pub(ctx: Context, args):
    if args.pubkey:
        pub, _ = minisign.parse_public_key_file(_read(args.pubkey, "公钥文件").decode("utf-8", "replace"))
        return pub
    store = BureauStore(ctx.home)
    if store.trust_path.exists():
        return store.public().verifier()
    bp = IdentityStore(ctx.home).bureau_public()
    if bp is None:
        raise InputError("没有医保局公钥：请用 --pubkey / no bureau public key: use --pubkey")
    return bp.verifier()


def cmd_verify(ctx: Context, args) -> int:
    rec_path = Path(args.record)
    body = _read(args.record, "抽查记录")
    if not sig_path(rec_path).exists():
        raise InputError(f"缺少签名文件 / no signature {sig_path(rec_path)}")
    try:
        minisign.verify(body, sig_path(rec_path).read_bytes(), _bureau_pub(ctx, args))
    except minisign.SignatureError as e:
        raise InputError(f"签名无效 / bad signature on {rec_path}: {e}") from None
    try:
        record = json.loads(body)
    except ValueError:
        raise InputError(f"不是抽查记录 / not a draw record: {rec_path}") from None
    result = dr.verify_record(record, _read(args.institutions, "机构名录"), _read(args.inspectors, "检查人员库"))
    if not result.ok:
        raise InputError("验证失败 / verification failed: " + "; ".join(result.problems))
    print(f"验证通过 / verified: signature good, seed matches commitment {record['commitment'][:16]}…, "
          f"inputs' hashes match, {len(record['result'])} institutions recomputed identically")
    return 0


def cmd_pdf(ctx: Context, args) -> int:
    from feijian.reports.draw_record import render

    try:
        record = dr.record_from_dict(json.loads(_read(args.record, "抽查记录")))
    except (ValueError, KeyError):
        raise InputError(f"不是抽查记录 / not a draw record: {args.record}") from None
    Path(args.out).write_bytes(render(record))
    print(f"已生成 / written: {args.out}")
    return 0


def load_record(path: str) -> dr.DrawRecord:
    try:
        return dr.record_from_dict(json.loads(_read(path, "抽查记录")))
    except (ValueError, KeyError):
        raise InputError(f"不是抽查记录 / not a draw record: {path}") from None
