"""``feijian identity new|show|export|passwd``: the inspector's identity in the data folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from feijian.cli.context import Context, read_passphrase_file
from feijian.domain.errors import InputError
from feijian.store.identities import IdentityStore


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("identity", help="检查员身份（签名与加密密钥）/ the inspector identity (signing and encryption keys)")
    s = p.add_subparsers(dest="identity_command", metavar="ACTION", required=True)

    new = s.add_parser("new", help="创建身份 / create the identity")
    new.add_argument("--name", required=True, help="姓名 / name")
    new.add_argument("--staff-no", required=True, help="工号 / staff number")
    new.add_argument("--role", choices=("inspector", "lead"), default="inspector", help="角色 / role")
    new.add_argument("--force", action="store_true", help="覆盖已有身份 / replace an existing identity")
    new.set_defaults(func=cmd_new)

    show = s.add_parser("show", help="公钥与指纹 / public keys and fingerprints")
    show.add_argument("--minisign", action="store_true",
                      help="只输出 minisign 公钥文件格式的签名公钥 / only the signing key as a minisign public key file")
    show.set_defaults(func=cmd_show)

    export = s.add_parser("export", help="导出公开身份供医保局登记 / export the public identity for enrolment")
    export.add_argument("--out", required=True, metavar="FILE")
    export.set_defaults(func=cmd_export)

    passwd = s.add_parser("passwd", help="修改口令 / change the passphrase")
    passwd.add_argument("--new-passphrase-file", metavar="FILE",
                        help="新口令文件（否则提示输入）/ file with the new passphrase (else prompted)")
    passwd.set_defaults(func=cmd_passwd)


def cmd_new(ctx: Context, args) -> int:
    store = IdentityStore(ctx.home)
    if store.exists() and not args.force:
        raise InputError(f"数据目录中已有身份（--force 覆盖）/ an identity already exists in {ctx.home} (--force replaces it)")
    passphrase = ctx.passphrase("新口令 / new passphrase: ", confirm=True)
    identity = store.create(args.name, args.staff_no, args.role, passphrase, overwrite=args.force)
    print(f"已创建身份 / identity created: {identity.public.name} ({identity.public.staff_no}, {identity.public.role})")
    print(f"签名密钥指纹 / signing key id: {identity.key_id}")
    return 0


def cmd_show(ctx: Context, args) -> int:
    pub = IdentityStore(ctx.home).public()
    if args.minisign:
        from feijian.crypto.minisign import public_key_file
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        text = public_key_file(Ed25519PublicKey.from_public_bytes(pub.signing_public), pub.key_id8)
        print(text, end="" if text.endswith("\n") else "\n")
        return 0
    import base64

    print(f"姓名 / name: {pub.name}")
    print(f"工号 / staff number: {pub.staff_no}")
    print(f"角色 / role: {pub.role}")
    print(f"签名公钥 / signing key (Ed25519): {base64.b64encode(pub.signing_public).decode()}")
    print(f"签名指纹 / signing key id: {pub.key_id}")
    print(f"加密公钥 / encryption key (X25519): {base64.b64encode(pub.encryption_public).decode()}")
    print(f"加密指纹 / encryption key id: {pub.encryption_key_id}")
    return 0


def cmd_export(ctx: Context, args) -> int:
    pub = IdentityStore(ctx.home).export_public(Path(args.out))
    print(f"已导出公开身份 / public identity written: {args.out} ({pub.key_id})")
    return 0


def cmd_passwd(ctx: Context, args) -> int:
    store = IdentityStore(ctx.home)
    old = ctx.passphrase("当前口令 / current passphrase: ")
    if args.new_passphrase_file:
        new = read_passphrase_file(Path(args.new_passphrase_file))
    else:
        import getpass
        import sys

        if not sys.stdin or not sys.stdin.isatty():
            raise InputError("需要新口令：请用 --new-passphrase-file / a new passphrase is needed: use --new-passphrase-file")
        new = getpass.getpass("新口令 / new passphrase: ")
        if getpass.getpass("再次输入 / again: ") != new:
            raise InputError("两次输入的口令不一致 / the passphrases differ")
    if not new:
        raise InputError("新口令不能为空 / the new passphrase must not be empty")
    store.change_passphrase(old, new)
    print("口令已修改 / passphrase changed")
    return 0
