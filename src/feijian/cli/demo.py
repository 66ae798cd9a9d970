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

from feijian.domain import formatting
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


def run_demo(ctx: Context, *, scale: float = 0.2, seed: int = 7) -> int:
    from feijian.demodata import generate

    paths = DemoPaths(ctx.home / "demo")
    if paths.root.exists():
        shutil.rmtree(paths.root)
    paths.out.mkdir(parents=True)
    steps = _Steps()
    given = ctx.given_passphrase()
    passphrase = DEMO_PASSPHRASE if given is None else given

    manifest = generate(paths.data, seed=seed, scale=scale, paper=True)
    steps.say("演示数据 demo data", f"{paths.data} — {manifest.summary()}")
    steps.say("纸质病历 paper records", manifest.paper)

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
    import uuid

    from feijian.cli.case import read_institution
    from feijian.domain.records import CaseInfo, Role, TeamMember
    from feijian.store.case_store import CaseStore
    from feijian.store.identities import BureauStore, IdentityStore

    bureau_store = BureauStore(paths.bureau_home)
    bureau = bureau_store.init(passphrase, "演示市医疗保障局")
    inspector = IdentityStore(paths.inspector_home)
    identity = inspector.create("张明", "FJ-0001", "lead", passphrase)
    bureau_store.enroll(bureau, identity.public)
    trust_file = paths.bureau_home / "published-trust.json"
    bureau_store.publish(trust_file)
    inspector.import_trust(trust_file)
    steps.say("身份 identities", f"检查组长 张明（{identity.public.key_id}）；医保局信任名单已签发并导入")

    inst = read_institution(paths.data)
    me = identity.public
    info = CaseInfo(
        case_id=str(uuid.uuid4()), name="demo", medins_code=inst["medins_code"], medins_name=inst["medins_name"],
        medins_lv=inst.get("medins_lv", ""), medins_type=inst.get("medins_type") or "hospital",
        trigger="国家医保局飞行检查（演示）", doc_no_prefix="演医保飞检〔2026〕",
        # two officers at least take part in an inspection (and sign its records)
        team=(TeamMember(me.name, me.staff_no, Role.LEAD, me.key_id), TeamMember("李华", "FJ-0002")),
    )
    store = CaseStore.create(paths.case, info, identity, escrow_public=bureau.public().escrow_public)
    steps.say("新建案件 new case", f"{info.medins_name}（{info.medins_code}），加密案件 {paths.case.name}")
    return store, identity, (bureau_store, bureau)


def _import_and_screen(store, paths, steps):
    from feijian.casework.importing import import_folder
    from feijian.casework.screening import screen_case

    summary = import_folder(store, paths.data, importer=store.identity.public.name)
    rows = sum(f.rows for f in summary.files)
    read = sum(f.read for f in summary.files)
    steps.say("导入 import", f"{len(summary.files)} 个文件，{rows} 行，读入 {read}，拒收 {rows - read}（均记录 SHA-256）")
    docs = [f for f in summary.files if f.table == "emr_docs"]
    if docs:  # the record documents come both ways: a CSV with the text, an index beside a folder of files
        steps.say("病历文书 record documents", f"{summary.tables.get('emr_docs', 0)} 份：" + "；".join(
            f"{f.file_name} {f.read} 份" + (f"（{f.encoding}）" if f.encoding not in ("utf-8", "utf-8-sig", "gbk") else "")
            for f in docs))
    result = screen_case(store)
    steps.say("筛查 screen", f"{len(result.hits)} 条疑点，{len(result.run.rules_run)} 条规则已运行，"
              f"未运行 {len(result.not_run)}；疑点金额（每条明细只计一次）{formatting.money(result.run.total_amount)}")


def _review(store, steps):
    from feijian.casework.findings import findings
    from feijian.casework.review import review_hits
    from feijian.domain.records import HitStatus

    hits = store.hits()
    amounts = hits["amount"].map(float)
    money = hits[amounts > 0]
    confirm = money.groupby("rule_code").head(3)
    review_hits(store, list(confirm["hit_id"]), HitStatus.CONFIRMED, "经核对病历与医嘱，收费无依据（演示）")
    clue = hits[amounts == 0].head(1)
    if len(clue):
        review_hits(store, list(clue["hit_id"]), HitStatus.DISMISSED, "现场核实为合理诊疗（演示）")
    fs = findings(store)
    total = sum(f.amount for f in fs)
    steps.say("核查 review", f"确认 {len(confirm)} 条、排除 {len(clue)} 条疑点 → {len(fs)} 个问题，金额 {formatting.money(total)}")


def _evidence(store, paths, steps):
    from feijian.casework.findings import findings

    fs = findings(store)
    items = []
    for f in sorted((paths.data / "meta" / "evidence").iterdir()):
        items.append(store.add_evidence(f, original_name=f.name, finding_id=fs[0].finding_id if fs else "",
                                        note="演示证据"))
    me = store.identity.public
    items.append(store.add_record("interview", {
        "start": "2026-11-20 10:00", "end": "2026-11-20 10:40", "place": "医院医保办会议室",
        "interviewers": [{"name": me.name, "staff_no": me.staff_no}], "recorder": store.info.team[1].name,
        "interviewee": {"name": "王某", "sex": "男", "employer": store.info.medins_name, "position": "住院医师"},
        "qa": [{"q": "患者住院期间的床位费、护理费是否每日据实收取？", "a": "是按天自动计费的，具体要看护理记录。"},
               {"q": "出院后发生的检查费用是何原因？", "a": "可能是系统补记，我不清楚。"}],
    }, finding_id=fs[0].finding_id if fs else ""))
    items.append(store.add_record("onsite_record", {
        "start": "2026-11-20 08:30", "end": "2026-11-20 09:50", "place": "住院部病区、医保办",
        "inspectors": [{"name": me.name, "staff_no": me.staff_no},
                       {"name": store.info.team[1].name, "staff_no": store.info.team[1].staff_no}],
        "recorder": store.info.team[1].name,
        "attendees": [{"name": "赵某", "position": "医保办主任"}],
        "content": "检查组到达住院部病区，清点在床患者，调阅住院病历与医嘱，核对床位费、护理费的计费记录；"
                   "在医保办调取就诊、费用明细、医嘱、诊断和结算数据，由医院信息科导出并确认。",
        "party_comments": "对检查情况无异议。",
    }))
    steps.say("证据 evidence", "；".join(f"{i.original_name or i.kind} SHA-256 {i.sha256[:12]}…" for i in items))


def _casework(store, paths, seed, steps):
    from feijian.casework import clues, sampling

    imported = clues.import_clues(store, paths.data / "meta" / "clues.csv")
    clues.record_results_from_hits(store)
    status = clues.clue_progress(store)
    clues.export_feedback(store, paths.out / "线索核查反馈.csv")
    steps.say("线索核查 clues", f"{status.cleared}/{status.total} 条已核查（导入 {len(imported.rows)}），"
              "反馈文件已导出")
    sample = sampling.draw_sample(store, "mus", 30, seed, unit="encounter")
    sampling.record_results_from_hits(store, sample.sample_id)
    est = sampling.extrapolate(store, sample.sample_id)
    steps.say("抽样 sampling", f"货币单位抽样（MUS）抽取 {len(sample.selected)} 份病历（种子 {seed}）；外推多付金额 {formatting.money(est.point)}，"
              f"90% 置信下限（追回金额）{formatting.money(est.recovery)}")


def _documents(store, paths, steps):
    from feijian.reports.documents import CASE_DOCUMENTS
    from feijian.reports.issue import render

    names = []
    for doc in CASE_DOCUMENTS:  # the demo is an inspection: no 自查自纠 documents, no transfer chosen
        issued = render(doc, store, paths.out / f"{doc}.pdf")
        names.append(f"{doc}（{issued.pages} 页）")
    steps.say("文书 documents", "，".join(names))


def _package(store, identity, paths, steps):
    from feijian.store.identities import IdentityStore
    from feijian.sync.package import export_package

    bureau_public = IdentityStore(paths.inspector_home).bureau_public()
    out = paths.out / "demo-bureau.fjpkg"
    info = export_package(store, identity, to="bureau", out=out, bureau_intake_public=bureau_public.intake_public)
    steps.say("数据包 package", f"{out.name} 已签名（{out.stat().st_size // 1024} KiB，包编号 {info.package_id[:8]}…）")
    return out


def _bureau(bureau, pkg, paths, steps):
    from feijian.sync.intake import intake

    bureau_store, keys = bureau
    receipts = intake([pkg], str(paths.out / "bureau-archive.sqlite"), bureau_keys=keys, trust=bureau_store.trust_list())
    r = receipts[0]
    r.verify(keys.public().signing_public)
    steps.say("医保局接收 bureau intake", f"签名、完整性与防重放核验通过，已入库；回执已签名（{r.package_id[:8]}…）")
