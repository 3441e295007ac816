"""Owners that must stay valid: a user the org's routing depends on cannot be deactivated.

KB 000383178: "You cannot deactivate this user. You cannot deactivate a user who is receiving cases or
notifications as part of your case assignment/escalation rules." It applies to inactive rules too ("User is
listed on an Inactive Assignment Rule ... and cannot be deactivated"). KB 000384586 adds the default case
owner ("You cannot deactivate a user who is the default owner of cases"), the Automated Case User, the
Web-to-Lead Default Creator and auto-response rules. The lead-side wording and the API status code are
UNCONFIRMED: we answer FIELD_INTEGRITY_EXCEPTION on IsActive with the Case wording adapted to leads.

A queue's only route: a queue a rule entry (or the default owner setting) assigns to, with no queue email,
is notified through its members (salesforce-api.md §4.1); when the user is its only active member, the user
is the one receiving that rule's notifications, the case KB 000383178 names: refused with the rule wording.
Salesforce applies the same idea to "the sole recipient of a workflow email alert"; that it checks queue
membership this way is UNCONFIRMED.
"""
from __future__ import annotations

from typing import Any

from sfmock.core.errors import RecordError
from sfmock.core.notifications import GROUP_PREFIX, member_users
from sfmock.core.ports import Store

_PREFIX = "You cannot deactivate this user. "
_RULE = ("You cannot deactivate a user who is receiving {plural} or notifications as part of your {object} "
         "assignment/escalation rules.")
_DEFAULT_OWNER = "You cannot deactivate a user who is the default owner of {plural}."
_SETTING = "You cannot deactivate a user who is the {role}."


def _refuse(text: str) -> RecordError:
    return RecordError("FIELD_INTEGRITY_EXCEPTION", _PREFIX + text, ["IsActive"])


def _only_route(store: Store, queue_id: str, user_id: str) -> bool:
    """Whether the user is the only way the queue's notifications arrive: no queue email, sole active
    member."""
    queue = store.get("Group", queue_id)
    if queue is None or queue.get("Type") != "Queue" or queue.get("Email"):
        return False
    active = {u["Id"] for u in member_users(store, queue_id) if u.get("IsActive", True)}
    return active == {user_id}


def _refuse_rule(kind: str) -> RecordError:
    return _refuse(_RULE.format(plural=f"{kind.lower()}s", object=kind.lower()))


def check_deactivation(store: Store, user: dict[str, Any]) -> None:
    """Raises the refusal when `user` (being deactivated) is named by a rule or an org setting, or is the only
    route of a queue one of them assigns to."""
    user_id = user["Id"]
    rules = [rule for row in store.find("AssignmentRule", {}) if (rule := store.rule(row["Id"])) is not None]
    for rule in rules:
        if any(e.assignee_id == user_id for e in rule.entries):
            raise _refuse_rule(rule.sobject_type)
    org = store.org
    for rule in rules:
        queues = {a for e in rule.entries if (a := e.assignee_id) is not None and a.startswith(GROUP_PREFIX)}
        if any(_only_route(store, queue, user_id) for queue in queues):
            raise _refuse_rule(rule.sobject_type)
    for kind in ("Case", "Lead"):
        owner = org.default_owner(kind)[0]
        if owner and owner.startswith(GROUP_PREFIX) and _only_route(store, owner, user_id):
            raise _refuse(_DEFAULT_OWNER.format(plural=f"{kind.lower()}s"))
    for kind, owner in (("Case", org.default_case_owner_id), ("Lead", org.default_lead_owner_id)):
        if owner == user_id:
            raise _refuse(_DEFAULT_OWNER.format(plural=f"{kind.lower()}s"))
    for role, holder in (("Automated Case User", org.automated_case_user_id),
                         ("Web-to-Lead Default Creator", org.web_to_lead_creator_id)):
        if holder == user_id:
            raise _refuse(_SETTING.format(role=role))
    email = str(user.get("Email") or "").lower()
    for kind in ("Lead", "Case"):
        rule = store.active_auto_response_rule(kind)
        # An auto-response entry names its sender by address: the user whose address it is sends the mail.
        if email and rule is not None and any((e.sender_email or "").lower() == email for e in rule.entries):
            raise _refuse(f"You cannot deactivate a user who sends {kind.lower()} auto-response emails.")
