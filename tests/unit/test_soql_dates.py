"""SOQL date literals as day ranges [first, after) relative to now (Wednesday 2024-05-15, UTC)."""

from __future__ import annotations

import datetime as dt

import pytest

from sfmock.soql.dates import day_range, takes_n

NOW = dt.datetime(2024, 5, 15, 23, 30, tzinfo=dt.UTC)
D = dt.date


@pytest.mark.parametrize(
    ("name", "n", "first", "after"),
    [
        ("TODAY", None, D(2024, 5, 15), D(2024, 5, 16)),
        ("YESTERDAY", None, D(2024, 5, 14), D(2024, 5, 15)),
        ("TOMORROW", None, D(2024, 5, 16), D(2024, 5, 17)),
        ("THIS_WEEK", None, D(2024, 5, 12), D(2024, 5, 19)),  # weeks start on Sunday (en_US)
        ("LAST_WEEK", None, D(2024, 5, 5), D(2024, 5, 12)),
        ("NEXT_WEEK", None, D(2024, 5, 19), D(2024, 5, 26)),
        ("THIS_MONTH", None, D(2024, 5, 1), D(2024, 6, 1)),
        ("LAST_MONTH", None, D(2024, 4, 1), D(2024, 5, 1)),
        ("NEXT_MONTH", None, D(2024, 6, 1), D(2024, 7, 1)),
        ("LAST_90_DAYS", None, D(2024, 2, 15), D(2024, 5, 16)),  # 91 days, today included
        ("NEXT_90_DAYS", None, D(2024, 5, 16), D(2024, 8, 14)),  # from tomorrow
        ("THIS_QUARTER", None, D(2024, 4, 1), D(2024, 7, 1)),
        ("LAST_QUARTER", None, D(2024, 1, 1), D(2024, 4, 1)),
        ("NEXT_QUARTER", None, D(2024, 7, 1), D(2024, 10, 1)),
        ("THIS_YEAR", None, D(2024, 1, 1), D(2025, 1, 1)),
        ("LAST_YEAR", None, D(2023, 1, 1), D(2024, 1, 1)),
        ("NEXT_YEAR", None, D(2025, 1, 1), D(2026, 1, 1)),
        ("THIS_FISCAL_YEAR", None, D(2024, 1, 1), D(2025, 1, 1)),
        ("LAST_N_DAYS", 1, D(2024, 5, 14), D(2024, 5, 16)),  # yesterday and today
        ("LAST_N_DAYS", 30, D(2024, 4, 15), D(2024, 5, 16)),
        ("NEXT_N_DAYS", 3, D(2024, 5, 16), D(2024, 5, 19)),
        ("N_DAYS_AGO", 3, D(2024, 5, 12), D(2024, 5, 13)),
        ("LAST_N_WEEKS", 2, D(2024, 4, 28), D(2024, 5, 12)),
        ("NEXT_N_WEEKS", 1, D(2024, 5, 19), D(2024, 5, 26)),
        ("N_WEEKS_AGO", 1, D(2024, 5, 5), D(2024, 5, 12)),
        ("LAST_N_MONTHS", 5, D(2023, 12, 1), D(2024, 5, 1)),
        ("NEXT_N_MONTHS", 8, D(2024, 6, 1), D(2025, 2, 1)),
        ("N_MONTHS_AGO", 5, D(2023, 12, 1), D(2024, 1, 1)),
        ("LAST_N_QUARTERS", 2, D(2023, 10, 1), D(2024, 4, 1)),
        ("N_QUARTERS_AGO", 2, D(2023, 10, 1), D(2024, 1, 1)),
        ("LAST_N_YEARS", 2, D(2022, 1, 1), D(2024, 1, 1)),
        ("N_YEARS_AGO", 1, D(2023, 1, 1), D(2024, 1, 1)),
        ("NEXT_N_YEARS", 1, D(2025, 1, 1), D(2026, 1, 1)),
    ],
)
def test_day_range(name: str, n: int | None, first: dt.date, after: dt.date) -> None:
    assert day_range(name, n, NOW) == (first, after)


def test_now_is_taken_in_utc() -> None:
    paris_evening = dt.datetime(2024, 5, 16, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert day_range("TODAY", None, paris_evening) == (D(2024, 5, 15), D(2024, 5, 16))


@pytest.mark.parametrize(
    ("name", "expected"), [("today", False), ("LAST_N_DAYS", True), ("LAST_N_DAY", None)]
)
def test_takes_n(name: str, expected: bool | None) -> None:
    assert takes_n(name) is expected


@pytest.mark.parametrize(
    ("name", "n", "first", "after"),
    [
        # Any n: a range reaching past the calendar is cut at date.min / date.max (was OverflowError).
        ("LAST_N_DAYS", 999_999_999, D.min, D(2024, 5, 16)),
        ("N_DAYS_AGO", 3_000_000, D.min, D.min),
        ("NEXT_N_DAYS", 10**30, D(2024, 5, 16), D.max),
        ("LAST_N_WEEKS", 10**30, D.min, D(2024, 5, 12)),
        ("NEXT_N_WEEKS", 99_999_999, D(2024, 5, 19), D.max),
        ("N_WEEKS_AGO", 10**30, D.min, D.min),
        ("LAST_N_MONTHS", 10**30, D.min, D(2024, 5, 1)),
        ("NEXT_N_QUARTERS", 10**30, D(2024, 7, 1), D.max),
        ("NEXT_N_YEARS", 99_999_999, D(2025, 1, 1), D.max),
        ("N_YEARS_AGO", 2024, D.min, D(1, 1, 1)),
        ("N_YEARS_AGO", 2023, D(1, 1, 1), D(2, 1, 1)),
        pytest.param("N_FISCAL_YEARS_AGO", 10**4300, D.min, D.min, id="N_FISCAL_YEARS_AGO-10**4300"),
        ("NEXT_N_FISCAL_YEARS", 7975, D(2025, 1, 1), D.max),
    ],
)
def test_day_range_beyond_the_calendar(name: str, n: int, first: dt.date, after: dt.date) -> None:
    assert day_range(name, n, NOW) == (first, after)


def test_fixed_literals_at_the_end_of_the_calendar() -> None:
    last_day = dt.datetime(9999, 12, 31, 12, tzinfo=dt.UTC)
    assert day_range("TOMORROW", None, last_day) == (D.max, D.max)
    assert day_range("NEXT_WEEK", None, last_day) == (D.max, D.max)
    assert day_range("NEXT_YEAR", None, last_day) == (D.max, D.max)
    assert day_range("THIS_YEAR", None, last_day) == (D(9999, 1, 1), D.max)
