"""Custom field ids (app/core/schema/field_ids.py): 00N, 18 chars with a valid suffix, the same for the same
org and field whatever the load order, distinct within an org, and found again by their 15-char form."""
from __future__ import annotations

from sfmock.core import ids
from sfmock.core.schema import FieldDef
from sfmock.core.schema.field_ids import assign
from sfmock.core.schema.org_schema import build, field_spec

ORG = ids.make_id("00D", 7, 0)
NAMES = [("Lead", "Region__c"), ("Lead", "Score__c"), ("Case", "Region__c"), ("Account", "Tier__c")]


def test_ids_are_18_char_00N_ids_with_the_orgs_number() -> None:
    found = assign(ORG, NAMES)
    assert sorted(found) == sorted(NAMES) and len(set(found.values())) == len(NAMES)
    for value in found.values():
        assert value.startswith("00N") and ids.canonical(value[:15]) == value and ids.org_number(value) == 7


def test_ids_do_not_depend_on_order_or_case_and_differ_between_orgs() -> None:
    assert assign(ORG, NAMES) == assign(ORG, list(reversed(NAMES)))
    upper = assign(ORG, [("lead", "REGION__C")])[("lead", "REGION__C")]
    assert upper == assign(ORG, NAMES)[("Lead", "Region__c")]
    other = assign(ids.make_id("00D", 8, 0), NAMES)
    assert all(other[n] != value for n, value in assign(ORG, NAMES).items())


def test_the_schema_finds_a_field_by_its_15_or_18_char_id() -> None:
    spec = {"fields": {"Lead": [field_spec(FieldDef("Region__c", "string", length=40, custom=True,
                                                    storage="cf_string_01"))]}}
    lead = build(spec, org_id=ORG).get("Lead")
    region = lead.field("Region__c")
    assert region.field_id == assign(ORG, [("Lead", "Region__c")])[("Lead", "Region__c")]
    assert lead.field_by_id(region.field_id[:15]) is region and lead.field_by_id(region.field_id) is region
    assert lead.field_by_id(region.field_id.lower()) is region  # 18 chars: any case, the suffix restores it
    assert lead.field_by_id(region.field_id[:15].lower()) is None  # 15 chars: case-sensitive
    assert lead.field("LastName").field_id == ""  # standard fields have none
