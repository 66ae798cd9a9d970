"""Line-grain rules: each hit is one net fee line (mdtrt_id, feedetl_sn); its amount is the line's net
amount unless the rule says otherwise. Fully refunded lines do not exist for them (``net_lines``)."""

from __future__ import annotations

from feijian.rules.engine import Context
from feijian.rules.registry import NotRunnable, rule

_ITEM = "n.med_list_codg || coalesce('（' || n.med_list_name || '）', '')"


@rule("R01")
def r01_duplicate(ctx: Context) -> str:
    return f"""
    WITH k AS (
      -- the few groups with more than one line first (a hash aggregate), then the window over them only
      SELECT eid, iid, date_trunc('minute', fee_ocur_time) AS mi, net_cnt, pric
      FROM net_lines GROUP BY ALL HAVING count(*) > 1
    ),
    c AS (
      SELECT n.*, date_trunc('minute', n.fee_ocur_time) AS mi FROM net_lines n
      SEMI JOIN k ON k.eid IS NOT DISTINCT FROM n.eid AND k.iid IS NOT DISTINCT FROM n.iid
                 AND k.mi IS NOT DISTINCT FROM date_trunc('minute', n.fee_ocur_time)
                 AND k.net_cnt IS NOT DISTINCT FROM n.net_cnt AND k.pric IS NOT DISTINCT FROM n.pric
    ),
    g AS (
      SELECT n.*, row_number() OVER w AS rn, first_value(n.feedetl_sn) OVER w AS first_sn
      FROM c n
      WINDOW w AS (PARTITION BY n.eid, n.iid, n.mi, n.net_cnt, n.pric
                   ORDER BY n.fee_ocur_time, n.mdtrt_id, n.feedetl_sn)
    )
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('项目 {{}} 于 {{}} 与明细 {{}} 重复收费：数量 {{}}，单价 {{}}', {_ITEM},
                  strftime(n.fee_ocur_time, '%Y-%m-%d %H:%M'), n.first_sn, qty(n.net_cnt), money(n.pric)) AS detail
    FROM g n WHERE n.rn > 1
    """


@rule("R02", needs_extra=("institution",))
def r02_price_cap(ctx: Context) -> str:
    if ctx.medins_lv is None:
        raise NotRunnable("需要机构等级 medins_lv 为 1/2/3 / needs institution.medins_lv 1, 2 or 3")
    return f"""
    SELECT n.mdtrt_id, n.feedetl_sn, (n.pric - k.cap) * n.net_cnt AS amount_num,
           format('项目 {{}} 单价 {{}} 超过 {ctx.medins_lv} 级医院限价 {{}}，数量 {{}}', {_ITEM},
                  money(n.pric), money(k.cap), qty(n.net_cnt)) AS detail
    FROM net_lines n JOIN kb_items k ON k.med_list_codg = n.med_list_codg
    WHERE k.cap IS NOT NULL AND n.pric > k.cap + 0.005
    """


@rule("R03")
def r03_gender(ctx: Context) -> str:
    return f"""
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('项目 {{}} 限{{}}性使用，患者性别为{{}}', {_ITEM},
                  CASE k.gender_limit WHEN '1' THEN '男' ELSE '女' END,
                  CASE v.gend WHEN '1' THEN '男' ELSE '女' END) AS detail
    FROM net_lines n JOIN kb_items k ON k.med_list_codg = n.med_list_codg
         JOIN enc v ON v.eid = n.eid
    WHERE k.gender_limit IS NOT NULL AND v.gend IN ('1', '2') AND v.gend <> k.gender_limit
    """


@rule("R04")
def r04_age(ctx: Context) -> str:
    return f"""
    WITH a AS (
      SELECT n.*, k.age_min, k.age_max,
             CASE WHEN v.brdy IS NOT NULL THEN CAST(
                    year(n.fee_date) - year(v.brdy)
                    - CASE WHEN month(n.fee_date) * 100 + day(n.fee_date) < month(v.brdy) * 100 + day(v.brdy)
                           THEN 1 ELSE 0 END AS DECIMAL(18, 4))
                  ELSE v.age END AS age_at_fee
      FROM net_lines n JOIN kb_items k ON k.med_list_codg = n.med_list_codg
           JOIN enc v ON v.eid = n.eid
      WHERE k.age_min IS NOT NULL OR k.age_max IS NOT NULL
    )
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('项目 {{}} 限 {{}}–{{}} 岁，患者收费时 {{}} 岁', {_ITEM},
                  coalesce(qty(n.age_min), ''), coalesce(qty(n.age_max), ''), qty(n.age_at_fee)) AS detail
    FROM a n
    WHERE n.age_at_fee IS NOT NULL
      AND ((n.age_min IS NOT NULL AND n.age_at_fee < n.age_min) OR (n.age_max IS NOT NULL AND n.age_at_fee > n.age_max))
    """


@rule("R05")
def r05_outside_stay(ctx: Context) -> str:
    return f"""
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('项目 {{}} 收费日期 {{}} 不在住院期间 {{}} 至 {{}}', {_ITEM}, ymd(n.fee_date), ymd(v.A),
                  coalesce(ymd(v.D), '?')) AS detail
    FROM net_lines n JOIN enc v ON v.eid = n.eid
    WHERE v.is_inp AND (n.fee_date < v.A OR (v.D IS NOT NULL AND n.fee_date > v.D))
    """


@rule("R06")
def r06_after_death(ctx: Context) -> str:
    return f"""
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('项目 {{}} 收费时间 {{}} 晚于死亡离院时间 {{}}', {_ITEM},
                  strftime(n.fee_ocur_time, '%Y-%m-%d %H:%M:%S'), strftime(v.endtime, '%Y-%m-%d %H:%M:%S')) AS detail
    FROM net_lines n JOIN enc v ON v.eid = n.eid
    WHERE v.dscg_way = '5' AND v.endtime IS NOT NULL AND n.fee_ocur_time > v.endtime
    """


@rule("R07")
def r07_exclusive(ctx: Context) -> str:
    return f"""
    WITH p AS (SELECT DISTINCT code_a, code_b, scope FROM kb_exclusive_pairs),
    a AS (SELECT DISTINCT n.eid, n.med_list_codg, n.fee_date FROM net_lines n
          WHERE n.med_list_codg IN (SELECT code_a FROM p)),
    m AS (
      SELECT n.mdtrt_id, n.feedetl_sn, any_value(n.net_amt) AS net_amt, any_value({_ITEM}) AS item,
             min(p.code_a) AS code_a, min(p.scope) AS scope
      FROM net_lines n JOIN p ON p.code_b = n.med_list_codg
           JOIN a ON a.eid = n.eid AND a.med_list_codg = p.code_a
                     AND (p.scope = 'visit' OR a.fee_date = n.fee_date)
      GROUP BY n.mdtrt_id, n.feedetl_sn
    )
    SELECT mdtrt_id, feedetl_sn, net_amt AS amount_num,
           format('项目 {{}} 与 {{}} 互斥/被包含（{{}}），不应另行收费', item, code_a,
                  CASE scope WHEN 'day' THEN '同日' ELSE '同次就诊' END) AS detail
    FROM m
    """


@rule("R10")
def r10_outpatient_during_stay(ctx: Context) -> str:
    return f"""
    WITH inp AS (SELECT mdtrt_id, psn_no, A, D FROM enc WHERE is_inp AND D IS NOT NULL),
    op AS (SELECT eid, mdtrt_id, psn_no, A AS bd FROM enc WHERE NOT is_inp),
    m AS (SELECT op.mdtrt_id, any_value(op.eid) AS eid, min(inp.mdtrt_id) AS inp_id, any_value(op.bd) AS bd
          FROM op JOIN inp ON inp.psn_no = op.psn_no AND op.bd > inp.A AND op.bd < inp.D
          GROUP BY op.mdtrt_id)
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('门诊就诊 {{}}（{{}}）发生在住院 {{}} 期间，项目 {{}}', n.mdtrt_id, ymd(m.bd), m.inp_id, {_ITEM}) AS detail
    FROM net_lines n JOIN m ON m.eid = n.eid
    """


@rule("R13")
def r13_no_order(ctx: Context) -> str:
    return f"""
    WITH o AS (SELECT DISTINCT eid, did FROM orders WHERE did IS NOT NULL)
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           CASE WHEN n.drord_no IS NULL THEN format('项目 {{}} 无医嘱号', {_ITEM})
                ELSE format('项目 {{}} 的医嘱号 {{}} 不在本次就诊医嘱中', {_ITEM}, n.drord_no) END AS detail
    FROM net_lines n JOIN enc v ON v.eid = n.eid
         LEFT JOIN kb_items k ON k.med_list_codg = n.med_list_codg
         LEFT JOIN o ON o.eid = n.eid AND o.did = n.did
    WHERE v.is_inp AND coalesce(n.list_type, k.list_type) IN ('drug', 'service') AND o.did IS NULL
    """


@rule("R17")
def r17_material_without_operation(ctx: Context) -> str:
    return f"""
    WITH pm AS (SELECT material_codg, trim(unnest(string_split(oprn_prefixes, ';'))) AS p FROM kb_procedure_materials),
    ok AS (SELECT DISTINCT n.lid FROM net_lines n
           JOIN pm ON pm.material_codg = n.med_list_codg AND pm.p <> ''
           JOIN operations o ON o.eid = n.eid AND starts_with(o.oprn_code, pm.p))
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('高值耗材 {{}} 无匹配手术（应为 {{}} 开头的手术）', {_ITEM}, k.oprn_prefixes) AS detail
    FROM net_lines n JOIN kb_procedure_materials k ON k.material_codg = n.med_list_codg
    WHERE n.lid NOT IN (SELECT lid FROM ok)
    """


@rule("R18")
def r18_diagnosis_limit(ctx: Context) -> str:
    return f"""
    WITH dl AS (SELECT med_list_codg, trim(unnest(string_split(dx_limit, ';'))) AS p FROM kb_items
                WHERE dx_limit IS NOT NULL),
    lim AS (SELECT DISTINCT med_list_codg FROM dl WHERE p <> ''),
    ok AS (SELECT DISTINCT n.lid FROM net_lines n
           JOIN dl ON dl.med_list_codg = n.med_list_codg AND dl.p <> ''
           JOIN diagnoses d ON d.eid = n.eid AND starts_with(d.diag_code, dl.p))
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('项目 {{}} 限定诊断 {{}}，本次就诊无相符诊断', {_ITEM}, k.dx_limit) AS detail
    FROM net_lines n JOIN lim ON lim.med_list_codg = n.med_list_codg
         JOIN kb_items k ON k.med_list_codg = n.med_list_codg
    WHERE n.lid NOT IN (SELECT lid FROM ok)
    """


@rule("R19")
def r19_unqualified_doctor(ctx: Context) -> str:
    return f"""
    WITH s AS (SELECT dr_codg, min(practice_from) AS practice_from, max(practice_to) AS practice_to,
                      bool_or(practice_to IS NULL) AS open_end, bool_or(practice_from IS NULL) AS open_start
               FROM staff GROUP BY dr_codg)
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           CASE WHEN s.dr_codg IS NULL THEN format('开单医生 {{}} 不在医务人员名单中，项目 {{}}', n.bilg_dr_codg, {_ITEM})
                ELSE format('开单医生 {{}} 的执业期间 {{}} 至 {{}} 不含收费日期 {{}}，项目 {{}}', n.bilg_dr_codg,
                            coalesce(ymd(s.practice_from), ''), coalesce(ymd(s.practice_to), ''), ymd(n.fee_date), {_ITEM})
           END AS detail
    FROM net_lines n LEFT JOIN s ON s.dr_codg = n.bilg_dr_codg
    WHERE n.bilg_dr_codg IS NOT NULL
      AND (s.dr_codg IS NULL
           OR (NOT s.open_start AND n.fee_date < s.practice_from)
           OR (NOT s.open_end AND n.fee_date > s.practice_to))
    """


@rule("R22")
def r22_inpatient_only(ctx: Context) -> str:
    return f"""
    SELECT n.mdtrt_id, n.feedetl_sn, n.net_amt AS amount_num,
           format('限住院项目 {{}} 在门诊就诊（医疗类别 {{}}）中收费', {_ITEM}, v.med_type) AS detail
    FROM net_lines n JOIN kb_items k ON k.med_list_codg = n.med_list_codg
         JOIN enc v ON v.eid = n.eid
    WHERE coalesce(k.inpatient_only, false) AND NOT v.is_inp
    """
