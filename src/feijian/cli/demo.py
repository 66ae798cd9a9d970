"""``feijian demo``: the whole job, headless, on a freshly generated demo hospital.

import → screen → review → findings → evidence → clues and sampling → documents → signed package →
bureau verification and intake. Each step prints one short summary. The demo uses its own identities
(passphrase ``feijian-demo`` unless one is given) in a ``demo/`` folder under the data folder.
"""

from __future__ import annotations

import argparse
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from feijian.cli.context import Context

DEMO_PASSPHRASE = "feijian-demo"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="在新生成的演示医院上无界面运行全流程 / the whole job headless on a fresh demo hospital",
        description="导入 → 筛查 → 核查 → 问题 → 证据 → 文书 → 签名数据包 → 医保局核验。"
        " Import, screen, review, findings, evidence, documents, signed package, bureau verification.",
    )
    p.add_argument("--scale", type=float, default=0.2, help="规模（1 ≈ 15 万条费用明细）/ scale (1 ≈ 150k fee lines)")
    p.add_argument("--seed", type=int, default=7, help="随机种子 / seed")
    p.set_defaults(func=lambda ctx, args: run_demo(ctx, scale=args.scale, seed=args.seed))


@dataclass
class DemoPaths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def case(self) -> Path:
        return self.root / "demo.fjcase"

    @property
    def inspector_home(self) -> Path:
        return self.root / "inspector"

    @property
    def bureau_home(self) -> Path:
        return self.root / "bureau"


class _Steps:
    def __init__(self) -> None:
        self.n = 0
        self.t0 = time.perf_counter()

    def say(self, title: str, summary: str) -> None:
        self.n += 1
        print(f"[{self.n:2d}] {title}: {summary}  ({time.perf_counter() - self.t0:.1f} s)", flush=True)


def _passphrase(ctx: Context) -> str:
    if ctx.passphrase_file is not None or __import__("os").environ.get("FEIJIAN_PASSPHRASE") is not None:
        return ctx.passphrase()
    return DEMO_PASSPHRASE


def run_demo(ctx: Context, *, scale: float = 0.2, seed: int = 7) -> int:
    from feijian.demodata import generate

    paths = DemoPaths(ctx.home / "demo")
    if paths.root.exists():
        shutil.rmtree(paths.root)
    paths.out.mkdir(parents=True)
    steps = _Steps()
    passphrase = _passphrase(ctx)

    manifest = generate(paths.data, seed=seed, scale=scale)
    steps.say("演示数据 demo data", f"{paths.data} — {manifest.summary()}")

    store, identity, bureau = _identities_and_case(ctx, paths, passphrase, steps)
    with store:
        _import_and_screen(store, paths, steps)
        _review(store, steps)
        _evidence(store, paths, steps)
        _casework(store, paths, seed, steps)
        _documents(store, paths, steps)
        pkg = _package(store, identity, paths, steps)
    _bureau(bureau, pkg, paths, steps)
    print(f"完成 / done: 输出在 / outputs in {paths.out}")
    return 0


def _identities_and_case(ctx, paths, passphrase, steps):
    from feijian.casework.case_setup import new_case_from_folder
    from feijian.store.identities import BureauStore, IdentityStore

    bureau = BureauStore(paths.bureau_home)
    bureau.init(passphrase)
    inspector = IdentityStore(paths.inspector_home)
    identity = inspector.create("张明", "FJ-0001", "lead", passphrase)
    bureau.enroll(identity.public, passphrase)
    inspector.import_trust(bureau.publish(passphrase))
    steps.say("身份 identities", f"检查组长 张明 {identity.public.key_id}；医保局信任名单已导入")
    store = new_case_from_folder(paths.case, paths.data, identity, escrow_public=bureau.escrow_public())
    steps.say("新建案件 new case", f"{store.info.medins_name}（{store.info.medins_code}），加密案件 {paths.case.name}")
    return store, identity, bureau


def _import_and_screen(store, paths, steps):
    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case

    summary = import_folder(store, paths.data, importer=store.identity.public.name)
    steps.say("导入 import", summary.one_line())
    result = screen_case(store)
    steps.say("筛查 screen", f"{len(result.hits)} 条疑点，{len(result.run.rules_run)} 条规则已运行，"
              f"未运行 {len(result.not_run)}；疑点金额 {result.run.total_amount} 元")


def _review(store, steps):
    from feijian.casework.findings import findings
    from feijian.casework.review import review_hits
    from feijian.domain.records import HitStatus

    hits = store.hits()
    money = hits[hits["amount"].astype(float) > 0]
    confirm = money.groupby("rule_code").head(3)
    review_hits(store, list(confirm["hit_id"]), HitStatus.CONFIRMED, "经核对病历与医嘱，收费无依据（演示）")
    clue = hits[hits["amount"].astype(float) == 0].head(1)
    if len(clue):
        review_hits(store, list(clue["hit_id"]), HitStatus.DISMISSED, "现场核实为合理诊疗（演示）")
    fs = findings(store)
    total = sum(f.amount for f in fs)
    steps.say("核查 review", f"确认 {len(confirm)} 条、排除 {len(clue)} 条疑点 → {len(fs)} 个问题，金额 {total} 元")


def _evidence(store, paths, steps):
    from feijian.casework.findings import findings

    fs = findings(store)
    items = []
    for f in sorted((paths.data / "meta" / "evidence").iterdir()):
        items.append(store.add_evidence(f, original_name=f.name, finding_id=fs[0].finding_id if fs else "",
                                        note="演示证据"))
    rec = store.add_record("interview", {
        "interviewee": "王医生", "role": "住院医师", "place": "医保办会议室", "time": "2026-11-20 10:00",
        "questions": [{"q": "患者住院期间是否每日查房？", "a": "是，有查房记录。"}],
    })
    items.append(rec)
    steps.say("证据 evidence", "；".join(f"{i.original_name} SHA-256 {i.sha256[:12]}…" for i in items))


def _casework(store, paths, seed, steps):
    from feijian.casework import clues, extrapolation, sampling

    imported = clues.import_clues(store, paths.data / "meta" / "clues.csv")
    clues.record_results_from_hits(store)
    status = clues.progress(store)
    clues.export_feedback(store, paths.out / "线索核查反馈.csv")
    steps.say("线索核查 clues", f"{status.cleared}/{status.total} 条已核查（导入 {imported} 条），反馈文件已导出")
    sample = sampling.draw(store, method="srs", unit="encounter", n=30, seed=seed)
    est = extrapolation.demo_estimate(store, sample)
    steps.say("抽样 sampling", f"简单随机抽取 {len(sample.ids)} 份病历（种子 {seed}）；外推多付金额 {est.point:.2f} 元，"
              f"90% 置信下限 {est.lower:.2f} 元")


def _documents(store, paths, steps):
    from feijian.reports.issue import DOCUMENTS, render

    names = []
    for doc in DOCUMENTS:
        issued = render(doc, store, paths.out / f"{doc}.pdf")
        names.append(f"{doc}({issued.pages}页)")
    steps.say("文书 documents", "，".join(names))


def _package(store, identity, paths, steps):
    from feijian.sync.package import export_package

    out = paths.out / "demo-bureau.fjpkg"
    info = export_package(store, identity, to="bureau", out=out)
    steps.say("数据包 package", f"{out.name} 已签名（{info.member_count} 个成员，{out.stat().st_size // 1024} KiB）")
    return out


def _bureau(bureau, pkg, paths, steps):
    from feijian.sync.intake import intake_packages

    receipts = intake_packages(bureau, [pkg], archive=str(paths.out / "bureau-archive.sqlite"))
    r = receipts[0]
    steps.say("医保局接收 bureau intake", f"核验通过，已入库：{r.summary()}")
