"""Deleting one metadata component from an installed org: deleteMetadata (app/metadata/component_writes.py)
and a deploy's destructiveChanges manifests (app/orgs/destructive.py). Queues, email templates, assignment
and auto-response rules and custom fields (app/orgs/schema_delete.py) are deleted; record types, standard
value sets and standard objects get Salesforce's refusal. The caller bumps the org's configuration version.
"""
from __future__ import annotations

import sqlalchemy as sa

from sfmock.orgs import schema_delete
from sfmock.orgs.retrieve import Inventory
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import assignment_rule_entries, auto_response_rules


def delete(store: SqlStore, kind: str, name: str) -> tuple[str, str] | None:
    """Deletes the component `kind` `name`; None when done, else the (statusCode, message) it is refused
    with."""
    inventory = Inventory(store)
    item = inventory.find(kind, name)
    standard = kind == "CustomObject" and not name.endswith("__c")  # every sfmock object is standard
    if item is None and not standard:
        return schema_delete.not_found(kind, name)
    if kind in schema_delete.REFUSED:
        code, message = schema_delete.REFUSED[kind]
        return code, message.format(name=name)
    if kind == "CustomField":
        return schema_delete.delete_custom_field(store, name)
    assert item is not None
    if kind == "Queue" or kind == "EmailTemplate":
        store.purge("Group" if kind == "Queue" else "EmailTemplate", item.id)
        if kind == "Queue":
            for sobject, key in (("GroupMember", "GroupId"), ("QueueSobject", "QueueId")):
                for row in store.find(sobject, {key: item.id}):
                    store.purge(sobject, row["Id"])
    elif kind == "AssignmentRule":
        store.purge("AssignmentRule", item.id)
        store.session.execute(sa.delete(assignment_rule_entries).where(
            assignment_rule_entries.c.rule_id == item.id))
    elif kind in ("AssignmentRules", "AutoResponseRules"):
        _delete_rules(store, kind, name, inventory)
    else:
        return "INVALID_TYPE", f"sfmock does not delete metadata of type {kind}"
    return None


def _delete_rules(store: SqlStore, kind: str, sobject: str, inventory: Inventory) -> None:
    if kind == "AutoResponseRules":
        t = auto_response_rules
        store.session.execute(sa.delete(t).where(t.c.org_id == store.org.org_id, t.c.sobject_type == sobject))
        return
    for (owner, _name), rule_id in inventory.state.rule_ids.items():
        if owner == sobject:
            store.purge("AssignmentRule", rule_id)
            store.session.execute(sa.delete(assignment_rule_entries).where(
                assignment_rule_entries.c.rule_id == rule_id))
