"""The medical record documents of an encounter (records.md, table ``emr_docs``), derived from its fee lines
when the encounter is written, so that a clean encounter's record says exactly what was billed:

- inpatients: 入院记录 and 首次病程记录 on admission, a 病程记录 and a 护理记录 (with the nursing level billed
  that day) for every day of the stay, a 手术记录 (procedures and material counts) and a 麻醉记录 for every
  day with an operation or a high-value material, a 治疗记录 per rehabilitation, dialysis or nebulisation
  session, an 出院记录 on discharge;
- every encounter: a 检查报告 / 检验报告 per exam and lab billed (dated the fee date), outpatients a 门诊病历.

Only items with a row in ``resources/kb/kb_item_terms.csv`` are written into reports and records, with the
phrasing of their terms; other texts avoid every term, negation cue and absence term that could make a rule
of R24–R29 fire. Some clean documents carry negated phrases as real records do (a report's 申请备注 that the
patient once refused the exam, a nurse's note that the patient gave up going out on leave, a treatment
record's note of a session stopped the day before, an operation note's branch left without a stent): each
beside a mention that is not negated, so that the negation path is exercised at every scale and no rule
fires. Planted scenarios change the documents afterwards through ``Encounter.doc_hooks``.
No random numbers: variants are picked from the encounter's and the day's number, so the output is
deterministic and fast."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Optional

from feijian.demodata.catalogue import Hospital, read_kb_csv
from feijian.demodata.model import Encounter

TYPE_ZH = {"admission": "入院记录", "progress": "病程记录", "operation": "手术记录", "anesthesia": "麻醉记录",
           "nursing": "护理记录", "exam_report": "检查报告", "lab_report": "检验报告", "treatment": "治疗记录",
           "discharge": "出院记录", "other": "其他"}

GEND_ZH = {"1": "男", "2": "女"}


@dataclass
class Doc:
    doc_type: str  # records.md code
    time: dt.datetime
    title: str
    text: str
    author: str
    keys: tuple = ()  # item keys the document records (for planted edits)
    doc_id: str = ""
    file: str = ""  # set by the writer when the document goes to a file beside the index

    @property
    def day(self) -> dt.date:
        return self.time.date()


def find(docs: list, doc_type: str, day: Optional[dt.date] = None, key: Optional[str] = None) -> Doc:
    for d in docs:
        if d.doc_type == doc_type and (day is None or d.day == day) and (key is None or key in d.keys):
            return d
    raise LookupError(f"no {doc_type} document on {day} for {key}")


@lru_cache(maxsize=1)
def recorded_keys() -> dict:
    """Item key → doc types, for the demo hospital's items with a kb_item_terms row."""
    from feijian.demodata.catalogue import load_hospital

    by_code = load_hospital().by_code
    return {by_code[r["med_list_codg"]].key: tuple(r["doc_types"].split(";")) for r in read_kb_csv("kb_item_terms")
            if r["med_list_codg"] in by_code}


@lru_cache(maxsize=1)
def first_terms() -> dict:
    """Item key → the first of its kb_item_terms terms (the phrase a negated remark names it by)."""
    from feijian.demodata.catalogue import load_hospital

    by_code = load_hospital().by_code
    return {by_code[r["med_list_codg"]].key: r["terms"].split(";")[0] for r in read_kb_csv("kb_item_terms")
            if r["med_list_codg"] in by_code}


# negated remarks of the clean background (records.md, reading 4: a cue before the term in its clause)
REFUSED_BEFORE = "申请备注：前次患者拒绝{term}，本次同意检查\n"
GAVE_UP_LEAVE = "\n家属咨询请假事宜，已告知住院管理规定，患者放弃请假外出"
STOPPED_BEFORE = {"NEB": "备注：前日因咳嗽剧烈停用雾化吸入\n", "KF": "备注：前日因疼痛取消康复训练\n"}
NO_STENT_THERE = "回旋支病变较轻，未植入支架"

# --- report texts ------------------------------------------------------------------------------------
EXAMS = {
    "ECG": ("常规心电图检查报告", ["检查项目：常规心电图检查（十二通道）\n检查所见：窦性心律，心率{a}次/分，P-R间期0.16s，QRS时限0.09s\n"
                               "检查结论：窦性心律，心电图大致正常",
                               "检查项目：十二导联心电图\n检查所见：窦性心律，心率{a}次/分，ST-T未见明显改变\n检查结论：正常心电图"]),
    "XRAY": ("X线检查报告", ["检查项目：X线胸部正位片（DR）\n影像所见：双肺纹理清晰，心影大小形态正常，双侧膈面光整\n诊断意见：心肺膈未见明显异常",
                          "检查项目：胸部正位片\n影像所见：双肺纹理稍增粗，肋膈角锐利\n诊断意见：考虑支气管炎改变，请结合临床"]),
    "US": ("超声检查报告", ["检查项目：彩色多普勒超声常规检查\n超声所见：肝脏大小形态正常，包膜光整，实质回声均匀\n超声提示：肝胆脾胰未见明显异常",
                         "检查项目：彩超（腹部）\n超声所见：胆囊大小约{a}mm×28mm，壁稍厚，腔内见强回声团伴声影\n超声提示：胆囊结石"]),
    "CT": ("CT检查报告", ["检查项目：头颅CT平扫\n影像所见：脑实质内未见明确出血灶，脑室系统无扩大，中线结构居中\n诊断意见：颅内未见急性出血",
                        "检查项目：CT平扫（上腹部）\n影像所见：胰腺体积饱满，周围脂肪间隙模糊\n诊断意见：符合急性胰腺炎表现"]),
    "CBC": ("血常规检验报告", ["检验项目：血细胞分析（血常规）\n白细胞计数 {b}×10^9/L\n血红蛋白 132g/L\n血小板计数 {a}3×10^9/L\n审核：检验科"]),
    "LFT": ("肝功能检验报告", ["检验项目：肝功能组合检测\n丙氨酸氨基转移酶 {a}U/L\n天门冬氨酸氨基转移酶 24U/L\n总胆红素 12.6μmol/L\n白蛋白 41.2g/L"]),
    "ALT": ("生化检验报告", ["检验项目：丙氨酸氨基转移酶测定\n结果 {a}U/L（参考范围 9-50U/L）"]),
    "UA": ("尿常规检验报告", ["检验项目：尿常规\n尿蛋白 阴性\n尿糖 阴性\n尿潜血 阴性\n比重 1.020"]),
    "HBA1C": ("糖化血红蛋白检验报告", ["检验项目：糖化血红蛋白测定\n结果 7.{b}%（参考范围 4.0-6.0%）"]),
    "PSA": ("前列腺特异性抗原检验报告", ["检验项目：总前列腺特异性抗原测定\n结果 {b}.2ng/ml（参考范围 0-4ng/ml）"]),
}

PROCEDURES = {  # a phrase naming each surgery item by one of its terms
    "CAG": "行冠状动脉造影（CAG），示前降支近段狭窄约90%",
    "PCI": "于前降支病变处行经皮冠状动脉支架置入术（PCI）",
    "LC": "建立气腹后行腹腔镜下胆囊切除术",
    "LAPX": "先行腹腔镜探查，腹腔内未见明显粘连",
    "APP": "取右下腹麦氏切口行阑尾切除术",
    "THA": "取后外侧入路行右侧全髋关节置换术",
    "CS": "取下腹部横切口行子宫下段剖宫产术",
    "TURP": "行经尿道前列腺电切术（TURP）",
}
MATERIALS = {  # key -> (phrase before the count, unit, after)
    "STENT": ("植入药物洗脱支架", "枚", "（3.0mm×18mm）"),
    "HIP": ("置入人工髋关节假体（陶瓷-聚乙烯）", "套", ""),
    "TROC": ("使用一次性腹腔镜穿刺器", "个", ""),
}
TREATMENTS = {
    "NEB": ("雾化吸入治疗记录", "治疗项目：雾化吸入\n药物：吸入用布地奈德混悬液1mg\n治疗时间：{t}起15分钟\n患者配合良好，治疗过程顺利"),
    "KF": ("康复治疗记录", "治疗项目：运动疗法\n内容：关节活动度训练、肌力训练、平衡训练\n治疗时间：{t}起30分钟\n患者耐受可，无不适"),
    "HD": ("血液透析治疗记录", "治疗方式：血液透析\n上机时间：{t}\n透析时长4小时，超滤量2000ml\n透析过程顺利，生命体征平稳"),
}
NURSE_NOTES = ("神志清楚，精神可，睡眠可", "神志清楚，饮食可，二便正常", "精神尚可，诉轻度乏力", "生命体征平稳，无不适主诉")
ROUNDS = ("患者一般情况可，诉症状较前好转", "患者精神可，饮食睡眠可", "患者病情平稳，无新发不适", "患者症状明显缓解，查体同前")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def later(t: dt.datetime, minutes: int) -> dt.datetime:
    """``minutes`` after ``t``, but on the same day."""
    u = t + dt.timedelta(minutes=minutes)
    return u if u.date() == t.date() else t.replace(hour=23, minute=50, second=0)


def build(enc: Encounter, hosp: Hospital) -> list[Doc]:
    rec = recorded_keys()
    n = int(enc.mdtrt_id[-4:]) if enc.mdtrt_id[-4:].isdigit() else 0
    agg: dict = defaultdict(Decimal)  # (key, date) -> sum of cnt of all lines (refunds included)
    net: dict = {}  # id(original line) -> [line, net cnt]
    for line in enc.lines:
        agg[(line.item.key, line.date)] += line.cnt
        if line.refund_of is None:
            net[id(line)] = [line, line.cnt]
    for line in enc.lines:
        if line.refund_of is not None:
            net[id(line.refund_of)][1] += line.cnt
    present: dict = {}  # (key, date) -> first time of a net line
    for line, cnt in net.values():
        if cnt > 0:
            k = (line.item.key, line.date)
            if k not in present or line.time < present[k]:
                present[k] = line.time
    docs: list[Doc] = []
    dx = enc.diagnoses[0][2] if enc.diagnoses else "待查"
    who = f"患者{enc.psn_name}，{GEND_ZH.get(enc.gend, '')}，{enc.age}岁"
    nurse = f"N{enc.dept}{n % 5 + 1:03d}"

    # reports
    for (key, day), t in sorted(present.items(), key=lambda kv: (kv[1], kv[0][0])):
        types = rec.get(key, ())
        if key in EXAMS and ("exam_report" in types or "lab_report" in types):
            title, variants = EXAMS[key]
            text = variants[n % len(variants)].format(a=20 + n % 60, b=4 + n % 5)
            if n % 20 == 1 and key in first_terms():
                text = REFUSED_BEFORE.format(term=first_terms()[key]) + text
            doc_type = "exam_report" if "exam_report" in types else "lab_report"
            docs.append(Doc(doc_type, later(t, 90), title, text, "Y0901001" if doc_type == "exam_report" else "Y0902001",
                            (key,)))
    if not enc.inpatient:
        docs.append(Doc("other", later(enc.begntime, 10), "门诊病历",
                        f"{who}\n主诉：{dx}复诊\n查体：神志清，精神可\n诊断：{dx}\n处理：完善相关检查，按医嘱用药，门诊随诊",
                        enc.doctor))
        return _ordered(docs)

    admit, disch = enc.admit_date, enc.discharge_date
    level_zh = {"NUR1": "一级护理", "NUR2": "二级护理"}
    levels_by_day: dict = defaultdict(list)
    for (key, day) in present:
        if key in level_zh and "nursing" in rec.get(key, ()):
            levels_by_day[day].append(key)
    ops_by_day: dict = defaultdict(list)
    for (key, day), t in present.items():
        if key in PROCEDURES and "operation" in rec.get(key, ()):
            ops_by_day[day].append((t, key))
    mats_by_day: dict = defaultdict(list)
    for (key, day), cnt in agg.items():
        if key in MATERIALS and cnt > 0 and "operation" in rec.get(key, ()):
            mats_by_day[day].append((key, int(cnt)))
    op_names = {day: name for _, name, day, _ in enc.operations}

    docs.append(Doc("admission", later(enc.begntime, 120), "入院记录",
                    f"{who}\n主诉：{dx}相关症状，门诊以“{dx}”收入院\n既往史：否认肝炎、结核等传染病史\n"
                    f"体格检查：T 36.5℃，P 78次/分，R 18次/分，BP 130/80mmHg\n初步诊断：{dx}", enc.doctor))
    last_level: list = []
    days = max(0, (disch - admit).days)
    for i in range(days + 1):
        day = admit + dt.timedelta(days=i)
        first = i == 0
        ptime = later(enc.begntime, 60) if first else at(day, 10, n % 50)
        if first:
            ptext = (f"{who}，因“{dx}”入院\n病例特点：起病缓，症状典型\n初步诊断：{dx}\n"
                     "诊疗计划：完善相关检查，对症支持治疗，密切观察病情变化")
        else:
            ptext = f"今日查房，{ROUNDS[(n + i) % len(ROUNDS)]}\n查体：神志清，心肺听诊无明显异常\n继续当前治疗方案"
        if day in ops_by_day:
            ptext += f"\n今日{op_names.get(day, '手术')}，过程顺利，术后安返病房"
        docs.append(Doc("progress", ptime, "首次病程记录" if first else "日常病程记录", ptext, enc.doctor))
        lv = sorted(levels_by_day.get(day, ())) or last_level
        last_level = lv
        ntime = later(enc.begntime, 30) if first and enc.begntime.hour >= 15 else at(day, 16, n % 40)
        level_line = f"护理级别：{'、'.join(level_zh[k] for k in lv)}\n" if lv else ""
        docs.append(Doc("nursing", ntime, "护理记录",
                        f"{level_line}T 36.{(n + i) % 8}℃，P {70 + (n + i) % 15}次/分，R 18次/分，BP 12{i % 10}/78mmHg\n"
                        f"患者{NURSE_NOTES[(n + i) % len(NURSE_NOTES)]}\n遵医嘱用药，已落实健康宣教"
                        + (GAVE_UP_LEAVE if (n + i) % 25 == 2 else ""), nurse, tuple(lv)))
        if day in ops_by_day or day in mats_by_day:
            ops = sorted(ops_by_day.get(day, ()))
            t0 = ops[0][0] if ops else at(day, 9)
            name = op_names.get(day) or "介入治疗"
            steps = [PROCEDURES[k] for _, k in ops]
            mats = [f"{MATERIALS[k][0]}{c}{MATERIALS[k][1]}{MATERIALS[k][2]}" for k, c in sorted(mats_by_day.get(day, ()))]
            if n % 3 == 0 and any(k == "STENT" for k, _ in mats_by_day.get(day, ())):
                mats.append(NO_STENT_THERE)
            body = "\n".join(steps + mats)
            docs.append(Doc("operation", later(t0, 120), name + "手术记录",
                            f"术前诊断：{dx}\n手术名称：{name}\n麻醉方式：全身麻醉\n手术经过：患者取平卧位，常规消毒铺巾\n"
                            f"{body}\n术中出血约{20 + n % 80}ml，手术顺利，术后安返病房",
                            enc.doctor, tuple(k for _, k in ops) + tuple(k for k, _ in mats_by_day.get(day, ()))))
            if ops:
                docs.append(Doc("anesthesia", later(t0, 130), "麻醉记录",
                                f"拟施手术：{name}\n麻醉方式：全身麻醉\n麻醉诱导平稳，术中生命体征平稳\n术毕患者清醒，送返病房",
                                "D0801001", tuple(k for _, k in ops)))
    for (key, day), cnt in sorted(agg.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if key in TREATMENTS and "treatment" in rec.get(key, ()) and cnt > 0:
            title, tmpl = TREATMENTS[key]
            for s in range(int(cnt)):
                t = at(day, 9 + 5 * s if s < 3 else 21, 30)
                text = tmpl.format(t=t.strftime("%H:%M"))
                if (n + s) % 12 == 1 and key in STOPPED_BEFORE:
                    text = STOPPED_BEFORE[key] + text
                docs.append(Doc("treatment", t, title, text, nurse, (key,)))
    if enc.endtime is not None:
        docs.append(Doc("discharge", enc.endtime, "出院记录",
                        f"{who}\n入院日期：{admit.isoformat()}\n出院日期：{disch.isoformat()}\n入院诊断：{dx}\n"
                        f"诊疗经过：入院后完善相关检查，予对症支持治疗，病情好转\n出院诊断：{dx}\n"
                        "出院医嘱：注意休息，按时服药，门诊随诊", enc.doctor))
    return _ordered(docs)


def _ordered(docs: Iterable[Doc]) -> list[Doc]:
    return sorted(docs, key=lambda d: d.time)


def number(enc: Encounter, docs: list[Doc]) -> None:
    for k, d in enumerate(sorted(docs, key=lambda d: d.time), start=1):
        d.doc_id = f"WS{enc.mdtrt_id}{k:03d}"
