"""NFKC of a string array, the same values as ``pc.utf8_normalize(values, "NFKC")``, computed only where it
changes something.

Nearly every character of a Chinese record is *safe*: NFKC leaves it alone and it neither combines with
a neighbour nor is a combining mark (NFKC quick check "yes", canonical combining class 0), and a text of
safe characters only is in NFKC already. The exceptions found in records are few and frequent — full-width
ASCII (``：（）``), U+3000, ``℃`` (NFKC: ``°C``), Roman numerals — and each becomes, alone, a string of safe
characters no longer than itself in UTF-8: those are rewritten in the UTF-8 bytes with NumPy (canonical
equivalence is a congruence, so NFKC of the rewritten text is NFKC of the text). Only the values that still
hold an unsafe character after that are handed to Arrow's NFKC.

The CJK ideographs (lead bytes E4–E9, U+4000–U+9FFF) are all safe and skipped without decoding; every other
non-ASCII character is decoded and looked up in a table of the Basic Multilingual Plane (a character beyond
it is unsafe). The table needs both Python's ``unicodedata`` and Arrow's utf8proc to leave a character
alone, and the character to be assigned in Python's database, so a difference of Unicode versions between
the two can only send more values to Arrow's NFKC.
"""

from __future__ import annotations

import functools
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_BMP = 0x10000
_HANGUL_VOWELS_TRAILS = list(range(0x1161, 0x1176)) + list(range(0x11A8, 0x11C3))


@functools.cache
def _tables() -> tuple[np.ndarray, dict[int, bytes]]:
    """(``safe``: bool per BMP code point, ``rewrite``: code point -> UTF-8 of its NFKC for the unsafe ones
    whose NFKC is safe characters and no longer than themselves)."""
    second = set(_HANGUL_VOWELS_TRAILS)  # can compose with what stands before them (quick check "maybe")
    for cp in range(0x110000):
        dec = unicodedata.decomposition(chr(cp))
        if dec and not dec.startswith("<"):
            parts = dec.split()
            if len(parts) == 2:
                second.add(int(parts[1], 16))
    chars = [chr(cp) if not 0xD800 <= cp < 0xE000 else "" for cp in range(_BMP)]
    by_arrow = pc.utf8_normalize(pa.array(chars, pa.string()), "NFKC").to_pylist()
    safe = np.zeros(_BMP, dtype=bool)
    for cp, (c, a) in enumerate(zip(chars, by_arrow)):
        safe[cp] = (c != "" and a == c and unicodedata.normalize("NFKC", c) == c and unicodedata.combining(c) == 0
                    and cp not in second and unicodedata.category(c) != "Cn")
    rewrite = {}
    for cp in np.flatnonzero(~safe).tolist():
        c, a = chars[cp], by_arrow[cp]
        if c and a and unicodedata.category(c) != "Cn" and a == unicodedata.normalize("NFKC", c) \
                and len(a.encode()) <= len(c.encode()) and all(ord(x) < _BMP and safe[ord(x)] for x in a):
            rewrite[cp] = a.encode()
    return safe, rewrite


_BLOCK = 1 << 18


def _decoded_leads(data: np.ndarray) -> np.ndarray:
    """Positions of the lead bytes to decode in ``data``: all but ASCII and E4-E9 (U+4000-U+9FFF), found a
    block at a time into small buffers that stay in the cache (a mask of the whole text would fault in
    pages as large as the text)."""
    size = min(_BLOCK, len(data))
    lead, low, shifted = np.empty(size, dtype=bool), np.empty(size, dtype=bool), np.empty(size, dtype=np.uint8)
    found = []
    for start in range(0, len(data), _BLOCK):
        block = data[start:start + _BLOCK]
        k = len(block)
        np.greater_equal(block, 0xC0, out=lead[:k])
        np.subtract(block, np.uint8(0xE4), out=shifted[:k])
        np.greater(shifted[:k], 5, out=low[:k])
        np.logical_and(lead[:k], low[:k], out=lead[:k])
        at = np.flatnonzero(lead[:k])
        if len(at):
            found.append(at + start)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)


def _utf8_code_points(data: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The code points of the characters starting at byte positions ``at`` (lead bytes), ``-1`` for one
    beyond the BMP."""
    b0 = data[at].astype(np.int32)
    b1 = data[np.minimum(at + 1, len(data) - 1)].astype(np.int32) & 0x3F
    b2 = data[np.minimum(at + 2, len(data) - 1)].astype(np.int32) & 0x3F
    return np.where(b0 < 0xE0, ((b0 & 0x1F) << 6) | b1,
                    np.where(b0 < 0xF0, ((b0 & 0x0F) << 12) | (b1 << 6) | b2, -1))


def _replaced(values: pa.Array, before: dict[str, str]) -> pa.Array:
    for old, new in before.items():
        values = pc.replace_substring(values, old, new)
    return values


def nfkc(values: pa.Array, pad: str | None = None, before: dict[str, str] | None = None) -> pa.Array:
    """``pc.utf8_normalize(values, "NFKC")`` (a string array; other types go to Arrow as they are).

    ``pad``: an ASCII blank the caller removes afterwards anyway (:func:`feijian.rules.record_prep.normal_text`
    removes every blank): a rewritten character shorter than the original is filled up with it in place,
    instead of moving all the bytes after it (a copy of the whole text). Then the values are NFKC up to
    those blanks.

    ``before``: characters replaced before NFKC (one pass with it; :func:`normal_text`'s clause breaks),
    each a character this module decodes (not ASCII, in the BMP, not U+4000-U+9FFF) by safe characters no
    longer than itself in UTF-8."""
    if isinstance(values, pa.ChunkedArray):
        return pa.chunked_array([nfkc(c, pad, before) for c in values.chunks], values.type)
    before = before or {}
    n = len(values)
    bufs = values.buffers()
    if values.type != pa.string() or n == 0 or bufs[2] is None:
        return pc.utf8_normalize(_replaced(values, before), "NFKC")
    offsets = np.frombuffer(bufs[1], dtype=np.int32, count=n + 1, offset=values.offset * 4)
    data = np.frombuffer(bufs[2], dtype=np.uint8)[int(offsets[0]):int(offsets[-1])]
    rel = offsets - offsets[0]
    lead = _decoded_leads(data)
    if not len(lead):
        return values
    safe, rewrite = _tables()
    if before:
        safe, rewrite = safe.copy(), dict(rewrite)
        for old, new in before.items():
            cp = ord(old)
            if not (0x80 <= cp < _BMP and not 0x4000 <= cp < 0xA000) or len(new.encode()) > len(old.encode()) \
                    or not all(ord(x) < _BMP and safe[ord(x)] for x in new):
                raise ValueError(f"not a replacement nfkc() makes in place: {old!r} -> {new!r}")
        for old, new in before.items():
            safe[ord(old)] = False
            rewrite[ord(old)] = new.encode()
    cps = _utf8_code_points(data, lead)
    unsafe = cps < 0
    unsafe[~unsafe] = ~safe[cps[~unsafe]]
    lead, cps = lead[unsafe], cps[unsafe]
    if not len(lead):
        return values
    out = data.copy()
    drop = []
    rest = np.ones(len(lead), dtype=bool)  # unsafe characters not rewritten
    for cp in np.unique(cps).tolist():
        repl = rewrite.get(cp)
        if repl is None:
            continue
        hit = cps == cp
        at = lead[hit]
        rest[hit] = False
        width = len(chr(cp).encode())
        for k, byte in enumerate(repl.ljust(width, pad.encode()) if pad else repl):
            out[at + k] = byte
        drop.extend(at + k for k in range(len(repl), width) if not pad)
    if drop:
        gone = np.sort(np.concatenate(drop))
        keep = np.ones(len(out), dtype=bool)
        keep[gone] = False
        out = out[keep]
        rel = rel - np.searchsorted(gone, rel).astype(np.int32)
    validity = values.is_valid().buffers()[1] if values.null_count else None
    result = pa.StringArray.from_buffers(n, pa.py_buffer(rel.astype(np.int32)), pa.py_buffer(out), validity,
                                         values.null_count)
    if rest.any():  # NFKC of the values as they were (padding could stand between a letter and its mark)
        row = np.searchsorted(rel if not drop else offsets - offsets[0], lead[rest], side="right") - 1
        mask = np.zeros(n, dtype=bool)
        mask[row] = True
        mask = pa.array(mask)
        result = pc.replace_with_mask(result, mask, pc.utf8_normalize(_replaced(values.filter(mask), before), "NFKC"))
    return result
