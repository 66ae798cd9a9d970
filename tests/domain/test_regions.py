"""Region codes (行政区划代码) named from the bundled 民政部 list: each level, the whole hierarchy, the special
cases (municipalities, county-level cities under a province, prefectures without counties) and unknown codes
shown as the code with a mark, never a guessed name."""

import csv

import pytest

from feijian.domain import regions
from feijian.paths import resource


@pytest.mark.parametrize("code, full", [
    ("440000", "广东省"),                  # province
    ("440100", "广东省广州市"),            # prefecture
    ("440104", "广东省广州市越秀区"),      # county level
    ("110000", "北京市"),
    ("110101", "北京市东城区"),            # a municipality: no prefecture level in the list
    ("500229", "重庆市城口县"),
    ("419001", "河南省济源市"),            # a county-level city directly under its province
    ("441900", "广东省东莞市"),            # a prefecture-level city without counties
    ("650000", "新疆维吾尔自治区"),
    ("820000", "澳门特别行政区"),
])
def test_full_name_at_each_level(code, full):
    assert regions.full_name(code) == full
    assert regions.region(code) == f"{code} {full}"


def test_unknown_codes_are_marked_and_never_named():
    assert regions.full_name("440199") == ""
    assert regions.region("440199") == "440199（地区码表中没有此码，属广东省广州市）"
    assert regions.region("449999") == "449999（地区码表中没有此码，属广东省）"
    assert regions.region("990000") == "990000（地区码表中没有此码）"
    assert regions.region("4401") == "4401（地区码表中没有此码）"  # not a six-digit code
    assert regions.region("") == regions.region(None) == ""


def test_a_name_field_stays_as_written():
    assert regions.region_or_text("玄武区") == "玄武区"
    assert regions.region_or_text(" 440106 ") == "440106 广东省广州市天河区"
    assert regions.region_or_text(None) == ""


def test_the_bundled_list_is_the_whole_county_level_table():
    with open(resource("regions", "divisions.csv"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes)) == len(regions.divisions()) > 3000
    provinces = [c for c in codes if c.endswith("0000")]
    assert len(provinces) == 34
    # every county-level code sits under a province the list holds
    assert all(c[:2] + "0000" in regions.divisions() for c in codes)
