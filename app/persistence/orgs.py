"""Orgs: the unit of isolation. Creating, finding, listing and deleting them with their settings."""
from __future__ import annotations

import dataclasses
import json
import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core import ids
from sfmock.core.org import OrgSettings
from sfmock.persistence import schemas, sequences
from sfmock.persistence.db import affected
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import metadata, orgs
from sfmock.persistence.tables import sequences as counters


def _settings_json(settings: OrgSettings) -> str:
    data = dataclasses.asdict(settings)
    data.pop("org_id")
    return json.dumps(data, sort_keys=True)


def create_org(session: Session, settings: OrgSettings, number: int | None = None) -> SqlStore:
    """A new empty org; settings.org_id is replaced by the new org's id. Returns its store. `number` keeps an
    org's id across a reload (the demo org's is always 1); the counter then never hands it out again."""
    if number is None:
        number = sequences.bump_global(session, "org")
    else:
        current = sequences.bump_global(session, "org", 0)
        if current < number:
            sequences.bump_global(session, "org", number - current)
    org_id = ids.make_id("00D", number, 1)
    settings = dataclasses.replace(settings, org_id=org_id)
    session.execute(sa.insert(orgs).values(
        id=org_id, number=number, name=settings.name, settings=_settings_json(settings),
        created_at=datetime.now(UTC).replace(tzinfo=None),
        # A random start: an org id is never reused, but a cache keyed by (id, version) must not be fooled
        # by a database recreated under the same Database object either.
        config_version=secrets.randbits(48)))
    store = SqlStore(session, settings, number)
    now = datetime.now(UTC)
    store.insert("Organization", {
        "Id": org_id, "Name": settings.name, "OrganizationType": "Developer Edition", "IsSandbox": False,
        "InstanceName": settings.instance_name, "IsDeleted": False, "CreatedDate": now,
        "LastModifiedDate": now,
        "SystemModstamp": now})
    return store


def save_settings(session: Session, settings: OrgSettings) -> None:
    session.execute(sa.update(orgs).where(orgs.c.id == settings.org_id).values(
        name=settings.name, settings=_settings_json(settings), config_version=orgs.c.config_version + 1))


def open_org(session: Session, org_id: str) -> SqlStore | None:
    """The org's store reading everything from the database (sfmock.persistence.org_cache serves API
    calls)."""
    row = session.execute(sa.select(orgs).where(orgs.c.id == org_id)).mappings().first()
    if row is None:
        return None
    return SqlStore(session, org_settings(row), row["number"],
                    schemas.load(session, org_id, row["created_at"]))


def existing_org(session: Session, org_id: str) -> SqlStore:
    """The store of an org the caller knows to exist (its id came from a session, a job, a checked route)."""
    store = open_org(session, org_id)
    if store is None:
        raise LookupError(f"no org {org_id}")
    return store


def org_settings(row: Any) -> OrgSettings:
    """The OrgSettings of an orgs row."""
    return OrgSettings(org_id=row["id"], **_decode(row["settings"]))


def _decode(text: str) -> dict:
    data = json.loads(text)
    data["trusted_networks"] = tuple(data.get("trusted_networks", ()))
    data["email_to_case_addresses"] = tuple(data.get("email_to_case_addresses", ()))
    return data


def list_orgs(session: Session) -> list[dict]:
    rows = session.execute(sa.select(orgs.c.id, orgs.c.name, orgs.c.created_at).order_by(orgs.c.number))
    return [dict(r._mapping) for r in rows]


def delete_org(session: Session, org_id: str) -> bool:
    """Removes the org and every row that belongs to it."""
    for table in reversed(metadata.sorted_tables):
        if "org_id" in table.c:
            session.execute(sa.delete(table).where(table.c.org_id == org_id))
    schemas.forget(org_id)
    return affected(session, sa.delete(orgs).where(orgs.c.id == org_id)) > 0


# What "reset one org" clears: its records and everything they produced, keeping users, queues, rules,
# templates, connected apps and sessions. Record-id counters are kept: Salesforce never reuses an Id, and a
# test holding an old one must not reach a new record.
_DATA_TABLES = ("sobj_lead", "sobj_case", "sobj_account", "sobj_contact", "outbox", "journal",
                "query_cursors",
                "bulk_jobs", "web_submissions", "sobj_caseteammember", "sobj_caseteamtemplaterecord",
                "faults")


def clear_data(session: Session, org_id: str) -> None:
    for name in _DATA_TABLES:
        table = metadata.tables[name]
        session.execute(sa.delete(table).where(table.c.org_id == org_id))
    session.execute(sa.delete(counters).where(
        counters.c.org_id == org_id, counters.c.name.in_(["CaseNumber", "api_requests"])))
    # Processes key their request-count blocks by the version: a new one restarts the count everywhere.
    session.execute(sa.update(orgs).where(orgs.c.id == org_id).values(config_version=orgs.c.config_version
                                                                      + 1))
