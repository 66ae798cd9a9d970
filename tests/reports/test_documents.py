"""Every document rendered from an in-memory context: the case's figures read back exactly from the PDF
text, every font embedded, page x of y, headers repeated, signature lines on every page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from feijian.domain.errors import InputError
from feijian.reports.documents import DOCUMENTS, UnknownDocument, render_bytes
from pdftext import pages_text, pdffonts, squash
from report_sample import make_context


def _money(d: Decimal) -> str:
    return f"{d.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


@pytest.fixture(scope="module")
def ctx():
    return make_context()


@pytest.fixture(scope="module")
def pdfs(ctx):
    return {doc: render_bytes(doc, ctx) for doc in DOCUMENTS}


def test_every_document_renders_a_pdf(pdfs):
    assert set(pdfs) == {"notice", "data-confirmation", "onsite-record", "interview", "hit-list", "problem-list", "report",
                          "self-report", "self-comparison", "transfer"}
    for doc, pdf in pdfs.items():
        assert pdf.startswith(b"%PDF-"), doc


@pytest.mark.parametrize("doc", list(DOCUMENTS))
def test_every_font_is_the_embedded_subset_of_the_bundled_font(pdfs, doc):
    fonts = pdffonts(pdfs[doc])
    assert fonts, "no fonts listed"
    for f in fonts:
        assert f["emb"] == "yes" and f["sub"] == "yes", f["line"]
        assert "WenQuanYiMicroHei" in f["name"], f["line"]


@pytest.mark.parametrize("doc", list(DOCUMENTS))
def test_common_page_furniture_on_every_page(pdfs, ctx, doc):
    pages = pages_text(pdfs[doc])
    for i, text in enumerate(pages, 1):
        assert f"第 {i} 页 共 {len(pages)} 页" in text
        assert ctx.info.case_id in text
        assert ctx.doc_no in text
        assert "生成时间：2026-03-10 15:30" in text


def test_notice_names_institution_team_and_receipt(pdfs, ctx):
    text = "\n".join(pages_text(pdfs["notice"]))
    assert ctx.info.medins_name in text and ctx.info.medins_code in text
    for m in ctx.info.team:
        assert m.name in text and m.staff_no in text
    assert "2025年1月1日至2025年12月31日" in text
    assert "送达回证" in text and "北京市医疗保障局" in text


def test_data_confirmation_lists_each_file_with_rows_and_hash(pdfs, ctx):
    text = "\n".join(pages_text(pdfs["data-confirmation"]))
    flat = squash(text)
    files = [f for b in ctx.batches for f in b.files]
    for f in files:
        assert f.file_name in flat
        assert f.sha256 in flat
        assert f"{f.rows:,}" in text
    assert f"{sum(f.rows for f in files):,}" in text


def test_onsite_record_has_content_and_signatures_on_every_page(pdfs, ctx):
    pages = pages_text(pdfs["onsite-record"])
    rec = ctx.records_of("onsite_record")[0]
    flat = squash("".join(pages))
    assert squash(rec.data["content"]) in flat
    assert "王建国" in flat and "11010023001" in flat and "赵某" in flat
    for text in pages:
        assert "检查人员：" in text and "被检查单位人员或见证人：" in text


def test_interview_is_multi_page_with_signature_lines_on_every_page(pdfs, ctx):
    pages = pages_text(pdfs["interview"])
    assert len(pages) >= 2
    for text in pages:
        assert "被询问人（签名并按指印）：" in text and "询问人：" in text and "记录人：" in text
    flat = squash("".join(pages))
    rec = ctx.records_of("interview")[0]
    for qa in rec.data["qa"]:
        assert squash(qa["q"]) in flat and squash(qa["a"]) in flat
    assert "以上笔录我已看过（或已向我宣读过），与我所说一致。" in flat
    assert rec.data["interviewee"]["id_number"] in flat


def test_hit_list_figures_and_header_repeated_on_next_page(pdfs, ctx):
    pages = pages_text(pdfs["hit-list"])
    assert len(pages) >= 2
    text = "\n".join(pages)
    total = sum(ctx.hits["amount"], Decimal(0))
    assert _money(total) in text
    assert ctx.run.kb_hash in squash(text)
    assert f"疑点数\n{len(ctx.hits)}" in text or f"{len(ctx.hits)}" in text
    for code in set(ctx.hits["rule_code"]):
        assert ctx.rules[code].name_zh in squash(text)
        sub = ctx.hits[ctx.hits["rule_code"] == code]
        assert _money(sum(sub["amount"], Decimal(0))) in text
    # the table running onto page 2 repeats its header row there
    header_cells = ["就诊ID/对象", "疑点说明", "疑点ID"] if "疑点ID" in pages[1] else ["明细流水号", "费用时间"]
    for cell in header_cells:
        assert cell in pages[1]


def test_problem_list_rows_totals_and_response_columns(pdfs, ctx):
    text = "\n".join(pages_text(pdfs["problem-list"]))
    flat = squash(text)
    for f in ctx.findings:
        assert _money(f.amount) in text
        assert squash(f.title) in flat
    assert _money(sum((f.amount for f in ctx.findings), Decimal(0))) in text
    assert "■确认" in flat and "■部分确认" in flat and "■不确认" in flat
    assert "《医疗保障基金使用监督管理条例》第三十八条" in flat and "第四十条" in flat
    assert "法定代表人或授权人（签名）" in flat


def test_report_states_sources_versions_findings_and_penalty_ranges(pdfs, ctx):
    text = "\n".join(pages_text(pdfs["report"]))
    flat = squash(text)
    for b in ctx.batches:
        for f in b.files:
            assert f.sha256 in flat
    assert ctx.run.ruleset_version in text and ctx.run.kb_hash in flat
    total = sum((f.amount for f in ctx.findings), Decimal(0))
    assert _money(total) in text
    # penalty ranges, computed here independently: Art. 38 1–2x, Art. 40 2–5x of the findings' amounts
    base38 = sum((f.amount for f in ctx.findings if f.article == 38), Decimal(0))
    base40 = sum((f.amount for f in ctx.findings if f.article == 40), Decimal(0))
    assert f"{_money(base38)}–{_money(2 * base38)}" in flat
    assert f"{_money(2 * base40)}–{_money(5 * base40)}" in flat
    assert "第三十八条" in flat and "第四十条" in flat
    assert ctx.response_summary in flat
    for i, _ in enumerate(ctx.evidence, 1):
        assert f"证据{i}" in flat
    assert "违规金额按规则（元）" in flat and "违规金额按科室（元）" in flat and "违规金额按月份（元）" in flat


def test_same_context_gives_identical_bytes_and_time_changes_them(ctx):
    a = render_bytes("problem-list", ctx)
    assert render_bytes("problem-list", ctx) == a
    later = make_context(generated_at=dt.datetime(2026, 3, 11, 9, 0, 0))
    assert render_bytes("problem-list", later) != a


def test_unknown_document_is_a_clear_error(ctx):
    with pytest.raises(UnknownDocument, match="unknown document"):
        render_bytes("minutes", ctx)


def test_record_documents_without_records_are_blank_forms_and_unknown_record_ids_fail():
    empty = make_context(records=())
    for doc in ("interview", "onsite-record"):
        pages = pages_text(render_bytes(doc, empty))
        assert "_" * 40 in pages[0] and "记录人：" in pages[0]
    with pytest.raises(InputError, match="no interview record"):
        render_bytes("interview", make_context(options={"record_id": "nope"}))


RAW_TEXT = re.compile(r"T\d\d:|\d\.0(?:\s|$)|−\d|未设定|\bNone\b|\bnan\b|document files")


@pytest.mark.parametrize("doc", sorted(DOCUMENTS))
def test_no_document_writes_a_raw_form(pdfs, doc):
    """Issue 18: no ISO timestamp, float artefact, minus sign or unset marker in any document (the sample's
    self-inspection package was exported at 2026-02-10T08:00:00Z)."""
    text = "\n".join(pages_text(pdfs[doc]))
    found = [text[max(0, m.start() - 30):m.end() + 30] for m in RAW_TEXT.finditer(text)]
    assert not found, found[:5]


def test_codes_in_the_documents_carry_their_names():
    """Items, doctors and tables are named: the hit list's 项目 column from the fee lines behind a hit (the hit
    itself leaves it empty), codes in a detail and the report's doctors from the case's names, the data
    confirmation's document files by their formats."""
    from feijian.casework.name_directory import NameDirectory
    from feijian.domain.records import ImportBatch, ImportedFile

    c = make_context()
    first = c.hit_lines.iloc[0]
    c.hits.loc[1, "detail"] = f"项目 {first.med_list_codg} 本次就诊共 5 个单位"
    c.names = NameDirectory(items={first.med_list_codg: first.med_list_name}, staff={"D00017": "赵医生"})
    hit_list = squash("".join(pages_text(render_bytes("hit-list", c))))
    assert squash(f"项目 {first.med_list_codg}（{first.med_list_name}） 本次就诊共 5 个单位") in hit_list
    assert first.fee_ocur_time.date().isoformat() in hit_list
    report = squash("".join(pages_text(render_bytes("report", c))))
    assert "D00017赵医生" in report and "D00102" in report
    index = ImportedFile("病历文书索引.csv（文书文件 / document files）", "emr_docs", "ab" * 32, 1000, "docx:3 pdf:2 txt/gbk:1", 6, 6, 0)
    c.batches = (*c.batches, ImportBatch("b-0002", "2026-03-02T03:10:00Z", "李晓梅", (index,)))
    confirmation = squash("".join(pages_text(render_bytes("data-confirmation", c))))
    assert "病历文书" in confirmation and squash("病历文书索引.csv 所列文书文件：Word 3 份、PDF 2 份、文本 1 份") in confirmation
    import dataclasses

    c.evidence = (dataclasses.replace(c.evidence[0], note="病历文书 WS1 原件（文字识别）/ original of record document WS1 (OCR)"),
                  *c.evidence[1:])
    for doc in ("transfer", "report"):  # the data received, listed the same way
        text = squash("".join(pages_text(render_bytes(doc, c))))
        assert "documentfiles" not in text and squash("病历文书索引.csv 所列文书文件") in text, doc
    assert "originalof" not in text and "病历文书WS1原件（文字识别）" in text  # the report's evidence catalogue



def test_hit_list_fills_item_and_day_from_the_lines_only_when_they_share_them():
    import pandas as pd

    from feijian.reports.hit_list import first_lines

    lines = pd.DataFrame([
        ("A", "X1", "甲药", dt.datetime(2025, 3, 1, 8)), ("A", "X1", "甲药", dt.datetime(2025, 3, 1, 9)),
        ("B", "X1", "甲药", dt.datetime(2025, 3, 1, 8)), ("B", "Y2", "乙药", dt.datetime(2025, 3, 2, 8)),
    ], columns=["hit_id", "med_list_codg", "med_list_name", "fee_ocur_time"])
    got = first_lines(lines)
    assert got["A"] == {"med_list_codg": "X1", "med_list_name": "甲药", "fee_ocur_time": dt.date(2025, 3, 1)}
    assert got["B"] == {}  # a visit's lines of several items and days: no one item or day to show
    c = make_context()
    c.hit_lines = pd.concat([c.hit_lines[c.hit_lines["hit_id"] != c.hits["hit_id"].iat[0]],
                             c.hit_lines[c.hit_lines["hit_id"] == c.hits["hit_id"].iat[0]].head(1)])
    one = c.hit_lines[c.hit_lines["hit_id"] == c.hits["hit_id"].iat[0]].iloc[0]
    c.hits.loc[0, "date"] = None
    text = squash("".join(pages_text(render_bytes("hit-list", c))))
    row = text[text.index("Y00001", text.index("二、疑点明细")):text.index("Y00002", text.index("二、疑点明细"))]
    assert one.fee_ocur_time.date().isoformat() in row and squash(f"{one.med_list_codg}{one.med_list_name}") in row, row
