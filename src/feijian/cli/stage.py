"""``feijian stage CASE [--to STAGE] [--override-reason TEXT]``: the case's stage, gates and reminders."""

from __future__ import annotations

import argparse

from feijian.casework import stages
from feijian.cli.case import open_case
from feijian.cli.context import Context


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stage", help="案件阶段、关卡与提醒 / the case's stage, gates and reminders")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--to", metavar="STAGE", help="进入阶段（代码或中文名） / move to stage (" + ", ".join(stages.stage_codes()) + ")")
    p.add_argument("--next", action="store_true", help="进入下一阶段 / move to the next stage")
    p.add_argument("--override-reason", default="", help="组长越过关卡的理由 / the lead's reason to override a gate")
    p.set_defaults(func=cmd_stage)


def cmd_stage(ctx: Context, args) -> int:
    with open_case(ctx, args.case) as store:
        if args.next:
            stages.advance(store, override_reason=args.override_reason)
        elif args.to:
            stages.change_stage(store, args.to, override_reason=args.override_reason)
        status = stages.stage_status(store)
        notes = stages.reminders(store)
    print(f"当前阶段 / stage: {status.stage.label}" + (f"（自 {status.entered_on}）" if status.entered_on else ""))
    if status.override_reason:
        print(f"越过关卡理由 / override: {status.override_reason}")
    for r in notes:
        print(f"[{r.level}] {r.message}")
    return 0
