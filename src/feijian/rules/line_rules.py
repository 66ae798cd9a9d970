"""Line-grain rules: each hit is one net fee line (mdtrt_id, feedetl_sn); its amount is the line's net
amount unless the rule says otherwise. Fully refunded lines do not exist for them (``net_lines``).

Each rule finds its hit lines over the lean, integer-keyed ``net_lines`` first and fetches the strings
(encounter id, item code and name, order number) for those lines only (:func:`engine.with_text`)."""

from __future__ import annotations

from feijian.rules.engine import TEXT_COLS, TEXT_JOIN, Context, with_text
from feijian.rules.registry import NotRunnable, rule

_ITEM = "t_item"
_KEYS = "t_mdtrt_id AS mdtrt_id, t_feedetl_sn AS feedetl_sn"


@rule("R01")
def r01_duplicate(ctx: Context) -> str:
    return f"""
    WITH k AS (
      -- candidate groups first: lines whose key hash occurs more than once (a superset of the duplicate
      -- groups: a hash collision only adds a candidate, the window below partitions on the real key)
      SELECT hash(eid, iid, date_trunc('minute', fee_ocur_time), net_cnt, pric) AS hk
      FROM net_lines GROUP BY hk HAVING count(*) > 1
    ),
    c AS MATERIALIZED (
      SELECT n.lid, n.eid, n.iid, n.fee_ocur_time, n.net_cnt, n.net_amt, n.pric,
             date_trunc('minute', n.fee_ocur_time) AS mi
      FROM net_lines n
      WHERE hash(n.eid, n.iid, date_trunc('minute', n.fee_ocur_time), n.net_cnt, n.pric) IN (SELECT hk FROM k)
    ),
    h AS (SELECT h.*, {TEXT_COLS} FROM c h {TEXT_JOIN}),
    g AS (
      SELECT n.*, row_number() OVER w AS rn, first_value(n.t_feedetl_sn) OVER w AS first_sn
      FROM h n
      WINDOW w AS (PARTITION BY n.eid, n.iid, n.mi, n.net_cnt, n.pric
                   ORDER BY n.fee_ocur_time, n.t_mdtrt_id, n.t_feedetl_sn)
    )
    SELECT {_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 于 {{}} 与明细 {{}} 重复收费：数量 {{}}，单价 {{}}', {_ITEM},
                  strftime(fee_ocur_time, '%Y-%m-%d %H:%M'), first_sn, qty(net_cnt), money(pric)) AS detail
    FROM g WHERE rn > 1
    """


@rule("R02", needs_extra=("institution",))
def r02_price_cap(ctx: Context) -> str:
    if ctx.medins_lv is None:
        raise NotRunnable("需要机构等级 medins_lv 为 1/2/3 / needs institution.medins_lv 1, 2 or 3")
    return with_text(
        """SELECT n.lid, n.pric, n.net_cnt, k.cap FROM net_lines n JOIN kb_items k ON k.iid = n.iid
           WHERE k.cap IS NOT NULL AND n.pric > k.cap + 0.005""",
        f"""{_KEYS}, (pric - cap) * net_cnt AS amount_num,
           format('项目 {{}} 单价 {{}} 超过 {ctx.medins_lv} 级医院限价 {{}}，数量 {{}}', {_ITEM},
                  money(pric), money(cap), qty(net_cnt)) AS detail""")


@rule("R03")
def r03_gender(ctx: Context) -> str:
    return with_text(
        """SELECT n.lid, n.net_amt, k.gender_limit, v.gend
           FROM net_lines n JOIN kb_items k ON k.iid = n.iid JOIN enc v ON v.eid = n.eid
           WHERE k.gender_limit IS NOT NULL AND v.gend IN ('1', '2') AND v.gend <> k.gender_limit""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 限{{}}性使用，患者性别为{{}}', {_ITEM},
                  CASE gender_limit WHEN '1' THEN '男' ELSE '女' END,
                  CASE gend WHEN '1' THEN '男' ELSE '女' END) AS detail""")


@rule("R04")
def r04_age(ctx: Context) -> str:
    return with_text(
        """WITH a AS (
             SELECT n.lid, n.net_amt, k.age_min, k.age_max,
                    CASE WHEN v.brdy IS NOT NULL THEN CAST(
                           year(n.fee_date) - year(v.brdy)
                           - CASE WHEN month(n.fee_date) * 100 + day(n.fee_date) < month(v.brdy) * 100 + day(v.brdy)
                                  THEN 1 ELSE 0 END AS DECIMAL(18, 4))
                         ELSE v.age END AS age_at_fee
             FROM net_lines n JOIN kb_items k ON k.iid = n.iid JOIN enc v ON v.eid = n.eid
             WHERE k.age_min IS NOT NULL OR k.age_max IS NOT NULL
           )
           SELECT * FROM a
           WHERE age_at_fee IS NOT NULL
             AND ((age_min IS NOT NULL AND age_at_fee < age_min) OR (age_max IS NOT NULL AND age_at_fee > age_max))""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 限 {{}}，患者收费时 {{}} 岁', {_ITEM},
                  age_range(age_min, age_max), qty(age_at_fee)) AS detail""")


@rule("R05")
def r05_outside_stay(ctx: Context) -> str:
    return with_text(
        """SELECT n.lid, n.net_amt, n.fee_date, v.A, v.D FROM net_lines n JOIN enc v ON v.eid = n.eid
           WHERE v.is_inp AND (n.fee_date < v.A OR (v.D IS NOT NULL AND n.fee_date > v.D))""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 收费日期 {{}} 不在住院期间 {{}} 至 {{}}', {_ITEM}, ymd(fee_date), ymd(A),
                  coalesce(ymd(D), '?')) AS detail""")


@rule("R06")
def r06_after_death(ctx: Context) -> str:
    return with_text(
        """SELECT n.lid, n.net_amt, n.fee_ocur_time, v.endtime FROM net_lines n JOIN enc v ON v.eid = n.eid
           WHERE v.dscg_way = '5' AND v.endtime IS NOT NULL AND n.fee_ocur_time > v.endtime""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 收费时间 {{}} 晚于死亡离院时间 {{}}', {_ITEM},
                  strftime(fee_ocur_time, '%Y-%m-%d %H:%M:%S'), strftime(endtime, '%Y-%m-%d %H:%M:%S')) AS detail""")


@rule("R07")
def r07_exclusive(ctx: Context) -> str:
    return with_text(
        """WITH p AS (SELECT DISTINCT ia.iid AS iid_a, p.code_a, ib.iid AS iid_b, p.scope FROM kb_exclusive_pairs p
                     JOIN item_ids ia ON ia.med_list_codg = p.code_a JOIN item_ids ib ON ib.med_list_codg = p.code_b),
           a AS (SELECT DISTINCT n.eid, n.iid, n.fee_date FROM net_lines n WHERE n.iid IN (SELECT iid_a FROM p)),
           m AS (
             SELECT n.lid, n.net_amt, p.code_a, p.scope
             FROM net_lines n JOIN p ON p.iid_b = n.iid
                  JOIN a ON a.eid = n.eid AND a.iid = p.iid_a AND (p.scope = 'visit' OR a.fee_date = n.fee_date)
           )
           SELECT lid, any_value(net_amt) AS net_amt, min(code_a) AS code_a, min(scope) AS scope FROM m GROUP BY lid""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 与 {{}} 互斥/被包含（{{}}），不应另行收费', {_ITEM}, code_a,
                  CASE scope WHEN 'day' THEN '同日' ELSE '同次就诊' END) AS detail""")


@rule("R10")
def r10_outpatient_during_stay(ctx: Context) -> str:
    return with_text(
        """WITH inp AS (SELECT mdtrt_id, psn_no, A, D FROM enc WHERE is_inp AND D IS NOT NULL),
           op AS (SELECT eid, mdtrt_id, psn_no, A AS bd FROM enc WHERE NOT is_inp),
           m AS (SELECT op.mdtrt_id, any_value(op.eid) AS eid, min(inp.mdtrt_id) AS inp_id, any_value(op.bd) AS bd
                 FROM op JOIN inp ON inp.psn_no = op.psn_no AND op.bd > inp.A AND op.bd < inp.D
                 GROUP BY op.mdtrt_id)
           SELECT n.lid, n.net_amt, m.inp_id, m.bd FROM net_lines n JOIN m ON m.eid = n.eid""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('门诊就诊 {{}}（{{}}）发生在住院 {{}} 期间，项目 {{}}', t_mdtrt_id, ymd(bd), inp_id, {_ITEM}) AS detail""")


@rule("R13")
def r13_no_order(ctx: Context) -> str:
    return with_text(
        # (eid, did) packed into one BIGINT: both are non-negative 32-bit numbers; null when either is null
        """WITH o AS (SELECT DISTINCT (CAST(eid AS BIGINT) << 32) | did AS ok FROM orders WHERE did IS NOT NULL)
           SELECT n.lid, n.net_amt FROM net_lines n JOIN enc v ON v.eid = n.eid
                LEFT JOIN kb_items k ON k.iid = n.iid
           WHERE v.is_inp AND coalesce(n.list_type, k.list_type) IN ('drug', 'service')
             AND NOT coalesce((CAST(n.eid AS BIGINT) << 32) | n.did IN (SELECT ok FROM o), false)""",
        f"""{_KEYS}, net_amt AS amount_num,
           CASE WHEN t_drord_no IS NULL THEN format('项目 {{}} 无医嘱号', {_ITEM})
                ELSE format('项目 {{}} 的医嘱号 {{}} 不在本次就诊医嘱中', {_ITEM}, t_drord_no) END AS detail""")


@rule("R17")
def r17_material_without_operation(ctx: Context) -> str:
    return with_text(
        """WITH km AS (SELECT i.iid, k.oprn_prefixes FROM kb_procedure_materials k
                      JOIN item_ids i ON i.med_list_codg = k.material_codg),
           pm AS (SELECT iid, trim(unnest(string_split(oprn_prefixes, ';'))) AS p FROM km),
           ok AS (SELECT DISTINCT n.lid FROM net_lines n
                  JOIN pm ON pm.iid = n.iid AND pm.p <> ''
                  JOIN operations o ON o.eid = n.eid AND starts_with(o.oprn_code, pm.p))
           SELECT n.lid, n.net_amt, km.oprn_prefixes FROM net_lines n JOIN km ON km.iid = n.iid
           WHERE n.lid NOT IN (SELECT lid FROM ok)""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('高值耗材 {{}} 无匹配手术（应为 {{}} 开头的手术）', {_ITEM}, oprn_prefixes) AS detail""")


@rule("R18")
def r18_diagnosis_limit(ctx: Context) -> str:
    return with_text(
        """WITH dl AS (SELECT iid, trim(unnest(string_split(dx_limit, ';'))) AS p FROM kb_items
                      WHERE dx_limit IS NOT NULL AND iid IS NOT NULL),
           lim AS (SELECT DISTINCT iid FROM dl WHERE p <> ''),
           ok AS (SELECT DISTINCT n.lid FROM net_lines n
                  JOIN dl ON dl.iid = n.iid AND dl.p <> ''
                  JOIN diagnoses d ON d.eid = n.eid AND starts_with(d.diag_code, dl.p))
           SELECT n.lid, n.net_amt, k.dx_limit FROM net_lines n JOIN lim ON lim.iid = n.iid
                JOIN kb_items k ON k.iid = n.iid
           WHERE n.lid NOT IN (SELECT lid FROM ok)""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('项目 {{}} 限定诊断 {{}}，本次就诊无相符诊断', {_ITEM}, dx_limit) AS detail""")


@rule("R19")
def r19_unqualified_doctor(ctx: Context) -> str:
    return with_text(
        """WITH s AS (SELECT dr_codg, min(practice_from) AS practice_from, max(practice_to) AS practice_to,
                             bool_or(practice_to IS NULL) AS open_end, bool_or(practice_from IS NULL) AS open_start
                      FROM staff GROUP BY dr_codg)
           SELECT n.lid, n.net_amt, n.bilg_dr_codg, n.fee_date, s.dr_codg, s.practice_from, s.practice_to
           FROM net_lines n LEFT JOIN s ON s.dr_codg = n.bilg_dr_codg
           WHERE n.bilg_dr_codg IS NOT NULL
             AND (s.dr_codg IS NULL
                  OR (NOT s.open_start AND n.fee_date < s.practice_from)
                  OR (NOT s.open_end AND n.fee_date > s.practice_to))""",
        f"""{_KEYS}, net_amt AS amount_num,
           CASE WHEN dr_codg IS NULL THEN format('开单医生 {{}} 不在医务人员名单中，项目 {{}}', bilg_dr_codg, {_ITEM})
                ELSE format('开单医生 {{}} 的执业期间 {{}} 至 {{}} 不含收费日期 {{}}，项目 {{}}', bilg_dr_codg,
                            coalesce(ymd(practice_from), '（未登记）'), coalesce(ymd(practice_to), '（未登记）'), ymd(fee_date), {_ITEM})
           END AS detail""")


@rule("R22")
def r22_inpatient_only(ctx: Context) -> str:
    return with_text(
        """SELECT n.lid, n.net_amt, v.med_type FROM net_lines n JOIN kb_items k ON k.iid = n.iid
                JOIN enc v ON v.eid = n.eid
           WHERE coalesce(k.inpatient_only, false) AND NOT v.is_inp""",
        f"""{_KEYS}, net_amt AS amount_num,
           format('限住院项目 {{}} 在门诊就诊（医疗类别 {{}}）中收费', {_ITEM}, med_type) AS detail""")
