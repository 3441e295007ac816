"""FORMAT()'s text (sfmock.soql.formats): en_US, a dateTime in the running user's time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sfmock.core import clock
from sfmock.soql.aggregate import is_aggregate
from sfmock.soql.formats import formatted
from sfmock.soql.parser import parse

# SOQL reference, "FORMAT()": 2025-04-10T22:31:37.000+0000 is shown as "4/10/2025, 3:31 PM" (Los Angeles).
DOC_EXAMPLE = dt.datetime(2025, 4, 10, 22, 31, 37, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "zone", "shown"),
    [
        (DOC_EXAMPLE, "America/Los_Angeles", "4/10/2025, 3:31 PM"),
        (DOC_EXAMPLE, "Asia/Kolkata", "4/11/2025, 4:01 AM"),  # the next day, at +5:30
        (DOC_EXAMPLE, "UTC", "4/10/2025, 10:31 PM"),
        (DOC_EXAMPLE.replace(tzinfo=None), "America/Los_Angeles", "4/10/2025, 3:31 PM"),  # naive is UTC
        (dt.datetime(2025, 11, 2, 8, 30, tzinfo=dt.UTC), "America/Los_Angeles", "11/2/2025, 1:30 AM"),  # PDT
        (dt.datetime(2025, 11, 2, 9, 30, tzinfo=dt.UTC), "America/Los_Angeles", "11/2/2025, 1:30 AM"),  # PST
        (dt.datetime(2025, 1, 1, 0, 5, tzinfo=dt.UTC), "Asia/Kolkata", "1/1/2025, 5:35 AM"),
        (dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC), "UTC", "1/1/2025, 12:00 PM"),
    ],
)
def test_a_datetime_is_shown_in_the_users_zone(value: dt.datetime, zone: str, shown: str) -> None:
    assert formatted(value, "datetime", ZoneInfo(zone)) == shown


def test_a_date_has_no_zone() -> None:
    assert formatted(dt.date(2025, 12, 31), "date", ZoneInfo("Asia/Kolkata")) == "12/31/2025"


def test_numbers_are_unchanged_by_the_zone() -> None:
    zone = ZoneInfo("Asia/Kolkata")
    assert formatted(1234.5, "currency", zone) == "$1,234.50"
    assert formatted(1234567, "int", zone) == "1,234,567"


def test_the_clock_can_be_frozen_and_comes_back() -> None:
    instant = dt.datetime(2025, 3, 9, 10, 30)
    with clock.frozen(instant) as fixed:
        assert clock.now() == fixed == instant.replace(tzinfo=dt.UTC)
        with clock.frozen(DOC_EXAMPLE.astimezone(ZoneInfo("Asia/Tokyo"))):
            assert clock.now() == DOC_EXAMPLE and clock.now().tzinfo == dt.UTC
        assert clock.now() == fixed
    assert clock.now() != fixed and clock.now().tzinfo == dt.UTC  # the system clock again


@pytest.mark.parametrize(
    ("soql", "aggregate"),
    [
        ("SELECT FORMAT(MIN(closedate)) Amt FROM opportunity", True),  # the reference's own example
        ("SELECT FORMAT(COUNT(Id)) FROM Lead", True),
        ("SELECT FORMAT(CreatedDate) FROM Lead", False),
        ("SELECT Id, FORMAT(AnnualRevenue) revenue FROM Lead", False),
    ],
)
def test_format_of_an_aggregate_makes_an_aggregate_query(soql: str, aggregate: bool) -> None:
    assert is_aggregate(parse(soql)) is aggregate
