"""What the console shows, read from the database: records with their owners, a record's history and the rule
entry that explains its owner, the outbox as mail, the journal, and the org's rules, queues and users."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.admin import orgs as org_views
from sfmock.core.rules.engine import first_match
from sfmock.core.rules.explain import criteria_text
from sfmock.core.rules.model import AssignmentRule, RuleEntry
from sfmock.persistence import journal as journal_rows
from sfmock.persistence.outbox import list_mail
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import table_for

BROWSABLE = ("Lead", "Case")
LIST_COLUMNS = {"Lead": ("Name", "Company", "Country", "LeadSource", "Status"),
                "Case": ("CaseNumber", "Subject", "Status", "Origin", "IsEscalated")}
SEARCHED = {"Lead": ("Name", "Company", "Email", "Country"),
            "Case": ("CaseNumber", "Subject", "SuppliedEmail")}
PAGE = 200


def owner_names(session: Session, org_id: str) -> dict[str, str]:
    """Id -> display name of every user and queue of the org (a record's OwnerId is one or the other)."""
    names = {u["Id"]: f"{u['Name']} ({u['Username']})" for u in org_views.users(session, org_id)}
    names |= {q["Id"]: f"Queue: {q['Name']}" for q in org_views.queues(session, org_id)}
    return names


def records(session: Session, org_id: str, sobject: str, search: str = "") -> list[dict[str, Any]]:
    table = table_for(sobject)
    stmt = sa.select(table).where(table.c.org_id == org_id, table.c.IsDeleted.is_(False))
    if search:
        pattern = f"%{search.lower()}%"
        stmt = stmt.where(sa.or_(*(sa.func.lower(table.c[name]).like(pattern)
                                   for name in SEARCHED[sobject] if name in table.c)))
    rows = session.execute(stmt.order_by(table.c.CreatedDate.desc(),
                                         table.c.Id.desc()).limit(PAGE)).mappings()
    return [dict(r) for r in rows]


def explain(store: SqlStore, sobject: str, row: dict[str, Any],
            history: list[dict[str, Any]]) -> dict[str, Any]:
    """Which rule entry gave the record its owner: as recorded by the last journalled call whose rule run
    decided this record (`recorded` names that call), else evaluated on the record as it is now, with the
    org's own schema. `owner_matches` says whether the record's owner is the one that decision names (False:
    the owner changed since, or no rule ran)."""
    for call in reversed(history):
        for record_id, decided in zip(call["record_ids"], call["assignments"] or [], strict=False):
            if record_id == row["Id"] and decided:
                return decided | {"recorded": call,
                                  "owner_matches": decided["assignee_id"] in (None, row.get("OwnerId"))}
    rule: AssignmentRule | None = store.active_rule(sobject)
    definition = store.schema.get(sobject)
    if rule is None or definition is None:
        return {"rule": None}
    entry = first_match(rule, row, definition, schema=store.schema)
    if entry is None:
        owner_id, _, _ = store.org.default_owner(sobject)
        return {
            "rule": rule.name,
            "rule_id": rule.id,
            "entry": None,
            "why": "no entry matched: Default Owner",
            "assignee_id": owner_id,
            "owner_matches": owner_id == row.get("OwnerId"),
            "recorded": None,
        }
    return {"rule": rule.name, "rule_id": rule.id, "entry": entry.order, "why": criteria_text(entry),
            "assignee_id": entry.assignee_id, "template": entry.template, "recorded": None,
            "owner_matches": entry.assignee_id in (None, row.get("OwnerId"))}


def record(session: Session, store: SqlStore, record_id: str) -> dict[str, Any] | None:
    """The Lead or Case with its fields, history (the calls that wrote it, the mail about it) and
    explanation."""
    for sobject in BROWSABLE:
        row = store.get(sobject, record_id)
        if row is not None:
            org_id = store.org.org_id
            history = journal_rows.list_entries(session, org_id, record_id=record_id)
            return {"sobject": sobject, "row": row, "explain": explain(store, sobject, row, history),
                    "history": history,
                    "mail": list_mail(session, org_id=org_id, record_id=record_id)}
    return None


def rule_entries(session: Session, org_id: str) -> list[dict[str, Any]]:
    """The org's rules with each entry's criteria as text, for the setup page."""
    out = []
    for rule in org_views.rules(session, org_id):
        entries = [{"order": e["order"], "criteria": criteria_text(_entry(e)),
                    "assigned_to": e["assigned_to"],
                    "template": e["template"]} for e in rule["entries"]]
        out.append(rule | {"entries": entries})
    return out


def _entry(data: dict[str, Any]) -> RuleEntry:
    from sfmock.core.rules.model import CriteriaItem

    items = tuple(CriteriaItem(**c) for c in data["criteria"])
    return RuleEntry(order=data["order"], criteria=items, boolean_filter=data["boolean_filter"],
                     formula=data["formula"])
