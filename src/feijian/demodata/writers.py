"""Files as real extracts come: which table goes to which file, in which encoding, with which headers
and separator. The staff table is the one XLSX (it stays small at any scale); zip entries and workbook
properties carry a fixed date so that the same seed gives the same bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from feijian.domain.contract import load_contract

FIXED_TIME = dt.datetime(2025, 1, 6, 9, 0, 0)


@dataclass(frozen=True)
class FileSpec:
    table: str
    file_name: str
    encoding: str  # utf-8, utf-8-sig, gbk, xlsx
    headers: str  # "zh" (first Chinese alias) or "en" (field name)
    delimiter: str = ","
    datetime_format: str = "%Y-%m-%d %H:%M:%S"


FILES = (
    FileSpec("institution", "被检机构.csv", "utf-8-sig", "zh"),
    FileSpec("visits", "就诊信息.csv", "gbk", "zh"),
    FileSpec("fees", "费用明细.csv", "gbk", "zh"),
    FileSpec("orders", "orders.csv", "utf-8", "en", datetime_format="%Y/%m/%d %H:%M"),
    FileSpec("diagnoses", "diagnoses.csv", "utf-8", "en"),
    FileSpec("operations", "手术操作.csv", "utf-8", "zh", delimiter="|"),
    FileSpec("settlements", "settlements.csv", "utf-8", "en"),
    FileSpec("inventory", "进销存.csv", "gbk", "zh"),
    FileSpec("trace_codes", "trace_codes.csv", "utf-8", "en"),
    FileSpec("emr_docs", "病历文书.csv", "utf-8-sig", "zh"),
    FileSpec("staff", "医务人员.xlsx", "xlsx", "zh"),
)


def spec_for(table: str) -> FileSpec:
    for f in FILES:
        if f.table == table:
            return f
    raise KeyError(table)


def header_row(spec: FileSpec) -> list[str]:
    t = load_contract().table(spec.table)
    if spec.headers == "en":
        return list(t.field_names)
    return [f.aliases[0] if f.aliases else f.name for f in t.fields]


class CsvTable:
    """A CSV file written row by row (rows are dicts keyed by contract field names)."""

    def __init__(self, folder: Path, spec: FileSpec):
        self.spec = spec
        self.fields = load_contract().table(spec.table).field_names
        self.path = Path(folder) / spec.file_name
        self.fh = open(self.path, "w", encoding=spec.encoding, newline="", errors="strict")
        self.w = csv.writer(self.fh, delimiter=spec.delimiter, lineterminator="\r\n")
        self.w.writerow(header_row(spec))
        self.rows = 0

        iso = spec.datetime_format == "%Y-%m-%d %H:%M:%S"
        dtf = spec.datetime_format
        datetime_t, date_t, dec_t = dt.datetime, dt.date, Decimal

        def cell(value) -> str:
            t = type(value)
            if t is str:
                return value
            if value is None:
                return ""
            if t is dec_t:
                return format(value, "f")
            if t is datetime_t:
                return value.isoformat(" ") if iso and not value.microsecond else value.strftime(dtf)
            if t is date_t:
                return value.isoformat()
            return str(value)

        self.cell = cell

    def write(self, row: dict) -> None:
        cell = self.cell
        self.w.writerow([cell(row.get(f)) for f in self.fields])
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


def write_xlsx(path: Path, spec: FileSpec, rows: list[dict]) -> None:
    """One sheet named like the table (Chinese), codes as text cells, dates as date cells."""
    from openpyxl import Workbook

    t = load_contract().table(spec.table)
    wb = Workbook()
    ws = wb.active
    ws.title = t.names[1] if len(t.names) > 1 else t.name
    ws.append(header_row(spec))
    for row in rows:
        values = []
        for f in t.fields:
            v = row.get(f.name)
            if f.type == "date" and isinstance(v, dt.date):
                values.append(dt.datetime(v.year, v.month, v.day))
            elif v is None:
                values.append(None)
            else:
                values.append(str(v))
        ws.append(values)
    for r in ws.iter_rows(min_row=2):
        for cell, f in zip(r, t.fields):
            if f.type == "date":
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.number_format = "@"
    wb.properties.creator = "feijian demo-data"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = "feijian demo-data"
    buf = io.BytesIO()
    wb.save(buf)
    Path(path).write_bytes(normalise_zip(buf.getvalue()))


def normalise_zip(data: bytes) -> bytes:
    """The same archive with every member dated FIXED_TIME and in name order: byte-identical output.
    openpyxl stamps ``dcterms:modified`` with the time of saving whatever the properties say, so the core
    properties are rewritten here too."""
    src = zipfile.ZipFile(io.BytesIO(data))
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>", body)
            dst.writestr(zi, body, compresslevel=6)
    return out.getvalue()


def write_png(path: Path, width: int, height: int, pixels: bytearray) -> None:
    """An 8-bit greyscale PNG from a row-major bytearray, with zlib and struct only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(pixels[y * width:(y + 1) * width]) for y in range(height))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    Path(path).write_bytes(png)
