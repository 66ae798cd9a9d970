"""``feijian demo-data OUT_DIR [--seed N] [--scale S]``: a synthetic hospital's extracts and knowledge base."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from feijian.cli.context import Context
from feijian.domain.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo-data", help="生成演示医院数据 / write a synthetic hospital's extracts",
        description="生成一家三级医院的模拟数据（就诊、费用明细、医嘱……）、示例知识库（OUT_DIR/kb）和预置违规清单"
                    "（OUT_DIR/meta/planted.json）。同一种子和规模的输出逐字节相同。 / Writes one synthetic level-3 "
                    "hospital's extracts, a sample knowledge base (OUT_DIR/kb) and the manifest of planted violations "
                    "(OUT_DIR/meta/planted.json); the same seed and scale give byte-identical files.")
    p.add_argument("out_dir", metavar="OUT_DIR", help="输出目录 / output folder")
    p.add_argument("--seed", type=int, default=7, help="随机种子（默认7） / random seed (default 7)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="规模：1 约15万条费用明细 / size: 1 ≈ 150k fee lines (default 1)")
    p.set_defaults(func=cmd_demo_data)


def cmd_demo_data(ctx: Context, args) -> int:
    from feijian.demodata import generate

    if not (args.scale > 0):
        raise InputError(f"规模须大于0 / scale must be positive: {args.scale}")

    def progress(done: int, total: int, message: str) -> None:
        if sys.stderr.isatty():
            print(f"\r{done}/{total} {message}   ", end="", file=sys.stderr, flush=True)

    manifest = generate(Path(args.out_dir), seed=args.seed, scale=args.scale, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"演示数据已写入 / demo data written to {args.out_dir}: {manifest.summary()}")
    return 0
