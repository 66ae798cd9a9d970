"""Encoding of a text extract: a BOM, else strict UTF-8, else GBK / GB18030 — never a lossy decode.

The decoder works on blocks cut at line ends (a ``\\n`` byte never occurs inside a UTF-8, GBK or GB18030
character), turns each into UTF-8 for the CSV parser, and refuses a file that mixes encodings (some lines
UTF-8 text, others GBK) instead of producing mojibake.
"""

from __future__ import annotations

import re
from typing import Optional

import numpy as np

from feijian.ingest.errors import EncodingProblem

BOM = b"\xef\xbb\xbf"
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030")
ALIASES = {
    "utf8": "utf-8", "utf-8": "utf-8", "utf_8": "utf-8", "utf-8-sig": "utf-8-sig", "utf8-sig": "utf-8-sig",
    "utf_8_sig": "utf-8-sig", "gbk": "gbk", "cp936": "gbk", "gb2312": "gbk", "gb18030": "gb18030",
}


def canonical_encoding(name: str) -> str:
    key = name.strip().lower()
    if key not in ALIASES:
        raise EncodingProblem(f"不支持的编码 / unsupported encoding {name!r} (utf-8, utf-8-sig, gbk, gb18030)")
    return ALIASES[key]


def line_at(block: bytes, offset: int, first_line: int) -> int:
    head = block[:offset]
    return first_line + head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n")


def _utf8_text_line(block: bytes, window: int = 8 << 20) -> Optional[int]:
    """Offset of a whole line that is valid UTF-8 and holds CJK text, or None.

    Candidates (two CJK characters in UTF-8 form in a row) are found with NumPy; only their lines are
    decoded. In GBK text such byte patterns occur by chance in about one line in a few hundred."""
    a = np.frombuffer(block, dtype=np.uint8)
    n = len(a)
    checked: set[int] = set()
    for start in range(0, n, window):
        w = a[start: min(n, start + window + 5)]
        if len(w) < 6:
            break
        lead = (w >= 0xE4) & (w <= 0xE9)
        cont = (w >= 0x80) & (w <= 0xBF)
        tri = lead[:-2] & cont[1:-1] & cont[2:]
        pos = np.flatnonzero(tri[:-3] & tri[3:])
        for p in pos[:20000].tolist():
            at = start + p
            s = block.rfind(b"\n", 0, at) + 1
            if s in checked:
                continue
            checked.add(s)
            e = block.find(b"\n", at)
            try:
                block[s: e if e >= 0 else n].decode("utf-8")
            except UnicodeDecodeError:
                continue
            return s
    return None


class Decoder:
    """Turns the blocks of one file into UTF-8, deciding and checking the encoding as it goes."""

    def __init__(self, file_name: str, declared: Optional[str] = None) -> None:
        self.file_name = file_name
        self.declared = canonical_encoding(declared) if declared else None
        self.encoding: Optional[str] = self.declared
        self.first_utf8_text_line: Optional[int] = None  # a line proven to be UTF-8 text
        self.first_gb_text_line: Optional[int] = None

    @property
    def reported(self) -> str:
        return self.encoding or "utf-8"

    def start(self, head: bytes) -> bytes:
        """Look at the first bytes; returns them without a BOM."""
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise EncodingProblem(
                f"{self.file_name}: 文件是 UTF-16（Excel 的“Unicode 文本”），请另存为 UTF-8 CSV / the file is UTF-16: "
                "save it as UTF-8 CSV (UTF-8, UTF-8-BOM, GBK and GB18030 are read)"
            )
        if head.startswith(BOM):
            if self.declared not in (None, "utf-8", "utf-8-sig"):
                raise EncodingProblem(
                    f"{self.file_name}: 声明为 {self.declared} 但文件带 UTF-8 BOM / declared {self.declared} but the file starts with a UTF-8 BOM"
                )
            self.encoding = "utf-8-sig"
            return head[len(BOM):]
        if self.declared == "utf-8-sig":
            self.encoding = "utf-8"
        return head

    def _error(self, block: bytes, offset: int, first_line: int, what: str) -> EncodingProblem:
        return EncodingProblem(f"{self.file_name}: 第 {line_at(block, offset, first_line)} 行{what}")

    def to_utf8(self, block: bytes, first_line: int, *, validate_utf8: bool = True) -> bytes:
        """The block as UTF-8 bytes. With ``validate_utf8=False`` a UTF-8 block is passed through unchecked
        (the CSV parser validates it; :meth:`utf8_failed` is then called on failure)."""
        if block.isascii():
            return block
        enc = self.encoding
        if enc in (None, "utf-8", "utf-8-sig"):
            if not validate_utf8 and enc is not None:
                return block
            try:
                block.decode("utf-8")
            except UnicodeDecodeError as exc:
                return self.utf8_failed(block, first_line, exc)
            if self.first_utf8_text_line is None:
                self.first_utf8_text_line = line_at(block, _first_non_ascii(block), first_line)
            if enc is None:
                self.encoding = "utf-8"
            return block
        return self._from_gb(block, first_line)

    def utf8_failed(self, block: bytes, first_line: int, exc: Optional[UnicodeDecodeError] = None) -> bytes:
        if exc is None:
            try:
                block.decode("utf-8")
            except UnicodeDecodeError as e:
                exc = e
            else:  # valid after all
                return block
        where = line_at(block, exc.start, first_line)
        if self.declared in ("utf-8", "utf-8-sig") or self.encoding == "utf-8-sig":
            raise EncodingProblem(
                f"{self.file_name}: 声明/标记为 UTF-8，但第 {where} 行不是有效的 UTF-8 / declared UTF-8 but line {where} is not valid UTF-8"
            )
        if self.first_utf8_text_line is not None:
            raise EncodingProblem(
                f"{self.file_name}: 混用编码：第 {self.first_utf8_text_line} 行是 UTF-8，第 {where} 行不是 / mixed encodings: line {self.first_utf8_text_line} is UTF-8, line {where} is not"
            )
        # everything before was ASCII: the file is in a GB encoding
        self.encoding = "gbk"
        return self._from_gb(block, first_line)

    def _from_gb(self, block: bytes, first_line: int) -> bytes:
        try:
            utf8 = gb_to_utf8(block, self.encoding if self.encoding in ("gbk", "gb18030") else "gbk")
        except UnicodeDecodeError:
            try:
                utf8 = gb_to_utf8(block, "gb18030")
            except UnicodeDecodeError as exc:
                where = line_at(block, exc.start, first_line)
                if self.declared in ("gbk", "gb18030"):
                    raise EncodingProblem(
                        f"{self.file_name}: 声明为 {self.declared}，但第 {where} 行无法按此解码 / declared {self.declared} but line {where} cannot be decoded"
                    ) from None
                raise EncodingProblem(
                    f"{self.file_name}: 第 {where} 行既不是 UTF-8 也不是 GB18030/GBK / line {where} is neither UTF-8 nor GB18030/GBK"
                ) from None
            if self.declared == "gbk":
                pass  # GB18030 is a superset; keep the declared name only if it decoded as such
            self.encoding = "gb18030"
        if self.first_gb_text_line is None:
            self.first_gb_text_line = line_at(block, _first_non_ascii(block), first_line)
        utf8_at = _utf8_text_line(block)
        if utf8_at is not None:
            raise EncodingProblem(
                f"{self.file_name}: 混用编码：第 {line_at(block, utf8_at, first_line)} 行是 UTF-8，第 {self.first_gb_text_line} 行是 GBK / mixed encodings: line {line_at(block, utf8_at, first_line)} is UTF-8, line {self.first_gb_text_line} is GBK"
            )
        return utf8


GB_PIECE_BYTES = 1 << 20


def gb_to_utf8(block: bytes, encoding: str, piece: int = GB_PIECE_BYTES) -> bytes:
    """GBK/GB18030 bytes as UTF-8, transcoded in pieces of about ``piece`` bytes cut after a newline.

    Python's codecs hold the GIL: a 64 MB block decoded at once holds it for about a second, and the
    workbench's UI thread (which needs the GIL to paint) freezes that long during an import. Between pieces
    other threads run. A cut after b"\n" never splits a character: GBK and GB18030 never use byte 0x0A
    inside a multi-byte sequence. A decoding error is raised with its offset in the whole block."""
    n = len(block)
    if n <= piece:
        return block.decode(encoding).encode("utf-8")
    out = []
    start = 0
    while start < n:
        end = min(n, start + piece)
        if end < n:
            nl = block.find(b"\n", end)
            end = n if nl < 0 else nl + 1
        try:
            out.append(block[start:end].decode(encoding).encode("utf-8"))
        except UnicodeDecodeError as exc:
            raise UnicodeDecodeError(exc.encoding, block, start + exc.start, start + exc.end, exc.reason) from None
        start = end
    return b"".join(out)


_NON_ASCII = re.compile(rb"[\x80-\xff]")


def _first_non_ascii(block: bytes) -> int:
    m = _NON_ASCII.search(block)
    return m.start() if m else 0
