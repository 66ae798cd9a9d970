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

    def __init__(self, store, name: str, *, cache: int = 3) -> None:
        self.store = store
        self.name = name
        self.chunks = store.table_chunks(name)  # [(chunk_id, rows)] in reading order
        self.starts = [0]
        for _id, rows in self.chunks:
            self.starts.append(self.starts[-1] + rows)
        self._cache: OrderedDict[int, pa.Table] = OrderedDict()
        self._cache_size = max(1, cache)
        self._schema: Optional[pa.Schema] = None

    @property
    def num_rows(self) -> int:
        return self.starts[-1]

    @property
    def schema(self) -> pa.Schema:
        if self._schema is None:
            self._schema = self.chunk(0).schema if self.chunks else pa.schema([])
        return self._schema

    @property
    def column_names(self) -> list[str]:
        return list(self.schema.names)

    def chunk(self, i: int) -> pa.Table:
        """Chunk ``i`` (0-based, reading order) as an Arrow table, from the cache when it is there."""
        if i in self._cache:
            self._cache.move_to_end(i)
            return self._cache[i]
        table = self.store.read_chunk(self.chunks[i][0]).read_all().replace_schema_metadata(None)
        self._cache[i] = table
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return table

    def slice(self, offset: int = 0, length: Optional[int] = None) -> pa.Table:
        """Rows ``offset`` … ``offset + length`` (like ``pa.Table.slice``), from the chunks they lie in."""
        offset = max(0, min(offset, self.num_rows))
        end = self.num_rows if length is None else min(self.num_rows, offset + max(0, length))
        pieces = []
        i = bisect.bisect_right(self.starts, offset) - 1
        while offset < end and i < len(self.chunks):
            table = self.chunk(i)
            local = offset - self.starts[i]
            take = min(end - offset, table.num_rows - local)
            pieces.append(table.slice(local, take))
            offset += take
            i += 1
        if not pieces:
            return self.schema.empty_table()
        if len(pieces) == 1:
            return pieces[0]
        return pa.concat_tables(pieces, promote_options="permissive")


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

