"""Issue 18: the names the imported tables give to codes — a hit's detail, a doctor and a statistical hit's
subject as people read them."""

from feijian.casework.name_directory import NameDirectory, subject_names

NAMES = NameDirectory(items={"001203000010000": "静脉输液"}, staff={"D0301014": "夏伟伟", "D0301002": "苏俊鑫"},
                      depts={"0301": "心血管内科", "0303": "消化内科"}, staff_depts={"D0301002": "0301"},
                      diags={"I63.900": "脑梗死", "E11.900": "2型糖尿病"})


def test_a_detail_with_its_codes_named_and_written_as_people_write():
    assert NAMES.detail("项目 001203000010000 在 2024-02-21 共 5.0 个单位，超过日限量 4") == \
        "项目 001203000010000（静脉输液） 在 2024-02-21 共 5 个单位，超过日限量 4"
    assert NAMES.detail("医生 D0301014（科室 0301）次均费用 9110.23 元") == \
        "医生 D0301014（夏伟伟）（科室 0301 心血管内科）次均费用 9,110.23 元"
    assert NAMES.detail("距上次住院 ZY1（2024-03-11 出院）30 天再入院，主要诊断同为 I63") == \
        "距上次住院 ZY1（2024-03-11 出院）30 天再入院，主要诊断同为 I63（脑梗死）"
    assert NAMES.detail("主要诊断同为 I99") == "主要诊断同为 I99"  # no diagnosis of that category: as it is
    assert NameDirectory().detail("项目 001203000010000 共 5.0 个单位") == "项目 001203000010000 共 5 个单位"


def test_doctors_departments_and_subjects():
    assert NAMES.doctor("D0301014") == "D0301014 夏伟伟" and NAMES.doctor("D9") == "D9" and NAMES.doctor(None) == ""
    assert NAMES.dept("0303") == "消化内科" and NAMES.dept("9999") == "9999" and NAMES.dept("") == ""
    assert subject_names("0301/D0301014", NAMES) == ("心血管内科", "D0301014 夏伟伟")
    assert subject_names("D0301002", NAMES) == ("心血管内科", "D0301002 苏俊鑫")  # S04: a doctor, in the staff's dept
    assert subject_names("0303", NAMES) == ("消化内科", "")
    assert subject_names(None, NAMES) == ("", "")


def test_knowledge_base_lists_with_the_names_the_case_gives():
    """R18's 限定诊断 and R17's 手术前缀 lists: each code named from the case's own diagnoses / operations, a
    category by its unspecified code (E11 → E11.900), never by a sub-code's name (E10 → not E10.100's)."""
    names = NameDirectory(diags={"E11.900": "2型糖尿病", "E10.100": "1型糖尿病伴有酮症酸中毒", "K35.x00": "急性阑尾炎"},
                          oprns={"36.0700": "药物洗脱冠状动脉支架置入术"})
    assert names.detail("项目 002503040010000 限定诊断 E10;E11;K35;O24，本次就诊无相符诊断") == \
        "项目 002503040010000 限定诊断 E10、E11（2型糖尿病）、K35（急性阑尾炎）、O24，本次就诊无相符诊断"
    assert names.detail("高值耗材 C0301010100000100001 无匹配手术（应为 36.06;36.07 开头的手术）") == \
        "高值耗材 C0301010100000100001 无匹配手术（应为 36.06、36.07（药物洗脱冠状动脉支架置入术） 开头的手术）"
    assert NameDirectory().detail("限定诊断 E10;E11，本次就诊无相符诊断") == "限定诊断 E10、E11，本次就诊无相符诊断"
    assert names.diagnosis("E10") == "" and names.diagnosis("E10.100") == "1型糖尿病伴有酮症酸中毒"
