"""``feijian case new|list|verify|checkpoint``: encrypted case stores in the data folder."""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import uuid
from pathlib import Path

from feijian.casework.draw_files import drawn_case_info
from feijian.cli.context import Context
from feijian.domain.contract import load_contract
from feijian.domain.errors import InputError
from feijian.domain.records import CaseInfo, Role, TeamMember
from feijian.store.case_keys import CaseKeys
from feijian.store.case_store import SUFFIX, CaseStore
from feijian.store.identities import IdentityStore, read_public_identity

_NAME_RE = re.compile(r"^[^\\/:*?\"<>|\x00-\x1f]{1,80}$")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("case", help="加密案件 / encrypted cases")
    s = p.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    new = s.add_parser("new", help="为 DATA_DIR/institution.* 描述的机构新建案件 / create a case")
    new.add_argument("name", metavar="NAME")
    new.add_argument("--data", metavar="DATA_DIR", help="含 institution.* 的目录 / folder with institution.*")
    new.add_argument("--from-draw", metavar="RECORD.json", help="由双随机抽查记录建案 / create from a signed draw record")
    new.add_argument("--institution", metavar="CODE", help="抽中的机构编码（与 --from-draw 同用）/ the drawn institution")
    new.add_argument("--lead", metavar="IDENTITY_FILE", help="组长的公开身份文件 / the team lead's public identity")
    new.add_argument("--trigger", default="", help="检查缘由 / why the inspection happens")
    new.set_defaults(func=cmd_new)

    ls = s.add_parser("list", help="列出案件 / list cases")
    ls.set_defaults(func=cmd_list)

    verify = s.add_parser("verify", help="检查事件链与证据哈希 / check the event chain and evidence hashes")
    verify.add_argument("case", metavar="CASE")
    verify.set_defaults(func=cmd_verify)

    cp = s.add_parser("checkpoint", help="签署事件链头 / sign the event chain heads")
    cp.add_argument("case", metavar="CASE")
    cp.set_defaults(func=cmd_checkpoint)


def read_institution(data_dir: Path) -> dict[str, str]:
    """The institution row of ``DATA_DIR/institution.*`` (contract table ``institution``)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(f"找不到数据目录 / no such folder: {data_dir}")
    spec = load_contract().table("institution")
    candidates = sorted(p for p in data_dir.iterdir() if p.is_file() and spec.matches_name(p.stem))
    if not candidates:
        raise InputError(f"{data_dir} 中没有机构信息文件 institution.* / no institution.* file in {data_dir}")
    path = candidates[0]
    try:  # the import engineer's reader, when it is there: any contract encoding, XLSX, header aliases
        from feijian.ingest import read_file  # type: ignore[attr-defined]
    except ImportError:
        read_file = None
    if read_file is not None:
        data = read_file(path, table="institution").data
        if data.num_rows == 0:
            raise InputError(f"{path.name} 没有数据行 / {path.name} has no data row")
        row = data.slice(0, 1).to_pylist()[0]
        return {k: ("" if v is None else str(v)) for k, v in row.items()}
    return _read_institution_csv(path, spec)


def _read_institution_csv(path: Path, spec) -> dict[str, str]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path.name} 的编码无法识别 / cannot decode {path.name} as UTF-8 or GBK")
    rows = list(csv.reader(io.StringIO(text)))
    if len(rows) < 2:
        raise InputError(f"{path.name} 没有数据行 / {path.name} has no data row")
    out = {}
    for header, value in zip(rows[0], rows[1]):
        f = spec.field_for_header(header)
        if f is not None:
            out[f.name] = value.strip()
    missing = [name for name in spec.required_fields if not out.get(name)]
    if missing:
        raise InputError(f"{path.name} 缺少必填字段 / missing required fields: {', '.join(missing)}")
    return out


def cmd_new(ctx: Context, args) -> int:
    if not _NAME_RE.match(args.name) or args.name in (".", ".."):
        raise InputError(f"案件名称无效 / invalid case name: {args.name!r}")
    ids = IdentityStore(ctx.home)
    public = ids.public()
    drawn = bool(args.from_draw)
    if drawn:
        inst = {}
        if ids.bureau_public() is None:
            raise InputError("请先导入医保局信任列表以核对抽查记录的签名 / import the trust list to check the draw record")
        if not args.institution:
            raise InputError("--from-draw 需要 --institution CODE / --from-draw needs --institution CODE")
    elif args.data:
        inst = read_institution(Path(args.data))
    else:
        raise InputError("需要 --data 或 --from-draw / give --data or --from-draw")
    lead = None
    if args.lead:
        lead = read_public_identity(Path(args.lead))
    bureau = ids.bureau_public()
    if bureau is None:
        print("警告：尚未导入医保局信任列表，案件密钥不会托管，忘记口令将无法恢复 / warning: no trust list imported, "
              "the case key is not escrowed", file=sys.stderr)
    path = ctx.cases_dir / f"{args.name}{SUFFIX}"
    if path.exists():
        raise InputError(f"已有同名案件 / a case with this name exists: {path}")
    team = [TeamMember(public.name, public.staff_no, Role(public.role), public.key_id)]
    if lead is not None and lead.key_id != public.key_id:
        team.append(TeamMember(lead.name, lead.staff_no, Role.LEAD, lead.key_id))
    if drawn:
        lead_member = TeamMember(lead.name, lead.staff_no, Role.LEAD, lead.key_id) if lead is not None else None
        info = drawn_case_info(Path(args.from_draw), args.institution, bureau.verifier(), args.name, team[0],
                               lead=lead_member, trigger=args.trigger or "")
    else:
        info = CaseInfo(case_id=str(uuid.uuid4()), name=args.name, medins_code=inst["medins_code"],
                        medins_name=inst["medins_name"], medins_lv=inst.get("medins_lv", ""),
                        medins_type=inst.get("medins_type") or "hospital", trigger=args.trigger or "",
                        team=tuple(team))
    identity = ids.unlock(ctx.passphrase())
    with CaseStore.create(path, info, identity, lead=lead, escrow_public=bureau.escrow_public if bureau else None) as store:
        roles = ", ".join(w.role for w in store.key_file.current.wraps)
    print(f"已创建案件 / case created: {path}")
    print(f"案件编号 / case id: {info.case_id}; 密钥已封装给 / key wrapped to: {roles}")
    return 0


def cmd_list(ctx: Context, args) -> int:
    cases = sorted(ctx.cases_dir.glob(f"*{SUFFIX}")) if ctx.cases_dir.exists() else []
    if not cases:
        print(f"没有案件 / no cases in {ctx.cases_dir}")
        return 0
    for path in cases:
        try:
            case_id = CaseKeys.load(path).case_id
        except InputError:
            case_id = "?（缺少密钥文件 / no key file）"
        size = path.stat().st_size / 1e6
        print(f"{path.stem}\t{case_id}\t{size:.1f} MB")
    return 0


def open_case(ctx: Context, name_or_path: str) -> CaseStore:
    path = ctx.resolve_case(name_or_path)
    identity = IdentityStore(ctx.home).unlock(ctx.passphrase())
    return CaseStore.open(path, identity)


def cmd_verify(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        report = store.verify()
    print(f"事件 / events: {report.events}（{report.chains} 条设备链 / device chains, {report.checkpoints} 个检查点 / "
          f"checkpoints）; 证据 / evidence: {report.evidence}; 数据块 / chunks: {report.chunks}; 文书 / documents: {report.documents}")
    if report.ok:
        print("核验通过 / verified: OK")
        return 0
    for p in report.problems:
        print(p)
    print(f"核验失败 / verification FAILED: {report.problems[0]}", file=sys.stderr)
    return 5


def cmd_checkpoint(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        ev = store.checkpoint()
    print(f"已签署检查点 / checkpoint signed: {ev.event_id} ({len(ev.payload['heads'])} chains)")
    return 0
