"""飞行检查报告 (C.3 item 11): basic facts, method (data sources with hashes, rule set version, knowledge
base hash), findings by category with amounts and typical cases, charts, the institution's response,
penalty ranges under the 条例 (ranges only), annexes (problem list, evidence catalogue, line detail)."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from feijian.domain import formatting
from feijian.reports import charts
from feijian.reports import discretion_section
from feijian.reports.context import ReportContext, article_zh, fmt_money, money
from feijian.reports.data_confirmation import file_cells, table_title
from feijian.reports.layout import DocSpec, content_width, data_table, field_table, p, signature_block, styles, title_block
from feijian.reports.parts import (
    data_overview, evidence_catalogue, evidence_refs, finding_basis, finding_rule, lines_table, period_text, team_names,
)

SPEC = DocSpec("report", "飞行检查报告")


def _typical_case(ctx: ReportContext, f) -> str:
    """The encounter with the largest amount behind a finding: 就诊ID, lines, amount."""
    lines = ctx.finding_lines(f)
    if lines.empty:
        return ""
    amounts = lines.assign(_a=lines["amount"].map(money)).groupby("mdtrt_id")["_a"].agg(["sum", "count"])
    amounts = amounts.sort_values("sum", ascending=False, kind="stable")
    mdtrt, row = next(amounts.iterrows())
    return f"典型病例：就诊ID {mdtrt}，{int(row['count'])} 条明细，金额 {fmt_money(row['sum'])} 元。"


def build(ctx: ReportContext):
    st = styles()
    width = content_width(SPEC)
    info, run = ctx.info, ctx.run
    story = title_block(SPEC, ctx)

    # 一、基本情况
    story.append(p("一、基本情况", st["h1"]))
    story.append(field_table([
        ("被检机构", info.medins_name), ("机构编码", info.medins_code), ("机构等级", formatting.medins_level(info.medins_lv)),
        ("机构类型", {"hospital": "医院", "pharmacy": "药店"}.get(info.medins_type, info.medins_type)),
        ("数据期间", period_text(ctx)), ("检查缘由", info.trigger or ""),
        ("组织机关", ctx.authority or ""), ("检查组", team_names(ctx)),
        ("数据概况", data_overview(ctx)), ("", ""),
        ("案件立项", formatting.date_time(info.created_at)), ("报告生成", formatting.date_time(ctx.generated_at)),
    ], width, label_w=22 * mm, cols=2))

    # 二、检查方法
    story.append(p("二、检查方法", st["h1"]))
    n_files = sum(len(b.files) for b in ctx.batches)
    story.append(p(
        f"检查组调取了被检机构{period_text(ctx)}的数据共 {n_files} 个文件，接收时逐一计算 SHA-256 校验值；"
        "以医保结算数据与医院信息系统数据交叉核对，按规则集筛查疑点，经人工复核病历、医嘱、票据和进销存记录后形成问题。",
        st["indent"]))
    rows = []
    for b in ctx.batches:
        for f in b.files:
            rows.append((table_title(f.table), file_cells(f)[0], f"{f.rows:,}", f.sha256))
    w = [22 * mm, 46 * mm, 20 * mm, 0]
    w[3] = width - sum(w)
    story.append(p("数据来源", st["h2"]))
    story.append(data_table(["数据表", "文件名", "数据行数", "SHA-256"], rows, w, money_cols=[2]))
    story.append(p("筛查", st["h2"]))
    if run is not None:
        not_run = "；".join(f"{k}（{v}）" for k, v in sorted(run.not_run.items())) or "无"
        story.append(field_table([
            ("规则集版本", run.ruleset_version), ("知识库校验值", run.kb_hash), ("筛查批次", run.run_id),
            ("筛查时间", formatting.time_span(run.started_at, run.finished_at)), ("运行规则", "、".join(run.rules_run)),
            ("未运行规则", not_run), ("疑点数", f"{run.hit_count:,}"), ("疑点金额（元）", fmt_money(run.total_amount)),
        ], width, label_w=26 * mm))
    else:
        story.append(p("（本案件尚未运行规则筛查）", st["body"]))
    if ctx.method_notes:
        story.append(p(ctx.method_notes, st["indent"]))

    # 三、发现的问题
    story.append(p("三、发现的问题", st["h1"]))
    total = ctx.total_amount
    story.append(p(f"经核查，共发现问题 {len(ctx.findings)} 项，涉及违规金额 {fmt_money(total)} 元。按类别汇总如下：",
                   st["indent"]))
    cats: dict[str, list] = {}
    for f in ctx.findings:
        cats.setdefault(f.category or "其他", []).append(f)
    rows = []
    for cat, group in sorted(cats.items(), key=lambda kv: -sum(money(f.amount) for f in kv[1])):
        visits = sum(ctx.finding_counts(f)[0] for f in group)
        rows.append((cat, f"{len(group):,}", f"{visits:,}", fmt_money(sum((money(f.amount) for f in group), Decimal(0)))))
    w = [0, 30 * mm, 30 * mm, 40 * mm]
    w[0] = width - sum(w)
    story.append(data_table(["问题类别", "问题数", "就诊人次", "金额（元）"], rows, w, money_cols=[1, 2, 3],
                            total_row=("合计", f"{len(ctx.findings):,}", "", fmt_money(total))))
    story.append(Spacer(1, 3 * mm))
    by_rule = [(f"{code} {ctx.rule_name(code)}".strip(), v) for code, v in charts.amounts_by_rule(ctx)]
    story.append(KeepTogether([charts.horizontal_bars("违规金额按规则（元）", by_rule, width)]))
    dept = charts.amounts_by_dept(ctx)
    if dept:
        story.append(KeepTogether([charts.horizontal_bars("违规金额按科室（元）", dept, width)]))
    story.append(KeepTogether([charts.vertical_bars("违规金额按月份（元）", charts.amounts_by_month(ctx), width)]))

    for cat, group in sorted(cats.items(), key=lambda kv: -sum(money(f.amount) for f in kv[1])):
        story.append(CondPageBreak(30 * mm))
        story.append(p(f"（{cat}）", st["h2"]))
        for f in sorted(group, key=lambda f: -money(f.amount)):
            idx = ctx.findings.index(f) + 1
            visits, n_lines = ctx.finding_counts(f)
            text = (f"问题{idx}：{f.title}。{f.description}涉及就诊 {visits:,} 人次、明细 {n_lines:,} 行，"
                    f"违规金额 {fmt_money(f.amount)} 元。规则：{finding_rule(ctx, f)}；依据：{finding_basis(f, ctx)}。")
            refs = evidence_refs(ctx, f)
            if refs:
                text += f"证据：{refs}。"
            story.append(p(text, st["indent"]))
            typical = _typical_case(ctx, f)
            if typical:
                story.append(p(typical, st["indent"]))

    # 四、被检机构反馈及处理情况
    story.append(p("四、被检机构反馈及处理情况", st["h1"]))
    if ctx.response_summary:
        story.append(p(ctx.response_summary, st["indent"]))
    rows = []
    for i, f in enumerate(ctx.findings, 1):
        r = ctx.responses.get(f.finding_id)
        rows.append((f"问题{i}", f.title, r.verdict if r and r.verdict else "未反馈", r.reason if r else "",
                     r.handling if r else ""))
    w = [16 * mm, 0, 20 * mm, 45 * mm, 40 * mm]
    w[1] = width - sum(w)
    story.append(data_table(["编号", "问题", "反馈意见", "理由", "检查组处理"], rows, w, center_cols=[0, 2]))

    # 五、定性与处理建议
    story.append(p("五、定性与处理建议", st["h1"]))
    story.append(p("依据《医疗保障基金使用监督管理条例》，下列为各条款规定的处罚幅度，仅供处理时参考，不构成处罚决定；"
                   "具体处理由有权机关依法作出。违规使用的医保基金应予退回。", st["indent"]))
    rows = []
    for r in ctx.penalties:
        rng = f"{fmt_money(r.low)} – {fmt_money(r.high)}"
        basis = f"{r.multiple}（基数 {fmt_money(r.base_amount)} 元）" if r.kind == "multiple" else "固定幅度"
        rows.append((article_zh(r.article), r.conduct, f"{len(r.finding_ids)}", fmt_money(r.base_amount), basis, rng))
    w = [22 * mm, 0, 14 * mm, 26 * mm, 36 * mm, 40 * mm]
    w[1] = width - sum(w)
    story.append(data_table(["条款", "适用情形", "问题数", "涉及金额（元）", "罚款幅度", "罚款区间（元）"], rows, w,
                            money_cols=[2, 3, 5]))
    story.extend(self_inspection_paragraphs(ctx))
    story.extend(discretion_section.section(ctx, width))
    story.extend(doctor_points_section(ctx, width))
    story.append(signature_block(["检查组组长", "检查组成员", "组织机关审核"], width))

    # 六、附件
    story.append(PageBreak())
    story.append(p("附件1：违规问题清单", st["h1"]))
    rows = []
    with_self = ctx.self_status is not None
    for i, f in enumerate(ctx.findings, 1):
        visits, n_lines = ctx.finding_counts(f)
        row = [i, finding_rule(ctx, f), f.title, f"{visits:,}", f"{n_lines:,}", fmt_money(f.amount),
               finding_basis(f, ctx), evidence_refs(ctx, f)]
        if with_self:
            row.append(finding_self_status(ctx, f))
        rows.append(row)
    w = [10 * mm, 28 * mm, 0, 14 * mm, 14 * mm, 24 * mm, 34 * mm, 16 * mm] + ([16 * mm] if with_self else [])
    w[2] = width - sum(w)
    head = ["序号", "规则", "问题", "人次", "明细", "金额（元）", "法律依据", "证据"] + (["自查"] if with_self else [])
    total_row = ["合计", "", "", "", "", fmt_money(total), "", ""] + ([""] if with_self else [])
    story.append(data_table(head, rows, w, money_cols=[3, 4, 5], center_cols=[0] + ([8] if with_self else []),
                            total_row=tuple(total_row), wrap=len(rows) <= 2000))
    story.append(p("附件2：证据目录", st["h1"]))
    story.append(evidence_catalogue(ctx, width))
    ids = {h: f"问题{i}" for i, f in enumerate(ctx.findings, 1) for h in f.hit_ids}
    lines = ctx.hit_lines[ctx.hit_lines["hit_id"].isin(set(ids))] if len(ctx.hit_lines) else ctx.hit_lines
    story.append(p("附件3：违规费用明细", st["h1"]))
    if len(lines):
        story.append(p(f"共 {len(lines):,} 行，金额合计 {fmt_money(sum((money(a) for a in lines['amount']), Decimal(0)))} 元。",
                       st["body"]))
        story.extend(lines_table(lines, width, number_by=ids))
    else:
        story.append(p("（无）", st["body"]))
    return SPEC, story


SELF_ZH = {"declared": "已申报", "not_declared": "未申报"}


def finding_self_status(ctx: ReportContext, f) -> str:
    """已申报 when every hit behind the finding was declared in the self-inspection, 未申报 when any was not."""
    if ctx.self_status is None or not f.hit_ids:
        return "—"
    return SELF_ZH["declared"] if all(ctx.self_status.get(h) == "declared" for h in f.hit_ids) else SELF_ZH["not_declared"]


def self_inspection_paragraphs(ctx: ReportContext) -> list:
    """The comparison with the institution's 自查自纠 declaration, when one was imported."""
    if ctx.self_split is None:
        return []
    st = styles()
    sp = ctx.self_split
    declared = sum(1 for f in ctx.findings if finding_self_status(ctx, f) == SELF_ZH["declared"])
    hidden = sum(1 for f in ctx.findings if finding_self_status(ctx, f) == SELF_ZH["not_declared"])
    who = "、".join(dict.fromkeys(f"{c['signer']['name']}（{c['exported_at'][:10]}）" for c in ctx.self_packages))
    text = (f"被检机构自查自纠申报材料（{who}签名）已与本次检查发现比对：本次筛查疑点中自查已申报 {len(sp.declared):,} 条、"
            f"金额 {fmt_money(sp.declared_amount)} 元，自查未申报 {len(sp.not_declared):,} 条、金额 "
            f"{fmt_money(sp.not_declared_amount)} 元")
    if sp.declared_not_found:
        text += f"；机构申报而本次未筛出 {len(sp.declared_not_found):,} 条"
    text += (f"。违规问题中自查已申报 {declared} 个、未申报 {hidden} 个；已申报的问题按主动消除危害后果从轻考虑，"
             "未申报的问题按省级裁量基准从重考虑（见下表裁量理由）。")
    return [p(text, st["indent"])]


def doctor_points_section(ctx: ReportContext, width: float) -> list:
    """医保医师记分: per doctor, the points range the findings carry (``options["doctor_points"]``, the
    ``by_doctor`` frame of :func:`feijian.casework.penalties.penalty_summary`), with the thresholds."""
    from feijian.casework.penalties import UNATTRIBUTED, penalty_rules

    frame = ctx.options.get("doctor_points")
    if frame is None or len(frame) == 0:
        return []
    st = styles()
    dp = penalty_rules()["doctor_points"]
    out = [Spacer(1, 3 * mm), p(f"医保医师记分建议（按记分标准，一个自然年度内累计记分达到 {dp['suspend_at']} 分的暂停、达到 "
             f"{dp['terminate_at']} 分的终止医保支付资格；记分由有权部门确定）：", st["indent"])]
    rows = []
    frame = frame.sort_values(["points_max", "doctor"], ascending=[False, True], kind="stable")
    for r in frame.itertuples(index=False):
        if r.doctor == UNATTRIBUTED:
            continue
        rows.append((ctx.names.doctor(r.doctor), f"{int(r.findings)}", fmt_money(r.recover), f"{r.points_min}–{r.points_max}", r.status or ""))
    if not rows:
        return []
    w = [40 * mm, 18 * mm, 32 * mm, 24 * mm, 0]
    w[-1] = width - sum(w)
    out.append(data_table(["医师", "问题数", "涉及金额（元）", "记分（分）", "提示"], rows, w,
                          money_cols=[1, 2], center_cols=[3]))
    return out
