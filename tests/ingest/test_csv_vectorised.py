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
