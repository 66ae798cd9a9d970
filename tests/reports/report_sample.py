"""A realistic case as a ReportContext, built in memory (no store needed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

import pandas as pd

from feijian.domain.records import (
    CaseInfo, EvidenceItem, Finding, ImportBatch, ImportedFile, Role, RuleMeta, ScreeningRun, TeamMember,
)
from feijian.reports.context import ReportContext, Response, TypedRecord, money, penalty_ranges

RULES = {
    "R01": ("重复计费（明细完全重复）", "重复收费", 38),
    "R06": ("超医保限价收费", "超标准收费", 38),
    "R12": ("超限定性别", "超限定", 38),
    "R24": ("死亡后就医/收费", "虚假诊疗", 40),
    "R25": ("挂床住院（无实质诊疗日）", "虚假诊疗", 38),
    "R29": ("进销存不符（销售数量超过可供数量）", "数据不符", 40),
}
DEPTS = ["心血管内科", "骨科", "普外科", "呼吸内科", "神经内科", "儿科"]
ITEMS = [("XB01ABC123", "注射用头孢曲松钠"), ("F00000012", "血常规检查"), ("C11223344", "一次性使用输液器"),
         ("XC09AA0101", "依那普利片"), ("Z00112233", "床位费（三人间）")]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def catalogue() -> dict[str, RuleMeta]:
    return {
        code: RuleMeta(code, name, name, cat, "high", f"《医疗保障基金使用监督管理条例》第{'三十八' if art == 38 else '四十'}条",
                       art, "line", ("fees",), "核对病历与费用明细")
        for code, (name, cat, art) in RULES.items()
    }


def make_context(n_findings: int = 6, lines_per_finding: int = 12, seed: int = 7, **over) -> ReportContext:
    rnd = random.Random(seed)
    info = CaseInfo(
        case_id="0196a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b", name="演示案件", medins_code="H11010500123",
        medins_name="北京市示范第一人民医院", medins_lv="三级甲等", data_period_start=dt.date(2025, 1, 1),
        data_period_end=dt.date(2025, 12, 31), trigger="大数据筛查提示重大风险", doc_no_prefix="京医保飞检〔2026〕",
        team=(TeamMember("王建国", "11010023001", Role.LEAD), TeamMember("李晓梅", "11010023002"),
              TeamMember("张伟", "11010023003")),
        created_at="2026-03-01T01:00:00Z",
    )
    files = (
        ImportedFile("费用明细_2025.csv", "fees", sha("fees"), 84_213_552, "gbk", 412_388, 412_380, 8),
        ImportedFile("就诊信息.xlsx", "visits", sha("visits"), 3_223_001, "xlsx", 18_204, 18_204, 0, sheet="Sheet1"),
        ImportedFile("结算信息.csv", "settlements", sha("settlements"), 2_001_112, "utf-8-sig", 18_190, 18_190, 0),
    )
    batches = (ImportBatch("b-0001", "2026-03-02T02:10:00Z", "李晓梅", files),)
    rules = catalogue()
    codes = list(RULES)
    hits, lines, findings = [], [], []
    for i in range(n_findings):
        code = codes[i % len(codes)]
        hit_ids = []
        for j in range(max(1, lines_per_finding // 3)):
            hid = sha(f"hit-{i}-{j}")[:16]
            hit_ids.append(hid)
            mdtrt = f"ZY2025{rnd.randint(10000, 99999)}"
            date = dt.date(2025, rnd.randint(1, 12), rnd.randint(1, 28))
            amt_total = Decimal(0)
            for k in range(3):
                code_i, name_i = ITEMS[rnd.randrange(len(ITEMS))]
                cnt = Decimal(rnd.randint(1, 4))
                pric = Decimal(rnd.randint(500, 250000)) / 100
                amount = money(cnt * pric)
                amt_total += amount
                lines.append(dict(hit_id=hid, mdtrt_id=mdtrt, feedetl_sn=f"FY{i:03d}{j:03d}{k:02d}", amount=amount,
                                  fee_ocur_time=dt.datetime.combine(date, dt.time(8 + k, 30)), med_list_codg=code_i,
                                  med_list_name=name_i, cnt=cnt, pric=pric, dept=DEPTS[(i + j) % len(DEPTS)]))
            hits.append(dict(hit_id=hid, rule_code=code, grain="line", mdtrt_id=mdtrt, feedetl_sn="", med_list_codg="",
                             date=date, drord_no="", period_start=None, subject="", amount=amt_total,
                             detail=f"{RULES[code][0]}：同一就诊重复收取{rnd.randint(2, 5)}次"))
        amount = sum((h["amount"] for h in hits if h["hit_id"] in hit_ids), Decimal(0))
        findings.append(Finding(
            finding_id=f"f-{i:04d}", title=f"{RULES[code][0]}问题{i + 1}", rule_code=code, hit_ids=tuple(hit_ids),
            amount=amount, legal_basis=rules[code].legal_basis, article=RULES[code][2],
            description=f"经核对病历与费用明细，{len(hit_ids)}人次存在{RULES[code][0]}情形，涉及{RULES[code][1]}。",
            category=RULES[code][1], evidence_ids=(f"e-{i % 3}",),
        ))
    evidence = tuple(
        EvidenceItem(f"e-{i}", kind, name, sha(name), 1000 + i, "application/pdf", "李晓梅", "2026-03-03T02:00:00Z", "dev1",
                     finding_id=f"f-{i:04d}", note=note)
        for i, (kind, name, note) in enumerate([
            ("file", "住院病历复印件.pdf", "经核对与原件一致"),
            ("interview", "询问笔录-张某某", ""),
            ("onsite_record", "现场检查笔录-住院部", ""),
        ])
    )
    records = (
        TypedRecord("e-1", "interview", {
            "start": "2026-03-04 09:30", "end": "2026-03-04 10:45", "place": "医院行政楼三楼会议室",
            "interviewers": [{"name": "王建国", "staff_no": "11010023001"}, {"name": "张伟", "staff_no": "11010023003"}],
            "recorder": "李晓梅",
            "interviewee": {"name": "张某某", "sex": "男", "id_number": "110105198001011238", "employer": "北京市示范第一人民医院",
                            "position": "医保办主任", "phone": "13800000000"},
            "qa": [{"q": "请介绍你院住院费用上传医保结算的流程。", "a": "由各病区护士录入医嘱，收费处审核后上传。"}] +
                  [{"q": f"第{n}个问题：床位费为何在出院当日仍有收取？", "a": "系统设置为出院当日自动计费，我们未及时调整，属于管理疏漏。" * 3}
                   for n in range(2, 16)],
        }, sha("interview")),
        TypedRecord("e-2", "onsite_record", {
            "start": "2026-03-03 14:00", "end": "2026-03-03 17:30", "place": "住院部心血管内科病区",
            "inspectors": [{"name": "王建国", "staff_no": "11010023001"}, {"name": "李晓梅", "staff_no": "11010023002"}],
            "recorder": "张伟",
            "attendees": [{"name": "赵某", "position": "科室主任"}, {"name": "钱某", "position": "护士长"}],
            "content": "检查组对心血管内科病区进行了现场检查。在床患者32人，其中3张床位有收费记录但患者不在床，"
                       "床头卡信息与住院系统不一致。调阅病历5份，清点药品库存2种。" * 4,
            "party_comments": "对检查情况无异议。",
        }, sha("onsite")),
    )
    responses = {"f-0000": Response("确认", "", ""), "f-0001": Response("部分确认", "部分费用已于2025年12月退还", "退费凭证3份", "部分采纳"),
                 "f-0002": Response("不确认", "属于医嘱变更后的正常收费", "医嘱单", "不采纳：医嘱变更前已收费")}
    run = ScreeningRun("run-0001", "2026.1", sha("kb"), tuple(f.sha256 for f in files), "2026-03-02T03:00:00Z",
                       "2026-03-02T03:02:11Z", tuple(codes), {"R29": "缺少进销存数据"}, len(hits),
                       sum((h["amount"] for h in hits), Decimal(0)))
    ctx = ReportContext(
        info=info, generated_at=dt.datetime(2026, 3, 10, 15, 30, 0), doc_no="京医保飞检〔2026〕7号",
        authority="北京市医疗保障局", contact="李晓梅 010-12345678", batches=batches, run=run, rules=rules,
        hits=pd.DataFrame(hits), hit_lines=pd.DataFrame(lines),
        hit_reviews={h["hit_id"]: ("confirmed", "") for h in hits}, findings=tuple(findings),
        penalties=penalty_ranges(findings), evidence=evidence, records=records, responses=responses,
        response_summary="被检机构对大部分问题予以确认，对问题3提出申辩，检查组经集体研究不予采纳。",
        hit_filter="全部疑点",
    )
    _with_self_inspection(ctx)
    _with_transfer(ctx)
    ctx.options = {**ctx.options, "doctor_points": pd.DataFrame(
        [("D00017", 3, Decimal("18588.25"), Decimal(0), Decimal(0), 12, 24, "终止资格风险"),
         ("D00102", 1, Decimal("4331.14"), Decimal(0), Decimal(0), 1, 3, "")],
        columns=["doctor", "findings", "recover", "penalty_min", "penalty_max", "points_min", "points_max", "status"])}
    for k, v in over.items():
        setattr(ctx, k, v)
    return ctx


def _with_self_inspection(ctx: ReportContext) -> None:
    """The institution declared every third hit in its 自查自纠 (and one the inspection did not find); the same
    hits make the institution's own 自查报告."""
    from feijian.casework.self_inspection import DeclaredHit, SelfReport, Split

    ids = list(ctx.hits["hit_id"])
    amounts = dict(zip(ctx.hits["hit_id"], ctx.hits["amount"]))
    rules = dict(zip(ctx.hits["hit_id"], ctx.hits["rule_code"]))
    declared = ids[::3]
    ctx.self_status = {h: "declared" if h in declared else "not_declared" for h in ids}
    ctx.self_split = Split(tuple(sorted(declared)), tuple(sorted(set(ids) - set(declared))), ("ffffeeee00001111",),
                           sum((amounts[h] for h in declared), Decimal(0)),
                           sum((amounts[h] for h in ids if h not in declared), Decimal(0)))
    decl = [DeclaredHit(h, rules[h], DEPTS[i % len(DEPTS)], amounts[h], amounts[h] if i % 2 == 0 else Decimal("0"),
                        "已退回并整改" if i % 2 == 0 else "") for i, h in enumerate(declared)]
    ctx.self_packages = ({
        "institution": {"code": ctx.info.medins_code, "name": ctx.info.medins_name}, "exported_at": "2026-02-10T08:00:00Z",
        "signer": {"name": "孙医保", "staff_no": "YB-01", "key_id": "c7dcbeb5444162a0"},
        "declared": [{"hit_id": d.hit_id, "rule_code": d.rule_code, "department": d.department, "amount": str(d.amount),
                      "refund": str(d.refund)} for d in decl] + [{"hit_id": "ffffeeee00001111", "rule_code": "R06",
                                                                   "department": "骨科", "amount": "88.00", "refund": "88.00"}],
        "totals": {"declared": len(decl) + 1, "amount": str(sum((d.amount for d in decl), Decimal("88"))),
                   "refund": str(sum((d.refund for d in decl), Decimal("88")))},
    },)

    def totals(key):
        rows = []
        keyed = [(rules[h], DEPTS[i % len(DEPTS)], amounts[h], h in declared) for i, h in enumerate(ids)]
        refunds = {d.hit_id: d.refund for d in decl}
        for k in sorted({r[0 if key == "rule_code" else 1] for r in keyed}):
            sub = [(r, h) for r, h in zip(keyed, ids) if r[0 if key == "rule_code" else 1] == k]
            rows.append((k, len(sub), sum(1 for r, _ in sub if r[3]), sum((r[2] for r, _ in sub), Decimal(0)),
                         sum((refunds.get(h, Decimal(0)) for _, h in sub), Decimal(0))))
        return pd.DataFrame(rows, columns=[key, "hits", "corrected", "amount", "refund"])

    ctx.options = {**ctx.options, "self_report": SelfReport(
        ctx.info.medins_code, ctx.info.medins_name, len(ids), sum(amounts.values(), Decimal(0)), tuple(decl),
        totals("rule_code"), totals("department"))}



def _with_transfer(ctx: ReportContext) -> None:
    """A transfer letter to the police for the fraud findings (虚假诊疗 / article 40)."""
    from feijian.casework import transfers

    reasons = {f.finding_id: transfers.reasons_for("police", f, ()) for f in ctx.findings}
    ids = [fid for fid, r in reasons.items() if r]
    ctx.options = {**ctx.options, "transfer": {"kind": "police", "entry": transfers.authority("police"),
                                               "recipient": "北京市公安局经济犯罪侦查总队", "finding_ids": ids,
                                               "reasons": reasons}}
