"""The engine streams the fee lines chunk by chunk (a case store's chunks, or an Arrow table in slices):
results must not depend on where the chunk borders fall — refunds in a later chunk than their original,
orphan refunds, refunds of refunds, duplicates across a border, an encounter known only from its fees."""

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pytest
from rule_tables import case, fee, kb, run, visit

from feijian.rules import engine

INP = [visit("V1", "2024-03-01 09:00", "2024-03-10 10:00"), visit("V2", "2024-03-01 09:00", "2024-03-03 10:00")]
ITEMS = [{"med_list_codg": "X", "max_units_per_day": "2", "price_cap_l3": "11"}, {"med_list_codg": "Y"}]
FEES = [
    fee("V1", "1", "X", "2024-03-02 08:00", 2, 10),
    fee("V1", "2", "X", "2024-03-02 08:00", 2, 10),                              # R01 with line 1, R08 day 03-02
    fee("V1", "3", "X", "2024-03-03 08:00", 3, 12),                              # R02 over cap, R08 until refunded
    fee("V2", "7", "Y", "2024-03-05 08:00", 1, 5),                               # after V2's discharge: R05
    fee("V3", "1", "Y", "2024-03-05 08:00", 1, 5, drord_no="O9"),               # encounter without a visit
    fee("V1", "r3", "X", "2024-03-03 09:00", -1, 12, init_feedetl_sn="3"),      # nets line 3 to 2 units
    fee("V1", "rx", "X", "2024-03-04 09:00", -1, 10, init_feedetl_sn="missing"),  # orphan: no original
    fee("V1", "rr", "X", "2024-03-04 09:00", -1, 10, init_feedetl_sn="r3"),     # orphan: refund of a refund
    fee("V2", "8", "Y", "2024-03-05 10:00", 2, 5),                               # after discharge too, but
    fee("V2", "r8", "Y", "2024-03-05 11:00", -2, 5, init_feedetl_sn="8"),        # fully refunded: no R05
]


class Slices:
    """A chunked source as the case store offers it: ``chunks(columns)`` yields pieces of the table."""

    def __init__(self, table: pa.Table, size: int):
        self.table, self.size, self.reads = table, size, 0

    def chunks(self, columns=None):
        self.reads += 1
        t = self.table.select([c for c in columns if c in self.table.column_names]) if columns else self.table
        for i in range(0, t.num_rows, self.size):
            yield t.slice(i, self.size)


def _rows(result) -> tuple:
    hits = result.hits.drop(columns=["hit_id"]).sort_values(["rule_code", "mdtrt_id", "feedetl_sn", "med_list_codg"],
                                                           na_position="first").reset_index(drop=True)
    ids = dict(zip(result.hits["hit_id"], zip(result.hits["rule_code"], result.hits["mdtrt_id"],
                                              result.hits["feedetl_sn"], result.hits["med_list_codg"])))
    lines = sorted((ids[h], m, s, str(a)) for h, m, s, a in result.hit_lines.itertuples(index=False, name=None))
    return hits, lines


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_chunk_borders_do_not_change_hits_lines_or_total(size):
    whole = run(case(FEES, INP), kb(ITEMS))
    tables = case(FEES, INP)
    source = Slices(tables["fees"], size)
    tables["fees"] = source
    chunked = run(tables, kb(ITEMS))
    assert source.reads == 2  # keys and refunds first, then the lines
    (h1, l1), (h2, l2) = _rows(whole), _rows(chunked)
    pd.testing.assert_frame_equal(h1, h2)
    assert l1 == l2
    assert chunked.run.total_amount == whole.run.total_amount


def test_refund_in_a_later_chunk_nets_its_original():
    tables = case(FEES, INP)
    tables["fees"] = Slices(tables["fees"], 1)   # every line its own chunk: r3 comes three chunks after 3
    r = run(tables, kb(ITEMS), rules=["R08", "R01", "R05"])
    def keys(code, *cols):
        g = r.hits[r.hits["rule_code"] == code]
        return sorted(tuple(str(v) for v in row) for row in g[list(cols)].itertuples(index=False, name=None))

    # 03-03 nets to 2 units (= the limit): only 03-02 is over; the fully refunded V2 line 8 is no R05 hit
    assert keys("R08", "mdtrt_id", "date") == [("V1", "2024-03-02")]
    assert keys("R01", "mdtrt_id", "feedetl_sn") == [("V1", "2")]
    assert keys("R05", "mdtrt_id", "feedetl_sn") == [("V2", "7")]


def test_empty_chunked_source_is_an_empty_table():
    tables = case(FEES[:1], INP)
    tables["fees"] = Slices(tables["fees"].slice(0, 0), 5)  # yields no chunk at all
    r = run(tables, kb(ITEMS))
    assert len(r.hits[r.hits["rule_code"].str.startswith("R0")]) == 0
    assert r.run.total_amount == Decimal("0")


def test_slices_of_an_arrow_table(monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)  # an in-memory table goes in as slices too
    whole = _rows(run(case(FEES, INP), kb(ITEMS)))
    monkeypatch.setattr(engine, "CHUNK_ROWS", 1_000_000)
    assert _rows(run(case(FEES, INP), kb(ITEMS)))[1] == whole[1]


def test_loading_reports_progress_and_honours_cancel_between_chunks():
    from feijian.domain.errors import Cancelled
    from feijian.rules import screen

    tables = case(FEES, INP)
    tables["fees"] = Slices(tables["fees"], 3)
    seen = []
    screen(tables, kb(ITEMS), rules=["R01"], progress=lambda d, t, m: seen.append(m))
    loading = [m for m in seen if "loading fee lines" in m]
    assert loading[-1].endswith(f"{len(FEES)} of {len(FEES)}") and len(loading) == -(-len(FEES) // 3)

    chunks_read = []
    source = Slices(case(FEES, INP)["fees"], 1)
    original = source.chunks

    def counting(columns=None):
        for c in original(columns):
            chunks_read.append(1)
            yield c
    source.chunks = counting
    tables["fees"] = source
    with pytest.raises(Cancelled):
        screen(tables, kb(ITEMS), cancelled=lambda: len(chunks_read) >= 4)
    assert len(chunks_read) == 4  # stopped in the first pass, not after reading everything
