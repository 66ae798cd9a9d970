"""The ``feijian`` command (../shared/docs/cli.md): one module per command group in this package.

Every command exits 0 on success and non-zero with one clear line on stderr otherwise; a traceback
only with ``--debug``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from typing import Optional, Sequence

from feijian import __version__
from feijian.cli.context import Context
from feijian.domain.errors import FeijianError

# Command groups, each a module here with ``register(subparsers)``; each adds its subcommands
# and sets ``func(ctx, args) -> int`` on them.
COMMAND_MODULES = [
    "demo",
    "demo_data",
    "identity",
    "trust",
    "bureau",
    "case",
    "evidence",
    "report",
    "screen",
    "importing",
    "package",
    "intake",
    "sample",
    "clues",
    "stage",
    "draw",
    "discretion",
    "selfcheck",
    "transfer",
    "points",
    "analysis",
]

DESCRIPTION = (
    "飞检工作台：医保基金飞行检查的离线工具。不带参数运行时打开图形界面。\n"
    "feijian: offline workbench for medical-insurance fund flight inspections. "
    "Without arguments it opens the workbench."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feijian", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"feijian {__version__}")
    parser.add_argument(
        "--home", metavar="DIR", help="数据目录（身份、案件、日志）/ data folder (default: FEIJIAN_HOME or the user data folder)"
    )
    parser.add_argument(
        "--passphrase-file", metavar="FILE", help="从文件读取口令 / read the passphrase from FILE (or FEIJIAN_PASSPHRASE)"
    )
    parser.add_argument("--debug", action="store_true", help="出错时打印调用栈 / print tracebacks on errors")
    parser.add_argument(
        "--selftest", action="store_true", help="自检：在临时目录运行完整流程 / run the whole job in a temporary folder and exit"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令 / commands")
    for name in COMMAND_MODULES:
        importlib.import_module(f"feijian.cli.{name}").register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context.from_args(args)
    ctx.setup_logging()
    if args.selftest:
        from feijian.cli.selftest import run_selftest

        return run_selftest()
    if args.command is None:
        return _open_workbench(ctx)
    try:
        return int(args.func(ctx, args) or 0)
    except FeijianError as exc:
        if args.debug:
            raise
        print(f"feijian: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("feijian: 已中断 / interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # an unexpected error: one line, the detail in the log, traceback with --debug
        if args.debug:
            raise
        logging.getLogger("feijian").exception("unexpected error in %s", args.command)
        print(f"feijian: 内部错误 / internal error: {type(exc).__name__}: {exc} (--debug shows details)", file=sys.stderr)
        return 1


def _open_workbench(ctx: Context) -> int:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        print("feijian: 没有图形显示，改为运行 `feijian demo` / no display: running `feijian demo`", file=sys.stderr)
        from feijian.cli import demo

        return demo.run_demo(ctx, scale=0.2, seed=7)
    from feijian.gui.app import run_app

    return run_app(ctx)
