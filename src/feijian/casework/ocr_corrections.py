"""Corrections of lines a recogniser read (issue 20, the record view): an inspector who sees on the page image
that a line was misread (``烧动脉`` where the page says ``桡动脉``) writes what the page says. Each correction is
an event with a register of its own (``ocr_correction``, id ``doc_id#line``, ``value``): correcting the same
line again supersedes the earlier correction, two inspectors' corrections of different lines merge side by
side, and two different corrections of one line made apart are a conflict the merge reports. Withdrawing one
writes ``deleted``; an undo withdraws it. The document as imported is never changed: the original reading
stays in ``emr_docs`` and in the correction's value.

:func:`corrected_row` applies a document's corrections to its ``emr_docs`` row (the text, the lines, the
lowest confidence): the screening and the record view read documents through
:mod:`feijian.casework.case_documents`, which applies them. A corrected line counts as confirmed by a person:
its confidence is 1.0, so it no longer makes a hit ``OCR 待核`` (:mod:`feijian.rules.record_ocr`). Saving a
line unchanged confirms it without changing the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Mapping, Optional

from feijian.casework.changes import Change, commit
from feijian.domain.errors import InputError

LINE_CORRECTED = "ocr.line_corrected"
CORRECTION_WITHDRAWN = "ocr.correction_withdrawn"
ENTITY = "ocr_correction"
CONFIRMED = 1.0  # the confidence of a line a person corrected or confirmed


@dataclass(frozen=True)
class LineCorrection:
    doc_id: str
    line: int  # index in the document's _ocr_lines
    original: str  # the line as the recogniser read it
    text: str  # the line as the inspector read it on the page
    mdtrt_id: str = ""

    @property
    def correction_id(self) -> str:
        return correction_id(self.doc_id, self.line)

    @property
    def confirms(self) -> bool:
        """Saved unchanged: the reading confirmed, not corrected."""
        return self.text == self.original


def correction_id(doc_id: str, line: int) -> str:
    return f"{doc_id}#{int(line)}"


def _raw_lines(ocr_lines: Optional[str]) -> dict:
    try:
        raw = json.loads(ocr_lines or "")
    except ValueError:
        raw = None
    if not isinstance(raw, dict) or not isinstance(raw.get("lines"), list):
        raise InputError("该文书不是文字识别读出的 / the document was not read with OCR")
    return raw


def original_line(row: Mapping, line: int) -> str:
    """The line ``line`` of a document's ``emr_docs`` row as the recogniser read it (before any correction)."""
    raw = _raw_lines(row.get("_ocr_lines"))
    kept = (raw.get("corrected") or {}).get(str(int(line)))
    if kept is not None:  # a row with corrections applied keeps the reading
        return str(kept[0])
    if not 0 <= int(line) < len(raw["lines"]):
        raise InputError(f"文书 {row.get('doc_id')} 没有第 {int(line) + 1} 行 / no line {int(line) + 1}")
    return str(raw["lines"][int(line)][3])


def correct_line(store, row: Mapping, line: int, text: str) -> Change:
    """Record that line ``line`` of the document ``row`` (its ``emr_docs`` row: doc_id, mdtrt_id, text,
    _ocr_lines; corrections applied or not) reads ``text`` on the page."""
    new = str(text or "").strip()
    if not new:
        raise InputError("更正后的文字为空 / the corrected line is empty")
    if "\n" in new or "\r" in new:
        raise InputError("一次只能更正一行 / a correction is one line")
    doc_id = str(row.get("doc_id") or "")
    if not doc_id:
        raise InputError("文书没有文书ID / the document has no doc_id")
    original = original_line(row, line)
    value = {"doc_id": doc_id, "mdtrt_id": str(row.get("mdtrt_id") or ""), "line": int(line),
             "original": original, "text": new}
    cid = correction_id(doc_id, line)
    verb = "确认识别行 / confirm OCR line" if new == original else "更正识别行 / correct OCR line"
    return commit(store, LINE_CORRECTED, {(ENTITY, cid, "value"): value, (ENTITY, cid, "deleted"): False},
                  description=f"{verb} {doc_id} #{int(line) + 1}: {original} → {new}")


def withdraw_correction(store, doc_id: str, line: int) -> Change:
    cid = correction_id(doc_id, line)
    if store.state().get(ENTITY, cid, "value") is None:
        raise InputError(f"没有这条更正 / no correction of {doc_id} line {int(line) + 1}")
    return commit(store, CORRECTION_WITHDRAWN, {(ENTITY, cid, "deleted"): True},
                  description=f"撤回更正 / withdraw correction {cid}")


def corrections(state) -> dict[str, dict[int, LineCorrection]]:
    """The corrections in force: doc_id → line → correction."""
    out: dict[str, dict[int, LineCorrection]] = {}
    for _cid, fields in state.entities(ENTITY).items():
        v = fields.get("value")
        if not isinstance(v, dict) or fields.get("deleted"):
            continue
        c = LineCorrection(str(v.get("doc_id", "")), int(v.get("line", -1)), str(v.get("original", "")),
                           str(v.get("text", "")), str(v.get("mdtrt_id", "")))
        out.setdefault(c.doc_id, {})[c.line] = c
    return out


def corrected_row(row: Mapping, fixes: Mapping[int, LineCorrection]) -> dict:
    """The ``emr_docs`` row with its corrections applied: each corrected line's text replaced in the document's
    text (where the text holds the line) and in ``_ocr_lines`` (with confidence :data:`CONFIRMED`; the
    original reading and confidence kept under ``"corrected"``), ``_ocr_confidence`` the lowest confidence
    left. A correction whose original no longer matches the line (the document imported again, read
    differently) is not applied. The normal text the rules read is the caller's to recompute."""
    from feijian.casework.record_pages import line_spans
    from feijian.ingest.document_text import lines_from_json

    out = dict(row)
    if not fixes or not row.get("_ocr_lines"):
        return out
    raw = _raw_lines(row["_ocr_lines"])
    lines = raw["lines"]
    kept = dict(raw.get("corrected") or {})
    text = str(row.get("text") or "")
    spans = line_spans(text, lines_from_json(row["_ocr_lines"]))
    applied = []
    for idx, fix in sorted(fixes.items()):
        if not 0 <= idx < len(lines):
            continue
        current = str(lines[idx][3])
        original = kept[str(idx)][0] if str(idx) in kept else current
        if original != fix.original:
            continue
        kept.setdefault(str(idx), [current, lines[idx][2]])
        lines[idx] = [lines[idx][0], lines[idx][1], CONFIRMED, fix.text]
        applied.append((spans[idx], fix.text))
    if not applied:
        return out
    for (start, end), new in sorted(applied, key=lambda a: a[0][0], reverse=True):
        if start >= 0:
            text = text[:start] + new + text[end:]
    pages: dict[str, float] = {}
    for page, _box, conf, _t in lines:
        pages[str(page)] = min(pages.get(str(page), 1.0), float(conf))
    raw.update(lines=lines, pages=dict(sorted(pages.items(), key=lambda kv: int(kv[0]))), corrected=kept)
    out["text"] = text
    out["_ocr_lines"] = json.dumps(raw, ensure_ascii=False, separators=(",", ":"))
    out["_ocr_confidence"] = min((float(x[2]) for x in lines), default=None)
    return out


def corrected_lines(ocr_lines: Optional[str]) -> dict[int, tuple[str, float]]:
    """Line index → (original reading, original confidence) of the lines corrected in an ``_ocr_lines``
    value produced by :func:`corrected_row`."""
    if not ocr_lines:
        return {}
    try:
        raw = json.loads(ocr_lines)
    except ValueError:
        return {}
    kept = raw.get("corrected") if isinstance(raw, dict) else None
    return {int(k): (str(v[0]), float(v[1])) for k, v in (kept or {}).items()}
