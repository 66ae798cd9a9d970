"""Statistical models (大数据模型): clues with amount 0 for the inspector to look into on site. The
definitions in rules.md are short; the choices made here are recorded in the catalogue's notes."""

from __future__ import annotations

from feijian.rules.engine import Context
from feijian.rules.registry import rule

_COST = "SELECT eid, sum(amt) AS cost FROM agg_lines GROUP BY eid"


@rule("S01")
def s01_cost_growth(ctx: Context) -> str:
    ratio = ctx.threshold("growth_ratio")
    return f"""
    WITH c AS ({_COST}),
    e AS (SELECT v.adm_dept_codg AS dept, CAST(date_trunc('month', v.D) AS DATE) AS m, c.cost
          FROM enc v JOIN c ON c.eid = v.eid
          WHERE v.is_inp AND v.D IS NOT NULL AND v.adm_dept_codg IS NOT NULL),
    mm AS (SELECT dept, m, avg(cost) AS mean, count(*) AS n FROM e GROUP BY dept, m),
    w AS (SELECT a.dept, a.m, a.mean, a.n, (b1.mean + b2.mean + b3.mean) / 3 AS prev
          FROM mm a
          JOIN mm b1 ON b1.dept = a.dept AND b1.m = CAST(a.m - INTERVAL 1 MONTH AS DATE)
          JOIN mm b2 ON b2.dept = a.dept AND b2.m = CAST(a.m - INTERVAL 2 MONTH AS DATE)
          JOIN mm b3 ON b3.dept = a.dept AND b3.m = CAST(a.m - INTERVAL 3 MONTH AS DATE))
    SELECT dept AS subject, m AS period_start, 0 AS amount_num,
           format('科室 {{}} {{}} 住院次均费用 {{}}（{{}} 人次），前 3 个月次均 {{}}，增长 {{}}%', dept,
                  strftime(m, '%Y-%m'), money(mean), n, money(prev), round((mean / prev - 1) * 100, 1)) AS detail
    FROM w WHERE prev > 0 AND mean > prev * (1 + {ratio})
    """


@rule("S02")
def s02_daily_dispersion(ctx: Context) -> str:
    return """
    WITH d AS (SELECT l.eid, l.fee_date, sum(l.amt) AS c
               FROM agg_lines l JOIN enc v ON v.eid = l.eid WHERE v.is_inp
               GROUP BY l.eid, l.fee_date),
    -- stddev_pop / mean from exact decimal sums (n·Σc² − (Σc)² ≥ 0 exactly), so that the value does not
    -- depend on the order floating-point sums are taken in, and computed once (MATERIALIZED) for both uses
    cv AS (SELECT eid, sqrt(CAST(count(*) * sum(c * c) - sum(c) * sum(c) AS DOUBLE)) / CAST(sum(c) AS DOUBLE) AS cv,
                  count(*) AS days FROM d
           GROUP BY eid HAVING count(*) >= 2 AND sum(c) > 0),
    x AS MATERIALIZED (SELECT cv.*, v.mdtrt_id, v.adm_dept_codg AS dept FROM cv JOIN enc v ON v.eid = cv.eid
          WHERE v.adm_dept_codg IS NOT NULL),
    p AS (SELECT dept, quantile_cont(cv, 0.99) AS p99 FROM x GROUP BY dept HAVING count(*) >= 2)
    SELECT x.mdtrt_id, x.dept AS subject, 0 AS amount_num,
           format('日费用变异系数 {} 高于科室 {} 的 99% 分位数 {}（{} 个收费日）', round(x.cv, 3), x.dept,
                  round(p.p99, 3), x.days) AS detail
    FROM x JOIN p ON p.dept = x.dept WHERE x.cv > p.p99
    """


@rule("S03")
def s03_doctor_outlier(ctx: Context) -> str:
    z = ctx.threshold("outlier_z")
    return f"""
    WITH c AS ({_COST}),
    e AS (SELECT v.adm_dept_codg AS dept, v.atddr_no AS dr, c.cost
          FROM enc v JOIN c ON c.eid = v.eid
          WHERE v.is_inp AND v.adm_dept_codg IS NOT NULL AND v.atddr_no IS NOT NULL),
    d AS (SELECT dept, dr, avg(cost) AS mean, count(*) AS n FROM e GROUP BY dept, dr),
    s AS (SELECT dept, avg(mean) AS mu, stddev_samp(mean) AS sd, count(*) AS k FROM d
          GROUP BY dept HAVING count(*) >= 5)
    SELECT d.dept || '/' || d.dr AS subject, 0 AS amount_num,
           format('医生 {{}}（科室 {{}}）次均费用 {{}}（{{}} 人次），科室 {{}} 名医生均值 {{}}、标准差 {{}}', d.dr, d.dept,
                  money(d.mean), d.n, s.k, money(s.mu), money(s.sd)) AS detail
    FROM d JOIN s ON s.dept = d.dept WHERE s.sd > 0 AND d.mean > s.mu + {z} * s.sd
    """


@rule("S04")
def s04_material_frequency(ctx: Context) -> str:
    z = ctx.threshold("outlier_z")
    return f"""
    WITH ops AS (SELECT oper_dr_codg AS dr, eid FROM operations WHERE oper_dr_codg IS NOT NULL),
    nops AS (SELECT dr, count(*) AS n FROM ops GROUP BY dr),
    enc_dr AS (SELECT DISTINCT dr, eid FROM ops),
    hv AS (SELECT iid FROM kb_items WHERE category = 'high_value_material' AND iid IS NOT NULL),
    uses AS (SELECT e.dr, i.med_list_codg, u FROM
               (SELECT e.dr, n.iid, sum(n.net_cnt) AS u
                FROM enc_dr e JOIN net_lines n ON n.eid = e.eid
                WHERE n.iid IN (SELECT iid FROM hv) GROUP BY e.dr, n.iid) e
               JOIN item_ids i ON i.iid = e.iid),
    grid AS (SELECT nops.dr, nops.n, i.med_list_codg, CAST(coalesce(u.u, 0) AS DOUBLE) / nops.n AS rate
             FROM nops CROSS JOIN (SELECT DISTINCT med_list_codg FROM uses) i
             LEFT JOIN uses u ON u.dr = nops.dr AND u.med_list_codg = i.med_list_codg),
    st AS (SELECT med_list_codg, avg(rate) AS mu, stddev_samp(rate) AS sd, count(*) AS k FROM grid
           GROUP BY med_list_codg HAVING count(*) >= 5)
    SELECT g.dr AS subject, g.med_list_codg, 0 AS amount_num,
           format('医生 {{}} 每台手术使用高值耗材 {{}} {{}} 个，{{}} 名术者均值 {{}}、标准差 {{}}', g.dr, g.med_list_codg,
                  qty(round(g.rate, 2)), st.k, qty(round(st.mu, 2)), qty(round(st.sd, 2))) AS detail
    FROM grid g JOIN st ON st.med_list_codg = g.med_list_codg
    WHERE st.sd > 0 AND g.rate > st.mu + {z} * st.sd
    """
