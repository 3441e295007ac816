"""Who owns a record after its assignment rule runs, and which template notifies the new owner."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sfmock.core import ids
from sfmock.core.errors import CallError, RecordError
from sfmock.core.formula import FormulaContext
from sfmock.core.options import Assignment
from sfmock.core.ports import Store
from sfmock.core.rules.engine import first_match
from sfmock.core.rules.model import AssignmentRule, RuleEntry
from sfmock.core.schema import SObjectDef
from sfmock.core.schema.model import ASSIGNABLE


@dataclass(frozen=True)
class Routing:
    owner_id: str | None  # the new owner; None keeps the current one
    template_id: str | None  # the template that notifies the owner, if any
    reason: str  # ASSIGNMENT (a rule entry matched) or DEFAULT_OWNER (none matched): the mail's reason
    # The matched entry's predefined case teams and overrideExistingTeams (app/core/case_teams.py).
    teams: tuple[str, ...] = ()
    override_teams: bool = False
    # What decided it, for the journal and the console (sfmock.core.rules.explain.decision): the rule, and the
    # entry that matched (None: the Default Owner). Not part of what the routing decides (equality).
    rule_id: str | None = field(default=None, compare=False)
    rule_name: str | None = field(default=None, compare=False)
    entry: RuleEntry | None = field(default=None, compare=False)


def check_option(assignment: Assignment) -> Assignment:
    """A call-level check of the rule id: malformed is MALFORMED_ID (AssignmentRuleHeader doc)."""
    if assignment.mode == "rule":
        found = ids.canonical(assignment.rule_id or "")
        if found is None or not found.startswith("01Q"):
            raise CallError("MALFORMED_ID", f"Invalid id: {assignment.rule_id}")
        return Assignment.by_rule(found)
    return assignment


def rule_for(store: Store, sobject: str, assignment: Assignment) -> AssignmentRule | None:
    if assignment.mode == "none" or sobject not in ASSIGNABLE:
        return None
    if assignment.mode == "active":
        return store.active_rule(sobject)
    rule = store.rule(assignment.rule_id or "")
    if rule is None or rule.sobject_type != sobject:
        raise RecordError("INVALID_ASSIGNMENT_RULE", f"invalid assignment rule: {assignment.rule_id}")
    return rule


def route(store: Store, rule: AssignmentRule | None, record: dict[str, Any], sobject: SObjectDef,
          assignment: Assignment | None = None, context: FormulaContext | None = None) -> Routing | None:
    """None when no rule runs. The object has no rule at all: owner unchanged (API >= 30.0; Apex
    DmlOptions.AssignmentRuleHeader doc), except a Case with `default_owner_without_rule` (REST, KB
    000395506). No entry matches: the Default Lead/Case Owner (Help, "Set Up Assignment Rules")."""
    if rule is None:
        if assignment is not None and assignment.mode == "active" and assignment.default_owner_without_rule \
                and sobject.name in assignment.default_owner_objects:
            return _default_owner(store, sobject)
        return None
    entry = first_match(rule, record, sobject, context, store.schema)
    if entry is not None:
        # An entry without assignedTo is "Do Not Reassign Owner": it matches and keeps the owner.
        return Routing(entry.assignee_id, entry.template_id if entry.assignee_id else None, "assignment",
                       entry.team, entry.override_existing_teams, rule.id, rule.name, entry)
    return _default_owner(store, sobject, rule)


def _default_owner(store: Store, sobject: SObjectDef, rule: AssignmentRule | None = None) -> Routing | None:
    owner_id, notify, template_id = store.org.default_owner(sobject.name)
    if owner_id is None:
        return None
    return Routing(owner_id, template_id if notify else None, "default_owner",
                   rule_id=rule.id if rule else None, rule_name=rule.name if rule else None)
