"""Every form of domain.formatting, and the rule engine's SQL twins held equal to the Python functions."""

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from hypothesis import example, given, strategies as st

from feijian.domain import formatting as fm

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize("value, text", [
    (5.0, "5"), ("5.0", "5"), (Decimal("2.50"), "2.5"), (0.3333333, "0.3333"), (1200, "1200"),
    (Decimal("-3.10"), "-3.1"), (None, ""), (float("nan"), ""), (0, "0"), (Decimal("1E+1"), "10"),
])
def test_quantity(value, text):
    assert fm.quantity(value) == text


def test_count_groups_thousands():
    assert fm.count(12345) == "12,345" and fm.count(12345.0) == "12,345" and fm.count(2.5) == "2.5"


@pytest.mark.parametrize("lo, hi, text", [
    (None, 14.0, "≤ 14 岁"), (Decimal("18.0000"), None, "≥ 18 岁"), (18, 65, "18–65 岁"), (None, None, ""),
    (0.5, 6, "0.5–6 岁"),
])
def test_age_range(lo, hi, text):
    assert fm.age_range(lo, hi) == text


def test_age():
    assert fm.age(14.0) == "14 岁" and fm.age(None) == ""


def test_money_forms():
    assert fm.money(4302.966) == "4,302.97 元"
    assert fm.amount("1234567.5") == "1,234,567.50"
    assert fm.money_wan(1234567.8) == "123.46 万元"
    assert fm.money_auto(4302.97) == "4,302.97 元" and fm.money_auto(250000) == "25.00 万元"
    assert fm.money(None) == "0.00 元"
    assert fm.money(Decimal("0.005")) == "0.01 元"  # half up, not banker's
    with pytest.raises(ValueError):
        fm.cents("abc")


def test_dates_in_local_time():
    stamp = "2026-12-06T02:42:05.579Z"
    assert fm.date_time(stamp, CST) == "2026-12-06 10:42"
    assert fm.date_time(stamp, CST, seconds=True) == "2026-12-06 10:42:05"
    assert fm.date_zh(stamp, CST) == "2026年12月6日"
    assert fm.date_zh(dt.date(2026, 12, 6)) == "2026年12月6日"
    assert fm.date_time_zh(stamp, CST) == "2026年12月6日 10:42"
    assert fm.date_iso("2026-12-05T20:00:00Z", CST) == "2026-12-06"  # past midnight in Beijing
    assert fm.date_time("2026-12-06 10:42:05") == "2026-12-06 10:42"  # naive = local already
    assert fm.date_time(dt.datetime(2026, 1, 2, 3, 4)) == "2026-01-02 03:04"
    assert fm.date_time(None) == "" and fm.date_time("not a time") == "not a time"
    assert fm.time_span("2026-12-06T02:42:00Z", "2026-12-06T02:44:30Z", CST) == "2026-12-06 10:42 至 10:44"
    assert fm.time_span("2026-12-06T02:42:00Z", "2026-12-07T01:00:00Z", CST) == "2026-12-06 10:42 至 2026-12-07 09:00"


def test_period():
    assert fm.period_zh(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == "2025年1月1日至2025年12月31日"
    assert fm.period_zh(dt.date(2025, 1, 1), None) == "2025年1月1日起"
    assert fm.period_zh(None, None) == ""


@pytest.mark.parametrize("seconds, text", [
    (0.42, "0.4 秒"), (42, "42 秒"), (60, "1 分"), (125, "2 分 5 秒"), (3725, "1 小时 2 分"), (7200, "2 小时"),
    (90061, "1 天 1 小时"), (None, ""),
])
def test_duration(seconds, text):
    assert fm.duration(seconds) == text


def test_days():
    assert fm.days(3.0) == "3 天" and fm.working_days(5) == "5 个工作日" and fm.days(None) == ""


def test_codes_with_names():
    assert fm.code_with_name("dscg_way", "5") == "5 死亡"
    assert fm.code_with_name("gend", "1") == "1 男"
    assert fm.code_with_name("dscg_way", "99") == "99"
    assert fm.code_with_name("no_such_field", "X") == "X"
    assert fm.coded("0301", "心内科") == "0301 心内科" and fm.coded("", "心内科") == "心内科"
    assert fm.coded("0301", None) == "0301" and fm.coded("A", "A") == "A"


@pytest.mark.parametrize("stored, shown", [
    ("项目 X 限 –14.0 岁，患者收费时 30.0 岁", "项目 X 限 ≤ 14 岁，患者收费时 30 岁"),
    ("项目 X 限 −14 岁，患者收费时 30 岁", "项目 X 限 ≤ 14 岁，患者收费时 30 岁"),
    ("项目 X 限 65.0– 岁，患者收费时 3 岁", "项目 X 限 ≥ 65 岁，患者收费时 3 岁"),
    ("共 5.0 个单位，超过日限量 4.0", "共 5 个单位，超过日限量 4"),
    ("共 4.50 个单位", "共 4.5 个单位"),
    ("单价 12.50 元，限价 12.00", "单价 12.50 元，限价 12.00"),
    ("共 4.5000 个单位，限 2.0000", "共 4.5 个单位，限 2"),
    ("于 2026-12-06T02:42:05Z 收费", None),
    ("于 2024-03-02T08:15:00 收费", "于 2024-03-02 08:15 收费"),
    ("项目 Y 限 18–65 岁", "项目 Y 限 18–65 岁"),
    ("科室 0303 住院次均费用 3029.0 元（4 人次），前 3 个月次均 1871.25 元", "科室 0303 住院次均费用 3,029.00 元（4 人次），前 3 个月次均 1,871.25 元"),
    ("相差 -50.00 元，合计 12,952.00 元", "相差 -50.00 元，合计 12,952.00 元"),
    ("次均费用 9110.2 元，均值 3668.88", "次均费用 9,110.20 元，均值 3668.88"),
    (None, ""),
])
def test_tidy_detail(stored, shown):
    out = fm.tidy_detail(stored)
    if shown is not None:
        assert out == shown
    assert "T02:" not in out and ".0 " not in out


_decimals = st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False, allow_infinity=False)


@given(st.lists(_decimals, min_size=1, max_size=20))
def test_sql_qty_matches_python(values):
    con = duckdb.connect()
    con.execute(fm.SQL_MACROS)
    for v in values:
        sql = con.execute("SELECT qty(CAST(? AS DECIMAL(18, 6)))", [str(v)]).fetchone()[0]
        assert sql == fm.quantity(v), v


@given(st.one_of(st.none(), st.integers(0, 120)), st.one_of(st.none(), st.integers(0, 120)))
def test_sql_age_range_matches_python(lo, hi):
    con = duckdb.connect()
    con.execute(fm.SQL_MACROS)
    got = con.execute("SELECT age_range(CAST(? AS DECIMAL(18, 4)), CAST(? AS DECIMAL(18, 4)))", [lo, hi]).fetchone()[0]
    assert got == fm.age_range(lo, hi)


@pytest.mark.parametrize("value, shown", [
    (0, "0"), (3500.4, "3,500"), (9999.5, "10,000"), (12500, "1.3 万"), (Decimal("43020.97"), "4.3 万"),
    (120_000_000, "1.20 亿"), (-25_000, "-2.5 万"), (0.1 + 0.2, "0"),
])
def test_money_axis(value, shown):
    assert fm.money_axis(value) == shown


@given(st.floats(allow_nan=False))
def test_machine_number_reads_back_to_the_same_double(x):
    text = fm.machine_number(x)
    assert float(text) == x and (str(float(text)) == text)
    assert "," not in text


@given(st.floats(width=32, allow_nan=False))
@example(999999995904.0)  # 1e12 as a float32: one significant digit, written 1000000000000.0
def test_machine_number_is_a_float32_s_own_shortest_text(x):
    import struct

    def significant(t: str) -> int:
        return len(t.split("e")[0].replace("-", "").replace(".", "").strip("0")) or 1

    text = fm.machine_number(x, bits=32)
    assert struct.unpack("f", struct.pack("f", float(text)))[0] == x
    assert significant(text) <= min(9, significant(repr(x)))  # never the longer widening to a double
    # no text of fewer significant digits reads back to the same float32
    if significant(text) > 1 and abs(x) != float("inf"):
        shorter = f"{x:.{significant(text) - 1}g}"
        assert struct.unpack("f", struct.pack("f", float(shorter)))[0] != x


@pytest.mark.parametrize("value, bits, text", [
    (0.1 + 0.2, 64, "0.30000000000000004"),  # that double's own shortest text (0.3 is another double)
    (0.10000000149011612, 32, "0.1"), (0.0999755859375, 16, "0.1"), (5.0, 64, "5.0"), (-0.0, 64, "-0.0"),
    (1e16, 64, "1e+16"), (float("nan"), 64, "nan"), (float("-inf"), 32, "-inf"), (None, 64, ""), (12, 64, "12"),
    (Decimal("12.5000"), 64, "12.5000"), (Decimal("1E+3"), 64, "1000"), (Decimal("-0.00"), 64, "-0.00"),
    (Decimal("12345678901234567890.1234567890"), 64, "12345678901234567890.1234567890"),
    (Decimal("1E-12"), 64, "0.000000000001"),
])
def test_machine_number(value, bits, text):
    assert fm.machine_number(value, bits=bits) == text


def test_machine_number_refuses_what_is_not_a_number():
    for bad in (True, "1.5", dt.date(2024, 1, 1)):
        with pytest.raises(TypeError):
            fm.machine_number(bad)


def test_no_negative_zero():
    assert fm.money("-0.004") == "0.00 元" and fm.amount(-0.001) == "0.00"


def test_codes_in_a_detail_get_their_names():
    items = {"001203000010000": "诊查费", "C0301010100000100001": "药物洗脱冠状动脉支架系统"}
    staff = {"D0301014": "李秀静"}
    depts = {"0301": "心血管内科", "0303": "消化内科"}
    w = lambda t: fm.with_names(t, items=items, staff=staff, depts=depts)  # noqa: E731
    assert w("项目 001203000010000 在 2024-02-21 共 5 个单位") == "项目 001203000010000（诊查费） 在 2024-02-21 共 5 个单位"
    assert w("医生 D0301014（科室 0301）次均费用") == "医生 D0301014（李秀静）（科室 0301 心血管内科）次均费用"
    assert w("科室 0303 2024-10 住院次均费用") == "科室 0303 消化内科 2024-10 住院次均费用"
    # already named, unknown, or part of a longer token: unchanged
    assert w("项目 001203000010000（诊查费） 与明细 000032") == "项目 001203000010000（诊查费） 与明细 000032"
    assert w("追溯码 X001203000010000 与 0301") == "追溯码 X001203000010000 与 0301"
    assert fm.with_names("项目 001203000010000") == "项目 001203000010000" and fm.with_names(None) == ""
    assert fm.with_names("在门诊就诊（医疗类别 11）中收费") == "在门诊就诊（医疗类别 11 普通门诊）中收费"
    assert fm.with_names("医疗类别 11 普通门诊") == "医疗类别 11 普通门诊"
    assert fm.code_with_name("med_type", "21") == "21 普通住院" and fm.code_with_name("med_type", "2101") == "2101"


def test_chinese_part_of_a_bilingual_note():
    assert fm.chinese_part("病历文书 WSZY1 原件（文字识别）/ original of record document WSZY1 (OCR)") == "病历文书 WSZY1 原件（文字识别）"
    for whole in ("经核对与原件一致", "甲 / 乙", "1/2 份 / 共 3 份", "A / B"):
        assert fm.chinese_part(whole) == whole
    assert fm.chinese_part(None) == ""
