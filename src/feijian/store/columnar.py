"""Bulk extract tables as compressed Arrow IPC chunks (architecture decision 1): one chunk per import batch
and month (at most :data:`MAX_CHUNK_ROWS` rows), stored as blobs inside the encrypted case file."""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from feijian.domain.contract import load_contract

MAX_CHUNK_ROWS = 1_000_000
COMPRESSION = "zstd"
# a table whose chunks every screening with documents reads whole gets the codec that decodes fastest: the
# medical record documents (R24–R29) in LZ4 decode about 5x faster than in zstd (679,533 documents at demo
# scale 10: 0.65 s -> 0.12 s) for about 1.75x their zstd size; the other tables keep zstd's smaller files
TABLE_COMPRESSION = {"emr_docs": "lz4"}
NO_MONTH = ""
# tables whose chunks keep each column in its own blob (``chunk_columns``; the ``chunks`` row holds none of
# them): a reader decrypts only the columns it asks for. The medical record documents: the screening reads
# five of their 17 columns (about 40 % of the bytes: their metadata and normal text) and a rule quoting a
# document only its chunk's ``text`` (about a quarter), where one blob made both decrypt the whole chunk
SPLIT_TABLES = frozenset({"emr_docs"})


def month_column(table: str, data: pa.Table) -> str | None:
    """The column whose month partitions ``table``: the contract's first required date/datetime field present,
    else the first date/timestamp column of the data."""
    try:
        spec = load_contract().table(table)
        for f in spec.fields:
            if f.type in ("datetime", "date") and f.required is True and f.name in data.column_names:
                return f.name
    except Exception:  # a table the contract does not know: fall back to the data's types
        pass
    for f in data.schema:
        if pa.types.is_timestamp(f.type) or pa.types.is_date(f.type):
            return f.name
    return None


def split_by_month(table: str, data: pa.Table) -> list[tuple[str, pa.Table]]:
    """(``YYYY-MM`` or "", rows) pieces; row order within a month is kept, every row lands in exactly one."""
    col = month_column(table, data)
    if col is None or data.num_rows == 0:
        return [(NO_MONTH, piece) for piece in _pieces(data)]
    values = data.column(col)
    key = pc.add(pc.multiply(pc.year(values), 100), pc.month(values)).to_numpy(zero_copy_only=False)
    out: list[tuple[str, pa.Table]] = []
    if not np.isnan(key).any() if key.dtype.kind == "f" else True:
        k = key.astype(np.int64)
        if k.size < 2 or bool(np.all(k[1:] >= k[:-1])):  # already in time order (the usual extract): slices
            bounds = np.flatnonzero(np.diff(k)) + 1
            starts = np.concatenate(([0], bounds))
            ends = np.concatenate((bounds, [k.size]))
            for a, b in zip(starts, ends):
                m = int(k[a])
                out += [(f"{m // 100:04d}-{m % 100:02d}", piece) for piece in _pieces(data.slice(a, b - a))]
            return out
    # Out of time order: filter each record batch by month (a batch stays in cache; filtering the whole
    # chunked table per month costs about 3× more) and gather the pieces of a month in their order.
    by_month: dict[int | None, list[pa.RecordBatch]] = {}
    start = 0
    arrow_key = pa.array(key, from_pandas=True).cast(pa.int64())
    for batch in data.to_batches():
        n = batch.num_rows
        if not n:
            continue
        k = arrow_key.slice(start, n)
        start += n
        months = [v for v in pc.unique(k).to_pylist()]
        if len(months) == 1:
            by_month.setdefault(months[0], []).append(batch)
            continue
        for m in months:
            mask = pc.is_null(k) if m is None else pc.fill_null(pc.equal(k, m), False)
            by_month.setdefault(m, []).append(batch.filter(mask))
    for m in sorted(v for v in by_month if v is not None):
        part = pa.Table.from_batches(by_month[m], schema=data.schema)
        out += [(f"{m // 100:04d}-{m % 100:02d}", piece) for piece in _pieces(part)]
    if None in by_month:
        out += [(NO_MONTH, piece) for piece in _pieces(pa.Table.from_batches(by_month[None], schema=data.schema))]
    return out


def _pieces(data: pa.Table) -> list[pa.Table]:
    if data.num_rows <= MAX_CHUNK_ROWS:
        return [data]
    return [data.slice(i, MAX_CHUNK_ROWS) for i in range(0, data.num_rows, MAX_CHUNK_ROWS)]


def compression_for(table: str) -> str:
    """The codec the chunks of ``table`` are written with (any codec reads back: IPC files name theirs)."""
    return TABLE_COMPRESSION.get(table, COMPRESSION)


def encode(data: pa.Table, compression: str | None = COMPRESSION) -> pa.Buffer:
    """The IPC file bytes as an Arrow buffer (supports the buffer protocol: no copy to hand it to SQLite)."""
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression=compression)
    with pa.ipc.new_file(sink, data.schema, options=options) as writer:
        writer.write_table(data, max_chunksize=256 * 1024)
    return sink.getvalue()


def split_columns(table: str) -> bool:
    """True when the chunks of ``table`` are written one blob per column (:data:`SPLIT_TABLES`)."""
    return table in SPLIT_TABLES


def encode_columns(data: pa.Table, compression: str | None = COMPRESSION) -> list[tuple[str, pa.Buffer]]:
    """One IPC file per column, in the table's column order, all cut into the same record batches (so that
    batch ``i`` of every column holds the same rows)."""
    batches = data.to_batches(max_chunksize=256 * 1024)
    out = []
    for k, name in enumerate(data.column_names):
        sink = pa.BufferOutputStream()
        schema = pa.schema([data.schema.field(k)])
        with pa.ipc.new_file(sink, schema, options=pa.ipc.IpcWriteOptions(compression=compression)) as writer:
            for batch in batches:
                writer.write_batch(pa.record_batch([batch.column(k)], schema=schema))
        out.append((name, sink.getvalue()))
    return out


def decode_columns(parts: list[tuple[str, bytes]], columns: list[str] | None = None) -> pa.Table:
    """The rows of a chunk stored one blob per column (``parts``: (name, blob) in stored order, possibly only
    some of them); with ``columns``, only those present, in that order."""
    blobs = dict(parts)
    names = list(blobs) if columns is None else [c for c in columns if c in blobs]
    arrays, fields = [], []
    for name in names:
        t = pa.ipc.open_file(pa.py_buffer(blobs[name])).read_all()
        arrays.append(t.column(0))
        fields.append(t.schema.field(0))
    if not arrays:
        raise pa.ArrowInvalid("no stored column of the chunk was asked for")
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


class ColumnsReader:
    """A chunk stored one blob per column read like an IPC file (``schema``, ``num_record_batches``,
    ``get_batch``, ``read_all``): batch ``i`` is batch ``i`` of every column, decompressed when asked for."""

    def __init__(self, parts: list[tuple[str, bytes]]):
        self.readers = [pa.ipc.open_file(pa.py_buffer(blob)) for _, blob in parts]
        self.schema = pa.schema([r.schema.field(0) for r in self.readers])
        counts = {r.num_record_batches for r in self.readers}
        if len(counts) > 1:
            raise pa.ArrowInvalid("the columns of the chunk are cut into different record batches")
        self.num_record_batches = counts.pop() if counts else 0

    def get_batch(self, i: int) -> pa.RecordBatch:
        return pa.record_batch([r.get_batch(i).column(0) for r in self.readers], schema=self.schema)

    def read_all(self) -> pa.Table:
        return pa.Table.from_batches([self.get_batch(i) for i in range(self.num_record_batches)], schema=self.schema)


def parts_sha256(parts: list[tuple[str, bytes]]) -> str:
    """The SHA-256 of a chunk stored one blob per column: of its columns' blobs in stored order, each
    preceded by its name and length (``name\0length\0``), so that no other cut of the bytes has it."""
    h = hashlib.sha256()
    for name, blob in parts:
        h.update(f"{name}\0{len(blob)}\0".encode())
        h.update(blob)
    return h.hexdigest()


def decode(blob: bytes, columns: list[str] | None = None) -> pa.Table:
    """The chunk's rows; with ``columns``, only those present (in that order), and only their buffers are
    decompressed."""
    buf = pa.py_buffer(blob)
    if columns is None:
        return pa.ipc.open_file(buf).read_all()
    names = pa.ipc.open_file(buf).schema.names  # the footer only
    wanted = [c for c in columns if c in names]
    options = pa.ipc.IpcReadOptions(included_fields=sorted(names.index(c) for c in wanted))
    return pa.ipc.open_file(buf, options=options).read_all().select(wanted)


def concat(pieces: list[pa.Table]) -> pa.Table:
    if len(pieces) == 1:
        return pieces[0]
    return pa.concat_tables(pieces, promote_options="permissive")
