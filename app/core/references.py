"""Checks that reference fields point at rows that exist (and an owner at an active user or a queue)."""
from __future__ import annotations

from typing import Any

from sfmock.core.errors import RecordError
from sfmock.core.ports import Store
from sfmock.core.schema import SObjectDef, registry

_USER, _GROUP = registry.require("User").key_prefix, registry.require("Group").key_prefix


def _bad(field: str, label: str) -> RecordError:
    return RecordError("INVALID_CROSS_REFERENCE_KEY", f"{label}: id value of incorrect type or not found",
                       [field])


def check_owner(store: Store, sobject: SObjectDef, owner_id: str) -> None:
    """An owner is an active User, or a Queue that accepts this object (QueueSobject)."""
    if owner_id.startswith(_USER):
        user = store.get("User", owner_id)
        if user is None:
            raise _bad("OwnerId", "Owner ID")
        if not user.get("IsActive"):
            raise RecordError("INACTIVE_OWNER_OR_USER", "operation performed with inactive user as owner",
                              ["OwnerId"])
        return
    if owner_id.startswith(_GROUP):
        group = store.get("Group", owner_id)
        accepted = sobject.name not in ("Lead", "Case") or store.find(
            "QueueSobject", {"QueueId": owner_id, "SobjectType": sobject.name})
        if group is not None and group.get("Type") == "Queue" and accepted:
            return
    raise _bad("OwnerId", "Owner ID")


# Salesforce's text for a taken username (Users are unique across all orgs).
_DUPLICATE_USERNAME = ("Duplicate Username.<br>The username already exists in this or another Salesforce "
                       "organization. Usernames must be unique across all Salesforce organizations. To "
                       "resolve, use "
                       "a different username (it doesn't need to match the user's email address).")


def check_unique_username(store: Store, sobject: SObjectDef, values: dict[str, Any],
                          record_id: str | None) -> None:
    username = values.get("Username") if sobject.name == "User" else None
    if username and store.username_taken(username, record_id):
        raise RecordError("DUPLICATE_USERNAME", _DUPLICATE_USERNAME, ["Username"])


def check_references(store: Store, sobject: SObjectDef, values: dict[str, Any]) -> None:
    """Every reference field sent names an existing row of one of its target objects."""
    for name, value in values.items():
        field = sobject.field(name)
        if value is None or field is None or field.type != "reference":
            continue
        if name == "OwnerId":
            check_owner(store, sobject, value)
            continue
        targets = [store.schema.get(t) for t in field.reference_to]
        if not any(t is not None and value.startswith(t.key_prefix) and store.get(t.name, value)
                   for t in targets):
            raise _bad(name, field.label)
