"""Orgs through the admin API: each test worker gets its own org (from the demo or an uploaded metadata
zip)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.orgs.bundle import OrgBundle
from sfmock.orgs.install import InstalledOrg
from sfmock.persistence.tables import table_for


def describe_org(org: InstalledOrg, bundle: OrgBundle, base_url: str, version: str) -> dict[str, Any]:
    """What a test needs to talk to a new org: its logins, its connected app and its URLs."""
    org15 = org.org_id[:15]
    logins = [{"username": org.usernames[u.username.lower()], "password": u.password,
               "security_token": u.security_token, "active": u.active} for u in bundle.users]
    return {
        "id": org.org_id,
        "name": org.name,
        "logins": logins,
        "connected_apps": [{"client_id": a["client_id"], "client_secret": a["client_secret"],
                            "name": a["name"]}
                           for a in org.connected_apps],
        "instance_url": base_url,
        "soap_login_url": f"{base_url}/services/Soap/u/{version}",
        "soap_url": f"{base_url}/services/Soap/u/{version}/{org15}",
        "rest_url": f"{base_url}/services/data/v{version}",
        "token_url": f"{base_url}/services/oauth2/token",
        "queues": org.queue_ids,
        "rules": org.rule_ids,
    }


def _rows(session: Session, sobject: str, org_id: str, columns: list[str],
          **where: Any) -> list[dict[str, Any]]:
    table = table_for(sobject)
    stmt = sa.select(*(table.c[c] for c in columns)).where(table.c.org_id == org_id,
                                                           table.c.IsDeleted.is_(False))
    for name, value in where.items():
        stmt = stmt.where(table.c[name] == value)
    return [dict(m) for m in session.execute(stmt.order_by(table.c.Id)).mappings()]


def users(session: Session, org_id: str) -> list[dict[str, Any]]:
    return _rows(session, "User", org_id, ["Id", "Username", "Name", "Email", "IsActive", "ProfileName"])


def queues(session: Session, org_id: str) -> list[dict[str, Any]]:
    found = _rows(session, "Group", org_id,
                  ["Id", "DeveloperName", "Name", "Email", "DoesSendEmailToMembers"],
                  Type="Queue")
    for queue in found:
        queue["members"] = [m["UserOrGroupId"] for m in
                            _rows(session, "GroupMember", org_id, ["UserOrGroupId"], GroupId=queue["Id"])]
        queue["sobject_types"] = [q["SobjectType"] for q in
                                 _rows(session, "QueueSobject", org_id, ["SobjectType"], QueueId=queue["Id"])]
    return found


def rules(session: Session, org_id: str) -> list[dict[str, Any]]:
    import dataclasses

    from sfmock.persistence.orgs import existing_org

    store = existing_org(session, org_id)
    out = []
    for row in _rows(session, "AssignmentRule", org_id, ["Id", "Name", "SobjectType", "Active"]):
        rule = store.rule(row["Id"])
        entries = rule.entries if rule is not None else ()  # always found: the id is the row's own
        out.append(row | {"entries": [dataclasses.asdict(e) for e in entries]})
    return out
