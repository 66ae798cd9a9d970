"""Rules over the drug and material supply chain: stock (进销存) and traceability codes (追溯码)."""

from __future__ import annotations

from feijian.rules.engine import Context
from feijian.rules.registry import rule


@rule("R15")
def r15_stock(ctx: Context) -> str:
    return """
    WITH inv AS (
      SELECT i.iid, v.med_list_codg, period_start, period_end,
             (opening_qty + purchased_qty - closing_qty) * coalesce(pack_ratio, 1) AS avail
      FROM inventory v JOIN item_ids i ON i.med_list_codg = v.med_list_codg
    ),
    s AS (
      SELECT i.med_list_codg, i.period_start, i.period_end, any_value(i.avail) AS avail,
             sum(l.cnt) AS s, sum(l.amt) AS a
      FROM inv i JOIN agg_lines l ON l.iid = i.iid
                                  AND l.fee_date BETWEEN i.period_start AND i.period_end
      GROUP BY i.med_list_codg, i.period_start, i.period_end
    )
    SELECT med_list_codg, period_start, period_end, (s - avail) * a AS amount_num, s AS amount_den,
           format('项目 {} 在 {} 至 {} 计费 {}，进销存可供数量 {}', med_list_codg, ymd(period_start),
                  ymd(period_end), qty(s), qty(avail)) AS detail
    FROM s WHERE s > avail
    """


@rule("R16")
def r16_trace_code_twice(ctx: Context) -> str:
    return """
    WITH t AS (
      SELECT DISTINCT tc.trac_codg, e.mdtrt_id, n.feedetl_sn, n.fee_ocur_time, n.net_amt, i.med_list_codg
      FROM trace_codes tc JOIN net_lines n ON n.eid = tc.eid AND n.feedetl_sn = tc.feedetl_sn
           JOIN enc_ids e ON e.eid = n.eid LEFT JOIN item_ids i ON i.iid = n.iid
    ),
    r AS (
      SELECT t.*, row_number() OVER w AS rn,
             first_value(t.mdtrt_id || '/' || t.feedetl_sn) OVER w AS first_line
      FROM t WINDOW w AS (PARTITION BY trac_codg ORDER BY fee_ocur_time, mdtrt_id, feedetl_sn)
    ),
    m AS (SELECT mdtrt_id, feedetl_sn, any_value(net_amt) AS net_amt, min(trac_codg) AS code,
                 arg_min(first_line, trac_codg) AS first_line, any_value(med_list_codg) AS item
          FROM r WHERE rn > 1 GROUP BY mdtrt_id, feedetl_sn)
    SELECT mdtrt_id, feedetl_sn, net_amt AS amount_num,
           format('项目 {} 的追溯码 {} 已在明细 {} 中收费', item, code, first_line) AS detail
    FROM m
    """
