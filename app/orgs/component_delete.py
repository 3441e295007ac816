"""Deleting one metadata component from an installed org: deleteMetadata (app/metadata/component_writes.py)
and a deploy's destructiveChanges manifests (app/orgs/destructive.py). Queues, email templates, assignment
and auto-response rules and custom fields (app/orgs/schema_delete.py) are deleted; record types, standard
value sets and standard objects get Salesforce's refusal, and so does a queue something still routes to
(`queue_uses`). The caller bumps the org's configuration version.
"""
from __future__ import annotations

import sqlalchemy as sa

from sfmock.orgs import schema_delete
from sfmock.orgs.retrieve import Inventory
from sfmock.persistence.org_cache import CONFIG_SOBJECTS
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
    if kind == "Queue" and (uses := queue_uses(store, inventory, name, item.id)):
        return QUEUE_IN_USE, QUEUE_IN_USE_MESSAGE.format(uses=", ".join(uses))
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


# Salesforce Help (Queues): "You cannot delete a queue if it is used by an assignment rule or has any records
# in it" (quoted at learn4sfdc.blogspot.com/2012/06/queue-best-practice.html). sfmock holds a queue that is
# the Default Lead/Case Owner the same way, as Salesforce holds a user there (knowledge article 000187291: the
# Default Lead Owner and Default Case Owner keep a user from being disabled). The wording follows the refusal
# to delete a component something else uses, "This custom field is referenced elsewhere in salesforce.com."
# (destructive deploy results; sfdx-hardis's deployment error catalogue matches "This (.*) is referenced
# elsewhere in salesforce.com" for any component), followed by the places that use it.
# [UNCONFIRMED: the status code (DELETE_FAILED, the StatusCode for a record in use by another), the exact
# text for a queue and how Salesforce names the using rule entry or setting; and the Default Owner refusal.]
# Records the queue owns keep it too ("or has any records in it"): those it owns, of any object, out of the
# recycle bin, are named by their count.
QUEUE_IN_USE = "DELETE_FAILED"
QUEUE_IN_USE_MESSAGE = "This queue is referenced elsewhere in salesforce.com. : {uses}"


def queue_uses(store: SqlStore, inventory: Inventory, developer_name: str, queue_id: str) -> list[str]:
    """Where the org still routes to the queue: assignment rule entries, active or not, and the Default
    Lead/Case Owner; and the records it owns, of any object."""
    uses = [f"{rule.object} assignment rule {rule.full_name}, entry {entry.order}"
            for rule in inventory.state.rules if rule.kind == "assignment"
            for entry in rule.entries
            if entry.assignee_id == queue_id
            or (entry.assigned_to_type == "Queue" and entry.assigned_to == developer_name)]
    for sobject in ("Lead", "Case"):
        if store.org.default_owner(sobject)[0] == queue_id:
            uses.append(f"Default {sobject} Owner")
    # Every object with an owner: a queue may own a record of any of them (sfmock.core.references).
    for owned_kind in store.schema.all():
        if owned_kind.field("OwnerId") is None or owned_kind.name in CONFIG_SOBJECTS:
            continue
        owned = len(store.find(owned_kind.name, {"OwnerId": queue_id}))
        if owned:
            uses.append(f"{owned} {owned_kind.name} record{'' if owned == 1 else 's'}")
    return uses


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
