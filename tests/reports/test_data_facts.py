"""What the data say, filled in: a case without a data period set gets the period, the encounters and the
amounts from its imported tables, in the report and the notice."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pyarrow as pa
import pytest

from feijian.casework.data_facts import data_facts
from feijian.crypto.identity import create_identity
from feijian.crypto.trust import BureauKeys
from feijian.domain.records import CaseInfo
from feijian.reports.context import build_context
from feijian.reports.documents import render_bytes
from feijian.reports.parts import data_overview, period_text
from feijian.store.case_store import CaseStore

from pdftext import pages_text, squash


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("FEIJIAN_KDF_FAST", "1")
    info = CaseInfo(case_id="case-facts", name="期间", medins_code="H1", medins_name="某医院", medins_lv="3")
    s = CaseStore.create(tmp_path / "c.fjcase", info, create_identity("张检查", "J-001"),
                         escrow_public=BureauKeys.generate("局").public().escrow_public)
    yield s
    s.close()


def _visits(n):
    return pa.table({
        "mdtrt_id": [f"M{i}" for i in range(n)], "psn_no": [f"P{i % 3}" for i in range(n)],
        "begntime": pa.array([dt.datetime(2025, 1 + i % 12, 3, 9) for i in range(n)], pa.timestamp("s")),
        "endtime": pa.array([dt.datetime(2025, 1 + i % 12, 9, 9) if i % 2 else None for i in range(n)], pa.timestamp("s")),
    })


def _fees(n):
    return pa.table({
        "mdtrt_id": [f"M{i % 5}" for i in range(n)], "feedetl_sn": [f"F{i}" for i in range(n)],
        "fee_ocur_time": pa.array([dt.datetime(2025, 2, 1 + i % 20, 10) for i in range(n)], pa.timestamp("s")),
        "det_item_fee_sumamt": pa.array([Decimal("10.25")] * n, pa.decimal128(18, 4)),
    })


def test_period_from_visits_and_fees_when_no_settlements(store):
    store.write_table("b1", "visits", _visits(12))
    store.write_table("b1", "fees", _fees(8))
    facts = data_facts(store)
    assert (facts.period_start, facts.period_end) == (dt.date(2025, 1, 3), dt.date(2025, 12, 9))
    assert facts.period_source == "visits.begntime"
    assert (facts.encounters, facts.patients, facts.fee_lines) == (12, 3, 8)
    assert facts.fee_amount == Decimal("82.00")
    ctx = build_context(store, generated_at=dt.datetime(2026, 3, 10, 15, 30))
    assert period_text(ctx) == "2025年1月3日至2025年12月9日"
    assert data_overview(ctx) == "就诊 12 人次（参保人 3 人）；费用明细 8 行，金额 82.00 元"
    report = squash("".join(pages_text(render_bytes("report", ctx))))
    assert "2025年1月3日至2025年12月9日" in report and "就诊12人次" in report and "未设定" not in report
    notice = squash("".join(pages_text(render_bytes("notice", ctx))))
    assert "你单位2025年1月3日至2025年12月9日期间" in notice


def test_settlements_decide_the_period_and_give_the_fund_amounts(store):
    store.write_table("b1", "visits", _visits(4))
    store.write_table("b1", "settlements", pa.table({
        "setl_id": ["S1", "S2"], "mdtrt_id": ["M1", "M2"],
        "setl_time": pa.array([dt.datetime(2025, 3, 1, 8), dt.datetime(2025, 6, 30, 17)], pa.timestamp("s")),
        "medfee_sumamt": pa.array([Decimal("100000.00"), Decimal("150000.50")], pa.decimal128(18, 2)),
        "hifp_pay": pa.array([Decimal("80000"), None], pa.decimal128(18, 2)),
    }))
    facts = data_facts(store)
    assert (facts.period_start, facts.period_end, facts.period_source) == (
        dt.date(2025, 3, 1), dt.date(2025, 6, 30), "settlements.setl_time")
    assert facts.settled_amount == Decimal("250000.50") and facts.fund_paid == Decimal("80000")
    ctx = build_context(store)
    assert "结算 2 笔，医疗费总额 25.00 万元，统筹基金支付 80,000.00 元" in data_overview(ctx)


def test_a_period_the_user_set_wins(store):
    store.write_table("b1", "visits", _visits(3))
    ctx = build_context(store)
    ctx.info = replace(ctx.info, data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 6, 30))
    assert period_text(ctx) == "2024年1月1日至2024年6月30日"


def test_an_empty_case_says_so(store):
    ctx = build_context(store)
    assert period_text(ctx) == "（未设定）" and data_overview(ctx) == "（尚未导入数据）"
    assert data_facts(store).empty


def test_columns_a_table_lacks_stay_unknown_and_chunks_add_up(store):
    """The one scan per table: absent amount columns give None (not 0), counts and ranges run over every
    chunk (two import batches here), distinct ids are counted once across chunks."""
    store.write_table("b1", "visits", _visits(6))
    store.write_table("b2", "visits", pa.table({
        "mdtrt_id": ["M0", "M99"], "psn_no": ["P0", "P7"],
        "begntime": pa.array([dt.datetime(2024, 12, 30, 9), dt.datetime(2025, 2, 1, 9)], pa.timestamp("s")),
        "endtime": pa.array([None, dt.datetime(2026, 1, 4, 9)], pa.timestamp("s")),
    }))
    store.write_table("b2", "settlements", pa.table({"setl_id": ["S1"], "mdtrt_id": ["M1"]}))
    facts = data_facts(store)
    assert (facts.encounters, facts.patients) == (7, 4)  # M0 twice; P0..P2 and P7
    assert (facts.period_start, facts.period_end, facts.period_source) == (
        dt.date(2024, 12, 30), dt.date(2026, 1, 4), "visits.begntime")  # settlements have no times
    assert facts.settlements == 0 and facts.settled_amount is None and facts.fund_paid is None
    assert facts.fee_lines == 0 and facts.fee_amount is None
