"""Working days with the holiday calendar (data files, 调休 included)."""

import datetime as dt

import pytest

from feijian.casework.calendar import load_calendar, parse_calendar_file
from feijian.domain.errors import InputError

D = dt.date


def test_2026_holidays_and_makeup_workdays():
    cal = load_calendar()
    assert cal.covers(D(2026, 6, 1)) and cal.covers(D(2025, 6, 1))
    assert not cal.is_working_day(D(2026, 2, 17))  # 春节 (a Tuesday)
    assert cal.holiday_name(D(2026, 10, 5)) == "国庆节"
    assert cal.is_working_day(D(2026, 2, 14))  # Saturday worked (调休)
    assert cal.is_working_day(D(2026, 10, 10))
    assert not cal.is_working_day(D(2026, 3, 7))  # an ordinary Saturday
    assert cal.is_working_day(D(2026, 3, 9))  # an ordinary Monday


def test_adding_working_days_skips_weekends_and_holidays():
    cal = load_calendar()
    assert cal.add_working_days(D(2026, 3, 6), 5) == D(2026, 3, 13)  # Friday + 5 = next Friday
    # notice on Wed 30 Sept 2026: 10/1–10/7 off, 10/10 (Sat) worked → 10/8, 10/9, 10/10, 10/12, 10/13
    assert cal.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert cal.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert cal.working_days_between(D(2026, 10, 13), D(2026, 9, 30)) == -5
    assert cal.add_working_days(D(2026, 3, 6), 0) == D(2026, 3, 6)


def test_a_local_calendar_file_overrides_a_bundled_year(tmp_path):
    (tmp_path / "cn-2026.toml").write_text('year = 2026\nholidays = [{ name = "测试", dates = ["2026-03-09"] }]\n'
                                           'workdays = []\n', encoding="utf-8")
    cal = load_calendar([tmp_path])
    assert not cal.is_working_day(D(2026, 3, 9))
    assert cal.is_working_day(D(2026, 2, 16))  # no longer a holiday in the replaced year


def test_the_data_folder_calendar_is_read_by_default(_isolated_home):
    folder = _isolated_home / "calendar"
    folder.mkdir()
    (folder / "cn-2027.toml").write_text('year = 2027\nholidays = [{ name = "元旦", dates = ["2027-01-01"] }]\n', encoding="utf-8")
    cal = load_calendar()
    assert cal.covers(D(2027, 1, 1)) and not cal.is_working_day(D(2027, 1, 1)) and cal.covers(D(2026, 1, 1))


def test_bad_calendar_files_are_refused(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('year = 2027\nholidays = [{ name = "x", from = "2027-01-05", to = "2027-01-01" }]\n', encoding="utf-8")
    with pytest.raises(InputError):
        parse_calendar_file(p)
    p.write_text('year = 2027\nholidays = [{ name = "x", dates = ["2027-01-02"] }]\nworkdays = ["2027-01-02"]\n', encoding="utf-8")
    with pytest.raises(InputError):
        parse_calendar_file(p)
    p.write_text('holidays = []\n', encoding="utf-8")
    with pytest.raises(InputError):
        parse_calendar_file(p)
