"""``OCR 待核``: hits of R24–R29 that rest on text a recogniser read (issue 20). A recogniser can miss or
misread a word, so a hit is marked for review when

- the documents the rule looked at for it (the encounter's documents of the rule's types in the rule's date
  window, records.md) include one read with OCR whose lowest line confidence is below ``low_confidence``
  (resources/ocr/limits.toml): an absence decided there (R24, R25, R27, R28, a count of R26, a missed negation
  of R29) may be a misreading; or
- the clause the detail quotes (「…」) comes from a document read with OCR.

The mark is a step over a rule's hits after the rule ran (:func:`mark_ocr_review`), so the rules themselves
are unchanged: the detail starts with :data:`OCR_REVIEW_MARK` and ends with the reason; the hit list shows the
mark (:func:`needs_ocr_review`)."""

from __future__ import annotations

import tomllib
from functools import lru_cache

import pyarrow as pa

from feijian.paths import resource

OCR_REVIEW = "OCR 待核"
OCR_REVIEW_MARK = f"【{OCR_REVIEW}】"

# per rule: the document types looked at (SQL; ``h.iid`` the hit's item) and the date window around the
# hit's date (days), None = the whole encounter
_WINDOWS = {
    "R24": ("d.doc_type IN ('exam_report', 'lab_report') AND d.doc_type IN "
            "(SELECT y.doc_type FROM item_doc_type y WHERE y.iid = h.iid)", 0, "report_days"),
    "R25": ("d.doc_type = 'operation'", -1, 1),
    "R26": ("d.doc_type IN (SELECT y.doc_type FROM item_doc_type y WHERE y.iid = h.iid)", None, None),
    "R27": ("d.doc_type = 'nursing'", 0, 0),
    "R28": ("d.doc_type = 'treatment'", 0, 0),
    "R29": ("d.doc_type IN ('nursing', 'progress')", 0, 0),
}
RECORD_RULES = tuple(_WINDOWS)


@lru_cache(maxsize=1)
def low_confidence() -> float:
    raw = tomllib.loads(resource("ocr", "limits.toml").read_text(encoding="utf-8"))
    return float(raw["low_confidence"])


def needs_ocr_review(detail) -> bool:
    return isinstance(detail, str) and detail.startswith(OCR_REVIEW_MARK)


def mark_ocr_review(ctx, code: str, hits: pa.Table, threshold: float | None = None) -> pa.Table:
    """``hits`` (the runner's hit table of rule ``code``) with the details of the hits to review marked."""
    if code not in _WINDOWS or hits.num_rows == 0 or "documents" not in ctx.extras:
        return hits
    con = ctx.con
    if "ocr_docs" not in ctx.extras:
        ctx.extras["ocr_docs"] = con.execute("SELECT count(*) FROM doc_text WHERE ocr_conf IS NOT NULL").fetchall()[0][0]
    if not ctx.extras["ocr_docs"]:
        return hits
    threshold = low_confidence() if threshold is None else threshold
    types, lo, hi = _WINDOWS[code]
    if hi == "report_days":
        hi = int(ctx.threshold("report_days"))
    window = "" if lo is None else f" AND d.doc_date BETWEEN h.day + {int(lo)} AND h.day + {int(hi)}"
    con.register("ocr_hits_src", hits.select(["hit_id", "mdtrt_id", "feedetl_sn", "med_list_codg", "date", "detail"]))
    try:
        rows = con.execute(f"""
        WITH h AS (
          SELECT s.hit_id, e.eid, coalesce(o.iid, i.iid) AS iid, coalesce(s.date, o.fee_date) AS day,
                 rtrim(regexp_extract(s.detail, '「([^」]*)」', 1), '…') AS quote
          FROM ocr_hits_src s JOIN enc_ids e ON e.mdtrt_id = s.mdtrt_id
          LEFT JOIN item_ids i ON i.med_list_codg = s.med_list_codg
          LEFT JOIN orig_net o ON o.eid = e.eid AND o.feedetl_sn = s.feedetl_sn
        )
        SELECT h.hit_id,
               min(d.ocr_conf) FILTER (WHERE d.ocr_conf < {float(threshold)}) AS low,
               bool_or(h.quote <> '' AND contains(doc_original(d.dno), h.quote)) AS quoted
        FROM h JOIN doc_text d ON d.eid = h.eid AND d.ocr_conf IS NOT NULL AND {types}{window}
        GROUP BY h.hit_id
        HAVING low IS NOT NULL OR quoted
        """).fetchall()
    finally:
        con.unregister("ocr_hits_src")
    if not rows:
        return hits
    reasons = {}
    for hit_id, low, quoted in rows:
        why = []
        if low is not None:
            why.append(f"所据文书含识别置信度低的行，最低 {low:.2f}（阈值 {threshold:.2f}）")
        if quoted:
            why.append("所引文句由文字识别读出")
        reasons[hit_id] = "；".join(why)
    details = hits.column("detail").to_pylist()
    out = [f"{OCR_REVIEW_MARK}{d}（{OCR_REVIEW}：{reasons[h]}，请对照原件）" if h in reasons and not needs_ocr_review(d) else d
           for h, d in zip(hits.column("hit_id").to_pylist(), details)]
    return hits.set_column(hits.column_names.index("detail"), "detail", pa.array(out, hits.schema.field("detail").type))
