"""The vectorised quote state and record-line walk agree with the field-by-field reference on any input."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from feijian.ingest import csvfile


def _regex_record_ends(buf: bytes, delimiter: bytes, last: bool) -> int:
    original = csvfile._paired_quotes
    csvfile._paired_quotes = lambda b, d: None
    try:
        return csvfile.record_ends(buf, delimiter, last=last)
    finally:
        csvfile._paired_quotes = original


def _regex_ends_inside(buf: bytes, delimiter: bytes) -> bool:
    original = csvfile._paired_quotes
    csvfile._paired_quotes = lambda b, d: None
    try:
        return csvfile.ends_inside_quote(buf, delimiter)
    finally:
        csvfile._paired_quotes = original


def _walk(empty: np.ndarray, embedded: np.ndarray) -> np.ndarray:
    out, L = [], 0
    for r in range(len(embedded)):
        while L < len(empty) and empty[L]:
            L += 1
        out.append(L)
        L += 1 + int(embedded[r])
    return np.array(out, dtype=np.int64)


csv_bytes = st.lists(st.sampled_from([b"a", b"\xe5\x8c\xbb", b",", b";", b'"', b'""', b"\n", b"\r\n", b"\r", b"12"]),
                     max_size=60).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(csv_bytes, st.sampled_from([b",", b";"]), st.booleans())
def test_record_ends_matches_the_regex_walk(buf, delimiter, last):
    assert csvfile.record_ends(buf, delimiter, last=last) == _regex_record_ends(buf, delimiter, last)


@settings(max_examples=400, deadline=None)
@given(csv_bytes, st.sampled_from([b",", b";"]))
def test_ends_inside_quote_matches_the_regex_walk(buf, delimiter):
    assert csvfile.ends_inside_quote(buf, delimiter) == _regex_ends_inside(buf, delimiter)


def test_stray_quote_falls_back_to_the_regex():
    buf = b'a,12"x\n"b\nc",d\n'
    assert csvfile._paired_quotes(buf, b",") is None
    assert csvfile.record_ends(buf, b",") == _regex_record_ends(buf, b",", True)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.booleans(), max_size=80), st.lists(st.integers(0, 3), max_size=40))
def test_record_starts_matches_the_line_walk(empty, embedded):
    e = np.array(empty, dtype=bool)
    emb = np.array(embedded, dtype=np.int64)
    assert csvfile._record_starts(e, emb).tolist() == _walk(e, emb).tolist()


def test_record_starts_after_many_blank_gaps_uses_the_walk():
    empty = np.array([False, True] * 500, dtype=bool)
    emb = np.zeros(500, dtype=np.int64)
    assert csvfile._record_starts(empty, emb).tolist() == list(range(0, 1000, 2))


def _small_line_breaks(data: bytes) -> tuple[int, int, bool]:
    n, cr = data.count(b"\n"), data.count(b"\r")
    bare = cr - data.count(b"\r\n")
    return n + bare, bare, b"\n\n" in data or b"\n\r\n" in data or data.startswith((b"\n", b"\r\n"))


@settings(max_examples=200, deadline=None)
@given(csv_bytes, st.integers(0, 3))
def test_line_breaks_of_a_large_block_match_the_byte_counts(piece, lead):
    """The NumPy pass (from 64 KB) counts breaks, bare CRs and blank lines as the byte searches do."""
    data = (b"\n\r\r\n"[lead:] if lead else b"") + (piece or b"x") * ((1 << 16) // max(1, len(piece)) + 1)
    assert csvfile.line_breaks(data) == _small_line_breaks(data)


def _csv_record_lines(text: str, first: int) -> list[int]:
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    while True:
        start = reader.line_num + first
        try:
            row = next(reader)
        except StopIteration:
            return out
        if row:
            out.append(start)


cell = st.sampled_from(["a", "医", "", '"q"', "x\ny", "x\r\ny", "1\n\n2", "z"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(cell, cell), min_size=1, max_size=30), st.booleans(), st.booleans())
def test_record_lines_with_breaks_in_values_match_the_csv_module(rows, crlf, blank_lines):
    """Where each record starts (the line a refused row is reported at), with quoted values holding
    line breaks, CRLF or LF, and blank lines between records or not."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n", quoting=csv.QUOTE_MINIMAL)
    for i, row in enumerate(rows):
        w.writerow(row if any(row) else ("-", ""))
        if blank_lines and i % 3 == 1:
            buf.write("\r\n" if crlf else "\n")
    text = buf.getvalue()
    parsed = csvfile.parse_block(text.encode("utf-8"), 2, ",", 7, last=True)
    assert parsed.lines.tolist() == _csv_record_lines(text, 7)
    assert not parsed.invalid
