"""Rules R24–R29 of ../shared/docs/records.md: what the medical record documents say against what was
billed. They read the mention tables of :mod:`feijian.rules.record_prep` (made once per run, when the first
of them runs); "documents of the item" are the encounter's documents whose type is in the item's
``doc_types``; a negated mention is no mention. Each hit's ``detail`` quotes the clause that decided, or
says which document type was missing.
"""

from __future__ import annotations

import pyarrow as pa

from feijian.rules.engine import TEXT_COLS, TEXT_JOIN, Context
from feijian.rules.record_prep import texts_of
from feijian.rules.record_text import DEFAULT_UNIT_WORDS, count_after, mentions, normal_terms
from feijian.rules.registry import NotRunnable, rule

_KEYS = "t_mdtrt_id AS mdtrt_id, t_feedetl_sn AS feedetl_sn"
_NO_TERMS = "知识库没有项目文书用语 kb_item_terms / not run: the knowledge base has no kb_item_terms"
# a clause as written, trimmed, at most 60 characters, in 「」
_QUOTE = "'「' || CASE WHEN length(trim({x})) > 60 THEN left(trim({x}), 60) || '…' ELSE trim({x}) END || '」'"


def _quote(x: str) -> str:
    return _QUOTE.format(x=x)


def _hit_lines_first(ctx: Context, name: str, core: str, select: str) -> str:
    """A line rule in two steps, like ``engine.with_text``, but the hit lines of ``core`` are made a table
    first: DuckDB then knows they are few and joins the fee lines' strings to them, not the other way round
    (a materialised CTE of unknown size made it hash all fee lines: R29 0.45 s -> 0.04 s at scale 10)."""
    ctx.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {core}")
    return f"WITH h AS (SELECT * FROM {name}), t AS (SELECT h.*, {TEXT_COLS} FROM h {TEXT_JOIN}) SELECT {select} FROM t"


def _documents(ctx: Context, *, needs_terms: bool = True) -> dict:
    if needs_terms and ctx.kb.item_terms is None:
        raise NotRunnable(_NO_TERMS)
    return ctx.need("documents")


def _missing_document_rule(ctx: Context, *, types_of: str, extra_where: str, lo: str, hi: str,
                           what: str) -> str:
    """R24/R25: net lines of the items with a document type in ``types_of`` and no document of the item
    that mentions them dated from fee date + ``lo`` to fee date + ``hi`` (days). The window is matched as
    one equality per day of it (a hash join on encounter, item and date; a range condition made DuckDB pair
    every line with every mention of its item in the encounter: R24 0.10 -> 0.06 s CPU at scale 10)."""
    m = "(SELECT m.* FROM doc_mention m JOIN item_doc_type y ON y.iid = m.iid AND y.doc_type = m.doc_type)"
    name = f"missing_doc_h_{lo.replace('-', 'm')}_{hi}"
    ctx.con.execute(f"""
    CREATE OR REPLACE TEMP TABLE {name} AS
    WITH it AS (SELECT DISTINCT y.iid FROM item_doc_type y LEFT JOIN kb_items k ON k.iid = y.iid
                WHERE y.doc_type IN {types_of} {extra_where}),
    l AS MATERIALIZED (SELECT n.lid, n.eid, n.iid, n.fee_date, n.net_amt FROM net_lines n
                       WHERE n.iid IN (SELECT iid FROM it)),
    m AS {m},
    md AS (SELECT DISTINCT eid, iid, doc_date FROM m WHERE mentioned AND iid IN (SELECT iid FROM it)),
    ok AS (SELECT DISTINCT l.lid FROM l CROSS JOIN (SELECT CAST(unnest(range({lo}, {hi} + 1)) AS INTEGER) AS k) r
           JOIN md ON md.eid = l.eid AND md.iid = l.iid AND md.doc_date = l.fee_date + r.k)
    SELECT * FROM l WHERE lid NOT IN (SELECT lid FROM ok)""")
    return f"""
    WITH m AS {m},
    h AS (SELECT * FROM {name}),
    d AS (
      SELECT h.lid, {_type_names_sql('h.iid', types_of)} AS types,
             (SELECT count(*) FROM doc_text dm JOIN item_doc_type y ON y.iid = h.iid AND y.doc_type = dm.doc_type
              WHERE dm.eid = h.eid AND dm.doc_date BETWEEN h.fee_date + {lo} AND h.fee_date + {hi}) AS n_docs,
             (SELECT min((m.dno, m.negated_clause_no)) FROM m
              WHERE m.eid = h.eid AND m.iid = h.iid AND m.negated_clause_no IS NOT NULL
                AND m.doc_date BETWEEN h.fee_date + {lo} AND h.fee_date + {hi}) AS negated_at
      FROM h
    ),
    t AS (SELECT h.*, d.types, d.n_docs, doc_clause(d.negated_at[1], d.negated_at[2]) AS negated_raw, {TEXT_COLS}
          FROM h JOIN d USING (lid) {TEXT_JOIN})
    SELECT {_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 于 {{}} 收费，{{}} 至 {{}} 的{{}}中没有{what}{{}}', t_item, ymd(fee_date),
                  ymd(fee_date + {lo}), ymd(fee_date + {hi}), types,
                  CASE WHEN negated_raw IS NOT NULL THEN '；文书记载' || {_quote('negated_raw')} || '（否定）'
                       WHEN n_docs = 0 THEN '（该期间无此类文书）'
                       ELSE format('（该期间此类文书 {{}} 份，均未提及）', n_docs) END) AS detail
    FROM t
    """


@rule("R24")
def r24_exam_without_report(ctx: Context) -> str:
    _documents(ctx)
    days = int(ctx.threshold("report_days"))
    return _missing_document_rule(ctx, types_of="('exam_report', 'lab_report')", extra_where="", lo="0",
                                  hi=str(days), what="提及该项目的报告")


@rule("R25")
def r25_operation_without_note(ctx: Context) -> str:
    _documents(ctx)
    return _missing_document_rule(ctx, types_of="('operation')",
                                  extra_where="AND coalesce(k.category, '') <> 'high_value_material'",
                                  lo="-1", hi="1", what="提及该手术的记录")


def _document_counts(ctx: Context, loaded: dict) -> None:
    """R26's count per document and material (``doc_count``): the largest count of any non-negated mention
    in the document (records.md, reading 5), with the clause that gave it. Python over the few documents
    that mention a material; the counting is :func:`feijian.rules.record_text.count_after`."""
    con = ctx.con
    terms, units = loaded["terms"], loaded["unit_words"]
    pairs = con.execute("""
        SELECT m.dno, m.iid, m.eid FROM doc_mention m JOIN item_doc_type y ON y.iid = m.iid AND y.doc_type = m.doc_type
        WHERE m.iid IN (SELECT iid FROM r26_items) AND m.mentioned ORDER BY m.dno, m.iid""").fetchall()
    # the few documents' normal texts taken from the Arrow table by dno (its row), not joined in DuckDB
    texts = texts_of(loaded["documents"].column("ntext"), [p[0] for p in pairs])
    out: dict[str, list] = {"dno": [], "iid": [], "eid": [], "cnt": [], "clause_no": []}
    for (dno, iid, eid), ntext in zip(pairs, texts):
        words = units.get(iid) or normal_terms(DEFAULT_UNIT_WORDS)
        best = None
        for no, clause in enumerate(ntext.split("\n")):
            for m in mentions(clause, terms[iid]):
                if not m.negated:
                    n = count_after(clause, m.end, words)
                    if best is None or n > best[0]:
                        best = (n, no)
        if best is not None:
            for k, v in zip(out, (dno, iid, eid, *best)):
                out[k].append(v)
    con.register("doc_count_src", pa.table({"dno": pa.array(out["dno"], pa.int64()), "iid": pa.array(out["iid"], pa.int32()),
                                            "eid": pa.array(out["eid"], pa.int32()),
                                            "cnt": pa.array(out["cnt"], pa.int64()),
                                            "clause_no": pa.array(out["clause_no"], pa.int64())}))
    con.execute("CREATE OR REPLACE TABLE doc_count AS SELECT * FROM doc_count_src")
    con.unregister("doc_count_src")


@rule("R26")
def r26_material_above_record(ctx: Context) -> str:
    loaded = _documents(ctx)
    ctx.con.execute("""CREATE OR REPLACE TABLE r26_items AS
        SELECT DISTINCT t.iid FROM item_term t JOIN item_ids i ON i.iid = t.iid
        JOIN kb_procedure_materials p ON p.material_codg = i.med_list_codg""")
    _document_counts(ctx, loaded)
    return f"""
    WITH g AS (SELECT eid, iid, sum(cnt) AS s, sum(amt) AS a FROM agg_lines
               WHERE iid IN (SELECT iid FROM r26_items) GROUP BY eid, iid),
    dc AS (SELECT eid, iid, sum(cnt) AS documented, count(*) AS n_docs, arg_max((dno, clause_no), (cnt, -dno)) AS best
           FROM doc_count GROUP BY eid, iid),
    h AS (SELECT g.*, coalesce(dc.documented, 0) AS documented, dc.n_docs, doc_clause(dc.best[1], dc.best[2]) AS raw
          FROM g LEFT JOIN dc USING (eid, iid) WHERE g.s > coalesce(dc.documented, 0))
    SELECT e.mdtrt_id, i.med_list_codg, (h.s - h.documented) * h.a AS amount_num, h.s AS amount_den,
           format('项目 {{}} 本次就诊计费 {{}} 个单位，{{}}记载 {{}} 个{{}}', i.med_list_codg, qty(h.s),
                  {_type_names_sql('h.iid')}, qty(h.documented),
                  CASE WHEN h.raw IS NULL THEN '（文书中没有提及该耗材）'
                       WHEN h.n_docs > 1 THEN format('（{{}} 份文书，其一：{{}}）', h.n_docs, {_quote('h.raw')})
                       ELSE '：' || {_quote('h.raw')} END) AS detail
    FROM h JOIN enc_ids e ON e.eid = h.eid JOIN item_ids i ON i.iid = h.iid
    """


def _type_names_sql(iid: str, types_of: str = "") -> str:
    """SQL: the Chinese names of the item's document types (among ``types_of``, a SQL list), joined by 、."""
    among = f" AND y.doc_type IN {types_of}" if types_of else ""
    return f"""(SELECT string_agg(n.name, '、' ORDER BY n.name) FROM item_doc_type y
                JOIN doc_type_name n ON n.doc_type = y.doc_type WHERE y.iid = {iid}{among})"""


@rule("R27")
def r27_nursing_level(ctx: Context) -> str:
    """``nm``: each day's first mention of a nursing item, its document and position as two columns (a
    minimum of (dno, pos) structs over the 163k nursing mentions cost 0.076 s of R27's 0.18 s at scale 10;
    a document is mentioned once per item, so the least dno decides)."""
    _documents(ctx)
    core = """
    WITH nm AS (SELECT eid, doc_date, iid, min(dno) AS dno, arg_min(pos, dno) AS pos FROM doc_mention
                WHERE doc_type = 'nursing' AND mentioned AND iid IN (SELECT iid FROM nursing_term_item)
                GROUP BY eid, doc_date, iid),
    l AS (SELECT n.lid, n.eid, n.iid, n.fee_date, n.net_amt FROM net_lines n
          WHERE n.iid IN (SELECT iid FROM nursing_term_item)),
    x AS (SELECT l.lid, arg_min(nm.iid, (nm.dno, nm.pos)) AS other, min(nm.dno) AS first FROM l
          JOIN nm ON nm.eid = l.eid AND nm.doc_date = l.fee_date AND nm.iid <> l.iid
          WHERE NOT EXISTS (SELECT 1 FROM nm s WHERE s.eid = l.eid AND s.doc_date = l.fee_date AND s.iid = l.iid)
          GROUP BY l.lid)
    SELECT l.*, i.med_list_codg || coalesce('（' || k.name || '）', '') AS other_item,
           doc_clause(m.dno, coalesce(m.clause_no, doc_clause_no(m.dno, m.pos))) AS raw
    FROM l JOIN x USING (lid) JOIN (SELECT DISTINCT iid, med_list_codg FROM item_term) i ON i.iid = x.other
    LEFT JOIN kb_items k ON k.med_list_codg = i.med_list_codg
    JOIN doc_mention m ON m.dno = x.first AND m.iid = x.other
    """
    return _hit_lines_first(ctx, "r27_h", core, f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 于 {{}} 收费，当日护理记录记载 {{}}：{{}}，未记载本项目', t_item, ymd(fee_date),
                  other_item, {_quote('raw')}) AS detail""")


@rule("R28")
def r28_treatment_sessions(ctx: Context) -> str:
    """The deciding clause of an R28 hit: a negated mention in a treatment record of the day (the session
    was refused or cancelled) first; else one of the recorded sessions' clauses; else the detail says that
    the day has no treatment record, or how many it has and that none names the item."""
    _documents(ctx)
    m = "(SELECT * FROM doc_mention WHERE doc_type = 'treatment' AND iid IN (SELECT iid FROM tr))"
    # the hit days as a table first: the three look-ups below would each compute them again (0.15 -> 0.07 s
    # CPU at scale 10)
    ctx.con.execute(f"""
    CREATE OR REPLACE TEMP TABLE r28_h AS
    WITH tr AS (SELECT DISTINCT iid FROM item_doc_type WHERE doc_type = 'treatment'),
    g AS (SELECT eid, iid, fee_date, sum(cnt) AS s, sum(amt) AS a FROM agg_lines
          WHERE iid IN (SELECT iid FROM tr) GROUP BY eid, iid, fee_date),
    m AS {m},
    r AS (SELECT eid, iid, doc_date, count(DISTINCT dno) AS recorded FROM m WHERE mentioned
          GROUP BY eid, iid, doc_date)
    SELECT g.*, coalesce(r.recorded, 0) AS recorded FROM g
    LEFT JOIN r ON r.eid = g.eid AND r.iid = g.iid AND r.doc_date = g.fee_date
    WHERE g.s > coalesce(r.recorded, 0)""")
    return f"""
    WITH tr AS (SELECT DISTINCT iid FROM item_doc_type WHERE doc_type = 'treatment'),
    m AS {m},
    h AS (SELECT * FROM r28_h),
    q0 AS (
      SELECT h.eid, h.iid, h.fee_date,
             (SELECT count(*) FROM doc_text d WHERE d.eid = h.eid AND d.doc_type = 'treatment'
              AND d.doc_date = h.fee_date) AS n_docs,
             (SELECT min((m.dno, m.clause_no, m.pos)) FROM m
              WHERE m.eid = h.eid AND m.iid = h.iid AND m.doc_date = h.fee_date AND m.mentioned) AS rec,
             (SELECT min((m.dno, m.negated_clause_no)) FROM m
              WHERE m.eid = h.eid AND m.iid = h.iid AND m.doc_date = h.fee_date AND NOT m.mentioned
                AND m.negated_clause_no IS NOT NULL) AS neg
      FROM h
    ),
    q AS (SELECT eid, iid, fee_date, n_docs, doc_clause(neg[1], neg[2]) AS negated_raw,
                 doc_clause(rec[1], coalesce(rec[2], doc_clause_no(rec[1], rec[3]))) AS recorded_raw FROM q0)
    SELECT e.mdtrt_id, i.med_list_codg, h.fee_date AS date, (h.s - h.recorded) * h.a AS amount_num,
           h.s AS amount_den,
           format('项目 {{}} 在 {{}} 计费 {{}} 次，当日治疗记录提及该项目 {{}} 份{{}}', i.med_list_codg,
                  ymd(h.fee_date), qty(h.s), h.recorded,
                  CASE WHEN q.negated_raw IS NOT NULL THEN '；文书记载' || {_quote('q.negated_raw')} || '（否定）'
                       WHEN q.recorded_raw IS NOT NULL AND h.recorded > 1 THEN '，其一：' || {_quote('q.recorded_raw')}
                       WHEN q.recorded_raw IS NOT NULL THEN '：' || {_quote('q.recorded_raw')}
                       WHEN q.n_docs = 0 THEN '（当日无治疗记录）'
                       ELSE format('（当日治疗记录 {{}} 份，均未提及）', q.n_docs) END) AS detail
    FROM h JOIN q USING (eid, iid, fee_date) JOIN enc_ids e ON e.eid = h.eid JOIN item_ids i ON i.iid = h.iid
    """


@rule("R29")
def r29_billed_while_away(ctx: Context) -> str:
    _documents(ctx, needs_terms=False)
    core = """
    WITH ab AS (SELECT eid, doc_date, min((dno, clause_no, doc_type)) AS first FROM absence_mention GROUP BY eid, doc_date)
    SELECT n.lid, n.net_amt, n.fee_date, doc_clause(ab.first[1], ab.first[2]) AS raw, ab.first[3] AS doc_type
    FROM net_lines n JOIN enc v ON v.eid = n.eid JOIN kb_items k ON k.iid = n.iid
    JOIN ab ON ab.eid = n.eid AND ab.doc_date = n.fee_date
    WHERE v.is_inp AND v.D IS NOT NULL AND n.fee_date > v.A AND n.fee_date < v.D
      AND k.category IN ('bed', 'nursing', 'diet')
    """
    return _hit_lines_first(ctx, "r29_h", core, f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 于 {{}} 收费，当日{{}}记载 {{}}（患者不在院）', t_item, ymd(fee_date),
                  CASE doc_type WHEN 'nursing' THEN '护理记录' ELSE '病程记录' END, {_quote('raw')}) AS detail""")
