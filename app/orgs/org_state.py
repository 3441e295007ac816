"""An installed org's configuration read back as the definitions its files would hold (users, queues,
templates, rules): what a deploy is checked against (app/orgs/deploy.py) and what a retrieve writes out
(app/orgs/retrieve.py)."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from sfmock.orgs.bundle import QueueDef, RuleDef, TemplateDef, UserDef
from sfmock.persistence.rule_codec import decode_entries
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import auto_response_rules


@dataclass
class OrgState:
    users: list[UserDef] = field(default_factory=list)
    user_ids: dict[str, str] = field(default_factory=dict)  # username (lower case) -> Id
    queues: list[QueueDef] = field(default_factory=list)
    queue_ids: dict[str, str] = field(default_factory=dict)  # DeveloperName -> Id
    templates: list[TemplateDef] = field(default_factory=list)
    template_ids: dict[str, str] = field(default_factory=dict)  # "folder/DevName" -> Id
    rules: list[RuleDef] = field(default_factory=list)
    rule_ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (object, name) -> AssignmentRule Id


def read_state(store: SqlStore) -> OrgState:
    state = OrgState()
    by_id: dict[str, str] = {}
    for row in store.find("User", {}):
        state.users.append(UserDef(username=row["Username"], last_name=row.get("LastName") or "",
                                   email=row.get("Email") or "", first_name=row.get("FirstName"),
                                   active=bool(row.get("IsActive"))))
        state.user_ids[row["Username"].lower()] = row["Id"]
        by_id[row["Id"]] = row["Username"]
    for row in store.find("Group", {"Type": "Queue"}):
        members = tuple(by_id[m["UserOrGroupId"]] for m in store.find("GroupMember", {"GroupId": row["Id"]})
                        if m["UserOrGroupId"] in by_id)
        sobjects = tuple(s["SobjectType"] for s in store.find("QueueSobject", {"QueueId": row["Id"]}))
        state.queues.append(QueueDef(
            developer_name=row["DeveloperName"], name=row["Name"], email=row.get("Email"),
            does_send_email_to_members=bool(row.get("DoesSendEmailToMembers")), members=members,
            sobject_types=sobjects))
        state.queue_ids[row["DeveloperName"]] = row["Id"]
    for row in store.find("EmailTemplate", {}):
        template = TemplateDef(folder=row.get("FolderName") or "unfiled$public",
                               developer_name=row["DeveloperName"], name=row["Name"],
                               type=row.get("TemplateType") or "text", body=row.get("Body") or "",
                               subject=row.get("Subject"), available=bool(row.get("IsActive")))
        state.templates.append(template)
        state.template_ids[template.reference] = row["Id"]
    for row in store.find("AssignmentRule", {}):
        rule = store.rule(row["Id"])
        state.rules.append(RuleDef(row["SobjectType"], row["Name"], bool(row["Active"]),
                                   rule.entries if rule else ()))
        state.rule_ids[(row["SobjectType"], row["Name"])] = row["Id"]
    t = auto_response_rules
    for found in store.session.execute(sa.select(t).where(t.c.org_id == store.org.org_id)).mappings():
        state.rules.append(RuleDef(found["sobject_type"], found["name"], bool(found["active"]),
                                   decode_entries(found["entries"]), kind="auto-response"))
    return state
