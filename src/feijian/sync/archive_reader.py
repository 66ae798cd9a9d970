"""Reading an untrusted ZIP without extracting it (research §4.4 step 2).

The whole central directory is parsed and checked before any member is read: names (whitelist, no path
traversal, absolute names, backslashes, NUL, duplicates also after case folding), entry types (no
symlinks, directories or special files), flags (no ZIP encryption, no data descriptors), methods (STORED,
DEFLATED), declared sizes and compression ratios (zip bombs), and the layout: local records must match
the central directory, follow each other without gaps or overlaps from offset 0 and end where the central
directory begins, which must end where the end record begins, which must end the file. Members are then
decoded straight from their local records, never yielding more than the declared size, and the DEFLATE
stream must end exactly at the compressed size; CRC-32 is checked at the end. Nothing is written to disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from feijian.domain.events import canonical_json
from feijian.sync.reasons import Rejected

EOCD_SIG = b"PK\x05\x06"
CDH_SIG = b"PK\x01\x02"
LFH_SIG = b"PK\x03\x04"
EOCD64_LOC_SIG = b"PK\x06\x07"
NAME_RE = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")
CHUNK = 1 << 20
ARCHIVE_SUFFIXES = (".zip", ".fjpkg", ".gz", ".tgz", ".7z", ".rar", ".tar", ".bz2", ".xz", ".zst", ".jar")
ARCHIVE_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!",
                  b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")


@dataclass(frozen=True)
class Limits:
    max_package: int = 64 << 30
    max_members: int = 100_000
    max_member: int = (1 << 31) - 1  # no ZIP64 (members < 2 GiB)
    max_total: int = 64 << 30
    max_ratio: int = 100  # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = 1 << 20


@dataclass(frozen=True)
class Member:
    name: str
    method: int
    flags: int
    crc: int
    compressed_size: int
    size: int
    header_offset: int
    data_offset: int


def check_name(raw: bytes) -> str:
    """The member name if it is allowed, else :class:`Rejected` with the precise reason."""
    try:
        name = raw.decode("ascii")
    except UnicodeDecodeError:
        raise Rejected("BAD_NAME", raw.decode("utf-8", "replace"), "non-ASCII name") from None
    if "\x00" in name:
        raise Rejected("BAD_NAME", name.replace("\x00", "\\0"), "NUL in name")
    if "\\" in name:
        raise Rejected("BACKSLASH_IN_NAME", name)
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise Rejected("ABSOLUTE_NAME", name)
    parts = name.split("/")
    if ".." in parts:
        raise Rejected("PATH_TRAVERSAL", name)
    if name.endswith("/"):
        raise Rejected("SPECIAL_MEMBER", name, "directory entry")
    if not NAME_RE.match(name) or len(name) > 255:
        raise Rejected("BAD_NAME", name)
    return name


def looks_like_archive(name: str, head: bytes) -> bool:
    """True for a member that is itself an archive (by name or by its first bytes)."""
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        return True
    if any(head.startswith(m) for m in ARCHIVE_MAGICS):
        return True
    return len(head) >= 262 and head[257:262] == b"ustar"


def load_canonical_json(data: bytes, member: str = "") -> object:
    """Parse JSON strictly (no duplicate keys, no NaN) and require its canonical form byte for byte."""

    def pairs(items):
        d = {}
        for k, v in items:
            if k in d:
                raise Rejected("NOT_CANONICAL_JSON", member, f"duplicate key {k!r}")
            d[k] = v
        return d

    def no_constant(c):
        raise Rejected("NOT_CANONICAL_JSON", member, f"{c} not allowed")

    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=pairs, parse_constant=no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Rejected("NOT_CANONICAL_JSON", member, f"not JSON: {exc}") from None
    if canonical_json(value) != data:
        raise Rejected("NOT_CANONICAL_JSON", member)
    return value


class ArchiveReader:
    """An untrusted ZIP, checked on open; members read into memory or streamed, never to disk."""

    def __init__(self, source: str | os.PathLike | BinaryIO, limits: Limits = Limits()) -> None:
        self.limits = limits
        if isinstance(source, (str, os.PathLike)):
            self._f: BinaryIO = open(source, "rb")
            self._owned = True
        else:
            self._f = source
            self._owned = False
        try:
            self._members = self._parse()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._owned:
            self._f.close()

    def __enter__(self) -> "ArchiveReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- structure ------------------------------------------------------------------------------

    def _pread(self, offset: int, n: int) -> bytes:
        self._f.seek(offset)
        return self._f.read(n)

    def _parse(self) -> dict[str, Member]:
        f = self._f
        f.seek(0, os.SEEK_END)
        size = f.tell()
        self.file_size = size
        if size > self.limits.max_package:
            raise Rejected("PACKAGE_TOO_LARGE", "", f"{size} bytes")
        if size < 22:
            raise Rejected("NOT_A_ZIP")
        tail_len = min(size, 22 + 65535)
        tail = self._pread(size - tail_len, tail_len)
        pos = tail.rfind(EOCD_SIG)
        while pos >= 0 and pos + 22 + struct.unpack_from("<H", tail, pos + 20)[0] != tail_len:
            pos = tail.rfind(EOCD_SIG, 0, pos)
        if pos < 0:
            if tail.rfind(EOCD_SIG) >= 0:
                raise Rejected("DATA_OUTSIDE_MEMBERS", "", "bytes after the end of the archive")
            raise Rejected("NOT_A_ZIP")
        eocd_at = size - tail_len + pos
        (_, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, _clen) = struct.unpack_from("<4sHHHHIIH", tail, pos)
        if disk or cd_disk or n_disk != n_total or cd_offset == 0xFFFFFFFF or n_total == 0xFFFF:
            raise Rejected("ZIP_UNSUPPORTED", "", "multi-disk or ZIP64 archive")
        if eocd_at >= 20 and self._pread(eocd_at - 20, 4) == EOCD64_LOC_SIG:
            raise Rejected("ZIP_UNSUPPORTED", "", "ZIP64 archive")
        if n_total > self.limits.max_members:
            raise Rejected("TOO_MANY_MEMBERS", "", str(n_total))
        if cd_offset + cd_size != eocd_at:
            raise Rejected("DATA_OUTSIDE_MEMBERS", "", "central directory does not end at the end record")
        cd = self._pread(cd_offset, cd_size)
        if len(cd) != cd_size:
            raise Rejected("NOT_A_ZIP")
        members: dict[str, Member] = {}
        folded: set[str] = set()
        total = 0
        p = 0
        for _ in range(n_total):
            if p + 46 > len(cd) or cd[p:p + 4] != CDH_SIG:
                raise Rejected("NOT_A_ZIP", "", "damaged central directory")
            (_, made_by, _need, flags, method, _t, _d, crc, csize, usize, nlen, xlen, clen, dstart, _iattr,
             xattr, hoff) = struct.unpack_from("<4sHHHHHHIIIHHHHHII", cd, p)
            raw_name = cd[p + 46:p + 46 + nlen]
            extra = cd[p + 46 + nlen:p + 46 + nlen + xlen]
            p += 46 + nlen + xlen + clen
            if p > len(cd):
                raise Rejected("NOT_A_ZIP", "", "damaged central directory")
            name = check_name(raw_name)
            if name in members:
                raise Rejected("DUPLICATE_NAME", name)
            if name.casefold() in folded:
                raise Rejected("DUPLICATE_NAME", name, "differs only in letter case")
            folded.add(name.casefold())
            mode = xattr >> 16
            if (made_by >> 8) == 3 and mode:
                if stat.S_ISLNK(mode):
                    raise Rejected("SYMLINK", name)
                if stat.S_IFMT(mode) and not stat.S_ISREG(mode):
                    raise Rejected("SPECIAL_MEMBER", name)
            if xattr & 0x10:
                raise Rejected("SPECIAL_MEMBER", name, "directory")
            if flags & 0x41:
                raise Rejected("ENCRYPTED_MEMBER", name)
            if flags & 0x08:
                raise Rejected("ZIP_UNSUPPORTED", name, "data descriptor")
            if method not in (0, 8):
                raise Rejected("UNSUPPORTED_METHOD", name, str(method))
            if 0xFFFFFFFF in (csize, usize, hoff) or _has_extra(extra, 0x0001) or dstart:
                raise Rejected("ZIP_UNSUPPORTED", name, "ZIP64 or multi-disk member")
            if usize > self.limits.max_member:
                raise Rejected("MEMBER_TOO_LARGE", name, f"{usize} bytes")
            total += usize
            if total > self.limits.max_total:
                raise Rejected("PACKAGE_TOO_LARGE", name, "total uncompressed size")
            if method == 0 and csize != usize:
                raise Rejected("SIZE_MISMATCH", name, "stored member with different sizes")
            if method == 8 and usize > self.limits.ratio_floor and usize > self.limits.max_ratio * max(csize, 1):
                raise Rejected("ZIP_BOMB", name, f"{usize} from {csize} bytes")
            members[name] = Member(name, method, flags, crc, csize, usize, hoff, -1)
        if p != len(cd):
            raise Rejected("DATA_OUTSIDE_MEMBERS", "", "bytes inside the central directory")
        # Local records: match the central directory, contiguous from 0 to the central directory.
        out: dict[str, Member] = {}
        expected = 0
        for m in sorted(members.values(), key=lambda m: m.header_offset):
            if m.header_offset < expected:
                raise Rejected("OVERLAPPING_MEMBERS", m.name)
            if m.header_offset > expected:
                raise Rejected("DATA_OUTSIDE_MEMBERS", m.name, "gap before the member")
            lfh = self._pread(m.header_offset, 30)
            if len(lfh) != 30 or lfh[:4] != LFH_SIG:
                raise Rejected("HEADER_MISMATCH", m.name, "no local header")
            (_, _need, lflags, lmethod, _t, _d, lcrc, lcsize, lusize, lnlen, lxlen) = struct.unpack("<4sHHHHHIIIHH", lfh)
            lname = self._pread(m.header_offset + 30, lnlen)
            if lname != m.name.encode("ascii"):
                raise Rejected("HEADER_MISMATCH", m.name, "local name differs")
            if (lflags, lmethod, lcrc, lcsize, lusize) != (m.flags, m.method, m.crc, m.compressed_size, m.size):
                raise Rejected("HEADER_MISMATCH", m.name, "local sizes, CRC or flags differ")
            data_offset = m.header_offset + 30 + lnlen + lxlen
            expected = data_offset + m.compressed_size
            if expected > cd_offset:
                raise Rejected("OVERLAPPING_MEMBERS", m.name, "member runs into the central directory")
            out[m.name] = Member(**{**m.__dict__, "data_offset": data_offset})
        if expected != cd_offset:
            raise Rejected("DATA_OUTSIDE_MEMBERS", "", "bytes before the central directory")
        return {name: out[name] for name in members}  # central-directory order

    # --- access ---------------------------------------------------------------------------------

    def names(self) -> list[str]:
        return list(self._members)

    def member(self, name: str) -> Member:
        try:
            return self._members[name]
        except KeyError:
            raise Rejected("MEMBER_MISSING", name) from None

    def __contains__(self, name: str) -> bool:
        return name in self._members

    def iter_chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes in chunks; raises at the end if sizes, stream end or CRC are wrong."""
        m = self.member(name)
        remaining_in = m.compressed_size
        produced = 0
        crc = 0
        offset = m.data_offset
        d = zlib.decompressobj(-15) if m.method == 8 else None
        while remaining_in > 0:
            chunk = self._pread(offset, min(CHUNK, remaining_in))
            if not chunk:
                raise Rejected("SIZE_MISMATCH", name, "member truncated")
            offset += len(chunk)
            remaining_in -= len(chunk)
            if d is None:
                out_parts = [chunk]
            else:
                out_parts = []
                data = chunk
                while data:
                    if d.eof:
                        raise Rejected("SIZE_MISMATCH", name, "data after the end of the DEFLATE stream")
                    try:
                        piece = d.decompress(data, m.size - produced + 1)
                    except zlib.error:
                        raise Rejected("CRC_MISMATCH", name, "damaged DEFLATE stream") from None
                    out_parts.append(piece)
                    if produced + sum(map(len, out_parts)) > m.size:
                        raise Rejected("SIZE_MISMATCH", name, "member exceeds its declared size")
                    data = d.unconsumed_tail
            for piece in out_parts:
                if piece:
                    produced += len(piece)
                    if produced > m.size:
                        raise Rejected("SIZE_MISMATCH", name, "member exceeds its declared size")
                    crc = zlib.crc32(piece, crc)
                    yield piece
        if d is not None:
            if not d.eof or d.unused_data:
                raise Rejected("SIZE_MISMATCH", name, "DEFLATE stream does not end at the compressed size")
        if produced != m.size:
            raise Rejected("SIZE_MISMATCH", name, f"{produced} bytes, {m.size} declared")
        if crc != m.crc:
            raise Rejected("CRC_MISMATCH", name)

    def read(self, name: str, max_size: int | None = None) -> bytes:
        m = self.member(name)
        if max_size is not None and m.size > max_size:
            raise Rejected("MEMBER_TOO_LARGE", name, f"{m.size} bytes")
        return b"".join(self.iter_chunks(name))

    def head(self, name: str, n: int = 512) -> bytes:
        """The first ``n`` bytes of a member (for sniffing nested archives) without reading it all."""
        out = b""
        for chunk in self.iter_chunks(name):
            out += chunk
            if len(out) >= n:
                break
        return out[:n]

    def sha256(self, name: str) -> str:
        h = hashlib.sha256()
        for chunk in self.iter_chunks(name):
            h.update(chunk)
        return h.hexdigest()

    def open_path(self) -> Path | None:
        n = getattr(self._f, "name", None)
        return Path(n) if isinstance(n, str) else None


def _has_extra(extra: bytes, header_id: int) -> bool:
    p = 0
    while p + 4 <= len(extra):
        hid, ln = struct.unpack_from("<HH", extra, p)
        if hid == header_id:
            return True
        p += 4 + ln
    return False
