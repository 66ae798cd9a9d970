"""裁量基准: the bundled table validates, suggestions follow bands and conditions, bad tables are refused."""

from decimal import Decimal

import pytest

from feijian.casework import discretion as dz
from feijian.domain.errors import InputError
from feijian.paths import resource

TEXT = resource("casework", "discretion", "example-province.toml").read_text(encoding="utf-8")


def test_bands_and_conditions_move_the_grade():
    t = dz.load_table()
    s = dz.suggest(t, 38, Decimal("50000"))
    assert s.grade == "一般" and (s.low, s.high) == (Decimal("65000.00"), Decimal("85000.00"))
    assert "一般" in s.reasons[0]
    s = dz.suggest(t, 38, Decimal("50000"), ["self_declared"])
    assert s.grade == "从轻" and s.low == Decimal("50000.00") and "第三十二条" in s.bases[0][1]
    s = dz.suggest(t, 40, Decimal("500000"), ["not_declared", "repeated"])
    assert s.grade == "从重" and s.high == Decimal("2500000.00") and "已在端档" in s.text
    s = dz.suggest(t, 39, Decimal("1"), ["refused_cooperation"])
    assert s.grade == "一般" and (s.low, s.high) == (Decimal("20000"), Decimal("35000"))
    # article 15 is punished under article 38
    assert dz.suggest(t, 15, Decimal("5000")).article == 38
    assert dz.suggest(t, 0, Decimal("5000")) is None
    with pytest.raises(InputError, match="unknown condition"):
        dz.suggest(t, 38, Decimal("1"), ["bribed"])


@pytest.mark.parametrize("edit, message", [
    (('"从轻" = [1.0, 1.3]', '"从轻" = [1.0, 1.2]'), "no gap"),
    (('"从重" = [4.0, 5.0]', '"从重" = [4.0, 6.0]'), "national range"),
    (('below = 100000', 'below = 5000'), "increase"),
    (('"self_declared", ', '"bribed", '), "unknown conditions"),
    (('format = "feijian-discretion/v1"', 'format = "x"'), "format"),
    (('"一般" = [20000, 35000]', '"一般" = ["a", 35000]'), "number"),
])
def test_bad_tables_are_refused(edit, message):
    with pytest.raises(InputError, match=message):
        dz.parse_table(TEXT.replace(*edit))


def test_import_into_the_data_folder(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text(TEXT.replace("示例省（演示用，非正式文件）", "乙省"), encoding="utf-8")
    assert dz.active_table(tmp_path).province.startswith("示例省")
    dz.import_table(tmp_path, f)
    assert dz.active_table(tmp_path).province == "乙省"
    bad = tmp_path / "bad.toml"
    bad.write_text(TEXT.replace('"从轻" = [2.0, 3.0]', ""), encoding="utf-8")
    with pytest.raises(InputError):
        dz.import_table(tmp_path, bad)
    assert dz.active_table(tmp_path).province == "乙省"
