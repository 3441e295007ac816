"""Who owns a record after the rule runs: matched entry, do-not-reassign, default owners, no rule at all."""
from __future__ import annotations

import pytest

from sfmock.core.assignment import Routing, route
from sfmock.core.options import ACTIVE_RULE, ACTIVE_RULE_OR_DEFAULT_OWNER
from sfmock.core.org import OrgSettings
from sfmock.core.rules.activation import activate_rule
from sfmock.core.rules.model import AssignmentRule, CriteriaItem, RuleEntry
from sfmock.core.schema import registry
from tests.unit.fakes import FakeStore

LEAD, CASE = registry.get("Lead"), registry.get("Case")
ORG = OrgSettings(org_id="00D000000000001AAA", name="T", default_lead_owner_id="00G000000000001AAA",
                  notify_default_lead_owner=True, default_lead_owner_template_id="00X000000000001AAA",
                  default_case_owner_id="005000000000009AAA", notify_default_case_owner=False,
                  default_case_owner_template_id="00X000000000001AAA")
INDIA = RuleEntry(1, (CriteriaItem("Lead.Country", "equals", "India"),), assigned_to="Q",
                  assigned_to_type="Queue",
                  assignee_id="00G000000000002AAA", template_id="00X000000000002AAA")
KEEP = RuleEntry(2, (CriteriaItem("Lead.LeadSource", "equals", "Web"),))  # "Do Not Reassign Owner"
LEAD_RULE = AssignmentRule("01Q000000000001AAA", "R", "Lead", True, (INDIA, KEEP))
CASE_RULE = AssignmentRule("01Q000000000002AAA", "C", "Case", True,
                           (RuleEntry(1, (CriteriaItem("Case.IsEscalated", "equals", "True"),),
                                      assigned_to="u",
                                      assigned_to_type="User", assignee_id="005000000000001AAA"),))


@pytest.mark.parametrize(("rule", "sobject", "record", "expected"), [
    (LEAD_RULE, LEAD, {"Country": "India"},
     Routing("00G000000000002AAA", "00X000000000002AAA", "assignment")),
    (LEAD_RULE, LEAD, {"LeadSource": "Web"}, Routing(None, None, "assignment")),
    # No entry matches: the Default Lead Owner, notified with its template because the org says so.
    (LEAD_RULE, LEAD, {"Country": "France"},
     Routing("00G000000000001AAA", "00X000000000001AAA", "default_owner")),
    # The Default Case Owner is not to be notified: no template.
    (CASE_RULE, CASE, {"IsEscalated": False}, Routing("005000000000009AAA", None, "default_owner")),
    (CASE_RULE, CASE, {"IsEscalated": True}, Routing("005000000000001AAA", None, "assignment")),
    # No rule at all: owner unchanged (API >= 30.0).
    (None, LEAD, {"Country": "India"}, None),
])
def test_route(rule, sobject, record, expected) -> None:
    assert route(FakeStore(ORG), rule, record, sobject) == expected


def test_no_default_owner_leaves_the_owner() -> None:
    org = OrgSettings(org_id="00D000000000001AAA", name="T")
    assert route(FakeStore(org), LEAD_RULE, {"Country": "France"}, LEAD) is None


def test_activating_one_rule_deactivates_the_other() -> None:
    store = FakeStore(ORG)
    first = store.add("AssignmentRule", {"Name": "A", "SobjectType": "Lead", "Active": True})
    second = store.add("AssignmentRule", {"Name": "B", "SobjectType": "Lead", "Active": False})
    case = store.add("AssignmentRule", {"Name": "C", "SobjectType": "Case", "Active": True})
    for row in (first, second, case):
        store.add_rule(AssignmentRule(row["Id"], row["Name"], row["SobjectType"], row["Active"]))
    activate_rule(store, second["Id"])
    assert [(r["Name"], r["Active"]) for r in store.find("AssignmentRule", {})] == [
        ("A", False), ("B", True), ("C", True)]


@pytest.mark.parametrize(("sobject", "assignment", "expected"), [
    # REST (Sforce-Auto-Assign TRUE or absent): a Case goes to the Default Case Owner with no rule at all.
    (CASE, ACTIVE_RULE_OR_DEFAULT_OWNER, Routing("005000000000009AAA", None, "default_owner")),
    # SOAP useDefaultRule with no rule: owner unchanged (API >= 30.0).
    (CASE, ACTIVE_RULE, None),
    # KB 000395506 speaks of Cases only; a Lead keeps its owner.
    (LEAD, ACTIVE_RULE_OR_DEFAULT_OWNER, None),
])
def test_no_active_rule(sobject, assignment, expected) -> None:
    assert route(FakeStore(ORG), None, {}, sobject, assignment) == expected
