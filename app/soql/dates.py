"""SOQL date literals (TODAY, LAST_N_DAYS:n …) as half-open ranges of days, in the org's time zone.

Salesforce SOQL and SOSL Reference, "Date Formats and Date Literals in WHERE": each literal is a range of
whole days relative to today. LAST_N_DAYS:n includes today (LAST_N_DAYS:1 is yesterday and today, so
LAST_90_DAYS spans 91 days); NEXT_N_DAYS:n and NEXT_90_DAYS start tomorrow; LAST_N_WEEKS/MONTHS/QUARTERS/
YEARS:n end before the current period; N_<unit>_AGO:n is the one period n units back.
Salesforce resolves the ranges in the user's time zone and locale; sfmock uses the running user's time zone
(else the org's, UTC by default; sfmock.calls.ApiCall.time_zone) and weeks starting on Sunday (the en_US
locale) [deviation: one locale]. Fiscal literals
use the calendar year, which is Salesforce's default fiscal year (starting in January).
A range reaching past the calendar (LAST_N_DAYS:999999999, NEXT_N_YEARS:99999999) is cut at date.min /
date.max, so it still compares as it should with every date a record can hold (Salesforce's valid range is
1700-01-01 to 4000-12-31). Salesforce documents no maximum n and its answer to such an n is not known
[UNCONFIRMED: clamped here rather than refused].
"""

from __future__ import annotations

import datetime as dt

# Literals that take no argument: name -> (unit, offset of the first period from the current one, periods).
_FIXED = {
    "YESTERDAY": ("day", -1, 1),
    "TODAY": ("day", 0, 1),
    "TOMORROW": ("day", 1, 1),
    "LAST_WEEK": ("week", -1, 1),
    "THIS_WEEK": ("week", 0, 1),
    "NEXT_WEEK": ("week", 1, 1),
    "LAST_MONTH": ("month", -1, 1),
    "THIS_MONTH": ("month", 0, 1),
    "NEXT_MONTH": ("month", 1, 1),
    "LAST_90_DAYS": ("day", -90, 91),
    "NEXT_90_DAYS": ("day", 1, 90),
    "LAST_QUARTER": ("quarter", -1, 1),
    "THIS_QUARTER": ("quarter", 0, 1),
    "NEXT_QUARTER": ("quarter", 1, 1),
    "LAST_YEAR": ("year", -1, 1),
    "THIS_YEAR": ("year", 0, 1),
    "NEXT_YEAR": ("year", 1, 1),
    "LAST_FISCAL_QUARTER": ("quarter", -1, 1),
    "THIS_FISCAL_QUARTER": ("quarter", 0, 1),
    "NEXT_FISCAL_QUARTER": ("quarter", 1, 1),
    "LAST_FISCAL_YEAR": ("year", -1, 1),
    "THIS_FISCAL_YEAR": ("year", 0, 1),
    "NEXT_FISCAL_YEAR": ("year", 1, 1),
}

_UNITS = {
    "DAYS": "day",
    "WEEKS": "week",
    "MONTHS": "month",
    "QUARTERS": "quarter",
    "YEARS": "year",
    "FISCAL_QUARTERS": "quarter",
    "FISCAL_YEARS": "year",
}
# Literals written NAME:n, e.g. LAST_N_DAYS:7, NEXT_N_MONTHS:2, N_YEARS_AGO:1.
_WITH_N = {f"{kind}_N_{unit}": (kind, u) for unit, u in _UNITS.items() for kind in ("LAST", "NEXT")}
_WITH_N.update({f"N_{unit}_AGO": ("AGO", u) for unit, u in _UNITS.items()})


def takes_n(name: str) -> bool | None:
    """True for NAME:n literals, False for fixed ones, None for an unknown name."""
    upper = name.upper()
    if upper in _FIXED:
        return False
    if upper in _WITH_N:
        return True
    return None


_FIRST_MONTH = dt.date.min.year * 12  # month index of January of year 1
_LAST_MONTH = dt.date.max.year * 12 + 11  # month index of December 9999


def _day(ordinal: int) -> dt.date:
    """The day of a proleptic Gregorian ordinal, clamped to date.min..date.max."""
    return dt.date.fromordinal(min(max(ordinal, dt.date.min.toordinal()), dt.date.max.toordinal()))


def _month_start(index: int) -> dt.date:
    """The first day of month `index` (year * 12 + month - 1); date.min before year 1, date.max after 9999."""
    if index < _FIRST_MONTH:
        return dt.date.min
    if index > _LAST_MONTH:
        return dt.date.max
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def _period(unit: str, today: dt.date, shift: int, count: int) -> tuple[dt.date, dt.date]:
    """The `count` periods starting `shift` periods from the current one (integer arithmetic, then clamped:
    n can be any size)."""
    if unit in ("day", "week"):
        days = 1 if unit == "day" else 7
        start = today.toordinal()
        if unit == "week":
            # date.weekday(): Monday 0 … Sunday 6; weeks start on Sunday.
            start -= (today.weekday() + 1) % 7
        start += shift * days
        return _day(start), _day(start + count * days)
    months = {"month": 1, "quarter": 3, "year": 12}[unit]
    index = today.year * 12 + today.month - 1
    current = index - index % months
    first = current + shift * months
    return _month_start(first), _month_start(first + count * months)


def day_range(
    name: str, n: int | None, now: dt.datetime, zone: dt.tzinfo = dt.UTC
) -> tuple[dt.date, dt.date]:
    """[first day, day after the last day) of a date literal, relative to `now` (aware) taken in `zone` (the
    org's time zone; UTC by default)."""
    today = now.astimezone(zone).date() if now.tzinfo else now.date()
    upper = name.upper()
    if upper in _FIXED:
        unit, shift, count = _FIXED[upper]
        return _period(unit, today, shift, count)
    kind, unit = _WITH_N[upper]
    assert n is not None
    if unit == "day":
        if kind == "LAST":
            return _period("day", today, -n, n + 1)
        if kind == "NEXT":
            return _period("day", today, 1, n)
        return _period("day", today, -n, 1)
    if kind == "LAST":
        return _period(unit, today, -n, n)
    if kind == "NEXT":
        return _period(unit, today, 1, n)
    return _period(unit, today, -n, 1)
