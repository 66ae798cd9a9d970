"""Working days (工作日) with a configurable holiday calendar.

The calendar is data: one TOML file per year in ``resources/calendar/`` (holidays as dates or ranges, and the
weekend days worked instead, 调休上班), plus any files in the data folder's ``calendar/`` (a province or a
new year's notice) which override a bundled year. A date outside every known year counts Monday–Friday
as working days; :meth:`HolidayCalendar.covers` tells the caller so that it can warn.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from feijian.domain.errors import InputError
from feijian.paths import default_home, resource


@dataclass(frozen=True)
class HolidayCalendar:
    holidays: dict[dt.date, str] = field(default_factory=dict)  # date -> holiday name
    workdays: frozenset[dt.date] = frozenset()  # weekend days that are worked (调休)
    years: frozenset[int] = frozenset()
    sources: tuple[str, ...] = ()

    def covers(self, day: dt.date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def holiday_name(self, day: dt.date) -> str:
        return self.holidays.get(day, "")

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start`` (``start`` itself not counted: a deadline of
        5 working days from a Friday notice ends on the next Friday when no holiday intervenes)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day, left = start, days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        n, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            n += self.is_working_day(day)
        return n


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"日历文件日期无效 / bad date in calendar file {where}: {value!r}") from None


def parse_calendar_file(path: Path) -> tuple[int, dict[dt.date, str], set[dt.date], str]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取节假日文件 / cannot read calendar file {path}: {exc}") from None
    where = Path(path).name
    try:
        year = int(data["year"])
    except (KeyError, TypeError, ValueError):
        raise InputError(f"节假日文件缺少 year / calendar file {where} has no year") from None
    holidays: dict[dt.date, str] = {}
    for h in data.get("holidays", []):
        name = str(h.get("name", ""))
        days = [_date(d, where) for d in h.get("dates", [])]
        if "from" in h or "to" in h:
            a, b = _date(h.get("from"), where), _date(h.get("to"), where)
            if b < a:
                raise InputError(f"节假日区间颠倒 / holiday range reversed in {where}: {a}–{b}")
            days += [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
        for d in days:
            holidays[d] = name
    workdays = {_date(d, where) for d in data.get("workdays", [])}
    clash = workdays & set(holidays)
    if clash:
        raise InputError(f"同一天既是假日又是调休工作日 / a date is both holiday and workday in {where}: {min(clash)}")
    return year, holidays, workdays, str(data.get("source", where))


def load_calendar(extra_dirs: Iterable[Path] | None = None) -> HolidayCalendar:
    """The bundled calendar, with files in ``extra_dirs`` (default: the data folder's ``calendar/``)
    replacing bundled years."""
    if extra_dirs is None:
        extra_dirs = [default_home() / "calendar"]
    by_year: dict[int, tuple[dict, set, str]] = {}
    dirs = [resource("calendar"), *[Path(d) for d in extra_dirs]]
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            year, hol, work, src = parse_calendar_file(path)
            by_year[year] = (hol, work, src)
    holidays: dict[dt.date, str] = {}
    workdays: set[dt.date] = set()
    for hol, work, _ in by_year.values():
        holidays.update(hol)
        workdays |= work
    return HolidayCalendar(holidays, frozenset(workdays), frozenset(by_year), tuple(v[2] for _, v in sorted(by_year.items())))
