"""Pure helpers: money formatting, article numbers, penalty ranges, document numbers, chart series."""

from __future__ import annotations

from decimal import Decimal

import pytest

from feijian.domain.errors import InputError
from feijian.domain.records import Finding
from feijian.reports import charts
from feijian.reports.context import article_zh, fmt_money, format_doc_no, money, penalty_ranges
from feijian.reports.documents import render_bytes
from pdftext import pages_text
from report_sample import make_context


@pytest.mark.parametrize("value, text", [
    (Decimal("1234567.5"), "1,234,567.50"), ("0.005", "0.01"), (12, "12.00"), (None, "0.00"),
    (Decimal("-1000.125"), "-1,000.13"), (2.675, "2.68"),
])
def test_money_is_two_decimals_with_thousands_separators(value, text):
    assert fmt_money(value) == text


def test_money_refuses_garbage():
    with pytest.raises(InputError):
        money("十二元")


@pytest.mark.parametrize("n, text", [(1, "第一条"), (10, "第十条"), (15, "第十五条"), (38, "第三十八条"), (40, "第四十条")])
def test_article_numbers_in_chinese(n, text):
    assert article_zh(n) == text


def test_penalty_ranges_by_article():
    fs = [Finding("a", "x", amount=Decimal("100.10"), article=38), Finding("b", "y", amount=Decimal("50"), article=38),
          Finding("c", "z", amount=Decimal("10"), article=40), Finding("d", "w", amount=Decimal("1"), article=39),
          Finding("e", "v", amount=Decimal("7"), article=0)]
    r = {p.article: p for p in penalty_ranges(fs)}
    assert set(r) == {38, 39, 40}
    assert (r[38].base_amount, r[38].low, r[38].high) == (Decimal("150.10"), Decimal("150.10"), Decimal("300.20"))
    assert (r[40].low, r[40].high) == (Decimal("20.00"), Decimal("50.00"))
    assert (r[39].low, r[39].high, r[39].kind) == (Decimal("10000.00"), Decimal("50000.00"), "fixed")
    assert r[38].finding_ids == ("a", "b")


def test_document_number_pattern():
    assert format_doc_no("{prefix}{seq}号", prefix="京医保飞检〔2026〕", seq=3, year=2026) == "京医保飞检〔2026〕3号"
    assert format_doc_no("FJ-{year}-{seq:03d}", prefix="", seq=7, year=2026) == "FJ-2026-007"
    with pytest.raises(InputError):
        format_doc_no("{nope}", prefix="", seq=1, year=2026)


def test_chart_series_sum_to_the_findings():
    ctx = make_context()
    total = sum((f.amount for f in ctx.findings), Decimal(0))
    assert sum(v for _, v in charts.amounts_by_rule(ctx)) == money(total)
    by_dept = charts.amounts_by_dept(ctx)
    by_month = charts.amounts_by_month(ctx)
    lines_total = sum((money(a) for a in ctx.hit_lines["amount"]), Decimal(0))
    assert sum(v for _, v in by_dept) == lines_total == sum(v for _, v in by_month)
    assert [m for m, _ in by_month] == sorted(m for m, _ in by_month)
    assert all(len(m) == 7 and m.startswith("2025-") for m, _ in by_month)
    top = charts.top(by_dept, 3)
    assert len(top) == 3 and top[-1][0] == charts.OTHER and sum(v for _, v in top) == lines_total


def test_long_problem_list_splits_with_header_on_every_page():
    ctx = make_context(n_findings=60, lines_per_finding=3)
    pages = pages_text(render_bytes("problem-list", ctx))
    table_pages = [t for t in pages if "问题描述" in t]
    assert len(table_pages) >= 3
    # every page that continues the findings table starts it with the header row again
    for t in pages[:len(table_pages)]:
        assert "违规金额（元）" in t and "反馈意见" in t
    assert f"第 {len(pages)} 页 共 {len(pages)} 页" in pages[-1]


def test_plain_cells_wrap_instead_of_overflowing():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from feijian.reports.fonts import register_fonts
    from feijian.reports.layout import hard_wrap_for

    font = register_fonts()
    fit = hard_wrap_for(60)
    text = "XB01ABC123 注射用头孢曲松钠（规格：1.0g/瓶，限重症感染）ZY2025000000000000012345"
    lines = fit(text).split("\n")
    assert len(lines) > 1 and "".join(lines) == text  # nothing cut off
    assert all(stringWidth(line, font, 8.5) <= 60 for line in lines)
    assert fit("短") == "短"
