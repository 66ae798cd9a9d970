"""Typed records (询问笔录, 现场检查笔录) are checked on entry against resources/casework/typed_records.toml."""

import pytest

from feijian.domain.errors import InputError
from feijian.domain.typed_records import check_record, id_number_problem, parse_qa, record_kinds, record_lines

ONSITE = {
    "start": "2026-03-03 14:00", "end": "2026-03-03 17:30", "place": "住院部心血管内科病区",
    "inspectors": [{"name": "王建国", "staff_no": "11010023001"}, {"name": "李晓梅", "staff_no": "11010023002"}],
    "recorder": "张伟", "attendees": [{"name": "赵某", "position": "科室主任"}],
    "content": "在床患者32人，3张床位有收费记录但患者不在床。",
}


def test_both_kinds_are_declared_with_the_fields_the_documents_print():
    kinds = record_kinds()
    assert set(kinds) == {"interview", "onsite_record"}
    assert {f.name for f in kinds["interview"].fields} >= {"start", "end", "place", "interviewers", "recorder",
                                                         "interviewee", "qa"}
    assert {f.name for f in kinds["onsite_record"].fields} >= {"start", "end", "place", "inspectors", "recorder",
                                                             "attendees", "content", "party_comments", "refusal"}


def test_a_complete_onsite_record_is_kept_and_normalised():
    rec = dict(ONSITE, start="2026-3-3 14:00", place="  住院部心血管内科病区 ", party_comments="",
               attendees=[{"name": "赵某", "position": "科室主任"}, {"name": "", "position": ""}])
    out = check_record("onsite_record", rec)
    assert out["start"] == "2026-03-03 14:00" and out["place"] == "住院部心血管内科病区"
    assert "party_comments" not in out  # empty optional field left out
    assert out["attendees"] == [{"name": "赵某", "position": "科室主任"}]  # the form's empty row ignored


@pytest.mark.parametrize("change, expected", [
    ({"inspectors": [{"name": "王建国", "staff_no": "11010023001"}], "recorder": "王建国"}, "至少 2 名"),
    ({"inspectors": [{"name": "王建国"}, {"name": "李晓梅", "staff_no": "2"}]}, "缺少执法证号"),
    ({"end": "2026-03-03 13:59"}, "早于"),
    ({"start": "昨天下午"}, "年-月-日"),
    ({"content": "   "}, "缺少检查情况"),
    ({"notes": "x"}, "notes"),
    ({"attendees": [{"name": "赵某", "title": "主任"}]}, "title"),
    ({"attendees": "赵某"}, "应为列表"),
])
def test_a_bad_onsite_record_is_refused_with_its_problem_named(change, expected):
    with pytest.raises(InputError) as exc:
        check_record("onsite_record", dict(ONSITE, **change))
    assert expected in str(exc.value)


def test_every_problem_is_named_at_once():
    with pytest.raises(InputError) as exc:
        check_record("interview", {"start": "x"})
    lines = str(exc.value).splitlines()
    assert len(lines) >= 6 and any("询问开始时间" in line for line in lines) and any("缺少问答" in line for line in lines)


def test_unknown_kind_and_non_object():
    with pytest.raises(InputError, match="gossip"):
        check_record("gossip", {})
    with pytest.raises(InputError):
        check_record("interview", ["not", "an", "object"])


def test_id_number_check_digit():
    assert id_number_problem("11010519491231002X") == ""
    assert id_number_problem("11010519491231002x".upper()) == ""
    assert "校验位" in id_number_problem("110105194912310021")
    assert "出生日期" in id_number_problem(_with_check("11010519490230002"))  # 30 February
    assert id_number_problem("E12345678") == ""  # a passport number: not a mainland ID, not checked
    assert "17 位数字" in id_number_problem("11010519491231A02X")


def _with_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


def test_qa_typed_as_lines():
    assert parse_qa("问：一？\n答：是。\n\nQ: two?\nA: yes\nand more") == [
        {"q": "一？", "a": "是。"}, {"q": "two?", "a": "yes\nand more"}]
    for bad, why in (("你好", "问："), ("答：无问", "回答前没有问题"),
                     ("问：一\n问：二\n答：三", "没有回答"), ("问：一", "没有回答")):
        with pytest.raises(InputError, match=why):
            parse_qa(bad)


def test_record_lines_follow_the_kind_and_keep_unknown_old_keys():
    lines = record_lines("onsite_record", dict(ONSITE, legacy="旧字段"))
    labels = [label for label, _ in lines]
    assert labels[:3] == ["检查开始时间", "检查结束时间", "检查地点"]
    assert ("检查人员", "王建国 11010023001、李晓梅 11010023002") in lines
    assert ("legacy", "旧字段") in lines
