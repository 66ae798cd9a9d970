"""A stored case table read one chunk at a time, for the 数据 page's browser.

A scale-100 case's fee table has 13.6M rows in ~20 compressed chunks. Reading it whole takes seconds and
gigabytes; the browser shows a page of a few thousand rows. :class:`ChunkedTable` looks like the part of
``pa.Table`` the browser uses (``num_rows``, ``column_names``, ``slice``) but decrypts and decompresses only
the chunks a page touches (the last few are kept, so paging and scrolling within a chunk cost nothing).
:func:`filter_table` scans the chunks one by one for a substring (in a background task: Arrow's kernels
release the GIL) and keeps at most ``limit`` matching rows. No Qt here.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from typing import Callable, Optional

import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.progress import check_cancelled, report

FILTER_LIMIT = 200_000  # matching rows kept by a filter (the count of all matches is still given)


class ChunkedTable:
    """Rows of case table ``name`` addressed by position, read chunk by chunk from the store."""

    def __init__(self, store, name: str, *, cache: int = 2) -> None:
        self.store = store
        self.name = name
        self.chunks = store.table_chunks(name)  # [(chunk_id, rows)] in reading order
        self.starts = [0]
        for _id, rows in self.chunks:
            self.starts.append(self.starts[-1] + rows)
        self._readers: OrderedDict[int, pa.RecordBatchFileReader] = OrderedDict()  # decrypted, still compressed
        self._batch_starts: dict[int, list[int]] = {}  # chunk -> row starts of the batches read so far
        self._batches: OrderedDict[tuple[int, int], pa.RecordBatch] = OrderedDict()  # decompressed
        self._cache_size = max(1, cache)
        self._schema: Optional[pa.Schema] = None

    @property
    def num_rows(self) -> int:
        return self.starts[-1]

    @property
    def schema(self) -> pa.Schema:
        if self._schema is None:
            self._schema = self._reader(0).schema.remove_metadata() if self.chunks else pa.schema([])
        return self._schema

    @property
    def column_names(self) -> list[str]:
        return list(self.schema.names)

    def _reader(self, i: int) -> pa.RecordBatchFileReader:
        """Chunk ``i``'s IPC reader: the blob decrypted once, its record batches decompressed on demand."""
        if i in self._readers:
            self._readers.move_to_end(i)
            return self._readers[i]
        reader = self.store.read_chunk(self.chunks[i][0])
        self._readers[i] = reader
        while len(self._readers) > self._cache_size:
            old, _ = self._readers.popitem(last=False)
            for key in [k for k in self._batches if k[0] == old]:
                del self._batches[key]
        return reader

    def _batch(self, i: int, j: int) -> pa.RecordBatch:
        key = (i, j)
        if key in self._batches:
            self._batches.move_to_end(key)
            return self._batches[key]
        batch = self._reader(i).get_batch(j)
        self._batches[key] = batch
        while len(self._batches) > 4 * self._cache_size:
            self._batches.popitem(last=False)
        starts = self._batch_starts.setdefault(i, [0])
        if len(starts) == j + 1:
            starts.append(starts[-1] + batch.num_rows)
        return batch

    def _locate(self, i: int, local: int) -> int:
        """The batch of chunk ``i`` holding row ``local`` (reading the batches before it once, for their sizes)."""
        starts = self._batch_starts.setdefault(i, [0])
        n = self._reader(i).num_record_batches
        while starts[-1] <= local and len(starts) - 1 < n:
            self._batch(i, len(starts) - 1)
            starts = self._batch_starts[i]
        return bisect.bisect_right(starts, local) - 1

    def chunk(self, i: int) -> pa.Table:
        """Chunk ``i`` (0-based, reading order) whole, as an Arrow table (decompressed, not cached)."""
        return self._reader(i).read_all().replace_schema_metadata(None)

    def slice(self, offset: int = 0, length: Optional[int] = None) -> pa.Table:
        """Rows ``offset`` … ``offset + length`` (like ``pa.Table.slice``): only the record batches (≤256K rows)
        they lie in are decompressed."""
        offset = max(0, min(offset, self.num_rows))
        end = self.num_rows if length is None else min(self.num_rows, offset + max(0, length))
        pieces = []
        i = bisect.bisect_right(self.starts, offset) - 1
        while offset < end and i < len(self.chunks):
            local = offset - self.starts[i]
            j = self._locate(i, local)
            batch = self._batch(i, j)
            start = self._batch_starts[i][j]
            take = min(end - offset, batch.num_rows - (local - start))
            pieces.append(batch.slice(local - start, take))
            offset += take
            if local - start + take >= batch.num_rows and j + 1 >= self._reader(i).num_record_batches:
                i += 1
        if not pieces:
            return self.schema.empty_table()
        return pa.Table.from_batches([p.replace_schema_metadata(None) for p in pieces]) if len(
            {p.schema for p in pieces}) == 1 else pa.concat_tables(
            [pa.Table.from_batches([p]).replace_schema_metadata(None) for p in pieces], promote_options="permissive")


def _as_text(column) -> pa.ChunkedArray | pa.Array:
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column
    return pc.cast(column, pa.string())


def filter_table(
    store,
    name: str,
    column: str,
    text: str,
    *,
    limit: int = FILTER_LIMIT,
    progress: Optional[Callable] = None,
    cancelled: Optional[Callable[[], bool]] = None,
) -> tuple[pa.Table, int]:
    """Rows of case table ``name`` whose ``column`` contains ``text`` (case-insensitive), scanning the
    stored chunks one at a time: (the first ``limit`` matching rows, the number of all matches)."""
    source = ChunkedTable(store, name, cache=1)
    kept: list[pa.Table] = []
    n_kept = 0
    total = 0
    for i in range(len(source.chunks)):
        check_cancelled(cancelled)
        table = source.chunk(i)
        if column not in table.column_names:
            continue
        mask = pc.fill_null(pc.match_substring(_as_text(table[column]), text, ignore_case=True), False)
        found = int(pc.sum(mask).as_py() or 0)
        total += found
        if found and n_kept < limit:
            rows = table.filter(mask)
            if n_kept + rows.num_rows > limit:
                rows = rows.slice(0, limit - n_kept)
            kept.append(rows)
            n_kept += rows.num_rows
        report(progress, i + 1, len(source.chunks), f"{name}: {total:,} 行匹配 / rows match")
    if not kept:
        return (source.schema.empty_table() if source.chunks else pa.table({})), total
    return pa.concat_tables(kept, promote_options="permissive"), total



BIG_TABLE_ROWS = 2_000_000  # above this, one encounter's rows are read from its months' chunks only


def encounter_months(begin, end, dates=()) -> Optional[set[str]]:
    """``YYYY-MM`` of every month from admission to the month after discharge (fees billed after discharge
    or death land there), plus the months of ``dates`` (the encounter's hits). None when the admission is
    unknown: every chunk must be read."""
    import pandas as pd

    def month(value):
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError):
            return None
        return None if pd.isna(ts) else ts.to_period("M")

    first, last = month(begin), month(end)
    if first is None:
        return None
    last = last if last is not None and last >= first else first
    months = {str(p) for p in pd.period_range(first, last + 1, freq="M")}
    for d in dates:
        m = month(d)
        if m is not None:
            months.add(str(m))
    return months


class EncounterRows:
    """The rows of one encounter from a big case table (13M fee lines), reading only the chunks of the months
    the encounter spans (chunks are stored per month) instead of loading the whole table. The encounter ids
    of every record batch read are remembered (a few hundred KB a batch), so later encounters decrypt and
    decompress only the batches that hold them."""

    def __init__(self, store, name: str) -> None:
        self.table = ChunkedTable(store, name, cache=1)
        self.months = [c["month"] for c in store.chunk_summary() if c["table"] == name]
        if len(self.months) != len(self.table.chunks):  # cannot happen: both list the chunks in storage order
            self.months = [""] * len(self.table.chunks)
        self._batches: dict[int, int] = {}  # chunk -> its number of record batches
        self._ids: dict[tuple[int, int], pa.Array] = {}  # (chunk, batch) -> the encounter ids in it

    def _may_hold(self, i: int, mdtrt_id: str) -> bool:
        n = self._batches.get(i)
        if n is None or any((i, j) not in self._ids for j in range(n)):
            return True
        return any(pc.index(self._ids[(i, j)], mdtrt_id).as_py() >= 0 for j in range(n))

    def rows(self, mdtrt_id: str, months: Optional[set[str]] = None) -> pa.Table:
        pieces = []
        for i, month in enumerate(self.months):
            if months is not None and month and month not in months:
                continue
            if not self._may_hold(i, mdtrt_id):
                continue
            n = self._batches.setdefault(i, self.table._reader(i).num_record_batches)
            for j in range(n):
                ids = self._ids.get((i, j))
                if ids is not None and pc.index(ids, mdtrt_id).as_py() < 0:
                    continue
                batch = self.table._batch(i, j)
                if "mdtrt_id" not in batch.schema.names:
                    continue
                column = batch.column("mdtrt_id")
                if ids is None:
                    self._ids[(i, j)] = pc.unique(column)
                pieces.append(pa.Table.from_batches([batch.filter(pc.fill_null(pc.equal(column, mdtrt_id), False))]))
        if not pieces:
            return self.table.schema.empty_table()
        return pa.concat_tables([p.replace_schema_metadata(None) for p in pieces], promote_options="permissive")
