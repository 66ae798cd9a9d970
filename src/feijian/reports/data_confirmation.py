"""数据调取确认单 — each imported file with its rows and SHA-256, for the hospital's IT staff and an
inspector to sign (C.3 item 3)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from feijian.reports.context import ReportContext
from feijian.reports.layout import DocSpec, content_width, data_table, field_table, p, signature_block, styles, title_block
from feijian.domain import formatting
from feijian.reports.parts import period_text

SPEC = DocSpec("data-confirmation", "数据调取确认单", landscape=True)

TABLE_ZH = {
    "institution": "机构信息", "visits": "就诊信息", "fees": "费用明细", "orders": "医嘱/处方", "diagnoses": "诊断信息",
    "operations": "手术操作", "settlements": "结算信息", "inventory": "进销存", "trace_codes": "药品追溯码",
    "staff": "医务人员", "reports": "检查检验报告", "emr_docs": "病历文书",
}
# the formats of an emr_docs index's document files, as the import records them (docx:172 ocr/jpeg:4 …)
FORMAT_ZH = (("pdf+ocr", "扫描 PDF"), ("ocr/", "图片"), ("txt", "文本"), ("docx", "Word"), ("doc", "Word"),
             ("pdf", "PDF"))
DOCUMENT_FILES = "（文书文件 / document files）"


def table_title(table: str) -> str:
    """A table as the documents name it: 费用明细; a table the documents do not list, by its contract name."""
    if table in TABLE_ZH:
        return TABLE_ZH[table]
    from feijian.domain.contract import load_contract

    spec = load_contract().tables.get(table)
    zh = [n for n in (spec.names if spec else ()) if any("\u4e00" <= ch <= "\u9fff" for ch in n)]
    return zh[0] if zh else table


def document_formats(encoding: str) -> str:
    """``docx:172 ocr/jpeg:4 pdf:191 txt/gbk:190`` → ``PDF 191 份、文本 190 份、Word 172 份、图片 4 份``."""
    counts: dict[str, int] = {}
    for part in str(encoding or "").split():
        kind, _, n = part.rpartition(":")
        if not kind or not n.isdigit():
            return str(encoding)
        zh = next((name for key, name in FORMAT_ZH if kind.startswith(key)), kind)
        counts[zh] = counts.get(zh, 0) + int(n)
    return "、".join(f"{k} {formatting.count(v)} 份" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def file_cells(f) -> tuple[str, str]:
    """(文件名, 编码) of one imported file; an index's document files are named by their formats."""
    name = f.file_name + (f"（{f.sheet}）" if f.sheet else "")
    if f.table == "emr_docs" and DOCUMENT_FILES in f.file_name:
        return f"{f.file_name.replace(DOCUMENT_FILES, '')} 所列文书文件：{document_formats(f.encoding)}", "多种"
    return name, f.encoding


def build(ctx: ReportContext):
    st = styles()
    width = content_width(SPEC)
    info = ctx.info
    story = title_block(SPEC, ctx)
    story.append(field_table([
        ("被检机构", info.medins_name), ("机构编码", info.medins_code),
        ("数据期间", period_text(ctx)), ("提取条件", ctx.options.get("extraction_criteria", "按结算日期提取数据期间内全部记录")),
    ], width, label_w=24 * mm, cols=2))
    story.append(Spacer(1, 3 * mm))
    rows, n, total_rows = [], 0, 0
    for batch in ctx.batches:
        for f in batch.files:
            n += 1
            total_rows += f.rows
            name, encoding = file_cells(f)
            rows.append((n, table_title(f.table) + f"\n{f.table}", name, f"{f.rows:,}", f"{f.read:,}",
                         f"{f.refused:,}", f"{f.size:,}", encoding, f.sha256, f"{formatting.date_time(batch.imported_at)}\n{batch.importer}"))
    w = [9 * mm, 22 * mm, 40 * mm, 17 * mm, 17 * mm, 13 * mm, 21 * mm, 15 * mm, 0, 30 * mm]
    w[8] = width - sum(w)
    story.append(data_table(
        ["序号", "数据表", "文件名", "数据行数", "读入行数", "拒收", "文件字节", "编码", "SHA-256 校验值", "接收时间/接收人"],
        rows, w, money_cols=[3, 4, 5, 6], center_cols=[0, 7],
        total_row=("合计", f"{n} 个文件", "", f"{total_rows:,}", "", "", "", "", "", "") if n else None,
    ))
    if not rows:
        story.append(p("（本案件尚未导入数据）", st["body"]))
    story.append(Spacer(1, 4 * mm))
    story.append(p(
        "声明：上述数据由被检单位信息技术人员在检查人员监督下从生产系统直接导出，未经任何修改；"
        "检查组接收时逐一计算了 SHA-256 校验值，校验值相同即证明文件内容未被改动。", st["indent"]))
    story.append(signature_block(["提取人（被检单位信息技术人员）", "接收人（检查人员）", "被检单位（盖章）", "检查组组长"], width))
    return SPEC, story
