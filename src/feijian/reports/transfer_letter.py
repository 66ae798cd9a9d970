"""移送书 / 移送函: a transfer letter to the police, the health commission or the discipline inspection
authority, with the findings transferred and, as attachments, the evidence list and the data received, each
with its SHA-256 (the originals stay in the case, the hashes let the recipient check what it is sent).

Built from ``ctx.options["transfer"]`` (authority kind, its entry in ``resources/casework/transfers.toml``,
recipient, the finding ids and each one's reasons), which :func:`feijian.reports.context.build_context` fills
for this document from the case.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from feijian.domain.errors import InputError
from feijian.domain.records import EVIDENCE_KIND_NAMES
from feijian.reports.data_confirmation import file_cells
from feijian.reports.context import ReportContext, article_zh, fmt_money, money
from feijian.reports.layout import DocSpec, content_width, data_table, p, signature_block, styles, title_block
from feijian.reports.parts import date_zh, period_text, sha_wrapped

SPEC = DocSpec("transfer", "移送书")
KINDS_ZH = EVIDENCE_KIND_NAMES


def spec_for(ctx: ReportContext) -> DocSpec:
    t = ctx.options.get("transfer") or {}
    return DocSpec("transfer", t.get("entry", {}).get("title", SPEC.title))


def build(ctx: ReportContext):
    t = ctx.options.get("transfer")
    if not t:
        raise InputError("移送书须指明移送机关 / a transfer letter needs the authority it goes to")
    spec = spec_for(ctx)
    entry = t["entry"]
    st = styles()
    width = content_width(spec)
    chosen = [f for f in ctx.findings if f.finding_id in set(t["finding_ids"])]
    if not chosen:
        raise InputError("没有要移送的问题 / no findings to transfer")
    index = {f.finding_id: i for i, f in enumerate(ctx.findings, 1)}
    total = sum((money(f.amount) for f in chosen), Decimal(0))
    sender = ctx.authority or "（组织检查的医疗保障行政部门）"
    story = title_block(spec, ctx)
    story.append(p(f"{t['recipient'] or entry['name']}：", st["body"]))
    story.append(p(
        f"{sender}组织对{ctx.info.medins_name}（{ctx.info.medins_code}）{period_text(ctx)}期间医疗保障基金使用情况进行了"
        f"飞行检查，发现下列 {len(chosen)} 个问题，涉及金额 {fmt_money(total)} 元。依据{entry['basis']}，{entry['request']}",
        st["indent"]))
    story.append(p("一、移送的问题", st["h2"]))
    rows = []
    for f in chosen:
        visits, n_lines = ctx.finding_counts(f)
        basis = f"{article_zh(f.article)}" if f.article else "未定性"
        rows.append((f"问题{index[f.finding_id]}", f"{f.title}\n{f.description}".strip(), f"{basis}\n{f.category}".strip(),
                     f"{visits:,} / {n_lines:,}", fmt_money(f.amount), "；".join(t["reasons"].get(f.finding_id, ())) or "检查组认定"))
    w = [16 * mm, 0, 26 * mm, 20 * mm, 24 * mm, 44 * mm]
    w[1] = width - sum(w)
    story.append(data_table(["编号", "问题", "条款/类别", "人次/明细", "金额（元）", "移送理由"], rows, w, money_cols=[4],
                            center_cols=[0, 3], total_row=("合计", f"{len(rows)} 项", "", "", fmt_money(total), "")))

    story.append(p("二、随附证据清单", st["h2"]))
    ev_ids = []
    for f in chosen:
        ev_ids += [e for e in ctx.finding_evidence(f) if e not in ev_ids]
    by_id = {e.evidence_id: e for e in ctx.evidence}
    ev_no = ctx.evidence_index()
    rows = [(ev_no.get(e, e), by_id[e].original_name, KINDS_ZH.get(by_id[e].kind, by_id[e].kind), f"{by_id[e].size:,}",
             sha_wrapped(by_id[e].sha256)) for e in ev_ids if e in by_id]
    w = [16 * mm, 0, 22 * mm, 20 * mm, 62 * mm]
    w[1] = width - sum(w)
    if rows:
        story.append(data_table(["编号", "名称", "类型", "字节", "SHA-256"], rows, w, money_cols=[3], center_cols=[0, 2]))
    else:
        story.append(p("（所移送问题尚未关联证据材料）", st["body"]))
    story.append(p("三、调取的数据", st["h2"]))
    files = [f for b in ctx.batches for f in b.files]
    rows = [(file_cells(f)[0], f"{f.rows:,}", sha_wrapped(f.sha256)) for f in files]
    w = [0, 24 * mm, 62 * mm]
    w[0] = width - sum(w)
    story.append(data_table(["文件", "行数", "SHA-256"], rows or [("（无）", "", "")], w, money_cols=[1]))
    story.append(Spacer(1, 2 * mm))
    story.append(p("以上材料的原件及电子数据由本局留存，校验值可供核对所收材料与本局留存一致。"
                   + (f"联系人：{ctx.contact}。" if ctx.contact else ""), st["small"]))
    story.append(Spacer(1, 6 * mm))
    story.append(KeepTogether([
        p(f"{sender}（盖章）", st["right"]), p(date_zh(ctx.generated_at), st["right"]), Spacer(1, 6 * mm),
        p("送达回执", st["h2"]),
        signature_block([f"接收单位（{entry['name']}）签章", "接收人（签名）"], width)]))
    return spec, story
