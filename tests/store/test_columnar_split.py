"""split_by_month on data out of time order, in several record batches, with rows lacking a month."""

import datetime as dt

import pyarrow as pa

from feijian.store.columnar import NO_MONTH, split_by_month


def _batches():
    times = [dt.datetime(2024, m, 3) if m else None for m in (3, 1, 3, None, 2, 1, 12, 1, None, 3)]
    table = pa.table({"fee_ocur_time": pa.array(times, pa.timestamp("s")), "n": pa.array(range(len(times)))})
    # three record batches of uneven length, one holding a single month
    return pa.Table.from_batches(table.to_batches(max_chunksize=4)[:1] + table.slice(4).to_batches(max_chunksize=3)), times


def test_every_row_lands_once_in_its_month_in_order():
    data, times = _batches()
    assert data.column(0).num_chunks > 1
    pieces = split_by_month("fees", data)
    months = [m for m, _ in pieces]
    assert months == ["2024-01", "2024-02", "2024-03", "2024-12", NO_MONTH]
    seen = []
    for month, piece in pieces:
        rows = piece.column("n").to_pylist()
        assert rows == sorted(rows)  # order within a month kept
        for i in rows:
            t = times[i]
            assert (f"{t.year:04d}-{t.month:02d}" if t else NO_MONTH) == month
        seen += rows
    assert sorted(seen) == list(range(len(times)))
    assert pieces[0][1].schema == data.schema


def test_a_single_batch_of_one_month_is_passed_through():
    data = pa.table({"fee_ocur_time": pa.array([dt.datetime(2024, 5, d) for d in (9, 1, 4)], pa.timestamp("s")),
                     "n": [0, 1, 2]})
    [(month, piece)] = split_by_month("fees", data)
    assert month == "2024-05" and piece.column("n").to_pylist() == [0, 1, 2]
