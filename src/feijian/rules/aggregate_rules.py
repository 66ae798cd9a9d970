"""Aggregating rules: sums over every line (refunds included, each under its own date, order and
encounter; orphan refunds ignored) compared with a limit. Amount = excess × (sum of amount ÷ sum of cnt),
multiplied before dividing so that it stays exact."""

from __future__ import annotations

from feijian.rules.engine import Context
from feijian.rules.registry import rule


@rule("R08")
def r08_units_per_day(ctx: Context) -> str:
    return """
    WITH k AS (SELECT i.iid, k.max_units_per_day AS lim FROM kb_items k JOIN item_ids i USING (med_list_codg)
               WHERE k.max_units_per_day IS NOT NULL),
    g AS (
      SELECT l.eid, l.iid, l.fee_date, sum(l.cnt) AS s, sum(l.amt) AS a
      FROM agg_lines l WHERE l.iid IN (SELECT iid FROM k)
      GROUP BY l.eid, l.iid, l.fee_date
    ),
    s AS (
      -- the strings only for the groups above their limit
      SELECT e.mdtrt_id, i.med_list_codg, g.fee_date, g.s, g.a, k.lim
      FROM g JOIN k ON k.iid = g.iid JOIN enc_ids e ON e.eid = g.eid JOIN item_ids i ON i.iid = g.iid
      WHERE g.s > k.lim
    )
    SELECT mdtrt_id, med_list_codg, fee_date AS date, (s - lim) * a AS amount_num, s AS amount_den,
           format('项目 {} 在 {} 共 {} 个单位，超过日限量 {}', med_list_codg, ymd(fee_date), qty(s), qty(lim)) AS detail
    FROM s WHERE s > lim
    """


@rule("R09")
def r09_units_per_visit(ctx: Context) -> str:
    return """
    WITH k AS (SELECT i.iid, k.max_units_per_visit AS lim FROM kb_items k JOIN item_ids i USING (med_list_codg)
               WHERE k.max_units_per_visit IS NOT NULL),
    g AS (
      SELECT l.eid, l.iid, sum(l.cnt) AS s, sum(l.amt) AS a
      FROM agg_lines l WHERE l.iid IN (SELECT iid FROM k)
      GROUP BY l.eid, l.iid
    ),
    s AS (
      SELECT e.mdtrt_id, i.med_list_codg, g.s, g.a, k.lim
      FROM g JOIN k ON k.iid = g.iid JOIN enc_ids e ON e.eid = g.eid JOIN item_ids i ON i.iid = g.iid
      WHERE g.s > k.lim
    )
    SELECT mdtrt_id, med_list_codg, (s - lim) * a AS amount_num, s AS amount_den,
           format('项目 {} 本次就诊共 {} 个单位，超过单次就诊限量 {}', med_list_codg, qty(s), qty(lim)) AS detail
    FROM s WHERE s > lim
    """


@rule("R14")
def r14_beyond_order(ctx: Context) -> str:
    return """
    WITH o AS (
      -- (eid, did) packed into one BIGINT (both non-negative 32-bit numbers; null when either is null)
      SELECT (CAST(eid AS BIGINT) << 32) | did AS ok, any_value(total_cnt) AS total_cnt
      FROM orders WHERE total_cnt IS NOT NULL AND did IS NOT NULL AND eid IS NOT NULL GROUP BY ok
    ),
    s AS (
      SELECT (CAST(eid AS BIGINT) << 32) | did AS ok, sum(cnt) AS s, sum(amt) AS a
      FROM agg_lines WHERE did IS NOT NULL AND did IN (SELECT did FROM orders WHERE total_cnt IS NOT NULL)
      GROUP BY ok
    ),
    x AS MATERIALIZED (SELECT s.ok, s.s, s.a, o.total_cnt FROM s JOIN o ON o.ok = s.ok WHERE s.s > o.total_cnt),
    names AS (SELECT (CAST(eid AS BIGINT) << 32) | did AS ok, any_value(mdtrt_id) AS mdtrt_id,
                     any_value(drord_no) AS drord_no, any_value(med_list_codg) AS item
              FROM orders WHERE total_cnt IS NOT NULL AND ((CAST(eid AS BIGINT) << 32) | did) IN (SELECT ok FROM x)
              GROUP BY 1)
    SELECT n.mdtrt_id, n.drord_no, (x.s - x.total_cnt) * x.a AS amount_num, x.s AS amount_den,
           format('医嘱 {}（{}）总量 {}，计费 {}', n.drord_no, n.item, qty(x.total_cnt), qty(x.s)) AS detail
    FROM x JOIN names n ON n.ok = x.ok
    """


@rule("R21")
def r21_bed_days(ctx: Context) -> str:
    return """
    WITH g AS (
      SELECT l.eid, l.iid, sum(l.cnt) AS s, sum(l.amt) AS a, any_value(v.stay_len) AS stay_len
      FROM agg_lines l JOIN enc v ON v.eid = l.eid
           JOIN kb_items k ON k.iid = l.iid
      WHERE v.is_inp AND v.D IS NOT NULL AND k.category = 'bed'
      GROUP BY l.eid, l.iid
    ),
    s AS (SELECT e.mdtrt_id, i.med_list_codg, g.* FROM g JOIN enc_ids e ON e.eid = g.eid
          JOIN item_ids i ON i.iid = g.iid WHERE g.s > g.stay_len)
    SELECT mdtrt_id, med_list_codg, (s - stay_len) * a AS amount_num, s AS amount_den,
           format('床位项目 {} 计 {} 天，住院天数 {} 天', med_list_codg, qty(s), stay_len) AS detail
    FROM s WHERE s > stay_len
    """


@rule("R23")
def r23_settlement_mismatch(ctx: Context) -> str:
    return """
    WITH s AS (SELECT eid, any_value(mdtrt_id) AS mdtrt_id, sum(medfee_sumamt) AS s FROM settlements GROUP BY eid),
    f AS (SELECT eid, sum(amt) AS f FROM agg_lines GROUP BY eid),
    d AS (SELECT s.mdtrt_id, s.s, coalesce(f.f, 0) AS f, s.s - coalesce(f.f, 0) AS diff
          FROM s LEFT JOIN f ON f.eid = s.eid)
    SELECT mdtrt_id, CASE WHEN diff > 0 THEN diff ELSE 0 END AS amount_num,
           format('结算总额 {} 与明细合计 {} 相差 {}', money(s), money(f), money(diff)) AS detail
    FROM d WHERE abs(diff) >= 0.015
    """
