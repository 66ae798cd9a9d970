"""Key hashes for duplicate and referential checks across the chunks of a streamed import.

A key (one or more text columns) is hashed to 64 bits with DuckDB's ``hash()`` (vectorised, no Python
loop); the index keeps sorted hash arrays, about 8 bytes per row, so 20 million fee lines cost ~160 MB.
Two different keys sharing a 64-bit hash is possible in principle (about 1 in 10^5 for 20M keys); such a
row would be reported as a duplicate in the import report, never dropped silently.
"""

from __future__ import annotations

import threading
from typing import Sequence

import duckdb
import numpy as np
import pyarrow as pa

_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    con = getattr(_local, "con", None)
    if con is None:
        # in memory, spilling off (DuckDB's default spills to ./.tmp): key values never reach the disk
        con = duckdb.connect(":memory:", config={"threads": 2, "temp_directory": ""})
        _local.con = con
    return con


def hash_keys(columns: Sequence[pa.Array]) -> np.ndarray:
    """uint64 hash per row of the given text columns (null-safe; equal values → equal hashes)."""
    n = len(columns[0]) if columns else 0
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    names = [f"k{i}" for i in range(len(columns))]
    tbl = pa.table({name: col for name, col in zip(names, columns)})
    con = _connection()
    con.register("_keys_in", tbl)
    try:
        out = con.execute(f"select hash({', '.join(names)}) as h from _keys_in").fetchnumpy()["h"]
    finally:
        con.unregister("_keys_in")
    return np.asarray(out, dtype=np.uint64)


class KeyIndex:
    """The set of key hashes seen so far for one table.

    Sorted hash arrays (merged log-structured, so O(log n) of them), and from :data:`PREFILTER_FROM` keys on a
    byte map of up to 2^27 hash prefixes (128 MB): most new keys are ruled out there, and only the few
    whose prefix was seen are searched in the sorted arrays. The map starts small and doubles with the keys."""

    PREFILTER_FROM = 100_000
    PREFILTER_BITS = 27

    def __init__(self) -> None:
        self._parts: list[np.ndarray] = []
        self._map: np.ndarray | None = None
        self._bits = self.PREFILTER_BITS
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def _prefix(self, hashes: np.ndarray) -> np.ndarray:
        return (hashes >> np.uint64(64 - self._bits)).astype(np.int64)

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        found = np.zeros(len(hashes), dtype=bool)
        if len(hashes) == 0 or not self._parts:
            return found
        idx = None
        if self._map is not None:
            idx = np.flatnonzero(self._map[self._prefix(hashes)])
            hashes = hashes[idx]
            if len(hashes) == 0:
                return found
        sub = np.zeros(len(hashes), dtype=bool)
        for part in self._parts:
            if len(part) == 0:
                continue
            pos = np.searchsorted(part, hashes)
            pos[pos == len(part)] = 0
            sub |= part[pos] == hashes
        if idx is None:
            return sub
        found[idx] = sub
        return found

    def add(self, hashes: np.ndarray) -> None:
        self._add_sorted(np.sort(hashes))

    def _add_sorted(self, hashes: np.ndarray) -> None:
        if len(hashes) == 0:
            return
        self._parts.append(hashes)
        self.count += len(hashes)
        # Parts of geometrically shrinking size (a log-structured merge): a new part is merged into the one
        # before it while that one is at most twice as long, so there are O(log n) parts and every hash is
        # merged O(log n) times. The stable sort of two sorted runs is a timsort merge, linear in their length.
        while len(self._parts) > 1 and len(self._parts[-2]) <= 2 * len(self._parts[-1]):
            last = self._parts.pop()
            self._parts[-1] = np.sort(np.concatenate((self._parts[-1], last)), kind="stable")
        if self.count < self.PREFILTER_FROM:
            return
        # The byte map grows with the keys (about 8 slots a key, so ~1 in 8 new keys needs a binary search),
        # up to 2^PREFILTER_BITS: a small table never pays for (and page-faults through) the full 128 MB.
        want = min(self.PREFILTER_BITS, max(20, int(self.count * 8).bit_length()))
        if self._map is None or want > self._bits:
            self._bits = want
            self._map = np.zeros(1 << want, dtype=np.bool_)
            for part in self._parts:
                self._map[self._prefix(part)] = True
        else:
            self._map[self._prefix(hashes)] = True

    def add_new(self, hashes: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        """Add the eligible hashes; returns the mask of rows whose key was seen before (earlier in this
        batch of hashes or in an earlier one): the second and later occurrences."""
        dup = np.zeros(len(hashes), dtype=bool)
        idx = np.flatnonzero(eligible)
        if len(idx) == 0:
            return dup
        h = hashes[idx]
        order = np.argsort(h, kind="stable")  # stable: the first occurrence stays first among equals
        sh = h[order]
        seen = np.zeros(len(sh), dtype=bool)
        seen[1:] = sh[1:] == sh[:-1]
        # Sorted queries make the binary searches walk the parts in order (cache-friendly, ~3x faster).
        seen |= self.contains(sh)
        dup[idx[order]] = seen
        self._add_sorted(sh[~seen])  # new keys, each once, already sorted
        return dup
