"""The rules engine on an org's own schema: criteria and boolean filters on custom fields of every kind, and a
criterion on a field the org does not define refused."""
from __future__ import annotations

import pytest

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
