"""``feijian package export|verify|merge|resolve``: signed case packages (issue 8)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from feijian.cli.context import Context
from feijian.domain.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("package", help="案件包：导出、核验、合并 / case packages: export, verify, merge")
    s = p.add_subparsers(dest="package_command", metavar="ACTION", required=True)
    ex = s.add_parser("export", help="导出签名的案件包 / write a signed case package")
    ex.add_argument("case", metavar="CASE")
    ex.add_argument("out_pos", nargs="?", metavar="OUT.fjpkg")
    ex.add_argument("--to", required=True, choices=("lead", "bureau"), help="接收方 / recipient")
    ex.add_argument("--out", metavar="FILE.fjpkg")
    ex.set_defaults(func=cmd_export)
    ve = s.add_parser("verify", help="核验案件包，打印首个失败的原因代码 / verify; prints the first failure's reason code")
    ve.add_argument("file", metavar="FILE.fjpkg")
    ve.set_defaults(func=cmd_verify)
    me = s.add_parser("merge", help="组长合并检查员的包 / the lead merges inspectors' packages")
    me.add_argument("case", metavar="CASE")
    me.add_argument("packages", nargs="+", metavar="PKG")
    me.set_defaults(func=cmd_merge)
    co = s.add_parser("conflicts", help="列出冲突 / list conflicts side by side")
    co.add_argument("case", metavar="CASE")
    co.set_defaults(func=cmd_conflicts)
    re_ = s.add_parser("resolve", help="组长裁定冲突 / the lead resolves a conflict")
    re_.add_argument("case", metavar="CASE")
    re_.add_argument("--entity", default="finding")
    re_.add_argument("--id", required=True, metavar="ID")
    re_.add_argument("--field", required=True)
    re_.add_argument("--value", required=True)
    re_.add_argument("--reason", default="")
    re_.set_defaults(func=cmd_resolve)


def _trust(ctx: Context):
    from feijian.store.identities import BureauStore, IdentityStore

    tl = IdentityStore(ctx.home).trust_list()
    if tl is None and BureauStore(ctx.home).trust_path.exists():
        tl = BureauStore(ctx.home).trust_list()
    if tl is None:
        raise InputError("没有信任列表：请先 `feijian trust import` / no trust list: run `feijian trust import` first")
    return tl


def _unlock(ctx: Context):
    from feijian.store.identities import IdentityStore

    return IdentityStore(ctx.home).unlock(ctx.passphrase())


def cmd_export(ctx: Context, args) -> int:
    from feijian.store.case_store import CaseStore
    from feijian.sync.package import export_package

    out = args.out or args.out_pos
    if not out:
        raise InputError("请用 --out 指定输出文件 / give the output file with --out")
    identity = _unlock(ctx)
    trust = _trust(ctx)
    with CaseStore.open(ctx.resolve_case(args.case), identity) as store:
        lead_public = None
        if args.to == "lead":
            lead = next((m for m in store.info.team if str(getattr(m.role, "value", m.role)) == "lead"), None)
            found = trust.find(lead.key_id) if lead and lead.key_id else None
            if found is None:
                raise InputError("案件没有在信任列表中的组长 / the case has no team lead enrolled in the trust list")
            lead_public = found.encryption_public
        info = export_package(store, identity, to=args.to, out=Path(out), lead_public=lead_public,
                              bureau_intake_public=trust.bureau.intake_public)
    print(f"已导出 / exported: {info.path} ({info.kind}, seq {info.seq})")
    print(f"package {info.package_id}  sha256 {info.sha256}")
    return 0


def cmd_verify(ctx: Context, args) -> int:
    from feijian.sync.verify import verify_package

    v = verify_package(Path(args.file), _trust(ctx))
    if not v.ok:
        print(f"核验失败 / REJECTED {v.code} {v.member}".rstrip(), file=sys.stderr)
        print(v.message)
        return 5
    m = v.manifest
    print(f"OK {m['kind']} package {m['package_id']} case {m['case_id']} seq {m['seq']}")
    print(f"签名者 / signer: {v.signer.name} ({v.signer.staff_no}, {v.signer.role}, {m['signer']})")
    print(f"事件 / events {m['counts']['events']}, 证据 / evidence {m['counts']['evidence']}, "
          f"文书 / documents {m['counts']['documents']}, 来源包 / sources {m['counts']['sources']}")
    return 0


def _print_conflicts(conflicts) -> None:
    from feijian.sync.merge import conflict_view

    for reg in conflicts:
        print("冲突 / CONFLICT " + ":".join(reg.key))
        for c in conflict_view(reg):
            print(f"    {c['author']}  {c['time']}  {c['value']!r}")


def cmd_merge(ctx: Context, args) -> int:
    from feijian.store.case_store import CaseStore
    from feijian.sync.merge import merge_packages

    identity = _unlock(ctx)
    trust = _trust(ctx)
    with CaseStore.open(ctx.resolve_case(args.case), identity) as store:
        rep = merge_packages(store, [Path(p) for p in args.packages], trust=trust, identity=identity)
    print(f"已合并 / merged {len(rep.packages)} 个包, {rep.events_added} 个新事件 / new events")
    _print_conflicts(rep.conflicts)
    if rep.conflicts:
        print("请用 `feijian package resolve` 裁定冲突 / resolve with `feijian package resolve`")
    return 0


def cmd_conflicts(ctx: Context, args) -> int:
    from feijian.store.case_store import CaseStore

    identity = _unlock(ctx)
    with CaseStore.open(ctx.resolve_case(args.case), identity) as store:
        conflicts = store.state().conflicts()
    _print_conflicts(conflicts)
    return 0


def cmd_resolve(ctx: Context, args) -> int:
    from feijian.store.case_store import CaseStore
    from feijian.sync.merge import resolve_conflict

    identity = _unlock(ctx)
    with CaseStore.open(ctx.resolve_case(args.case), identity) as store:
        ev = resolve_conflict(store, args.entity, args.id, args.field, args.value, reason=args.reason)
    print(f"已裁定 / resolved: {args.entity}:{args.id}:{args.field} = {args.value!r} ({ev.event_id})")
    return 0
