"""The import report (UTF-8-BOM CSV: file, line, field, value, reason) and the printed summary."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable, Optional, Sequence

from feijian.domain.records import ImportedFile, RejectedRow

REPORT_HEADER = ("file", "line", "field", "value", "reason")


def write_report(rejected: Iterable[RejectedRow], path) -> Path:
    """Write one row per refused row, as the data contract describes (UTF-8 with BOM, for Excel)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, lineterminator="\r\n")
        w.writerow(REPORT_HEADER)
        for r in rejected:
            w.writerow((r.file, r.line, r.field, r.value, r.reason))
    return path


def format_summary(
    files: Sequence[ImportedFile],
    *,
    unrecognised: Sequence[tuple[str, str]] = (),
    referential: Sequence = (),
    not_checked: Sequence[str] = (),
    missing_tables: Sequence[str] = (),
    skipped: Sequence[tuple[str, str]] = (),
    batch_id: Optional[str] = None,
) -> str:
    """Per file: table, encoding, SHA-256, rows, read, refused — and the problems found."""
    lines = []
    if batch_id:
        lines.append(f"导入批次 / import batch: {batch_id}")
    lines.append("文件 file | 表 table | 编码 encoding | SHA-256 | 行数 rows | 读入 read | 拒绝 refused")
    for f in files:
        name = f"{f.file_name}[{f.sheet}]" if f.sheet else f.file_name
        lines.append(f"{name} | {f.table} | {f.encoding} | {f.sha256} | {f.rows} | {f.read} | {f.refused}")
    total_rows = sum(f.rows for f in files)
    lines.append(
        f"合计 / total: {len(files)} 个文件 files, {total_rows} 行 rows, {sum(f.read for f in files)} 读入 read, "
        f"{sum(f.refused for f in files)} 拒绝 refused"
    )
    for name, why in skipped:
        lines.append(f"跳过 / skipped: {name}: {why}")
    for name, why in unrecognised:
        lines.append(f"未识别 / not recognised: {name}: {why}")
    for t in missing_tables:
        lines.append(f"缺少必需的表 / required table missing: {t}")
    for p in referential:
        ex = "; ".join(f"{f}:{ln} {v}" for f, ln, v in p.examples[:3])
        if p.kind == "note":
            lines.append(f"已导入，请核对 / imported, to check: {p.table}.{'+'.join(p.fields)} {p.message}: "
                         f"{p.count} ({ex})")
        else:
            lines.append(f"引用检查 / referential: {p.message}: {p.count} ({ex})")
    for note in not_checked:
        lines.append(f"引用检查 / referential: {note}")
    return "\n".join(lines)
