"""simple-salesforce, unmodified, on the connector surface: JWT bearer login and its re-login after the
session expired, composite and composite tree, and replication (updated/deleted)."""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from simple_salesforce import Salesforce

from sfmock.persistence.session_cache import TTL as SESSION_CACHE_TTL
from tests.e2e.test_simple_salesforce import (
    ADMIN,
    CLIENT_ID,
    INDIA,
    _host,
    _queue_id,
    _session,
    _trust_sfmock_ca,
)

pytestmark = pytest.mark.e2e
__all__ = ["_trust_sfmock_ca"]

KEY = Path(__file__).parent / "jwt" / "demo-server.key"


@pytest.fixture
def sf(fresh_server) -> Salesforce:
    """Logged in through simple-salesforce's own JWT bearer flow with the demo connected app's key."""
    return Salesforce(username=ADMIN, consumer_key=CLIENT_ID, privatekey_file=str(KEY),
                      domain=f"{_host(fresh_server)}/services/oauth2/token?_=",
                      session=_session(fresh_server))


def _expire_sessions(server) -> None:
    engine = sa.create_engine(server.db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE sessions SET expires_at = :at"),
                         {"at": datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1)})
    finally:
        engine.dispose()
    # Every process sees an expiry made behind its back within its session cache's lifetime.
    time.sleep(SESSION_CACHE_TTL + 0.2)


def test_jwt_login_and_relogin_after_the_session_expired(sf, fresh_server):
    first = sf.session_id
    lead = sf.Lead.create(INDIA)["id"]
    _expire_sessions(fresh_server)
    # The next call gets 401 INVALID_SESSION_ID; simple-salesforce logs in again by JWT and retries.
    assert sf.Lead.get(lead)["OwnerId"] == _queue_id(sf, "India_SMB_Queue")
    assert sf.session_id != first


def test_composite_and_tree(sf, fresh_server):
    v = f"/services/data/v{sf.sf_version}"
    out = sf.restful("composite", method="POST", json={"allOrNone": True, "compositeRequest": [
        {"method": "POST", "url": f"{v}/sobjects/Lead", "referenceId": "lead", "body": INDIA},
        {"method": "GET", "url": f"{v}/sobjects/Lead/@{{lead.id}}?fields=OwnerId", "referenceId": "read"}]})
    entries = out["compositeResponse"]
    assert [e["httpStatusCode"] for e in entries] == [201, 200]
    assert entries[1]["body"]["OwnerId"] == _queue_id(sf, "India_SMB_Queue")
    tree = sf.restful("composite/tree/Case", method="POST", json={"records": [
        {"attributes": {"type": "Case", "referenceId": "p"}, "Subject": "Parent",
         "Cases": {"records": [{"attributes": {"type": "Case", "referenceId": "c"}, "Subject": "Child"}]}}]})
    assert [r["referenceId"] for r in tree["results"]] == ["p", "c"] and tree["hasErrors"] is False
    parent = {r["referenceId"]: r["id"] for r in tree["results"]}
    assert sf.Case.get(parent["c"])["ParentId"] == parent["p"]
    assert fresh_server.outbox() == []


def test_updated_and_deleted(sf):
    now = datetime.now(UTC)
    updated = sf.Lead.updated(now - timedelta(minutes=30), now + timedelta(minutes=5))
    assert updated["ids"] == [] and updated["latestDateCovered"].endswith(":00.000+0000")
    # A naive datetime, as simple-salesforce encodes it (a trailing colon), is read as UTC.
    naive = datetime.now() - timedelta(minutes=30)
    deleted = sf.Lead.deleted(naive, naive + timedelta(minutes=20))
    assert deleted["deletedRecords"] == [] and "earliestDateAvailable" in deleted
