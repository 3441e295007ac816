"""Replication over REST: …/sobjects/{Type}/updated/ and /deleted/ with Salesforce's window rules."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import sqlalchemy as sa

from sfmock.persistence.tables import table_for
from tests.integration.test_rest_fixtures import api, errors_of

__all__ = ["api"]

NOW = (datetime.now(UTC) - timedelta(minutes=4)).replace(second=0, microsecond=0)


def _stamp(api, record_id: str, minutes_ago: int) -> None:
    table = table_for("Lead")
    at = (NOW - timedelta(minutes=minutes_ago)).replace(tzinfo=None)
    with api.demo.db.session() as sql:
        sql.execute(sa.update(table).where(table.c.Id == record_id).values(SystemModstamp=at))


def _iso(minutes_ago: int, style: str = "Z") -> str:
    at = NOW - timedelta(minutes=minutes_ago)
    text = at.strftime("%Y-%m-%dT%H:%M:%S")
    return quote(text + {"Z": "Z", "colon": "+00:00", "plain": "+0000", "naive": ":"}[style], safe="")


def test_updated_lists_ids_stamped_in_the_window(api):
    old, recent, deleted = (api.create("Lead", LastName=n, Company="A") for n in ("Old", "Recent", "Gone"))
    _stamp(api, old, 120)
    _stamp(api, recent, 30)
    assert api.delete(f"/sobjects/Lead/{deleted}").status_code == 204
    _stamp(api, deleted, 20)
    for style in ("Z", "colon", "plain", "naive"):
        response = api.get(f"/sobjects/Lead/updated/?start={_iso(60, style)}&end={_iso(10, style)}")
        assert response.status_code == 200, response.text
        assert response.json() == {"ids": [recent],
                                   "latestDateCovered": (NOW - timedelta(minutes=10)).strftime(
                                       "%Y-%m-%dT%H:%M:00.000+0000")}
    before = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=15)
    gone = api.get(f"/sobjects/Lead/deleted?start={_iso(60)}&end={_iso(10)}").json()
    after = datetime.now(UTC) - timedelta(days=15)
    assert gone["deletedRecords"] == [{"id": deleted, "deletedDate": (NOW - timedelta(minutes=20)).strftime(
        "%Y-%m-%dT%H:%M:00.000+0000")}]
    stamp = "%Y-%m-%dT%H:%M:00.000+0000"
    assert before.strftime(stamp) <= gone["earliestDateAvailable"] <= after.strftime(stamp)


def test_an_end_in_the_future_is_cut_to_now(api):
    out = api.get(f"/sobjects/Lead/updated/?start={_iso(60)}&end={_iso(-60)}").json()
    stamp = "%Y-%m-%dT%H:%M:00.000+0000"
    assert NOW.strftime(stamp) <= out["latestDateCovered"] < (NOW + timedelta(minutes=60)).strftime(stamp)


def test_window_errors(api):
    short = api.get(f"/sobjects/Lead/updated/?start={_iso(10)}&end={_iso(10)}")
    assert short.status_code == 400 and errors_of(short) == [
        ("INVALID_REPLICATION_DATE", "startDate must be at least one minute greater than endDate")]
    too_old = api.get(f"/sobjects/Lead/updated/?start={_iso(31 * 24 * 60)}&end={_iso(10)}")
    assert too_old.status_code == 400 and errors_of(too_old)[0][0] == "INVALID_REPLICATION_DATE"
    deleted_too_old = api.get(f"/sobjects/Lead/deleted/?start={_iso(16 * 24 * 60)}&end={_iso(10)}")
    assert errors_of(deleted_too_old)[0][0] == "INVALID_REPLICATION_DATE"
    bad = api.get("/sobjects/Lead/updated/?start=yesterday&end=today")
    assert bad.status_code == 400 and errors_of(bad)[0][0] == "INVALID_REPLICATION_DATE"
    missing = api.get("/sobjects/Lead/updated/")
    assert missing.status_code == 400 and errors_of(missing)[0][0] == "MISSING_ARGUMENT"
    group = api.get(f"/sobjects/Group/updated/?start={_iso(60)}&end={_iso(10)}")
    assert group.status_code == 400 and errors_of(group)[0][0] == "INVALID_TYPE_FOR_OPERATION"
    assert api.get(f"/sobjects/Nope/updated/?start={_iso(60)}&end={_iso(10)}").status_code == 404
    assert (
        api.get(f"/services/data/v28.0/sobjects/Lead/updated/?start={_iso(60)}&end={_iso(10)}").status_code
        == 404
    )
