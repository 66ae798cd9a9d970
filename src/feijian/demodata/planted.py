"""Planted violations of every rule of rules.md, several of each, with the boundary cases the rules name.
Each scenario builds clean encounters (background.py) for fresh persons and then breaks exactly one
thing, recording the hit it expects (or the near miss it expects NOT to be a hit)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Optional

from feijian.demodata import background as bg
from feijian.demodata import documents, people
from feijian.demodata.background import People, Person, at
from feijian.demodata.catalogue import Hospital
from feijian.demodata.manifest import Planted
from feijian.demodata.model import Encounter, Line, net

D = dt.date


class Planter:
    def __init__(self, hosp: Hospital, seed: int):
        self.hosp = hosp
        self.year = int(hosp.institution["year"])
        self.rng = random.Random(f"feijian-demo/{seed}/planted")
        self.persons = People(hosp, prefix="1")
        self.encounters: list[Encounter] = []
        self.hits: list[Planted] = []
        self.near: list[Planted] = []
        self.stat: list[Planted] = []
        self.extra_staff: list[dict] = []
        self.inventory_shortfalls: list[tuple] = []  # (item code, month, excess units, note)
        self.inventory_exact: list[tuple] = []  # (item code, month, note): stock exactly covers sales
        self._slots: dict[int, int] = {}
        self._trace = 0

    # ------------------------------------------------------------------ building blocks
    def d(self, month: int, day: int) -> dt.date:
        return dt.date(self.year, month, day)

    def person(self, *, gend: str, age: int, ref: dt.date, brdy: Optional[dt.date] = None) -> Person:
        return self.persons.new(self.rng, gend=gend, age=age, ref=ref, brdy=brdy)

    def doctor(self, dept_code: str, index: int = 0) -> str:
        return bg.doctor_code(self.hosp.department(dept_code), index)

    def stay(self, dept_code: str, t: int, admit: dt.date, los: Optional[int] = None, *,
             person: Optional[Person] = None, gend: Optional[str] = None, age: Optional[int] = None,
             brdy: Optional[dt.date] = None, doctor_index: int = 0, discharge_items: bool = True) -> Encounter:
        dept = self.hosp.department(dept_code)
        tmpl = dept.inpatient[t]
        if person is None:
            g = gend if gend is not None else (tmpl.gender or self.rng.choice("12"))
            person = self.person(gend=g, age=age if age is not None else self.rng.randint(*tmpl.age), ref=admit,
                                 brdy=brdy)
        enc = bg.inpatient(self.hosp, self.rng, dept, tmpl, self.doctor(dept_code, doctor_index), person, admit,
                           los=los, discharge_items=discharge_items)
        self.encounters.append(enc)
        return enc

    def visit(self, dept_code: str, t: int, day: dt.date, *, person: Optional[Person] = None,
              gend: Optional[str] = None, age: Optional[int] = None) -> Encounter:
        dept = self.hosp.department(dept_code)
        tmpl = dept.outpatient[t]
        if person is None:
            g = gend if gend is not None else (tmpl.gender or self.rng.choice("12"))
            person = self.person(gend=g, age=age if age is not None else self.rng.randint(*tmpl.age), ref=day)
        enc = bg.outpatient(self.hosp, self.rng, dept, tmpl, self.doctor(dept_code, 1), person, day)
        self.encounters.append(enc)
        return enc

    def when(self, enc: Encounter, day: dt.date, hour: int = 19, second: int = 10) -> dt.datetime:
        """A fresh minute on ``day`` for an added line (never the minute of another line)."""
        k = self._slots.get(id(enc), 0)
        self._slots[id(enc)] = k + 1
        return at(day, hour) + dt.timedelta(minutes=k, seconds=second)

    def day(self, enc: Encounter, i: int) -> dt.date:
        return enc.admit_date + dt.timedelta(days=i)

    def find(self, enc: Encounter, key: str, i: Optional[int] = None) -> Line:
        for line in enc.lines:
            if line.item.key == key and line.refund_of is None and (i is None or line.date == self.day(enc, i)):
                return line
        raise LookupError(f"{key} on day {i}")

    def add(self, enc: Encounter, key: str, cnt, day: dt.date, **kw) -> Line:
        return enc.add(self.hosp.item(key), cnt, kw.pop("time", None) or self.when(enc, day), **kw)

    def trace_code(self) -> str:
        self._trace += 1
        return f"83{self._trace:018d}"

    @staticmethod
    def net_amount(enc: Encounter, line: Line) -> Decimal:
        return net(enc)[id(line)][2]

    def hit_line(self, rule: str, enc: Encounter, line: Line, note: str, amount: Optional[Decimal] = None) -> None:
        self.hits.append(Planted(rule, "line", note, enc=enc, line=line,
                                 amount=self.net_amount(enc, line) if amount is None else amount))

    def miss_line(self, rule: str, enc: Encounter, line: Line, note: str) -> None:
        self.near.append(Planted(rule, "line", note, enc=enc, line=line, amount=None))

    def hit_visit(self, rule: str, enc: Encounter, note: str, amount: Decimal = Decimal(0)) -> None:
        self.hits.append(Planted(rule, "visit", note, enc=enc, amount=amount))

    def miss_visit(self, rule: str, enc: Encounter, note: str) -> None:
        self.near.append(Planted(rule, "visit", note, enc=enc, amount=None))

    # ------------------------------------------------------------------ record documents (records.md)
    # Hooks change the documents documents.build derives from an encounter's lines (generator.py applies
    # them before numbering); each edit asserts that the text it changes is there.
    @staticmethod
    def _doc(docs: list, doc_type: str, day: dt.date, key: Optional[str] = None) -> documents.Doc:
        return documents.find(docs, doc_type, day, key)

    def rewrite(self, enc: Encounter, doc_type: str, day: dt.date, old: str, new: str, key: Optional[str] = None) -> None:
        """Replace ``old`` (must be there) by ``new`` in the encounter's ``doc_type`` document of ``day``."""
        def hook(docs: list) -> None:
            d = self._doc(docs, doc_type, day, key)
            assert old in d.text, (doc_type, day, old, d.text)
            d.text = d.text.replace(old, new, 1)
        enc.doc_hooks.append(hook)

    def replace_text(self, enc: Encounter, doc_type: str, day: dt.date, text: str, key: Optional[str] = None) -> None:
        def hook(docs: list) -> None:
            self._doc(docs, doc_type, day, key).text = text
        enc.doc_hooks.append(hook)

    def append_text(self, enc: Encounter, doc_type: str, day: dt.date, text: str, key: Optional[str] = None) -> None:
        def hook(docs: list) -> None:
            d = self._doc(docs, doc_type, day, key)
            d.text = d.text + "\n" + text
        enc.doc_hooks.append(hook)

    def drop_doc(self, enc: Encounter, doc_type: str, day: dt.date, key: Optional[str] = None) -> None:
        def hook(docs: list) -> None:
            docs.remove(self._doc(docs, doc_type, day, key))
        enc.doc_hooks.append(hook)

    def move_doc(self, enc: Encounter, doc_type: str, day: dt.date, to: dt.datetime, key: Optional[str] = None) -> None:
        def hook(docs: list) -> None:
            self._doc(docs, doc_type, day, key).time = to
        enc.doc_hooks.append(hook)

    def add_doc(self, enc: Encounter, doc_type: str, time: dt.datetime, title: str, text: str) -> None:
        def hook(docs: list) -> None:
            docs.append(documents.Doc(doc_type, time, title, text, enc.doctor))
        enc.doc_hooks.append(hook)

    def _sum(self, e: Encounter, key: str, day: Optional[dt.date] = None) -> tuple[Decimal, Decimal]:
        """(sum of cnt, sum of amount) of the encounter's lines of ``key`` (on ``day``), refunds included."""
        item = self.hosp.item(key)
        lines = [l for l in e.lines if l.item is item and (day is None or l.date == day)]
        return sum((l.cnt for l in lines), Decimal(0)), sum((l.amount for l in lines), Decimal(0))

    def above_record(self, rule: str, e: Encounter, key: str, recorded: int, note: str,
                     day: Optional[dt.date] = None) -> None:
        """An R26 (item-visit) or R28 (item-day) hit: billed units above the ``recorded`` ones."""
        cnt, amt = self._sum(e, key, day)
        assert cnt > recorded, (rule, key, cnt, recorded)
        self.hits.append(Planted(rule, "item-day" if day else "item-visit", note, enc=e,
                                 med_list_codg=self.hosp.item(key).code, date=day,
                                 amount=(cnt - recorded) * amt / cnt))

    def as_recorded(self, rule: str, e: Encounter, key: str, recorded: int, note: str,
                    day: Optional[dt.date] = None) -> None:
        cnt, _ = self._sum(e, key, day)
        assert cnt <= recorded, (rule, key, cnt, recorded)
        self.near.append(Planted(rule, "item-day" if day else "item-visit", note, enc=e,
                                 med_list_codg=self.hosp.item(key).code, date=day, amount=None))

    # ------------------------------------------------------------------ all of them
    def plant_all(self) -> None:
        for code in ("r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10", "r11", "r12", "r13",
                     "r14", "r15", "r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23", "r24", "r25", "r26",
                     "r27", "r28", "r29", "stats"):
            getattr(self, code)()

    # R01 duplicate charge ------------------------------------------------------------
    def r01(self) -> None:
        e = self.stay("0701", 0, self.d(2, 5), 10)
        orig = self.find(e, "DANH", 2)
        dup = e.add(orig.item, orig.cnt, orig.time)
        self.hit_line("R01", e, dup, "同一分钟重复收取丹红注射液（完全相同的第二条）")

        e = self.stay("0701", 0, self.d(3, 12), 10)
        orig = self.find(e, "ATV", 3)
        orig.time = orig.time.replace(second=40)
        dup = e.add(orig.item, orig.cnt, orig.time.replace(second=5))
        self.hit_line("R01", e, orig, "同一分钟内重复：后录入的一条秒数更早，故原录入条目为重复条目")

        e = self.stay("0701", 0, self.d(4, 8), 10)
        orig = self.find(e, "CLO", 2)
        dup = e.add(orig.item, orig.cnt, orig.time)
        e.refund(dup, dup.cnt, self.when(e, self.day(e, 3), 10))
        self.miss_line("R01", e, dup, "重复条目已全额退费：不是重复收费")
        asa = self.find(e, "ASA", 4)
        other = e.add(asa.item, 2, asa.time)
        self.miss_line("R01", e, other, "同一分钟同一项目但数量不同：不是重复收费")

        e = self.stay("0304", 0, self.d(5, 14), 8)
        orig = self.find(e, "MET", 2)
        d1 = e.add(orig.item, orig.cnt, orig.time)
        d2 = e.add(orig.item, orig.cnt, orig.time)
        self.hit_line("R01", e, d1, "同一分钟三条相同的二甲双胍：第二条")
        self.hit_line("R01", e, d2, "同一分钟三条相同的二甲双胍：第三条")
        orig = self.find(e, "MET", 4)
        dup = e.add(orig.item, orig.cnt, orig.time)
        e.refund(dup, 1, self.when(e, self.day(e, 4)))
        self.miss_line("R01", e, dup, "重复条目部分退费后净数量不同：不是重复收费")

    # R02 price above cap -------------------------------------------------------------
    def r02(self) -> None:
        e = self.stay("0401", 0, self.d(6, 3), 6)
        us = self.find(e, "US", 0)
        us.pric = Decimal("200.00")
        us.amount = Decimal("200.00")
        self.hit_line("R02", e, us, "彩超单价200元，三级限价180元", amount=Decimal("20.00"))
        cbc = self.find(e, "CBC", 0)
        cbc.pric = Decimal("20.004")
        cbc.amount = Decimal("20.00")
        self.miss_line("R02", e, cbc, "单价20.004元，超限价不足0.005元容差：不是超标准收费")

        e = self.stay("0402", 0, self.d(7, 9), 10)
        line = self.add(e, "CEFAZ", 2, self.day(e, 4), pric=Decimal("7.50"))
        e.refund(line, 1, self.when(e, self.day(e, 5)))
        self.hit_line("R02", e, line, "头孢唑林单价7.50元超限价6元，部分退费后净数量1", amount=Decimal("1.50"))

        e = self.stay("0304", 0, self.d(8, 6), 8)
        ins = self.find(e, "INS", 3)
        ins.pric = Decimal("66.00")
        ins.amount = Decimal("66.00")
        self.hit_line("R02", e, ins, "门冬胰岛素单价66元，限价60元", amount=Decimal("6.00"))

    # R03 gender ------------------------------------------------------------------------
    def r03(self) -> None:
        e = self.stay("0304", 0, self.d(3, 4), 8, gend="2")
        line = self.add(e, "PSA", 1, self.day(e, 1))
        self.hit_line("R03", e, line, "女性患者收取前列腺特异性抗原测定")
        e = self.stay("0701", 0, self.d(9, 16), 10, gend="1")
        line = self.add(e, "PRG", 1, self.day(e, 2))
        self.hit_line("R03", e, line, "男性患者收取黄体酮注射液")
        e = self.stay("0304", 0, self.d(10, 2), 8, gend="9")
        line = self.add(e, "PSA", 1, self.day(e, 1))
        self.miss_line("R03", e, line, "性别未说明（9）：不判断性别限定")

    # R04 age ---------------------------------------------------------------------------
    def r04(self) -> None:
        e = self.stay("0304", 0, self.d(4, 16), 8, age=45)
        line = self.add(e, "CHILD", 3, self.day(e, 2))
        self.hit_line("R04", e, line, "45岁患者收取儿童专用的小儿氨酚黄那敏颗粒")

        # a 14-year-old who turns 15 during the stay: lines before the birthday pass, from it on they hit
        birthday = self.d(5, 10)
        brdy = birthday.replace(year=birthday.year - 15)
        e = self.stay("0601", 0, self.d(5, 8), 5, brdy=brdy, age=14)
        for line in [l for l in e.lines if l.item.key == "CHILD"]:
            if people.age_on(brdy, line.date) > 14:
                self.hit_line("R04", e, line, "患者已满15岁（当日生日），超儿童用药年龄上限14岁")
            else:
                self.miss_line("R04", e, line, "患者当日14岁：在年龄上限内")

        e = self.stay("0701", 0, self.d(6, 11), 10, age=52)
        line = self.add(e, "GERI", 1, self.day(e, 3))
        self.hit_line("R04", e, line, "52岁患者收取老年综合评估（限65岁及以上）")
        fee_day = self.d(7, 3)
        e = self.stay("0701", 0, fee_day - dt.timedelta(days=2), 10, brdy=fee_day.replace(year=fee_day.year - 65))
        line = self.add(e, "GERI", 1, fee_day)
        self.miss_line("R04", e, line, "患者当日满65岁：在年龄下限内")

        e = self.stay("0304", 0, self.d(8, 20), 8, age=30)
        e.write_brdy = False
        e.certno = ""
        e.age = 30
        line = self.add(e, "CHILD", 3, self.day(e, 1))
        self.hit_line("R04", e, line, "无出生日期，按就诊记录年龄30岁判断：超儿童用药年龄上限")

    # R05 outside the stay --------------------------------------------------------------
    def r05(self) -> None:
        e = self.stay("0402", 0, self.d(8, 5), 10)
        before = self.add(e, "NS", 1, e.admit_date - dt.timedelta(days=1))
        after = self.add(e, "NS", 1, e.discharge_date + dt.timedelta(days=1))
        self.hit_line("R05", e, before, "入院前一日收费")
        self.hit_line("R05", e, after, "出院后一日收费")
        late = self.add(e, "NS", 1, e.discharge_date, time=e.endtime + dt.timedelta(hours=3))
        self.miss_line("R05", e, late, "出院当日（出院时刻之后）收费：不在住院期外（按日期判断）")
        early = self.add(e, "NS", 1, e.admit_date, time=e.begntime - dt.timedelta(hours=2))
        self.miss_line("R05", e, early, "入院当日（入院时刻之前）收费：不在住院期外")

    # R06 after death -------------------------------------------------------------------
    def r06(self) -> None:
        e = self.stay("0701", 0, self.d(9, 10), 6, discharge_items=False)
        e.dscg_way = "5"
        e.endtime = at(e.discharge_date, 14, 30)
        same_day = self.add(e, "NS", 1, e.discharge_date, time=at(e.discharge_date, 16, 0, 20))
        self.hit_line("R06", e, same_day, "死亡时间之后当日收费")
        next_day = self.add(e, "LMWH", 1, e.discharge_date, time=at(e.discharge_date + dt.timedelta(days=1), 9, 0, 5))
        self.hit_line("R06", e, next_day, "死亡次日收费")
        self.hit_line("R05", e, next_day, "死亡次日收费，亦在住院期外")
        exact = self.add(e, "IV", 1, e.discharge_date, time=e.endtime)
        self.miss_line("R06", e, exact, "收费时间恰为死亡时间：不算死亡后")

    # R07 exclusive pairs ---------------------------------------------------------------
    def r07(self) -> None:
        e = self.stay("0304", 0, self.d(10, 8), 8)
        alt = self.add(e, "ALT", 1, e.admit_date)
        self.hit_line("R07", e, alt, "同日已收肝功能组合，又单收丙氨酸氨基转移酶")
        e = self.stay("0304", 0, self.d(10, 14), 8)
        alt = self.add(e, "ALT", 1, self.day(e, 3))
        self.miss_line("R07", e, alt, "肝功能组合与丙氨酸氨基转移酶不在同一日（互斥范围为同日）")
        e = self.stay("0304", 0, self.d(10, 20), 8)
        alt = self.add(e, "ALT", 1, e.admit_date)
        lft = self.find(e, "LFT", 0)
        e.refund(lft, lft.cnt, self.when(e, e.admit_date, 21))
        self.miss_line("R07", e, alt, "同日的肝功能组合已全额退费：单收丙氨酸氨基转移酶不算互斥")
        e = self.stay("0401", 0, self.d(11, 4), 6)
        lap = self.add(e, "LAPX", 1, e.admit_date)
        self.hit_line("R07", e, lap, "同次住院已收腹腔镜下胆囊切除术，又收腹腔镜检查术（范围：同次就诊）")

    # R08 units per day -----------------------------------------------------------------
    def r08(self) -> None:
        e = self.stay("0401", 1, self.d(2, 20), 5)
        iv = self.hosp.item("IV")
        day = self.day(e, 1)
        self.add(e, "IV", 4, day)
        self._item_day("R08", e, iv, day, excess=Decimal(1), note="静脉输液当日计5次，日限4次")

        e = self.stay("0401", 1, self.d(3, 18), 5)
        day2, day3 = self.day(e, 2), self.day(e, 3)
        big = self.add(e, "IV", 5, day2)
        e.refund(big, 2, self.when(e, day3))
        self._item_day("R08", e, iv, day2, excess=Decimal(2), note="静脉输液当日计6次（次日退2次，退费计入次日）")
        day1 = self.day(e, 1)
        extra = self.add(e, "IV", 4, day1)
        e.refund(extra, 1, self.when(e, day1))
        self.near.append(Planted("R08", "item-day", "当日计5次、同日退1次，净4次等于日限：不超限", enc=e,
                                 med_list_codg=iv.code, date=day1, amount=None))

    def _item_day(self, rule: str, e: Encounter, item, day: dt.date, *, excess: Decimal, note: str) -> None:
        lines = [l for l in e.lines if l.item is item and l.date == day]
        cnt = sum((l.cnt for l in lines), Decimal(0))
        amt = sum((l.amount for l in lines), Decimal(0))
        assert cnt - item.max_day == excess, (rule, cnt, item.max_day)
        self.hits.append(Planted(rule, "item-day", note, enc=e, med_list_codg=item.code, date=day,
                                 amount=excess * amt / cnt))

    # R09 units per encounter -----------------------------------------------------------
    def r09(self) -> None:
        xray = self.hosp.item("XRAY")
        e = self.stay("0402", 0, self.d(4, 15), 10)
        self.add(e, "XRAY", 1, self.day(e, 5))
        self.add(e, "XRAY", 1, self.day(e, 7))
        lines = [l for l in e.lines if l.item is xray]
        cnt = sum((l.cnt for l in lines), Decimal(0))
        amt = sum((l.amount for l in lines), Decimal(0))
        self.hits.append(Planted("R09", "item-visit", "胸片本次住院计4次，次限3次", enc=e, med_list_codg=xray.code,
                                 amount=(cnt - xray.max_visit) * amt / cnt))
        us = self.hosp.item("US")
        e = self.stay("0401", 0, self.d(9, 16), 6)
        for i in (1, 2, 3, 4):
            self.add(e, "US", 1, self.day(e, i))
        lines = [l for l in e.lines if l.item is us]
        cnt = sum((l.cnt for l in lines), Decimal(0))
        amt = sum((l.amount for l in lines), Decimal(0))
        self.hits.append(Planted("R09", "item-visit", "彩超本次住院计5次，次限4次", enc=e, med_list_codg=us.code,
                                 amount=(cnt - us.max_visit) * amt / cnt))
        e = self.stay("0402", 0, self.d(5, 20), 10)
        self.add(e, "XRAY", 1, self.day(e, 5))
        last = self.add(e, "XRAY", 1, self.day(e, 7))
        e.refund(last, 1, self.when(e, self.day(e, 8)))
        self.near.append(Planted("R09", "item-visit", "计4次、退1次，净3次等于次限：不超限", enc=e,
                                 med_list_codg=xray.code, amount=None))

    # R10 outpatient during a stay ------------------------------------------------------
    def r10(self) -> None:
        stay = self.stay("0304", 0, self.d(6, 10), 8)
        p = Person(stay.psn_no, stay.psn_name, stay.certno, stay.gend, stay.brdy)
        inside = self.visit("0304", 0, self.d(6, 14), person=p)
        for line in inside.lines:
            self.hit_line("R10", inside, line, "住院期间（6月10日至18日）同一参保人门诊就诊收费")
        on_a = self.visit("0304", 0, stay.admit_date, person=p)
        on_d = self.visit("0304", 0, stay.discharge_date, person=p)
        self.miss_line("R10", on_a, on_a.lines[0], "门诊就诊在入院当日：不在住院期间（严格在入出院日期之间）")
        self.miss_line("R10", on_d, on_d.lines[0], "门诊就诊在出院当日：不在住院期间")

    # R11 readmission -------------------------------------------------------------------
    def r11(self) -> None:
        first = self.stay("0701", 0, self.d(3, 1), 10)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0701", 0, first.discharge_date + dt.timedelta(days=30), 10, person=p)
        self.hit_visit("R11", again, "出院后第30天再次入院，主要诊断同为I63")
        first = self.stay("0304", 0, self.d(7, 1), 8)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0304", 0, first.discharge_date + dt.timedelta(days=5), 8, person=p)
        again.diagnoses[0] = ("1", "E11.600", "2型糖尿病伴有并发症")
        self.hit_visit("R11", again, "出院5天后再入院，主要诊断前3位同为E11")
        first = self.stay("0701", 0, self.d(5, 2), 10)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0701", 0, first.discharge_date + dt.timedelta(days=31), 10, person=p)
        self.miss_visit("R11", again, "出院后第31天再入院：超过30天")
        first = self.stay("0304", 0, self.d(9, 2), 8)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        again = self.stay("0701", 0, first.discharge_date + dt.timedelta(days=10), 10, person=p)
        self.miss_visit("R11", again, "10天内再入院但主要诊断不同（E11与I63）")

    # R12 idle bed days -----------------------------------------------------------------
    def r12(self) -> None:
        keep = {"bed", "nursing", "diet"}

        def idle(e: Encounter, days: list[int]) -> None:
            dates = {self.day(e, i) for i in days}
            e.lines = [l for l in e.lines if l.date not in dates or l.item.category in keep]

        e = self.stay("0402", 0, self.d(1, 15), 12)
        idle(e, [5, 6, 7])
        self.hit_visit("R12", e, "住院第6至8天仅收床位、护理、膳食费（连续3天挂床）")
        e = self.stay("0402", 0, self.d(2, 12), 12)
        idle(e, [5, 6])
        self.miss_visit("R12", e, "仅连续2天无实质诊疗：未达3天")
        e = self.stay("0402", 0, self.d(3, 10), 12)
        idle(e, [4, 5, 6])
        line = self.add(e, "LMWH", 1, self.day(e, 5))
        e.refund(line, 1, self.when(e, self.day(e, 5), 21))
        self.hit_visit("R12", e, "连续3天挂床，其间唯一的用药已全额退费")

    # R13 no order ----------------------------------------------------------------------
    def r13(self) -> None:
        e = self.stay("0701", 0, self.d(6, 20), 10)
        line = self.add(e, "ASA", 1, self.day(e, 3), drord="")
        self.hit_line("R13", e, line, "阿司匹林收费无医嘱号")
        line = self.add(e, "DANH", 1, self.day(e, 4), drord="YZ9999")
        e.missing_orders.add("YZ9999")
        self.hit_line("R13", e, line, "丹红注射液收费的医嘱号在医嘱表中不存在")
        line = self.add(e, "IVSET", 1, self.day(e, 4), drord="")
        self.miss_line("R13", e, line, "耗材不要求医嘱")
        line = self.add(e, "ATV", 1, self.day(e, 5), drord="")
        e.refund(line, 1, self.when(e, self.day(e, 5), 21))
        self.miss_line("R13", e, line, "无医嘱的收费已全额退费")
        v = self.visit("0701", 0, self.d(6, 22))
        line = self.add(v, "ASA", 30, v.admit_date, drord="")
        self.miss_line("R13", v, line, "门诊收费不检查医嘱")

    # R14 beyond the order --------------------------------------------------------------
    @staticmethod
    def _billed_under_order(e: Encounter, line: Line) -> tuple[Decimal, Decimal]:
        """(sum of cnt, sum of amount) of the encounter's lines under ``line``'s order, refunds included
        (numbering the lines gives them their order numbers)."""
        e.number_lines()
        lines = [l for l in e.lines if l.drord == line.drord]
        return sum((l.cnt for l in lines), Decimal(0)), sum((l.amount for l in lines), Decimal(0))

    def _order_short_of_billing(self, e: Encounter, key: str, short: int, why: str) -> None:
        """An order whose total is ``short`` units less than what was billed under it: an R14 hit of
        ``short`` × the average unit price."""
        line = self.find(e, key, 0)
        cnt, amt = self._billed_under_order(e, line)
        e.order_total_override[line.drord] = cnt - short
        self.hits.append(Planted("R14", "order", why, enc=e, drord_no=line.drord, amount=Decimal(short) * amt / cnt))

    def r14(self) -> None:
        self._order_short_of_billing(self.stay("0304", 0, self.d(7, 8), 8), "INS", 2, "门冬胰岛素医嘱总量比计费少2支")
        self._order_short_of_billing(self.stay("0402", 0, self.d(11, 18), 10), "LMWH", 3, "低分子肝素医嘱总量比计费少3支")
        e = self.stay("0304", 0, self.d(8, 12), 8)
        met = self.find(e, "MET", 2)
        e.refund(met, 3, self.when(e, self.day(e, 2)))
        e.order_total_override[met.drord] = self._billed_under_order(e, met)[0]
        self.near.append(Planted("R14", "order", "计费扣除退费后等于医嘱总量", enc=e, drord_no=met.drord, amount=None))

    # R15 stock --------------------------------------------------------------------------
    def r15(self) -> None:
        self.inventory_shortfalls.append((self.hosp.item("CRO").code, 6, Decimal(5), "6月头孢曲松销售比可供数量多5支"))
        self.inventory_shortfalls.append((self.hosp.item("TROC").code, 9, Decimal(1), "9月腹腔镜穿刺器销售比可供数量多1个"))
        self.inventory_exact.append((self.hosp.item("INS").code, 3, "3月门冬胰岛素可供数量恰等于销售数量：不超"))

    # R16 traceability codes -------------------------------------------------------------
    def r16(self) -> None:
        code = self.trace_code()
        a = self.stay("0304", 0, self.d(2, 3), 8)
        b = self.stay("0304", 0, self.d(3, 6), 8)
        self.find(a, "INS", 1).trace = code
        lb = self.find(b, "INS", 2)
        lb.trace = code
        self.hit_line("R16", b, lb, "追溯码与2月另一患者已结算的门冬胰岛素相同")
        code = self.trace_code()
        c = self.stay("0304", 0, self.d(4, 3), 8)
        l1, l2, l3 = self.find(c, "INS", 1), self.find(c, "INS", 2), self.find(c, "INS", 3)
        for l in (l1, l2, l3):
            l.trace = code
        self.hit_line("R16", c, l2, "同一追溯码第二次计费")
        self.hit_line("R16", c, l3, "同一追溯码第三次计费")
        code = self.trace_code()
        d1 = self.stay("0304", 0, self.d(5, 3), 8)
        d2 = self.stay("0304", 0, self.d(6, 3), 8)
        first = self.find(d1, "INS", 1)
        first.trace = code
        d1.refund(first, first.cnt, self.when(d1, self.day(d1, 1)))
        second = self.find(d2, "INS", 1)
        second.trace = code
        self.miss_line("R16", d2, second, "先前使用该追溯码的收费已全额退费：不算重复")

    # R17 high-value material without operation -------------------------------------------
    def r17(self) -> None:
        e = self.stay("0701", 0, self.d(7, 15), 10)
        line = self.add(e, "STENT", 1, self.day(e, 2))
        self.hit_line("R17", e, line, "脑梗死患者无冠脉介入手术却收取冠脉支架")
        e = self.stay("0401", 1, self.d(8, 12), 5)
        line = self.add(e, "TROC", 1, e.admit_date)
        self.hit_line("R17", e, line, "开腹阑尾切除（47.09）收取腹腔镜穿刺器（限51.23、47.01等）")
        e = self.stay("0402", 0, self.d(9, 8), 10)
        code, name, day, dr = e.operations[0]
        e.operations[0] = ("81.5200", "部分髋关节置换术", day, dr)
        hip = self.find(e, "HIP")
        self.miss_line("R17", e, hip, "半髋置换（81.52）使用髋关节假体：手术相符")

    # R18 diagnosis-restricted items ---------------------------------------------------------
    def r18(self) -> None:
        e = self.stay("0701", 0, self.d(9, 3), 10)
        line = self.add(e, "INS", 1, self.day(e, 2))
        self.hit_line("R18", e, line, "无糖尿病诊断使用门冬胰岛素")
        e = self.stay("0701", 0, self.d(9, 20), 10)
        e.diagnoses.append(("2", "E11.900", "2型糖尿病"))
        line = self.add(e, "INS", 1, self.day(e, 2))
        self.miss_line("R18", e, line, "其他诊断含2型糖尿病（E11）：符合限定诊断")
        e = self.stay("0402", 0, self.d(10, 9), 10)
        line = self.add(e, "CLO", 1, self.day(e, 4))
        self.hit_line("R18", e, line, "股骨颈骨折患者无冠心病或脑梗死诊断使用氯吡格雷")

    # R19 unqualified doctor -------------------------------------------------------------
    def r19(self) -> None:
        self.extra_staff.append({"dr_codg": "D0402099", "dept_codg": "0402", "practice_from": self.d(7, 1).replace(year=self.year - 1),
                                 "practice_to": self.d(6, 30), "note": "进修医生，执业至6月30日"})
        self.extra_staff.append({"dr_codg": "D0701098", "dept_codg": "0701", "practice_from": self.d(9, 1),
                                 "practice_to": None, "note": "新入职医生，9月1日起执业"})
        e = self.stay("0402", 0, self.d(6, 24), 10)
        on_last = self.add(e, "CBC", 1, self.d(6, 30), dr="D0402099")
        self.miss_line("R19", e, on_last, "执业终止日当日开单：仍在执业期内")
        after = self.add(e, "XRAY", 1, self.d(7, 2), dr="D0402099")
        self.hit_line("R19", e, after, "开单医生执业已于6月30日终止")
        e = self.stay("0701", 0, self.d(8, 14), 10)
        before = self.add(e, "CT", 1, self.d(8, 20), dr="D0701098")
        self.hit_line("R19", e, before, "开单医生9月1日才开始执业")
        unknown = self.add(e, "ECG", 1, self.d(8, 21), dr="D9999001")
        self.hit_line("R19", e, unknown, "开单医生编码不在医务人员名单中")

    # R20 overlapping stays ----------------------------------------------------------------
    def r20(self) -> None:
        first = self.stay("0701", 0, self.d(10, 1), 10)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        second = self.stay("0304", 0, self.d(10, 8), 8, person=p)
        self.hit_visit("R20", second, "10月8日入院时，同一参保人10月1日起的住院尚未出院")
        first = self.stay("0402", 0, self.d(4, 2), 12)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        second = self.stay("0304", 0, self.d(4, 5), 4, person=p)
        self.hit_visit("R20", second, "住院期间（4月2日至14日）同一参保人又有4月5日至9日的住院")
        first = self.stay("0701", 0, self.d(11, 1), 9)
        p = Person(first.psn_no, first.psn_name, first.certno, first.gend, first.brdy)
        second = self.stay("0304", 0, first.discharge_date, 8, person=p)
        self.miss_visit("R20", second, "出院当日再入院：住院区间[入院, 入院+住院天数)不重叠")

    # R21 bed days -------------------------------------------------------------------------
    def r21(self) -> None:
        bed = self.hosp.item("BED")
        e = self.stay("0304", 0, self.d(11, 12), 8)
        self.add(e, "BED", 1, e.discharge_date)
        self.hits.append(Planted("R21", "item-visit", "出院当日也收床位费：床位9天，住院8天", enc=e,
                                 med_list_codg=bed.code, amount=bed.pric))
        e = self.stay("0701", 0, self.d(10, 16), 10)
        self.add(e, "BED", 1, e.discharge_date)
        self.hits.append(Planted("R21", "item-visit", "出院当日收床位费：床位11天，住院10天", enc=e,
                                 med_list_codg=bed.code, amount=bed.pric))
        e = self.stay("0304", 0, self.d(11, 20), 0)
        self.near.append(Planted("R21", "item-visit", "当日入出院，住院天数按1天计，床位1天", enc=e,
                                 med_list_codg=bed.code, amount=None))

    # R22 inpatient-only item in outpatient care -----------------------------------------------
    def r22(self) -> None:
        v = self.visit("0402", 0, self.d(12, 3))
        line = self.add(v, "LIP", 1, v.admit_date, time=v.begntime + dt.timedelta(minutes=30))
        self.hit_line("R22", v, line, "门诊收取限住院使用的脂肪乳注射液")
        v = self.visit("0303", 0, self.d(12, 5))
        line = self.add(v, "LIP", 2, v.admit_date, time=v.begntime + dt.timedelta(minutes=30))
        v.refund(line, 1, v.begntime + dt.timedelta(minutes=50))
        self.hit_line("R22", v, line, "门诊收取脂肪乳注射液2瓶，退1瓶")

    # R23 settlement vs fee lines --------------------------------------------------------------
    def r23(self) -> None:
        cases = [
            (Decimal("100.00"), True, Decimal("100.00"), "结算总额比明细合计多100元"),
            (Decimal("-50.00"), True, Decimal(0), "结算总额比明细合计少50元（金额记0）"),
            (Decimal("0.02"), True, Decimal("0.02"), "结算总额比明细合计多0.02元"),
            (Decimal("0.01"), False, None, "相差0.01元：在容差内"),
        ]
        for k, (delta, is_hit, amount, note) in enumerate(cases):
            e = self.stay("0402", 0, self.d(2 + 2 * k, 22), 10)
            e.settlement_amounts = [("delta", delta)]
            if is_hit:
                self.hit_visit("R23", e, note, amount)
            else:
                self.miss_visit("R23", e, note)
        e = self.stay("0402", 0, self.d(11, 3), 10)
        e.settlement_amounts = [("split", Decimal("0.6"))]
        self.miss_visit("R23", e, "中途结算：两次结算合计等于明细合计")

    # R24 exam or lab billed without a report (records.md) ---------------------------------
    def r24(self) -> None:
        e = self.stay("0701", 0, self.d(2, 14), 10)
        ct = self.find(e, "CT", 0)
        self.drop_doc(e, "exam_report", ct.date, "CT")
        self.append_text(e, "progress", ct.date, "头颅CT平扫提示颅内未见急性出血")
        self.hit_line("R24", e, ct, "头颅CT平扫无检查报告（病程记录提到CT，但病程记录不是该项目的文书类型）")
        e = self.stay("0303", 1, self.d(3, 9), 9)
        ct = self.find(e, "CT", 1)
        self.replace_text(e, "exam_report", ct.date, "检查项目：上腹部CT\n检查备注：患者躁动不能配合，取消CT平扫检查", "CT")
        self.hit_line("R24", e, ct, "报告正文只有「取消CT平扫检查」（否定）；标题「CT检查报告」不读")
        e = self.stay("0304", 0, self.d(4, 11), 8)
        a1c = self.find(e, "HBA1C", 0)
        self.move_doc(e, "lab_report", a1c.date, at(a1c.date + dt.timedelta(days=4), 10), "HBA1C")
        self.hit_line("R24", e, a1c, "糖化血红蛋白报告日期为收费后第4天：比3天报告期限晚一天")
        e = self.stay("0301", 0, self.d(5, 7), 7, doctor_index=4)
        ecg = self.find(e, "ECG", 0)
        self.move_doc(e, "exam_report", ecg.date, at(ecg.date - dt.timedelta(days=1), 22, 30), "ECG")
        self.hit_line("R24", e, ecg, "心电图报告日期在收费前一日（报告期间自收费日起）")

        e = self.stay("0304", 0, self.d(6, 5), 8)
        a1c = self.find(e, "HBA1C", 0)
        self.move_doc(e, "lab_report", a1c.date, at(a1c.date + dt.timedelta(days=3), 10), "HBA1C")
        self.miss_line("R24", e, a1c, "糖化血红蛋白报告日期为收费后第3天：在报告期限内")
        e = self.stay("0304", 0, self.d(7, 16), 8)
        a1c = self.find(e, "HBA1C", 0)
        self.replace_text(e, "lab_report", a1c.date, "检验项目：ＨｂＡ１ｃ\n结果 7.4%（参考范围 4.0-6.0%）", "HBA1C")
        self.miss_line("R24", e, a1c, "报告写全角「ＨｂＡ１ｃ」：NFKC、不分大小写后即用语HbA1c")
        e = self.stay("0701", 0, self.d(3, 20), 10)
        ct = self.find(e, "CT", 0)
        self.replace_text(e, "exam_report", ct.date, "检查项目：头颅CT平扫未行增强扫描\n影像所见：脑实质内未见明确出血灶\n"
                          "诊断意见：颅内未见急性出血", "CT")
        self.miss_line("R24", e, ct, "「头颅CT平扫未行增强扫描」：否定词在用语之后，不是否定")
        e = self.stay("0701", 0, self.d(4, 17), 10)
        ct = self.find(e, "CT", 0)
        self.replace_text(e, "exam_report", ct.date, "申请备注：前次因躁动取消CT平扫\n检查项目：头颅CT平扫\n"
                          "影像所见：脑室系统无扩大，中线结构居中\n诊断意见：颅内未见急性出血", "CT")
        self.miss_line("R24", e, ct, "报告先有否定的「取消CT平扫」，后一分句提及头颅CT平扫：有提及")
        e = self.stay("0401", 0, self.d(5, 12), 6)
        ct = self.add(e, "CT", 1, self.day(e, 2))
        e.refund(ct, 1, self.when(e, self.day(e, 2), 21))
        self.miss_line("R24", e, ct, "CT当日全额退费：不是净收费行，无报告不算")

    # R25 operation billed without an operation note --------------------------------------------
    def r25(self) -> None:
        e = self.stay("0403", 0, self.d(2, 19), 6)
        turp = self.find(e, "TURP", 1)
        self.drop_doc(e, "operation", turp.date)
        self.hit_line("R25", e, turp, "经尿道前列腺电切术无手术记录（麻醉记录、病程记录提到手术，都不是手术记录）")
        e = self.stay("0501", 0, self.d(3, 13), 5)
        cs = self.find(e, "CS", 1)
        self.move_doc(e, "operation", cs.date, at(cs.date + dt.timedelta(days=2), 10))
        self.hit_line("R25", e, cs, "剖宫产手术记录日期为收费后第2天：超出前后1天")
        e = self.stay("0401", 0, self.d(6, 18), 6)
        lc = self.find(e, "LC", 1)
        self.replace_text(e, "operation", lc.date, "术前诊断：胆囊结石伴慢性胆囊炎\n手术经过：患者入手术室后血压升至190/110mmHg，"
                          "与家属沟通后取消腹腔镜下胆囊切除术\n未使用一次性腹腔镜穿刺器，择期手术\n患者送返病房")
        self.rewrite(e, "progress", lc.date, "过程顺利，术后安返病房", "因血压升高取消，择期再行")
        self.hit_line("R25", e, lc, "手术记录「取消腹腔镜下胆囊切除术」（否定），手术费照收")
        self.above_record("R26", e, "TROC", 0, "手术取消，记录「未使用一次性腹腔镜穿刺器」（否定），穿刺器照收")

        e = self.stay("0402", 0, self.d(4, 22), 10)
        tha = self.find(e, "THA", 2)
        self.move_doc(e, "operation", tha.date, at(tha.date + dt.timedelta(days=1), 9, 30))
        self.miss_line("R25", e, tha, "髋关节置换手术记录次日补写：在收费日前后1天内")
        e = self.stay("0301", 1, self.d(6, 9), 8, doctor_index=5)
        pci = self.find(e, "PCI", 1)
        self.move_doc(e, "operation", pci.date, at(pci.date - dt.timedelta(days=1), 23, 40))
        self.miss_line("R25", e, pci, "PCI手术记录时间为收费前一日深夜：在收费日前后1天内")
        e = self.stay("0403", 0, self.d(8, 6), 6)
        turp = self.find(e, "TURP", 1)
        self.rewrite(e, "operation", turp.date, "术前诊断：", "术前谈话：患者曾拒绝前列腺电切术，经解释后同意手术\n术前诊断：")
        self.miss_line("R25", e, turp, "手术记录先有否定的「拒绝前列腺电切术」，其后手术名称提及：有提及")

    # R26 material billed above the recorded count ------------------------------------------------
    def r26(self) -> None:
        e = self.stay("0301", 1, self.d(2, 6), 8, doctor_index=3)
        day = self.day(e, 1)
        self.add(e, "STENT", 2, day)
        self.rewrite(e, "operation", day, "药物洗脱支架3枚", "药物洗脱支架两枚")
        self.above_record("R26", e, "STENT", 2, "计费支架3枚，手术记录「植入药物洗脱支架两枚」（中文数字；嵌套用语「支架」只算一处）")
        e = self.stay("0301", 1, self.d(4, 4), 8, doctor_index=6)
        day = self.day(e, 1)
        self.add(e, "STENT", 1, day)
        self.rewrite(e, "operation", day, "植入药物洗脱支架2枚", "植入2枚药物洗脱支架")
        self.above_record("R26", e, "STENT", 1, "计费支架2枚，记录「植入2枚药物洗脱支架」：数量在用语之前，按1枚计")
        e = self.stay("0401", 0, self.d(7, 10), 6)
        day = self.day(e, 1)
        self.rewrite(e, "operation", day, "使用一次性腹腔镜穿刺器1个", "未使用一次性腹腔镜穿刺器，改用可重复消毒器械")
        self.above_record("R26", e, "TROC", 0, "手术记录「未使用一次性腹腔镜穿刺器」（否定），穿刺器照收1个")

        e = self.stay("0301", 1, self.d(3, 5), 8, doctor_index=7)
        day = self.day(e, 1)
        self.add(e, "STENT", 1, day)
        self.rewrite(e, "operation", day, "植入药物洗脱支架2枚（3.0mm×18mm）",
                     "植入药物洗脱支架1枚（3.0mm×18mm）\n回旋支植入支架1枚（2.75mm×15mm）\n本次共植入支架两枚")
        self.as_recorded("R26", e, "STENT", 2, "一份记录三处提及支架（1枚、1枚、共两枚）：取其中最大的2枚")
        e = self.stay("0301", 1, self.d(7, 3), 9, doctor_index=8)
        self.add(e, "STENT", 1, self.day(e, 4))
        self.as_recorded("R26", e, "STENT", 2, "分期介入：两份手术记录各记载支架1枚，合计2枚等于计费")
        e = self.stay("0301", 1, self.d(8, 7), 8, doctor_index=9)
        day = self.day(e, 1)
        extra = self.add(e, "STENT", 2, day)
        e.refund(extra, 1, self.when(e, day, 21))
        self.rewrite(e, "operation", day, "药物洗脱支架2枚", "药物洗脱支架两枚")
        self.as_recorded("R26", e, "STENT", 2, "计费3枚退1枚合计2枚，手术记录「两枚」")

    # R27 nursing level billed differs from the record ---------------------------------------------
    def r27(self) -> None:
        e = self.stay("0402", 0, self.d(2, 8), 10)
        nur = self.find(e, "NUR1", 4)
        self.rewrite(e, "nursing", nur.date, "护理级别：一级护理", "护理级别：二级护理")
        self.hit_line("R27", e, nur, "收一级护理，当日护理记录「护理级别：二级护理」")
        e = self.stay("0501", 0, self.d(4, 15), 5)
        nur = self.find(e, "NUR1", 2)
        self.rewrite(e, "nursing", nur.date, "护理级别：一级护理", "遵医嘱停用一级护理，改为二级护理")
        self.hit_line("R27", e, nur, "护理记录「遵医嘱停用一级护理」（否定）「改为二级护理」，仍收一级护理")
        e = self.stay("0304", 0, self.d(5, 19), 8)
        nur = self.find(e, "NUR2", 3)
        self.rewrite(e, "nursing", nur.date, "护理级别：二级护理", "护理级别：一级护理")
        self.hit_line("R27", e, nur, "收二级护理，当日护理记录「护理级别：一级护理」")

        e = self.stay("0402", 0, self.d(3, 4), 10)
        nur = self.find(e, "NUR1", 3)
        self.append_text(e, "nursing", nur.date, "病情稳定，遵医嘱明日起改二级护理")
        self.miss_line("R27", e, nur, "当日记录既有一级护理（本项目）也有「明日起改二级护理」：提及本项目即不算")
        nur = self.find(e, "NUR1", 5)
        self.rewrite(e, "nursing", nur.date, "护理级别：一级护理\n", "")
        self.miss_line("R27", e, nur, "当日护理记录未写护理级别：没有其他级别的记载")
        nur = self.find(e, "NUR1", 7)
        self.rewrite(e, "nursing", nur.date, "护理级别：一级护理", "护理级别：I级护理")
        self.miss_line("R27", e, nur, "记录写「I级护理」：不是知识库用语（一级护理无罗马数字用语，因「Ⅱ级护理」规范化后含「i级护理」），"
                                      "当日没有其他级别的记载")
        e = self.stay("0501", 0, self.d(6, 21), 5)
        nur = self.find(e, "NUR1", 3)
        self.rewrite(e, "nursing", nur.date, "护理级别：一级护理", "护理级别：二级护理")
        self.add_doc(e, "nursing", at(nur.date, 23, 10), "夜班护理记录", "护理级别：一级护理\n夜间睡眠可，切口敷料干燥")
        self.miss_line("R27", e, nur, "白班记录二级护理、夜班记录一级护理：当日有一份记录提及本项目")
        e = self.stay("0304", 0, self.d(9, 12), 8)
        nur = self.find(e, "NUR2", 2)
        self.rewrite(e, "nursing", nur.date, "护理级别：二级护理", "护理级别：Ⅱ级护理")
        self.miss_line("R27", e, nur, "记录写罗马数字「Ⅱ级护理」：知识库用语，即本项目")
        e = self.stay("0501", 0, self.d(7, 8), 5)
        nur = self.find(e, "NUR1", 2)
        self.rewrite(e, "nursing", nur.date, "护理级别：一级护理", "护理级别：Ⅱ级护理")
        self.hit_line("R27", e, nur, "收一级护理，当日护理记录「护理级别：Ⅱ级护理」（罗马数字，知识库用语 Ⅱ级护理）")

    # R28 treatment sessions billed above those recorded -------------------------------------------
    def r28(self) -> None:
        e = self.stay("0701", 0, self.d(5, 6), 10)
        day = self.day(e, 5)
        self.drop_doc(e, "treatment", day, "KF")
        self.above_record("R28", e, "KF", 0, "运动疗法当日计费1次，无治疗记录", day=day)
        e = self.stay("0302", 0, self.d(3, 15), 8)
        day = self.day(e, 3)
        self.replace_text(e, "treatment", day, "患者诉胸闷气促，拒绝雾化吸入，已报告医生", "NEB")
        self.above_record("R28", e, "NEB", 1, "雾化吸入当日计费2次，两份治疗记录之一「拒绝雾化吸入」（否定）", day=day)
        e = self.stay("0402", 0, self.d(6, 3), 10)
        day = self.day(e, 4)
        self.move_doc(e, "treatment", day, at(day + dt.timedelta(days=1), 0, 20), "KF")
        self.above_record("R28", e, "KF", 0, "运动疗法的治疗记录写在次日0:20，收费当日无记录", day=day)
        self.as_recorded("R28", e, "KF", 2, "次日两份运动疗法记录（一份是前一日的），计费1次：不超",
                         day=day + dt.timedelta(days=1))

        e = self.stay("0402", 0, self.d(7, 14), 10)
        day = self.day(e, 6)
        self.rewrite(e, "treatment", day, "治疗项目：运动疗法", "治疗项目：康复训练", "KF")
        self.as_recorded("R28", e, "KF", 1, "治疗记录写「康复训练」：该项目的另一用语", day=day)
        day = self.day(e, 7)
        extra = self.add(e, "KF", 1, day)
        e.refund(extra, 1, self.when(e, day, 21))
        self.as_recorded("R28", e, "KF", 1, "当日计2次退1次，合计1次，治疗记录1份", day=day)
        e = self.stay("0302", 0, self.d(5, 10), 8)
        day = self.day(e, 2)
        self.replace_text(e, "treatment", day, "治疗时间：9:30起15分钟\n患者未见明显不适并完成雾化吸入", "NEB")
        self.as_recorded("R28", e, "NEB", 2, "记录「患者未见明显不适并完成雾化吸入」：「未见」不是否定词", day=day)

    # R29 billed while the record says the patient was away -----------------------------------------
    def r29(self) -> None:
        e = self.stay("0402", 0, self.d(8, 19), 10)
        day = self.day(e, 5)
        self.append_text(e, "progress", day, "患者下午请假外出，当日18时返回病房")
        for key in ("BED", "NUR1", "DIET"):
            self.hit_line("R29", e, self.find(e, key, 5), "病程记录「患者下午请假外出」：即使当日返回，按规范仍为不在院")
        for key in ("VISIT", "KF"):
            self.miss_line("R29", e, self.find(e, key, 5), "请假外出当日的诊查费、康复治疗：不是床位、护理、膳食类")
        e = self.stay("0304", 0, self.d(10, 14), 8)
        day = self.day(e, 3)
        self.append_text(e, "nursing", day, "22:30巡视患者外出未归，已电话通知家属及值班医生")
        for key in ("BED", "NUR2", "DIET"):
            self.hit_line("R29", e, self.find(e, key, 3), "护理记录「22:30巡视患者外出未归」")

        e = self.stay("0701", 0, self.d(6, 24), 10)
        self.append_text(e, "nursing", e.admit_date, "患者办理入院后请假离院回家取物")
        self.miss_line("R29", e, self.find(e, "BED", 0), "入院当日记载请假离院：不在入院日与出院日之间（严格之间）")
        day = self.day(e, 4)
        self.add_doc(e, "other", at(day, 13, 30), "请假条", "患者因家中有事申请请假外出\n时间：14:00至18:00\n经治医生同意")
        self.miss_line("R29", e, self.find(e, "BED", 4), "请假条（其他类文书）写请假外出：只读护理记录和病程记录")
        day = self.day(e, 6)
        self.append_text(e, "progress", day, "患者要求回家，经劝说放弃请假外出")
        self.miss_line("R29", e, self.find(e, "BED", 6), "病程记录「经劝说放弃请假外出」（否定）")

    # statistical models ------------------------------------------------------------------
    def stats(self) -> None:
        for (code, month), extra in sorted(bg.S01_JUMPS.items()):
            dept = self.hosp.department(code)
            self.stat.append(Planted("S01", "department-month", f"{dept.name}{month}月住院患者均加用"
                                     f"{self.hosp.item(extra[0][0]).name}，次均费用较前3月显著增长",
                                     subject={"dept_codg": code, "month": f"{self.year}-{month:02d}"}, amount=None))
        for dept_code, t, admit, units in (("0302", 0, self.d(6, 12), 8), ("0304", 0, self.d(2, 16), 4)):
            e = self.stay(dept_code, t, admit, 9 if dept_code == "0302" else 8, doctor_index=2)
            self.add(e, "RHBNP", units, self.day(e, 4))
            self.stat.append(Planted("S02", "visit", f"住院第5天单日费用骤增（重组人脑利钠肽{units}支）", enc=e,
                                     amount=None))
        for (code, index), extra in sorted(bg.S03_OUTLIERS.items()):
            self.stat.append(Planted("S03", "doctor", "该医生每日加用重组人脑利钠肽，次均费用远高于科内其他医生",
                                     subject={"dr_codg": bg.doctor_code(self.hosp.department(code), index),
                                              "dept_codg": code}, amount=None))
        for (code, index), (key, units) in sorted(bg.S04_OUTLIERS.items()):
            item = self.hosp.item(key)
            self.stat.append(Planted("S04", "doctor-item", f"该医生每台手术使用{units}个{item.name}，同行多为1个",
                                     subject={"dr_codg": bg.doctor_code(self.hosp.department(code), index),
                                              "dept_codg": code, "med_list_codg": item.code}, amount=None))
