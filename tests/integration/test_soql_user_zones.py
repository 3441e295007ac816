"""Date literals and FORMAT() in the running user's time zone, three ways (the engine, REST /query, SOAP
query()) on SQLite and PostgreSQL, with the doors' clock frozen in-process (sfmock.core.clock) at instants
that straddle a day, week, month, quarter or year boundary between the user's zone and UTC.

SOQL and SOSL Reference, "Date Formats and Date Literals": a literal is a range of days in the time zone of
the user who runs the query; weeks start on Sunday (en_US). "FORMAT()": a dateTime is shown in the user's
locale and time zone (its example: 2025-04-10T22:31:37Z as "4/10/2025, 3:31 PM", America/Los_Angeles).
The ranges and the text expected here are computed in this module, from zoneinfo and zones_org.py's rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from sfmock.bulk.worker import drain
from sfmock.core import clock
from sfmock.core.errors import QueryError
from sfmock.persistence.db import Database
from sfmock.soql import run_query
from sfmock.soql.engine import QueryPage
from tests.integration import soql_wire
from tests.integration.zones_org import GIL, LEADS, ORG, PAT, RAJ, ZONES, conn, engine, schema_of, wire

__all__ = ["conn", "engine", "wire"]

UTC = dt.UTC
Ask = Callable[[str, str, dt.datetime], QueryPage]  # (soql, user, now)


@pytest.fixture(params=["engine", "rest", "soap"])
def ask(request: pytest.FixtureRequest, engine: sa.Engine) -> Ask:
    """Runs a query as a user at a frozen instant: the engine given the user's zone and the instant, or a door
    with the clock frozen (the door finds the zone from the session's user)."""
    if request.param == "engine":
        connection = request.getfixturevalue("conn")
        schema = schema_of(ORG)
        return lambda soql, user, now: run_query(connection, ORG, soql, now=now, schema=schema,
                                                 time_zone=ZONES[user])
    client, soap, tokens = request.getfixturevalue("wire")

    def through_door(soql: str, user: str, now: dt.datetime) -> QueryPage:
        with clock.frozen(now):
            if request.param == "rest":
                return soql_wire.rest_query(client, tokens[user], soql)
            return soql_wire.soap_query(soap, tokens[user], soql)

    return through_door


# Each instant sits near a boundary that falls on different sides in Los Angeles, Kolkata and UTC.
INSTANTS = [
    dt.datetime(2026, 1, 1, 5, 30, tzinfo=UTC),  # LA: Wed 31 Dec 2025 21:30; Kolkata: Thu 1 Jan 11:00
    dt.datetime(2025, 12, 31, 20, 0, tzinfo=UTC),  # Kolkata: 1 Jan 2026 01:30 (new year); LA: 31 Dec 12:00
    dt.datetime(2025, 3, 31, 23, 30, tzinfo=UTC),  # Kolkata: 1 Apr 05:00 (Q2); LA and UTC: 31 Mar (Q1)
    dt.datetime(2025, 6, 30, 19, 0, tzinfo=UTC),  # Kolkata: 1 Jul 00:30 (month, quarter); LA: 30 Jun 12:00
    dt.datetime(2025, 11, 2, 6, 30, tzinfo=UTC),  # Kolkata: Sun 2 Nov (new week); LA: Sat 1 Nov 23:30 PDT
    dt.datetime(2025, 3, 9, 10, 30, tzinfo=UTC),  # LA: Sun 9 Mar 03:30 PDT, just after the DST change
    dt.datetime(2025, 8, 1, 3, 0, tzinfo=UTC),  # LA: Thu 31 Jul 20:00 (month); Kolkata: 1 Aug 08:30
]
LITERALS = ["TODAY", "YESTERDAY", "TOMORROW", "LAST_N_DAYS:2", "NEXT_N_DAYS:2", "N_DAYS_AGO:3", "THIS_WEEK",
            "LAST_WEEK", "NEXT_WEEK", "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH", "THIS_QUARTER",
            "LAST_QUARTER", "NEXT_QUARTER", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR"]


def _month(day: dt.date, shift: int) -> dt.date:
    """The first day of the month `shift` months from `day`'s."""
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def _range(literal: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """[first day, day after the last) of a literal, from the reference's definitions."""
    days = dt.timedelta(days=1)
    sunday = today - dt.timedelta(days=(today.isoweekday() % 7))
    quarter = _month(today, -((today.month - 1) % 3))
    year = dt.date(today.year, 1, 1)
    return {
        "TODAY": (today, today + days),
        "YESTERDAY": (today - days, today),
        "TOMORROW": (today + days, today + 2 * days),
        "LAST_N_DAYS:2": (today - 2 * days, today + days),  # the last 2 days and today
        "NEXT_N_DAYS:2": (today + days, today + 3 * days),  # from tomorrow
        "N_DAYS_AGO:3": (today - 3 * days, today - 2 * days),
        "THIS_WEEK": (sunday, sunday + 7 * days),
        "LAST_WEEK": (sunday - 7 * days, sunday),
        "NEXT_WEEK": (sunday + 7 * days, sunday + 14 * days),
        "THIS_MONTH": (_month(today, 0), _month(today, 1)),
        "LAST_MONTH": (_month(today, -1), _month(today, 0)),
        "NEXT_MONTH": (_month(today, 1), _month(today, 2)),
        "THIS_QUARTER": (quarter, _month(quarter, 3)),
        "LAST_QUARTER": (_month(quarter, -3), quarter),
        "NEXT_QUARTER": (_month(quarter, 3), _month(quarter, 6)),
        "THIS_YEAR": (year, year.replace(year=today.year + 1)),
        "LAST_YEAR": (year.replace(year=today.year - 1), year),
        "NEXT_YEAR": (year.replace(year=today.year + 1), year.replace(year=today.year + 2)),
    }[literal]


def _expected(literal: str, zone: str, now: dt.datetime) -> list[str]:
    local = ZoneInfo(zone)
    first, after = _range(literal, now.astimezone(local).date())
    return sorted(r["Id"] for r in LEADS if first <= r["CreatedDate"].astimezone(local).date() < after)


@pytest.mark.parametrize("now", INSTANTS, ids=lambda i: i.strftime("%Y%m%dT%H%M"))
@pytest.mark.parametrize("user", [PAT, RAJ], ids=["org-zone-LA", "own-zone-Kolkata"])
@pytest.mark.parametrize("literal", LITERALS)
def test_date_literals_in_the_users_zone_at_a_frozen_now(ask: Ask, literal: str, user: str,
                                                         now: dt.datetime) -> None:
    page = ask(f"SELECT Id FROM Lead WHERE CreatedDate = {literal} ORDER BY Id", user, now)
    assert [r.get("Id") or r.id for r in page.records] == _expected(literal, ZONES[user], now)


@pytest.mark.parametrize("now", INSTANTS, ids=lambda i: i.strftime("%Y%m%dT%H%M"))
def test_each_instant_straddles_a_boundary(now: dt.datetime) -> None:
    """The cases above could not pass by ignoring the user's zone: at every instant, some literal's answer in
    each zone differs from its answer in UTC (and from the real clock's, years away)."""
    for zone in (ZONES[PAT], ZONES[RAJ]):
        assert any(_expected(lit, zone, now) != _expected(lit, "UTC", now) for lit in LITERALS), (zone, now)


def test_a_literal_and_an_explicit_range_agree_with_and_without_the_clock(ask: Ask) -> None:
    """TODAY read at a frozen instant equals the explicit dateTime range of that local day."""
    now = INSTANTS[0]
    local = now.astimezone(ZoneInfo(ZONES[RAJ]))
    start = local.replace(hour=0, minute=0).astimezone(UTC)
    end = start + dt.timedelta(days=1)
    explicit = (f"SELECT Id FROM Lead WHERE CreatedDate >= {start:%Y-%m-%dT%H:%M:%SZ} "
                f"AND CreatedDate < {end:%Y-%m-%dT%H:%M:%SZ} ORDER BY Id")
    today = ask("SELECT Id FROM Lead WHERE CreatedDate = TODAY ORDER BY Id", RAJ, now)
    assert [r.id for r in today.records] == [r.id for r in ask(explicit, RAJ, now).records] != []


# --- FORMAT(): a dateTime in the user's time zone ----------------------------------------------------------
FORMAT_LEADS = LEADS[470:500]  # 2025-10-29 to 11-20: local days differ from UTC's, across LA's DST change


def _shown(value: dt.datetime, zone: str) -> str:
    """en_US, as the reference's example shows it ("4/10/2025, 3:31 PM")."""
    return value.astimezone(ZoneInfo(zone)).strftime("%-m/%-d/%Y, %-I:%M %p")


@pytest.mark.parametrize("user", [PAT, RAJ, GIL], ids=["org-zone-LA", "own-zone-Kolkata", "own-zone-GMT"])
def test_format_shows_a_datetime_in_the_users_zone(ask: Ask, user: str) -> None:
    first, last = FORMAT_LEADS[0]["Id"], FORMAT_LEADS[-1]["Id"]
    page = ask(f"SELECT Id, FORMAT(CreatedDate) shown, CreatedDate FROM Lead WHERE Id >= '{first}' "
               f"AND Id <= '{last}' ORDER BY Id", user, INSTANTS[0])
    got = [(r.get("Id"), r.get("shown"), r.get("CreatedDate")) for r in page.records]
    assert got == [(r["Id"], _shown(r["CreatedDate"], ZONES[user]), r["CreatedDate"]) for r in FORMAT_LEADS]
    # Some of these leads fall on another local day than their UTC one (none for GMT, which is UTC).
    crossing = [r for r in FORMAT_LEADS if r["CreatedDate"].astimezone(ZoneInfo(ZONES[user])).date()
                != r["CreatedDate"].date()]
    assert bool(crossing) == (ZONES[user] != "GMT")


@pytest.mark.parametrize("user", [PAT, RAJ])
def test_format_across_a_date_boundary(ask: Ask, user: str) -> None:
    """A Lead created at 2025-07-02T22:00Z is 3 July 03:30 in Kolkata (UTC+5:30) and 2 July 15:00 in Los
    Angeles (PDT, UTC-7)."""
    lead = next(r for r in LEADS if r["CreatedDate"] == dt.datetime(2025, 7, 2, 22, 0, tzinfo=UTC))
    page = ask(f"SELECT FORMAT(CreatedDate) FROM Lead WHERE Id = '{lead['Id']}'", user, INSTANTS[0])
    expected = {PAT: "7/2/2025, 3:00 PM", RAJ: "7/3/2025, 3:30 AM"}[user]
    assert [r.get("CreatedDate") for r in page.records] == [expected]


# --- Bulk API 2.0: a query job reads dates in its creator's zone --------------------------------------------
def test_a_bulk_query_job_reads_today_in_its_creators_zone(engine: sa.Engine, wire) -> None:
    """At 2025-12-31T20:00Z it is already 1 January 2026 in Kolkata (RAJ's zone) and still 31 December in the
    org's Los Angeles: RAJ's job answers the leads of Kolkata's day, not the org's."""
    client, _, tokens = wire
    now = INSTANTS[1]
    headers = {"Authorization": f"Bearer {tokens[RAJ]}"}
    db = Database(engine.url.render_as_string(hide_password=False))
    try:
        with clock.frozen(now):
            job = client.post(f"{soql_wire.V}/jobs/query", headers=headers, json={
                "operation": "query", "query": "SELECT Id FROM Lead WHERE CreatedDate = TODAY ORDER BY Id"})
            assert job.status_code == 200, job.text
            drain(db)
        url = f"{soql_wire.V}/jobs/query/{job.json()['id']}"
        assert client.get(url, headers=headers).json()["state"] == "JobComplete"
        lines = client.get(f"{url}/results", headers=headers).text.splitlines()
    finally:
        db.dispose()
    kolkata = _expected("TODAY", ZONES[RAJ], now)
    assert lines == ['"Id"', *(f'"{record_id}"' for record_id in kolkata)]
    assert kolkata and kolkata != _expected("TODAY", ZONES[PAT], now)


# --- FORMAT() of aggregates ---------------------------------------------------------------------------------
def _money(value: float) -> str:
    return f"${value:,.2f}"  # en_US, the reference's "$44,000.00"


def _formatted_groups(zone: str) -> list[list[tuple[str, object]]]:
    """FORMAT_LEADS grouped by Company, every aggregate computed here from the rows, shown in en_US: dates
    M/D/YYYY, dateTimes in `zone`, money with $ and cents, thousands separated."""
    out = []
    for company in sorted({r["Company"] for r in FORMAT_LEADS}):
        rows = [r for r in FORMAT_LEADS if r["Company"] == company]
        revenue = [r["AnnualRevenue"] for r in rows]
        converted = max(r["ConvertedDate"] for r in rows)
        first = min(r["CreatedDate"] for r in rows)
        out.append([
            ("Company", company),
            ("expr0", _shown(first, zone)),
            ("lastConverted", f"{converted.month}/{converted.day}/{converted.year}"),
            ("expr1", _money(sum(revenue))),
            ("averageRevenue", _money(sum(revenue) / len(revenue))),
            ("expr2", f"{len(rows):,}"),
            ("expr3", f"{sum(r['NumberOfEmployees'] for r in rows):,}"),
            ("expr4", f"{sum(r['Win_Rate__c'] for r in rows) / len(rows):,.2f}%"),
            ("expr5", f"{max(r['Score__c'] for r in rows):,.2f}"),
            ("expr6", first),  # not wrapped in FORMAT(): the dateTime itself
        ])
    return out


@pytest.mark.parametrize("user", [PAT, RAJ], ids=["org-zone-LA", "own-zone-Kolkata"])
def test_format_of_aggregates(ask: Ask, user: str) -> None:
    """SOQL reference, "FORMAT()": `SELECT FORMAT(MIN(closedate)) Amt FROM opportunity`. An unaliased
    FORMAT(aggregate) is named as its aggregate would be (exprN, counted with the unformatted ones)."""
    first, last = FORMAT_LEADS[0]["Id"], FORMAT_LEADS[-1]["Id"]
    page = ask("SELECT Company, FORMAT(MIN(CreatedDate)), FORMAT(MAX(ConvertedDate)) lastConverted, "
               "FORMAT(SUM(AnnualRevenue)), FORMAT(AVG(AnnualRevenue)) averageRevenue, FORMAT(COUNT(Id)), "
               "FORMAT(SUM(NumberOfEmployees)), FORMAT(AVG(Win_Rate__c)), FORMAT(MAX(Score__c)), "
               f"MIN(CreatedDate) FROM Lead WHERE Id >= '{first}' AND Id <= '{last}' "
               "GROUP BY Company ORDER BY Company", user, INSTANTS[0])
    assert [r.sobject for r in page.records] == ["AggregateResult"] * 7
    assert [r.fields for r in page.records] == _formatted_groups(ZONES[user])


def test_format_of_an_aggregate_over_thousands(ask: Ask) -> None:
    """One group, no GROUP BY (the reference's own shape): sums in the millions keep their separators; COUNT
    is a whole number; a sum over no rows stays null."""
    revenue = sum(r["AnnualRevenue"] for r in LEADS)
    employees = sum(r["NumberOfEmployees"] for r in LEADS)
    page = ask("SELECT FORMAT(SUM(AnnualRevenue)) total, FORMAT(SUM(NumberOfEmployees)) staff, "
               "FORMAT(COUNT(Id)) FROM Lead WHERE CreatedDate >= 2024-12-01T00:00:00Z", RAJ, INSTANTS[0])
    assert [r.fields for r in page.records] == [
        [("total", _money(revenue)), ("staff", f"{employees:,}"), ("expr0", str(len(LEADS)))]]
    assert revenue > 1_000_000 and employees > 1_000_000
    nobody = "SELECT FORMAT(SUM(AnnualRevenue)) total FROM Lead WHERE LastName = 'Nobody'"
    none = ask(nobody, RAJ, INSTANTS[0])
    assert [r.get("total") for r in none.records] == [None]


def test_format_of_a_grouped_field_needs_an_alias(ask: Ask) -> None:
    """SOQL reference, "FORMAT()": "aliasing is required when the query includes the same field multiple
    times". With the alias, the grouped date and its text answer side by side."""
    first, last = FORMAT_LEADS[0]["Id"], FORMAT_LEADS[-1]["Id"]
    where = f"WHERE Id >= '{first}' AND Id <= '{last}' AND Company = 'Tz1'"
    with pytest.raises(QueryError) as refused:
        ask(f"SELECT ConvertedDate, FORMAT(ConvertedDate) FROM Lead {where} GROUP BY ConvertedDate", RAJ,
            INSTANTS[0])
    assert (refused.value.code, refused.value.message) == ("INVALID_FIELD",
                                                          "duplicate field selected: ConvertedDate")
    page = ask(f"SELECT ConvertedDate, FORMAT(ConvertedDate) shown FROM Lead {where} GROUP BY ConvertedDate "
               "ORDER BY ConvertedDate", RAJ, INSTANTS[0])
    days = sorted({r["ConvertedDate"] for r in FORMAT_LEADS if r["Company"] == "Tz1"})
    assert [r.fields for r in page.records] == [
        [("ConvertedDate", day), ("shown", f"{day.month}/{day.day}/{day.year}")] for day in days]
