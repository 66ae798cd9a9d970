"""Rules over inpatient stays (visit grain, clues with amount 0): readmission, idle bed days, overlaps."""

from __future__ import annotations

from feijian.rules.engine import Context
from feijian.rules.registry import rule


@rule("R11")
def r11_readmission(ctx: Context) -> str:
    days = ctx.threshold("readmit_days")
    return f"""
    WITH s AS (
      SELECT mdtrt_id, psn_no, A, lag(mdtrt_id) OVER w AS prev_id, lag(D) OVER w AS prev_d
      FROM enc WHERE is_inp
      WINDOW w AS (PARTITION BY psn_no ORDER BY begntime, mdtrt_id)
    ),
    pd AS (SELECT DISTINCT mdtrt_id, left(diag_code, 3) AS d3 FROM diagnoses WHERE diag_type = '1'),
    m AS (
      SELECT s.mdtrt_id, s.prev_id, s.prev_d, s.A, min(a.d3) AS d3
      FROM s JOIN pd a ON a.mdtrt_id = s.mdtrt_id JOIN pd b ON b.mdtrt_id = s.prev_id AND b.d3 = a.d3
      WHERE s.prev_d IS NOT NULL AND date_diff('day', s.prev_d, s.A) <= {days}
      GROUP BY ALL
    )
    SELECT mdtrt_id, 0 AS amount_num,
           format('距上次住院 {{}}（{{}} 出院）{{}} 天再入院，主要诊断同为 {{}}', prev_id, ymd(prev_d),
                  date_diff('day', prev_d, A), d3) AS detail
    FROM m
    """


@rule("R12")
def r12_idle_bed(ctx: Context) -> str:
    days = ctx.threshold("idle_bed_days")
    return f"""
    WITH inp AS (SELECT eid, mdtrt_id, A, D FROM enc WHERE is_inp AND D IS NOT NULL AND date_diff('day', A, D) - 1 >= {days}),
    busy AS (
      SELECT DISTINCT inp.mdtrt_id, n.fee_date AS d
      FROM net_lines n JOIN inp ON inp.eid = n.eid
           LEFT JOIN kb_items k ON k.iid = n.iid
      WHERE n.fee_date > inp.A AND n.fee_date < inp.D
        AND coalesce(k.category, '') NOT IN ('bed', 'nursing', 'diet')
    ),
    pts AS (SELECT mdtrt_id, A AS d FROM inp UNION ALL SELECT mdtrt_id, d FROM busy
            UNION ALL SELECT mdtrt_id, D AS d FROM inp),
    gaps AS (SELECT mdtrt_id, d, lead(d) OVER (PARTITION BY mdtrt_id ORDER BY d) AS nd FROM pts),
    runs AS (SELECT mdtrt_id, date_diff('day', d, nd) - 1 AS len, d + 1 AS start FROM gaps WHERE nd IS NOT NULL),
    m AS (SELECT mdtrt_id, max(len) AS len, arg_min(start, (-len, start)) AS start FROM runs GROUP BY mdtrt_id)
    SELECT mdtrt_id, 0 AS amount_num,
           format('自 {{}} 起连续 {{}} 天只有床位、护理、膳食费用（挂床疑点）', ymd(start), len) AS detail
    FROM m WHERE len >= {days}
    """


@rule("R20")
def r20_overlapping_stays(ctx: Context) -> str:
    return """
    WITH s AS (
      SELECT mdtrt_id, psn_no, A, A + stay_len AS e, begntime,
             max(A + stay_len) OVER (PARTITION BY psn_no ORDER BY begntime, mdtrt_id
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
      FROM enc WHERE is_inp AND D IS NOT NULL
    )
    SELECT mdtrt_id, 0 AS amount_num,
           format('入院日期 {} 早于同一参保人此前住院的结束日期 {}（住院时间重叠）', ymd(A), ymd(prev_end)) AS detail
    FROM s WHERE prev_end IS NOT NULL AND A < prev_end
    """
