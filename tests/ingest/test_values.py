"""Text → typed values: decimals, the contract's date formats, Excel serials and code spellings."""

import datetime as dt
from decimal import Decimal

import pyarrow as pa

from feijian.ingest import values as V


def test_decimals_exact_with_separators_and_full_width():
    typed, bad, too_precise = V.parse_decimal(pa.array(["1,234.50", "１２３．５", "-0.0001", "007", None, "1.23450"]))
    assert typed.to_pylist() == [Decimal("1234.5"), Decimal("123.5"), Decimal("-0.0001"), Decimal("7"), None, Decimal("1.2345")]
    assert not bad.any()


def test_decimals_refused():
    typed, bad, too_precise = V.parse_decimal(pa.array(["1.23456", "abc", "1e3", "12,34.5", "123456789012345", "-", None]))
    assert bad.tolist() == [True, True, True, True, True, True, False]
    assert too_precise[0] and not too_precise[1]
    assert typed.null_count == len(typed)


def test_five_datetime_formats_and_an_impossible_date():
    texts = ["2024-01-05 08:30", "2024-01-05 08:30:15", "2024/1/5 08:30:15", "20240105083015", "45296.5",
             "2024-02-30 10:00:00", "not a date"]
    r = V.parse_datetime(pa.array(texts))
    got = r.typed.to_pylist()
    assert got[:5] == [dt.datetime(2024, 1, 5, 8, 30), dt.datetime(2024, 1, 5, 8, 30, 15), dt.datetime(2024, 1, 5, 8, 30, 15),
                       dt.datetime(2024, 1, 5, 8, 30, 15), dt.datetime(2024, 1, 5, 12, 0)]
    assert got[5] is None and got[6] is None
    assert r.impossible.tolist() == [False] * 5 + [True, False]
    assert r.bad.tolist() == [False] * 6 + [True]


def test_dates_and_leap_day():
    r = V.parse_datetime(pa.array(["2024-02-29", "2023-02-29", "20240301", "45352", "2024/03/01 00:00:00"]), as_date=True)
    assert r.typed.to_pylist() == [dt.date(2024, 2, 29), None, dt.date(2024, 3, 1), dt.date(2024, 3, 1), dt.date(2024, 3, 1)]
    assert r.impossible.tolist() == [False, True, False, False, False]
    assert not r.has_time.any()


def test_codes_are_normalised():
    codes, unknown = V.normalise_code("gend", pa.array(["男", "女", "1", "２", "x", None]))
    assert codes.to_pylist() == ["1", "2", "1", "2", "x", None]  # a case code: kept as written, and flagged
    assert unknown.tolist() == [False, False, False, False, True, False]
    assert not V.code_is_strict("gend") and V.code_is_strict("scope")
    scope, unknown = V.normalise_code("scope", pa.array(["同日", "week"]))  # a knowledge-base code: refused
    assert scope.to_pylist() == ["day", None] and unknown.tolist() == [False, True]
    lt, _ = V.normalise_code("list_type", pa.array(["101", "102", "201", "301", "药品", "诊疗项目", "耗材", "1", "Drug"]))
    assert lt.to_pylist() == ["drug", "drug", "service", "material", "drug", "service", "material", "drug", "drug"]
    lv, _ = V.normalise_code("chrgitm_lv", pa.array(["甲", "乙", "丙", "01", "3"]))
    assert lv.to_pylist() == ["01", "02", "03", "01", "03"]
    dx, _ = V.normalise_code("diag_type", pa.array(["主要诊断", "其他诊断", "1"]))
    assert dx.to_pylist() == ["1", "2", "1"]
    ok, _ = V.normalise_code("order_kind", pa.array(["长期", "临时", "long"]))
    assert ok.to_pylist() == ["long", "temp", "long"]
    b, unknown = V.parse_bool(pa.array(["1", "0", "是", "否", "maybe"]))
    assert b.to_pylist()[:4] == [True, False, True, False] and unknown.tolist() == [False] * 4 + [True]


def test_key_index_with_prefilter_agrees_with_plain_sets():
    import numpy as np

    from feijian.ingest.keys import KeyIndex

    rng = np.random.default_rng(1)
    idx = KeyIndex()
    idx.PREFILTER_FROM = 1000  # switch the byte map on early
    seen: set[int] = set()
    for _ in range(12):
        h = rng.integers(0, 2**63, 700, dtype=np.uint64)
        h[:50] = np.array(sorted(seen)[:50] if len(seen) >= 50 else h[:50], dtype=np.uint64)
        h[60:70] = h[50:60]  # repeats within the batch
        dup = idx.add_new(h, np.ones(len(h), dtype=bool))
        expected = []
        local: set[int] = set()
        for v in h.tolist():
            expected.append(v in seen or v in local)
            local.add(v)
        assert dup.tolist() == expected
        seen |= local
    assert idx._map is not None and idx.count == len(seen)


def test_discharge_way_spellings_become_the_national_code():
    """R06 (charges after death) reads dscg_way = 5: 死亡 and 05 are the same code; an unlisted way is kept."""
    codes, unknown = V.normalise_code("dscg_way", pa.array(["死亡", "05", "5", "医嘱离院", "转外院", None]))
    assert codes.to_pylist() == ["5", "5", "5", "1", "转外院", None]
    assert unknown.tolist() == [False, False, False, False, True, False]


def test_fixed_width_times_agree_with_strptime_path():
    """The NumPy reading of the fixed-width spellings gives what the strptime path gives, and leaves the
    rest (impossible dates, stray blanks, mixed separators) to the careful paths."""
    import numpy as np
    import pyarrow as pa

    from feijian.ingest import values as V

    vals = ["2024-02-29 23:59:59", "2024/01/05 08:30:07", "2024-01-05 08:30", "2024/12/31", "20240105083000",
            "20240105", "2024-02-30 10:00:00", "2023-02-29", "2024-01-05 08:30:60", "2024-13-01", "2024-01/05",
            "20240105 83000", "2024-01-05 24:00:00", "2024-0a-05", "9999-12-31 23:59:59", "1900-01-01 00:00:00",
            "", "x" * 19]
    arr = pa.array(vals * 3)  # not all one length: the gathered (copying) path
    same_len = pa.array([v for v in vals if len(v) == 19] * 2)  # all one length: the view path
    for a in (arr, same_len, arr.slice(3)):
        n = len(a)
        present = np.ones(n, dtype=bool)
        fixed = (np.zeros(n, np.int64), np.zeros(n, bool))
        fast = (np.zeros(n, np.int64), np.zeros(n, bool))
        V._fixed_width_times(a, present, *fixed)
        V._fast_times(a, present, *fast)
        assert fixed[1].tolist() == fast[1].tolist()
        assert (fixed[0][fixed[1]] == fast[0][fast[1]]).all()
        assert fixed[1].sum() > 0
