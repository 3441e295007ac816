"""The rules engine on an org's own schema: criteria and boolean filters on custom fields of every kind, a
criterion on a field the org does not define refused, and formulas reaching a parent's custom field."""
from __future__ import annotations

import dataclasses

import pytest

from sfmock.core.formula import FormulaContext
from sfmock.core.rules.engine import first_match, validate_rule
from sfmock.core.rules.model import CriteriaItem, RuleDefinitionError
from sfmock.core.schema import FieldDef, registry
from sfmock.core.schema.org_schema import build, field_spec
from tests.unit.test_rule_engine import rule, to_queue, to_user

SPEC = {"fields": {"Lead": [field_spec(f) for f in (
    FieldDef("Region__c", "picklist", "Region", 255, custom=True, picklist=("APAC", "EMEA"),
             storage="cf_string_01"),
    FieldDef("Score__c", "double", "Score", precision=3, custom=True, storage="cf_number_01"),
    FieldDef("Vip__c", "boolean", "VIP", custom=True, nillable=False, default=False, storage="cf_boolean_01"),
    FieldDef("Due__c", "date", "Due", custom=True, storage="cf_date_01"),
)]}}
LEAD = build(SPEC).get("Lead")

EMEA = CriteriaItem("Lead.Region__c", "equals", "EMEA")
HIGH = CriteriaItem("Score__c", "greaterOrEqual", "50")
VIP = CriteriaItem("Vip__c", "equals", "True")


@pytest.mark.parametrize(("record", "expected"), [
    ({"Region__c": "EMEA", "Score__c": 10.0, "Vip__c": False}, None),
    ({"Region__c": "EMEA", "Score__c": 60.0, "Vip__c": False}, 1),
    ({"Region__c": "APAC", "Score__c": 10.0, "Vip__c": True}, 1),
    ({"Region__c": "APAC", "Score__c": 99.0, "Vip__c": False}, 2),
])
def test_boolean_filter_on_custom_fields(record: dict, expected: int | None) -> None:
    entries = (to_user(1, EMEA, HIGH, VIP, boolean_filter="(1 AND 2) OR 3"), to_queue(2, HIGH))
    found = first_match(rule(*entries), record, LEAD)
    assert (found.order if found else None) == expected


def test_a_criterion_on_a_field_the_org_lacks_is_refused() -> None:
    validate_rule(rule(to_user(1, EMEA)), LEAD)
    with pytest.raises(RuleDefinitionError) as info:
        validate_rule(rule(to_user(1, EMEA)), registry.get("Lead"))
    assert "Region__c" in str(info.value)


# An org whose Account carries Region__c: a Case or Contact formula reaches it through AccountId.
PARENT_SPEC = {"fields": {"Account": [field_spec(
    FieldDef("Region__c", "string", "Region", 40, custom=True, storage="cf_string_01"))]}}
PARENT_ORG = build(PARENT_SPEC)
ACCOUNT = "001000000000001AAA"


@pytest.mark.parametrize(("sobject", "formula"), [
    ("Case", 'Account.Region__c = "EMEA"'),
    ("Contact", 'AND(NOT(ISBLANK(Account.Region__c)), BEGINS(Account.Region__c, "EM"))'),
])
@pytest.mark.parametrize(("region", "matched"), [("EMEA", True), ("APAC", False), (None, False)])
def test_a_formula_reads_a_parents_custom_field_through_the_orgs_schema(
        sobject: str, formula: str, region: str | None, matched: bool) -> None:
    entry = dataclasses.replace(to_user(1), formula=formula)
    own = PARENT_ORG.get(sobject)
    validate_rule(rule(entry, sobject=sobject), own, schema=PARENT_ORG)
    accounts = {ACCOUNT: {"Id": ACCOUNT, "Region__c": region}}
    context = FormulaContext({"AccountId": ACCOUNT}, lookup=lambda _sobject, row_id: accounts.get(row_id))
    found = first_match(rule(entry, sobject=sobject), {"AccountId": ACCOUNT}, own, context, PARENT_ORG)
    assert (found is not None) == matched


def test_a_parents_custom_field_the_org_lacks_is_refused_at_load() -> None:
    entry = dataclasses.replace(to_user(1), formula='Account.Region__c = "EMEA"')
    with pytest.raises(RuleDefinitionError) as info:
        validate_rule(rule(entry, sobject="Case"), build(None).get("Case"), schema=build(None))
    assert str(info.value) == ("Field Account.Region__c does not exist. Check spelling. "
                               "(formula line 1, column 1) (entry 1 of rule Standard)")
