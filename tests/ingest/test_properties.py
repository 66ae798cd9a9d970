"""Property tests: random bytes and random CSV never crash the reader with anything but a clear
FeijianError, and the row accounting always balances (read + refused = rows in the file)."""

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feijian.domain.errors import FeijianError
from feijian.ingest import read_file

from ingest_samples import FEE_HEADER

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read(data: bytes, name="fees.csv", **kw):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / name
        path.write_bytes(data)
        try:
            r = read_file(path, **kw)
        except FeijianError as exc:
            assert str(exc) and "\n" not in str(exc)
            return None
        assert r.file.rows == r.file.read + r.file.refused
        assert r.data.num_rows == r.file.read and len(r.rejected) == r.file.refused
        lines = r.data.column("_line").to_pylist() + [x.line for x in r.rejected]
        assert all(ln >= 2 for ln in lines)
        assert len(set(lines)) == len(lines)
        return r


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(data):
    _read(data)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_after_a_valid_header(data):
    _read(FEE_HEADER.encode() + b"\n" + data)


cell = st.one_of(
    st.sampled_from(["", "M1", "0001", "2024-01-05 08:30", "20240105083000", "2024-02-30", "1.5", "-2", "3.00",
                     "1,234.50", "男", "甲", "abc", "45296.5", " ", '"', "a\nb", "x,y", "妇科"]),
    st.text(max_size=6),
)


@SETTINGS
@given(st.lists(st.lists(cell, min_size=0, max_size=10), max_size=25),
       st.sampled_from([",", ";", "\t", "|"]), st.sampled_from(["utf-8", "gbk", "utf-8-sig"]),
       st.booleans())
def test_random_csv(rows, delimiter, encoding, crlf):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    w.writerow(FEE_HEADER.split(","))
    for row in rows:
        w.writerow(row)
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buf.getvalue().encode("utf-8")
    r = _read(data)
    if r is not None:  # no more records than line breaks (a bare CR is a break too)
        assert r.file.rows <= data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    # the same file in small chunks gives the same accounting
    r2 = _read(data, chunk_bytes=1024)
    if r is not None and r2 is not None:
        assert (r2.file.rows, r2.file.read, r2.file.refused) == (r.file.rows, r.file.read, r.file.refused)
