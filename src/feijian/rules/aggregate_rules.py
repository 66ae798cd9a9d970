"""Aggregating rules: sums over every line (refunds included, each under its own date, order and
encounter; orphan refunds ignored) compared with a limit. Amount = excess × (sum of amount ÷ sum of cnt),
multiplied before dividing so that it stays exact."""

from __future__ import annotations

from feijian.rules.engine import Context
from feijian.rules.registry import rule


@rule("R08")
def r08_units_per_day(ctx: Context) -> str:
    return """
    WITH s AS (
      SELECT l.mdtrt_id, l.med_list_codg, l.fee_date, sum(l.cnt) AS s, sum(l.amt) AS a,
             any_value(k.max_units_per_day) AS lim
      FROM agg_lines l JOIN kb_items k ON k.med_list_codg = l.med_list_codg
      WHERE k.max_units_per_day IS NOT NULL
      GROUP BY l.mdtrt_id, l.med_list_codg, l.fee_date
    )
    SELECT mdtrt_id, med_list_codg, fee_date AS date, (s - lim) * a AS amount_num, s AS amount_den,
           format('项目 {} 在 {} 共 {} 个单位，超过日限量 {}', med_list_codg, ymd(fee_date), qty(s), qty(lim)) AS detail
    FROM s WHERE s > lim
    """


@rule("R09")
def r09_units_per_visit(ctx: Context) -> str:
    return """
    WITH s AS (
      SELECT l.mdtrt_id, l.med_list_codg, sum(l.cnt) AS s, sum(l.amt) AS a,
             any_value(k.max_units_per_visit) AS lim
      FROM agg_lines l JOIN kb_items k ON k.med_list_codg = l.med_list_codg
      WHERE k.max_units_per_visit IS NOT NULL
      GROUP BY l.mdtrt_id, l.med_list_codg
    )
    SELECT mdtrt_id, med_list_codg, (s - lim) * a AS amount_num, s AS amount_den,
           format('项目 {} 本次就诊共 {} 个单位，超过单次就诊限量 {}', med_list_codg, qty(s), qty(lim)) AS detail
    FROM s WHERE s > lim
    """


@rule("R14")
def r14_beyond_order(ctx: Context) -> str:
    return """
    WITH s AS (
      SELECT mdtrt_id, drord_no, sum(cnt) AS s, sum(amt) AS a
      FROM agg_lines WHERE drord_no IS NOT NULL GROUP BY mdtrt_id, drord_no
    ),
    o AS (SELECT mdtrt_id, drord_no, any_value(total_cnt) AS total_cnt, any_value(med_list_codg) AS item
          FROM orders WHERE total_cnt IS NOT NULL GROUP BY mdtrt_id, drord_no)
    SELECT s.mdtrt_id, s.drord_no, (s.s - o.total_cnt) * s.a AS amount_num, s.s AS amount_den,
           format('医嘱 {}（{}）总量 {}，计费 {}', s.drord_no, o.item, qty(o.total_cnt), qty(s.s)) AS detail
    FROM s JOIN o ON o.mdtrt_id = s.mdtrt_id AND o.drord_no = s.drord_no
    WHERE s.s > o.total_cnt
    """


@rule("R21")
def r21_bed_days(ctx: Context) -> str:
    return """
    WITH s AS (
      SELECT l.mdtrt_id, l.med_list_codg, sum(l.cnt) AS s, sum(l.amt) AS a, any_value(v.stay_len) AS stay_len
      FROM agg_lines l JOIN enc v ON v.mdtrt_id = l.mdtrt_id
           JOIN kb_items k ON k.med_list_codg = l.med_list_codg
      WHERE v.is_inp AND v.D IS NOT NULL AND k.category = 'bed'
      GROUP BY l.mdtrt_id, l.med_list_codg
    )
    SELECT mdtrt_id, med_list_codg, (s - stay_len) * a AS amount_num, s AS amount_den,
           format('床位项目 {} 计 {} 天，住院天数 {} 天', med_list_codg, qty(s), stay_len) AS detail
    FROM s WHERE s > stay_len
    """


@rule("R23")
def r23_settlement_mismatch(ctx: Context) -> str:
    return """
    WITH s AS (SELECT mdtrt_id, sum(medfee_sumamt) AS s FROM settlements GROUP BY mdtrt_id),
    f AS (SELECT mdtrt_id, sum(amt) AS f FROM agg_lines GROUP BY mdtrt_id),
    d AS (SELECT s.mdtrt_id, s.s, coalesce(f.f, 0) AS f, s.s - coalesce(f.f, 0) AS diff
          FROM s LEFT JOIN f ON f.mdtrt_id = s.mdtrt_id)
    SELECT mdtrt_id, CASE WHEN diff > 0 THEN diff ELSE 0 END AS amount_num,
           format('结算总额 {} 与明细合计 {} 相差 {}', money(s), money(f), money(diff)) AS detail
    FROM d WHERE abs(diff) >= 0.015
    """
