"""The table browser's chunked access: pages read from the stored chunks they lie in, filters scan chunks."""

import uuid
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest

from feijian.gui.chunked_table import ChunkedTable, filter_table


@pytest.fixture()
def store(tmp_path):
    from feijian.domain.records import CaseInfo
    from feijian.gui.session import Session

    session = Session(tmp_path / "home")
    session.identity = session.identities.create("周检查", "YB-9", "inspector", "chunk-passphrase", fast=True)
    path = session.create_case(CaseInfo(str(uuid.uuid4()), "分块", "H1", "演示医院", "3"))
    s = session.open_case(path)
    yield s
    s.close()


def _rows(n: int, month_days: int = 0) -> pa.Table:
    rng = np.random.default_rng(7)
    day = np.datetime64("2025-01-01") + (np.arange(n) * 90 // n).astype("timedelta64[D]")  # three months, in order
    return pa.table({
        "row_id": pa.array([f"L{i:06d}" for i in range(n)]),
        "code": pa.array(rng.choice(["XB05BA", "xb01ac", "ZA02"], n)),
        "day": pa.array(day.astype("datetime64[us]")),
        "amount": pa.array([Decimal(i) / 100 for i in range(n)], pa.decimal128(18, 4)),
    })


def test_pages_across_chunk_and_batch_boundaries_match_the_whole_table(store):
    whole_rows = _rows(3000)
    # an extract read in blocks: each stored chunk holds several record batches, read one at a time
    data = pa.concat_tables([whole_rows.slice(k, 250) for k in range(0, 3000, 250)])
    store.write_table("b1", "misc_rows", data)
    store.write_table("b2", "misc_rows", data.slice(0, 500))
    whole = store.read_table("misc_rows")
    table = ChunkedTable(store, "misc_rows", cache=2)
    assert len(table.chunks) >= 4  # three months in the first batch, one in the second
    assert table.num_rows == whole.num_rows == 3500
    assert table.column_names == whole.column_names
    for start, length in ((0, 10), (240, 20), (249, 2), (995, 20), (1490, 1500), (0, 3500), (3400, 500), (3499, 10),
                          (5000, 10)):
        assert table.slice(start, length).to_pylist() == whole.slice(start, length).to_pylist()
    assert table._reader(0).num_record_batches > 1
    assert len(table._readers) <= 2  # never more chunks in memory than asked


def test_filter_scans_chunks_case_insensitively_and_keeps_a_limit(store):
    data = _rows(3000)
    store.write_table("b1", "misc_rows", data)
    codes = data["code"].to_pylist()
    expected = [r for r, c in zip(data["row_id"].to_pylist(), codes) if "xb" in c.lower()]
    rows, total = filter_table(store, "misc_rows", "code", "xB")
    assert total == len(expected)
    assert rows["row_id"].to_pylist() == expected  # table order kept
    rows, total = filter_table(store, "misc_rows", "code", "xb", limit=100)
    assert total == len(expected) and rows.num_rows == 100
    assert rows["row_id"].to_pylist() == expected[:100]
    rows, total = filter_table(store, "misc_rows", "amount", "29.99")  # non-text columns are matched as text
    assert total == 1 and rows["row_id"].to_pylist() == ["L002999"]


def test_filter_can_be_cancelled(store):
    from feijian.domain.errors import Cancelled

    store.write_table("b1", "misc_rows", _rows(300))
    with pytest.raises(Cancelled):
        filter_table(store, "misc_rows", "code", "x", cancelled=lambda: True)


def test_encounter_rows_read_only_the_months_of_the_stay(store):
    from feijian.gui.chunked_table import EncounterRows

    data = _rows(3000).append_column("mdtrt_id", pa.array([f"ZY{i % 7}" for i in range(3000)]))
    store.write_table("b1", "misc_rows", data)
    reader = EncounterRows(store, "misc_rows")
    assert sorted(set(reader.months)) == ["2025-01", "2025-02", "2025-03"]
    everything = reader.rows("ZY3")
    assert everything["row_id"].to_pylist() == [r for r, m in zip(data["row_id"].to_pylist(),
                                                                   data["mdtrt_id"].to_pylist()) if m == "ZY3"]
    february = reader.rows("ZY3", {"2025-02"})
    days = february["day"].to_pylist()
    assert days and all(d.month == 2 for d in days)
    assert february.num_rows == sum(1 for d in everything["day"].to_pylist() if d.month == 2)
    assert reader.rows("nobody").num_rows == 0


def test_encounter_months_span_the_stay_and_the_month_after():
    from feijian.gui.chunked_table import encounter_months

    assert encounter_months("2024-09-10 08:46", "2024-10-02") == {"2024-09", "2024-10", "2024-11"}
    assert encounter_months("2024-12-30", None, ["2025-03-01"]) == {"2024-12", "2025-01", "2025-03"}
    assert encounter_months(None, "2024-10-02") is None  # unknown admission: read every month
