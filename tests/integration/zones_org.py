"""An org whose users live in different time zones, with custom email and phone fields, for the corpus cases
that need them run three ways (the engine, REST and SOAP on the wire, soql_wire.py) on SQLite and PostgreSQL:
test_soql_user_zones.py (FORMAT() and date literals with the clock frozen) and test_sosl_custom_groups.py.

- The org's default time zone is America/Los_Angeles; PAT has none of her own (so hers is the org's), RAJ's is
  Asia/Kolkata, GIL's GMT (a user's TimeZoneSidKey overrides the org's: sfmock.calls.ApiCall.time_zone).
- LEADS: one Lead every 17 hours from 2024-12-01 to 2026-04-15 (UTC), so that every local day of either zone
  near the frozen instants holds a record or two; each with numbers of every type and a date to aggregate.
- SEARCHABLE: Leads and Contacts whose standard and custom email / phone fields hold distinct words.
- A second org, OTHER, maps the very slot column of Lead's custom email field to a plain text field: the same
  stored value is an email in one org and text in the other.
Every expected answer is computed by the tests from these rows, never by the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sfmock.core import ids
from sfmock.core.schema import SchemaRegistry, org_schema
from sfmock.main import create_app
from sfmock.persistence import schemas
from sfmock.persistence.db import Database
from sfmock.persistence.sessions import open_session
from sfmock.persistence.tables import orgs, table_for
from sfmock.settings import Settings
from tests.contract.test_soap_shapes import Soap
from tests.databases import backends, rolled_back, seeded_engine

ORG, OTHER = ids.make_id("00D", 8, 1), ids.make_id("00D", 9, 1)
ORG_ZONE = "America/Los_Angeles"
PAT, RAJ, GIL = (ids.make_id("005", 8, n) for n in (1, 2, 3))
OLA = ids.make_id("005", 9, 1)  # OTHER's one user
ZONES = {PAT: ORG_ZONE, RAJ: "Asia/Kolkata", GIL: "GMT"}
_OWN_ZONES = {PAT: None, RAJ: "Asia/Kolkata", GIL: "GMT"}

# Custom fields of ORG (SOSL reference, "IN SearchGroup": EMAIL FIELDS "Search only email fields", PHONE
# FIELDS "Search only phone number fields") in short text slots, and OTHER's text field in the slot of
# Alt_Email__c.
_LEAD_FIELDS = [("Alt_Email__c", "email", 80, "cf_string_05"), ("Mobile_Two__c", "phone", 40, "cf_string_07"),
                ("Nickname__c", "string", 80, "cf_string_01"), ("Win_Rate__c", "percent", 0, "cf_number_02"),
                ("Score__c", "double", 0, "cf_number_04")]
_CONTACT_FIELDS = [("Work_Email__c", "email", 80, "cf_string_02"), ("Pager__c", "phone", 40, "cf_string_03")]


def _spec(fields: dict[str, list[tuple[str, str, int, str]]]) -> dict:
    return {"fields": {obj: [{"name": name, "type": kind, "label": name[:-3].replace("_", " "),
                              "length": length, "custom": True, "storage": slot}
                             for name, kind, length, slot in entries]
                       for obj, entries in fields.items()}}


SPEC = _spec({"Lead": _LEAD_FIELDS, "Contact": _CONTACT_FIELDS})
OTHER_SPEC = _spec({"Lead": [("Code__c", "string", 80, "cf_string_05")]})
SLOT = {name: slot for name, _, _, slot in _LEAD_FIELDS + _CONTACT_FIELDS}


def schema_of(org_id: str) -> SchemaRegistry:
    return org_schema.build(SPEC if org_id == ORG else OTHER_SPEC, org_id=org_id)


def _lead(n: int, created: dt.datetime) -> dict:
    """Numbers for FORMAT() of aggregates: a currency, an int, a percent and a double, and a date."""
    return {"Id": ids.make_id("00Q", 8, n), "LastName": f"Zone{n:04}", "Name": f"Zone{n:04}",
            "Company": f"Tz{n % 7}", "Status": "Open - Not Contacted", "OwnerId": PAT, "CreatedDate": created,
            "AnnualRevenue": 1250.0 * (n % 977), "NumberOfEmployees": 37 * (n % 101),
            "Win_Rate__c": 2.5 * (n % 41), "Score__c": 0.37 * n,
            "ConvertedDate": (created + dt.timedelta(days=n % 45)).date()}


_START = dt.datetime(2024, 12, 1, tzinfo=dt.UTC)
LEADS = [_lead(n, _START + dt.timedelta(hours=17 * n)) for n in range(720)]  # to 2026-04-15

# Searchable records: (object, Id) -> field values; created long before every date literal's range.
_OLD = dt.datetime(2019, 5, 5, 12, tzinfo=dt.UTC)
SEARCHABLE: dict[tuple[str, str], dict] = {}
for n in range(1, 13):
    SEARCHABLE[("Lead", ids.make_id("00Q", 8, 5000 + n))] = {
        "LastName": f"Seek{n:02}", "Company": f"Hunt{n % 4}",
        "Email": f"std{n}@zephyr{(n + 1) % 3}.example" if n % 3 else None,
        "Phone": f"+1 415 555 {2000 + n}" if n % 4 else None,
        "Alt_Email__c": f"alt{n}@zephyr{n % 3}.example" if n % 2 else None,
        "Mobile_Two__c": f"(415) 555-{1000 + n}" if n % 5 else None,
        "Nickname__c": f"mango{n % 2} zephyr{n % 4}",
    }
for n in range(1, 7):
    SEARCHABLE[("Contact", ids.make_id("003", 8, n))] = {
        "LastName": f"Kin{n:02}", "Email": f"kin{n}@zephyr{n % 3}.example" if n % 2 else None,
        "Phone": f"(650) 555-{3000 + n}",
        "Work_Email__c": f"work{n}@zephyr{(n + 2) % 3}.example" if n != 4 else None,
        "Pager__c": f"650.555.{1000 + n}" if n % 3 else None,
    }
# OTHER's Lead: its Code__c (Alt_Email__c's slot in ORG) holds an email address, which is text in OTHER.
OTHER_LEAD = ids.make_id("00Q", 9, 1)
OTHER_CODE = "alt1@zephyr1.example"


def _system(org_id: str, record_id: str, created: dt.datetime, user: str) -> dict:
    return {"org_id": org_id, "Id": record_id, "IsDeleted": False, "CreatedDate": created,
            "CreatedById": user, "LastModifiedDate": created, "LastModifiedById": user,
            "SystemModstamp": created}


def _stored(values: dict) -> dict:
    """A record's values as stored: custom fields in their slot columns."""
    return {SLOT.get(name, name): value for name, value in values.items()}


def _seed(conn: sa.Connection) -> None:
    then = dt.datetime(2019, 1, 1)
    conn.execute(sa.insert(orgs), [
        {"id": ORG, "number": 8, "name": "Zones", "created_at": then,
         "settings": f'{{"name": "Zones", "time_zone": "{ORG_ZONE}"}}'},
        {"id": OTHER, "number": 9, "name": "Other", "created_at": then, "settings": '{"name": "Other"}'},
    ])
    users = [(ORG, uid, f"u{i}", _OWN_ZONES[uid]) for i, uid in enumerate(ZONES)]
    users.append((OTHER, OLA, "ola", None))
    conn.execute(sa.insert(table_for("User")), [
        {**_system(org, uid, then, uid), "Username": f"{name}@zones.example", "LastName": name, "Name": name,
         "Email": f"{name}@zones.example", "IsActive": True, "TimeZoneSidKey": zone}
        for org, uid, name, zone in users
    ])
    # One statement per set of columns (an executemany takes its columns from the first row).
    leads = table_for("Lead")
    conn.execute(sa.insert(leads), [{**_system(ORG, lead["Id"], lead["CreatedDate"], PAT), **_stored(lead)}
                                    for lead in LEADS])
    conn.execute(sa.insert(leads), [
        {**_system(ORG, rid, _OLD, PAT), "Name": values["LastName"], "Status": "Open - Not Contacted",
         "OwnerId": PAT, **_stored(values)}
        for (obj, rid), values in SEARCHABLE.items() if obj == "Lead"
    ])
    conn.execute(sa.insert(leads), [
        {**_system(OTHER, OTHER_LEAD, _OLD, OLA), "LastName": "Elsewhere", "Name": "Elsewhere",
         "Company": "Other Co", "Status": "Open - Not Contacted", "OwnerId": OLA,
         SLOT["Alt_Email__c"]: OTHER_CODE}
    ])
    conn.execute(sa.insert(table_for("Contact")), [
        {**_system(ORG, rid, _OLD, PAT), "Name": values["LastName"], "OwnerId": PAT, **_stored(values)}
        for (obj, rid), values in SEARCHABLE.items() if obj == "Contact"
    ])


@pytest.fixture(scope="module", params=backends())
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    with seeded_engine(request.param, tmp_path_factory.mktemp("zones"), _seed, search=True) as engine:
        yield engine


@pytest.fixture
def conn(engine: sa.Engine) -> Iterator[sa.Connection]:
    with rolled_back(engine) as connection:
        yield connection


@pytest.fixture(scope="module")
def wire(engine: sa.Engine, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[TestClient, Soap, dict[str, str]]]:
    """The app on this database, the orgs' schemas stored as an installed org's are, a session per user."""
    url = engine.url.render_as_string(hide_password=False)
    db = Database(url)
    with db.session() as session:
        schemas.save_spec(session, ORG, SPEC)
        schemas.save_spec(session, OTHER, OTHER_SPEC)
        tokens = {uid: open_session(session, ORG if uid in ZONES else OTHER, uid, 3600)
                  for uid in [*ZONES, OLA]}
    app = create_app(Settings(database_url=url, data_dir=tmp_path_factory.mktemp("zones-data")), db)
    yield TestClient(app, base_url="https://127.0.0.1:8443"), Soap(app), tokens
    schemas.forget()
    db.dispose()
