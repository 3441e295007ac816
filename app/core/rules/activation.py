"""Activating a rule: one active rule per object, so activating one deactivates the other (Salesforce Help,
"Set Up Assignment Rules")."""
from __future__ import annotations

from sfmock.core.errors import SalesforceError
from sfmock.core.ports import Store


def activate_rule(store: Store, rule_id: str) -> None:
    rule = store.rule(rule_id)
    if rule is None:
        raise SalesforceError("INVALID_ASSIGNMENT_RULE", f"invalid assignment rule: {rule_id}")
    for other in store.find("AssignmentRule", {"SobjectType": rule.sobject_type, "Active": True}):
        if other["Id"] != rule_id:
            store.update("AssignmentRule", other["Id"], {"Active": False})
    store.update("AssignmentRule", rule_id, {"Active": True})


def deactivate_rule(store: Store, rule_id: str) -> None:
    if store.rule(rule_id) is None:
        raise SalesforceError("INVALID_ASSIGNMENT_RULE", f"invalid assignment rule: {rule_id}")
    store.update("AssignmentRule", rule_id, {"Active": False})
