"""Query plans kept per schema: the same text on the same day of the same zone is one plan; another day, zone,
org, queryAll or schema is another."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sfmock.core.schema import registry
from sfmock.soql import plan_cache
from sfmock.soql.plan_cache import plan_for

LA = ZoneInfo("America/Los_Angeles")
NOON = dt.datetime(2026, 11, 30, 12, 0, tzinfo=LA)
TODAY = "SELECT Id FROM Lead WHERE CreatedDate = TODAY"


def _bounds(plan) -> list[object]:  # noqa: ANN001
    compiled = plan.rows.compile()
    return sorted(str(v) for v in compiled.params.values() if isinstance(v, dt.datetime | dt.date))


def test_the_same_query_on_the_same_day_is_one_plan() -> None:
    first = plan_for(TODAY, "00D1", include_deleted=False, now=NOON, schema=registry)
    later = plan_for(TODAY, "00D1", include_deleted=False, now=NOON + dt.timedelta(hours=11), schema=registry)
    assert later is first


def test_another_day_zone_org_or_query_all_is_another_plan() -> None:
    first = plan_for(TODAY, "00D1", include_deleted=False, now=NOON, schema=registry)
    tomorrow = NOON + dt.timedelta(hours=12)
    next_day = plan_for(TODAY, "00D1", include_deleted=False, now=tomorrow, schema=registry)
    utc = plan_for(TODAY, "00D1", include_deleted=False, now=NOON.astimezone(dt.UTC), schema=registry)
    other_org = plan_for(TODAY, "00D2", include_deleted=False, now=NOON, schema=registry)
    query_all = plan_for(TODAY, "00D1", include_deleted=True, now=NOON, schema=registry)
    assert len({id(p) for p in (first, next_day, utc, other_org, query_all)}) == 5
    # TODAY is Los Angeles' 30 November, then 1 December; in UTC the day's bounds are other instants
    assert _bounds(first) == ["2026-11-30 08:00:00", "2026-12-01 08:00:00"]
    assert _bounds(next_day) == ["2026-12-01 08:00:00", "2026-12-02 08:00:00"]
    assert _bounds(utc) == ["2026-11-30 00:00:00", "2026-12-01 00:00:00"]


def test_a_replaced_schema_has_plans_of_its_own() -> None:
    first = plan_for(TODAY, "00D1", include_deleted=False, now=NOON, schema=registry)
    replaced = registry.replaced([])
    assert plan_for(TODAY, "00D1", include_deleted=False, now=NOON, schema=replaced) is not first


def test_a_long_statement_is_not_kept() -> None:
    values = ", ".join(f"'Company {i}'" for i in range(400))
    long = f"SELECT Id FROM Lead WHERE Company IN ({values})"
    assert len(long) > plan_cache.LONGEST
    first = plan_for(long, "00D1", include_deleted=False, now=NOON, schema=registry)
    assert plan_for(long, "00D1", include_deleted=False, now=NOON, schema=registry) is not first


def test_the_process_keeps_at_most_size_plans_and_a_gone_schemas_go_with_it() -> None:
    schemas = [registry.replaced([]) for _ in range(3)]
    for n in range(plan_cache.SIZE + 10):
        plan_for(f"SELECT Id FROM Lead LIMIT {n + 1}", "00D1", include_deleted=False, now=NOON,
                 schema=schemas[n % 3])
    assert len(plan_cache._plans) == plan_cache.SIZE
    gone = id(schemas[0])
    del schemas[0]
    plan_for("SELECT Id FROM Lead", "00D1", include_deleted=False, now=NOON, schema=schemas[0])
    assert not [key for key in plan_cache._plans if key[0] == gone]
