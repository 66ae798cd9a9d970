"""Helpers for the store tests (a unique module name: test folders have no __init__)."""

import datetime as dt

import pyarrow as pa

from feijian.domain.records import CaseInfo


def make_info(case_id="case-0001", name="测试案件"):
    return CaseInfo(case_id=case_id, name=name, medins_code="H11010100001", medins_name="某某人民医院", medins_lv="三级",
                    data_period_start=dt.date(2024, 1, 1), data_period_end=dt.date(2024, 12, 31))


def fee_table(n, *, start=0, months=3, sn_prefix="F"):
    return pa.table({
        "feedetl_sn": pa.array([f"{sn_prefix}{i:08d}" for i in range(start, start + n)]),
        "mdtrt_id": pa.array([f"M{i // 10:06d}" for i in range(start, start + n)]),
        "fee_ocur_time": pa.array([dt.datetime(2024, 1 + (i % months), 1 + i % 28, 8, 30) for i in range(start, start + n)],
                                  pa.timestamp("s")),
        "med_list_codg": pa.array(["XB01AC" if i % 2 else "001201000010000" for i in range(n)]),
        "det_item_fee_sumamt": pa.array([i * 10 for i in range(n)], pa.int32()).cast(pa.decimal128(18, 4)),
        "_batch": pa.array(["b"] * n),
        "_line": pa.array(range(2, n + 2), pa.int64()),
    })
