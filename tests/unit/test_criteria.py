"""Criteria items against every field type (app/core/rules/criteria.py)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sfmock.core import ids
from sfmock.core.rules.criteria import OPERATIONS, check_item, matches, split_values
from sfmock.core.rules.model import CriteriaItem, RuleDefinitionError
from sfmock.core.schema import FieldDef, SObjectDef, registry

_REAL_LEAD = registry.get("Lead")
assert _REAL_LEAD is not None
# The real Lead plus the types it lacks (double, date, multipicklist), as custom fields would add them.
LEAD = SObjectDef(
    name=_REAL_LEAD.name,
    label=_REAL_LEAD.label,
    label_plural=_REAL_LEAD.label_plural,
    key_prefix=_REAL_LEAD.key_prefix,
    fields=(*_REAL_LEAD.fields, FieldDef("Score__c", "double", precision=18, scale=2),
            FieldDef("FollowUp__c", "date"),
            FieldDef("Interests__c", "multipicklist", picklist=("A", "B", "C", "D"))),
)
UTC = dt.UTC


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


USER_ID = ids.to18("005Ab0000012XyZ")
OTHER_ID = ids.to18("005Ab0000012XyQ")

# The field standing for each type: name on LEAD.
BY_TYPE = {
    "string": "Country", "textarea": "Street", "email": "Email", "phone": "Phone", "url": "Website",
    "picklist": "LeadSource", "boolean": "DoNotCall", "double": "Score__c", "currency": "AnnualRevenue",
    "int": "NumberOfEmployees", "date": "FollowUp__c", "datetime": "CreatedDate", "reference": "OwnerId",
    "id": "Id", "multipicklist": "Interests__c",
}


def test_the_fields_have_the_types_they_stand_for() -> None:
    for ftype, name in BY_TYPE.items():
        field = LEAD.field(name)
        assert field is not None and field.type == ftype


def run(field: str, op: str, value: str | None, actual: Any) -> bool:
    item = CriteriaItem(field, op, value)
    check_item(item, LEAD)
    canonical = LEAD.field(field.split(".")[-1])
    assert canonical is not None
    return matches(item, {canonical.name: actual}, LEAD)


MATCH_CASES = [
    # string: case-insensitive; comma = any of; no value = blank
    ("Country", "equals", "US", "us", True),
    ("Country", "equals", "US,USA,United States", "usa", True),
    ("Country", "equals", "US, USA", "USA", True),
    ("Country", "equals", "US,USA", "Canada", False),
    ("Country", "equals", "US", None, False),
    ("Country", "equals", None, None, True),
    ("Country", "equals", None, "", True),
    ("Country", "equals", "", None, True),
    ("Country", "equals", None, "US", False),
    ("Country", "notEqual", None, "US", True),
    ("Country", "notEqual", None, None, False),
    ("Country", "notEqual", "US,USA", "usa", False),
    ("Country", "notEqual", "US,USA", "Canada", True),
    ("Country", "notEqual", "US", None, True),
    ("Country", "contains", "land", "Ireland", True),
    ("Country", "contains", "LAND,many", "Germany", True),
    ("Country", "contains", "land,many", "France", False),
    ("Country", "contains", "xyz", None, False),
    ("Country", "notContain", "land,many", "Germany", False),
    ("Country", "notContain", "land,many", "France", True),
    ("Country", "notContain", "land", None, True),
    ("Country", "startsWith", "Uni", "united states", True),
    ("Country", "startsWith", "Uni", "The United Kingdom", False),
    ("Country", "startsWith", "Fr,Uni", "France", True),
    ("Country", "lessThan", "M", "france", True),
    ("Country", "lessThan", "M", "Norway", False),
    ("Country", "lessThan", "M", None, False),
    ("Country", "greaterThan", "M", "france", False),
    ("Country", "greaterThan", "M", "norway", True),
    ("Country", "lessOrEqual", "france", "France", True),
    ("Country", "greaterOrEqual", "G", "Germany", True),
    ("Country", "greaterOrEqual", "G", "", False),
    ("Lead.Country", "equals", "US", "US", True),
    ("lead.country", "equals", "US", "US", True),
    # a quoted value keeps its comma
    ("Company", "equals", '"Acme, Inc",Globex', "acme, inc", True),
    ("Company", "equals", '"Acme, Inc",Globex', "Acme", False),
    ("Company", "equals", '"Acme, Inc",Globex', "GLOBEX", True),
    ("Company", "contains", '"a,b"', "xA,By", True),
    ("Company", "contains", '"a,b"', "ab", False),
    ("Company", "notEqual", '"Acme, Inc"', "Acme", True),
    # textarea, email, phone, url
    ("Street", "contains", "Main", "1 MAIN St", True),
    ("Street", "equals", "1 Main St", "1 main st", True),
    ("Street", "notContain", "Main", "1 High St", True),
    ("Email", "equals", "A@X.COM", "a@x.com", True),
    ("Email", "contains", "@example.com", "bob@EXAMPLE.com", True),
    ("Email", "startsWith", "bob@", "alice@example.com", False),
    ("Phone", "equals", "555-0100", "555-0100", True),
    ("Phone", "startsWith", "+44", "+44 20 7946 0000", True),
    ("Phone", "contains", "0100", None, False),
    ("Website", "contains", "example", "https://www.example.com", True),
    # picklist
    ("LeadSource", "equals", "web", "Web", True),
    ("LeadSource", "equals", "Web,Phone Inquiry", "Phone Inquiry", True),
    ("LeadSource", "equals", "Web,Phone Inquiry", "Other", False),
    ("LeadSource", "notEqual", "Web,Other", "Web", False),
    ("LeadSource", "notEqual", "Web,Other", "Partner Referral", True),
    ("LeadSource", "equals", None, None, True),
    ("LeadSource", "startsWith", "phone", "Phone Inquiry", True),
    ("LeadSource", "contains", "referral", "Partner Referral", True),
    ("LeadSource", "lessThan", "Phone Inquiry", "Other", True),
    # boolean: True/False in any case; a missing checkbox reads as False
    ("DoNotCall", "equals", "True", True, True),
    ("DoNotCall", "equals", "true", False, False),
    ("DoNotCall", "equals", "FALSE", False, True),
    ("DoNotCall", "equals", "False", None, True),
    ("DoNotCall", "equals", "True,False", False, True),
    ("DoNotCall", "notEqual", "True", False, True),
    ("DoNotCall", "notEqual", "True", True, False),
    ("DoNotCall", "equals", None, False, False),
    ("DoNotCall", "notEqual", None, False, True),
    # double
    ("Score__c", "equals", "10", 10.0, True),
    ("Score__c", "equals", "10.5", 10.5, True),
    ("Score__c", "equals", "10", 10.5, False),
    ("Score__c", "lessThan", "10", 9.99, True),
    ("Score__c", "lessThan", "10", 10.0, False),
    ("Score__c", "lessOrEqual", "10", 10.0, True),
    ("Score__c", "greaterThan", "10", 10.01, True),
    ("Score__c", "greaterThan", "10", 10.0, False),
    ("Score__c", "greaterOrEqual", "10", 9.0, False),
    ("Score__c", "greaterOrEqual", "-5", -5.0, True),
    ("Score__c", "lessThan", "10,20", 15.0, True),
    # null number: no match, except notEqual with a value (the negation of equals)
    ("Score__c", "equals", "10", None, False),
    ("Score__c", "notEqual", "10", None, True),
    ("Score__c", "lessThan", "10", None, False),
    ("Score__c", "greaterOrEqual", "0", None, False),
    ("Score__c", "equals", None, None, True),
    ("Score__c", "equals", None, 0.0, False),
    ("Score__c", "notEqual", None, 0.0, True),
    ("Score__c", "notEqual", None, None, False),
    # currency
    ("AnnualRevenue", "greaterThan", "1000000", 2000000.0, True),
    ("AnnualRevenue", "greaterThan", "1000000", 1000000.0, False),
    ("AnnualRevenue", "equals", "1000,2000", 2000.0, True),
    ("AnnualRevenue", "notEqual", "1000,2000", 2000.0, False),
    ("AnnualRevenue", "notEqual", "1000,2000", 3000.0, True),
    ("AnnualRevenue", "lessThan", "1000", 999.99, True),
    ("AnnualRevenue", "lessOrEqual", "1000", None, False),
    # int
    ("NumberOfEmployees", "equals", "50", 50, True),
    ("NumberOfEmployees", "equals", "50.0", 50, True),
    ("NumberOfEmployees", "greaterOrEqual", "50", 49, False),
    ("NumberOfEmployees", "lessThan", "50.5", 50, True),
    ("NumberOfEmployees", "greaterThan", "100", None, False),
    ("NumberOfEmployees", "notEqual", "100", None, True),
    ("NumberOfEmployees", "notEqual", "100", 100, False),
    # date: ISO or M/D/YYYY
    ("FollowUp__c", "equals", "2024-01-31", dt.date(2024, 1, 31), True),
    ("FollowUp__c", "equals", "1/31/2024", dt.date(2024, 1, 31), True),
    ("FollowUp__c", "equals", "2024-01-30,2024-01-31", dt.date(2024, 1, 31), True),
    ("FollowUp__c", "equals", "2024-01-30", dt.date(2024, 1, 31), False),
    ("FollowUp__c", "lessThan", "2024-02-01", dt.date(2024, 1, 31), True),
    ("FollowUp__c", "lessThan", "2024-01-31", dt.date(2024, 1, 31), False),
    ("FollowUp__c", "greaterThan", "2024-02-01", dt.date(2024, 1, 31), False),
    ("FollowUp__c", "greaterOrEqual", "2024-01-31", dt.date(2024, 1, 31), True),
    ("FollowUp__c", "lessOrEqual", "2024-01-30", dt.date(2024, 1, 31), False),
    ("FollowUp__c", "equals", "2024-01-31", None, False),
    ("FollowUp__c", "notEqual", "2024-01-31", None, True),
    ("FollowUp__c", "notEqual", "2024-01-31", dt.date(2024, 1, 31), False),
    ("FollowUp__c", "equals", None, None, True),
    # datetime: a date-only value is the whole UTC day; an instant is exact
    ("CreatedDate", "equals", "2024-01-31", dt.datetime(2024, 1, 31, 0, 0, tzinfo=UTC), True),
    ("CreatedDate", "equals", "2024-01-31", dt.datetime(2024, 1, 31, 23, 59, 59, tzinfo=UTC), True),
    ("CreatedDate", "equals", "2024-01-31", dt.datetime(2024, 2, 1, 0, 0, tzinfo=UTC), False),
    ("CreatedDate", "equals", "2024-01-31",
     dt.datetime(2024, 1, 31, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), False),
    ("CreatedDate", "equals", "2024-01-31T10:00:00Z", dt.datetime(2024, 1, 31, 10, 0, tzinfo=UTC), True),
    ("CreatedDate", "equals", "2024-01-31T10:00:00Z", dt.datetime(2024, 1, 31, 10, 0, 1, tzinfo=UTC), False),
    ("CreatedDate", "equals", "2024-01-31T12:00:00+02:00", dt.datetime(2024, 1, 31, 10, 0, tzinfo=UTC), True),
    ("CreatedDate", "lessThan", "2024-01-31", dt.datetime(2024, 1, 30, 23, 59, tzinfo=UTC), True),
    ("CreatedDate", "lessThan", "2024-01-31", dt.datetime(2024, 1, 31, 0, 0, tzinfo=UTC), False),
    ("CreatedDate", "greaterThan", "2024-01-31", dt.datetime(2024, 1, 31, 23, 59, tzinfo=UTC), False),
    ("CreatedDate", "greaterThan", "2024-01-31", dt.datetime(2024, 2, 1, 0, 0, tzinfo=UTC), True),
    ("CreatedDate", "lessOrEqual", "2024-01-31", dt.datetime(2024, 1, 31, 23, 59, tzinfo=UTC), True),
    ("CreatedDate", "lessOrEqual", "2024-01-31", dt.datetime(2024, 2, 1, 0, 0, tzinfo=UTC), False),
    ("CreatedDate", "greaterOrEqual", "2024-01-31", dt.datetime(2024, 1, 31, 0, 0, tzinfo=UTC), True),
    ("CreatedDate", "greaterOrEqual", "2024-01-31", dt.datetime(2024, 1, 30, 23, 59, tzinfo=UTC), False),
    ("CreatedDate", "lessThan", "2024-01-31T10:00:00Z", dt.datetime(2024, 1, 31, 10, 0, tzinfo=UTC), False),
    ("CreatedDate", "lessOrEqual", "2024-01-31T10:00:00Z", dt.datetime(2024, 1, 31, 10, 0, tzinfo=UTC), True),
    ("CreatedDate", "greaterThan", "2024-01-31T10:00:00Z", at(2024, 1, 31, 10, 0), False),
    ("CreatedDate", "greaterThan", "2024-01-31T10:00:00Z", at(2024, 1, 31, 10, 0, 1), True),
    ("CreatedDate", "greaterOrEqual", "2024-01-31T10:00:00Z", at(2024, 1, 31, 10, 0), True),
    ("CreatedDate", "equals", "2024-01-31T10:00:00Z", None, False),
    ("CreatedDate", "notEqual", "2024-01-31T10:00:00Z", None, True),
    ("CreatedDate", "notEqual", None, dt.datetime(2024, 1, 31, tzinfo=UTC), True),
    # reference and id: compared as ids (15 or 18 characters), other operations as text
    ("OwnerId", "equals", USER_ID, USER_ID, True),
    ("OwnerId", "equals", USER_ID[:15], USER_ID, True),
    ("OwnerId", "equals", USER_ID.lower(), USER_ID, True),
    ("OwnerId", "equals", USER_ID[:15].lower(), USER_ID, False),
    ("OwnerId", "equals", OTHER_ID, USER_ID, False),
    ("OwnerId", "equals", f"{OTHER_ID},{USER_ID[:15]}", USER_ID, True),
    ("OwnerId", "notEqual", OTHER_ID, USER_ID, True),
    ("OwnerId", "notEqual", USER_ID[:15], USER_ID, False),
    ("OwnerId", "startsWith", "005", USER_ID, True),
    ("OwnerId", "startsWith", "00G", USER_ID, False),
    ("OwnerId", "equals", "Sales Queue", USER_ID, False),
    ("OwnerId", "equals", None, None, True),
    ("Id", "equals", USER_ID[:15], USER_ID, True),
    # multipicklist: `;` = all of these selected, `,` = any of the groups
    ("Interests__c", "equals", "A;B", "B;A", True),
    ("Interests__c", "equals", "a;b", "A;B", True),
    ("Interests__c", "equals", "A", "A;B", False),
    ("Interests__c", "equals", "C,A;B", "A;B", True),
    ("Interests__c", "notEqual", "A;B", "A", True),
    ("Interests__c", "notEqual", "A;B", "B;A", False),
    ("Interests__c", "includes", "A", "A;B", True),
    ("Interests__c", "includes", "a;c", "A;B;C", True),
    ("Interests__c", "includes", "A;D", "A;B", False),
    ("Interests__c", "includes", "D,B", "A;B", True),
    ("Interests__c", "includes", "A", None, False),
    ("Interests__c", "excludes", "A", "A;B", False),
    ("Interests__c", "excludes", "D,C", "A;B", True),
    ("Interests__c", "excludes", "D,B", "A;B", False),
    ("Interests__c", "excludes", "A", None, True),
    ("Interests__c", "equals", None, None, True),
    ("Interests__c", "equals", None, "A", False),
]


@pytest.mark.parametrize(("field", "op", "value", "actual", "expected"), MATCH_CASES)
def test_matches(field: str, op: str, value: str | None, actual: Any, expected: bool) -> None:
    assert run(field, op, value, actual) is expected


TEXT_OPS = {"equals", "notEqual", "lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual",
            "contains", "notContain", "startsWith"}
ORDERED_OPS = {"equals", "notEqual", "lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual"}
ALLOWED = {
    "string": TEXT_OPS, "textarea": TEXT_OPS, "email": TEXT_OPS, "phone": TEXT_OPS, "url": TEXT_OPS,
    "picklist": TEXT_OPS, "reference": TEXT_OPS, "id": TEXT_OPS,
    "boolean": {"equals", "notEqual"},
    "double": ORDERED_OPS, "currency": ORDERED_OPS, "int": ORDERED_OPS,
    "date": ORDERED_OPS, "datetime": ORDERED_OPS,
    "multipicklist": {"equals", "notEqual", "includes", "excludes"},
}
SAMPLE_VALUE = {"boolean": "True", "double": "1", "currency": "1", "int": "1", "date": "2024-01-31",
                "datetime": "2024-01-31T10:00:00Z", "multipicklist": "A;B"}


@pytest.mark.parametrize(("ftype", "op"), [(t, op) for t in sorted(BY_TYPE) for op in sorted(OPERATIONS)])
def test_every_operation_on_every_type_is_accepted_or_refused(ftype: str, op: str) -> None:
    item = CriteriaItem(BY_TYPE[ftype], op, SAMPLE_VALUE.get(ftype, "x"))
    if op in ALLOWED[ftype]:
        check_item(item, LEAD)
        assert isinstance(matches(item, {}, LEAD), bool)
    else:
        with pytest.raises(RuleDefinitionError) as caught:
            check_item(item, LEAD)
        if op == "within":
            assert "'within' is not supported" in str(caught.value)
        else:
            assert str(caught.value) == (
                f"Operation '{op}' is not valid for field {BY_TYPE[ftype]} of type {ftype}."
            )
        with pytest.raises(RuleDefinitionError):
            matches(item, {}, LEAD)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (CriteriaItem("Nope__c", "equals", "x"), "Unknown field 'Nope__c' on Lead."),
        (CriteriaItem("Account.BillingCountry", "equals", "US"),
         "Unknown field 'Account.BillingCountry' on Lead: related-object fields are not supported in rule "
         "criteria."),
        (CriteriaItem("Case.Subject", "equals", "x"),
         "Unknown field 'Case.Subject' on Lead: related-object fields are not supported in rule criteria."),
        (CriteriaItem("Lead.Owner.Name", "equals", "x"),
         "Unknown field 'Lead.Owner.Name' on Lead: related-object fields are not supported in rule "
         "criteria."),
        (CriteriaItem("Country", "like", "US"), "Unknown operation 'like' (field Country)."),
        (CriteriaItem("Country", "Equals", "US"), "Unknown operation 'Equals' (field Country)."),
        (CriteriaItem("Country", "within", "10"),
         "Operation 'within' is not supported: it needs a geolocation field (field Country)."),
        (CriteriaItem("Score__c", "equals", "ten"), "Invalid number: ten"),
        (CriteriaItem("Score__c", "equals", "1,nan"), "Invalid number: nan"),
        (CriteriaItem("FollowUp__c", "equals", "31.01.2024"), "Invalid date: 31.01.2024"),
        (CriteriaItem("FollowUp__c", "equals", "2/30/2024"), "Invalid date: 2/30/2024"),
        (CriteriaItem("CreatedDate", "equals", "2024-01-31T25:00:00Z"),
         "Invalid date/time: 2024-01-31T25:00:00Z"),
        (CriteriaItem("DoNotCall", "equals", "yes"), "Invalid checkbox value: yes (use True or False)"),
        (CriteriaItem("Score__c", "lessThan", None), "Operation 'lessThan' needs a value (field Score__c)."),
        (CriteriaItem("Country", "contains", ""), "Operation 'contains' needs a value (field Country)."),
        (CriteriaItem("Interests__c", "includes", None),
         "Operation 'includes' needs a value (field Interests__c)."),
        (CriteriaItem("FirstName", "equals", "Ann", value_field="LastName"),
         "Criteria on FirstName give both a value and a valueField."),
        (CriteriaItem("FirstName", "equals", value_field="Nope"), "Unknown field 'Nope' on Lead."),
        (CriteriaItem("FirstName", "contains", value_field="LastName"),
         "Operation 'contains' cannot compare with another field (field FirstName)."),
        (CriteriaItem("AnnualRevenue", "equals", value_field="Country"),
         "Field Country (string) cannot be compared with AnnualRevenue (currency)."),
        (CriteriaItem("FollowUp__c", "equals", value_field="CreatedDate"),
         "Field CreatedDate (datetime) cannot be compared with FollowUp__c (date)."),
    ],
)
def test_check_item_refuses(item: CriteriaItem, message: str) -> None:
    with pytest.raises(RuleDefinitionError) as caught:
        check_item(item, LEAD)
    assert str(caught.value) == message


NAMES_EQUAL = CriteriaItem("FirstName", "equals", value_field="LastName")


@pytest.mark.parametrize(
    ("item", "record", "expected"),
    [
        (NAMES_EQUAL, {"FirstName": "Ann", "LastName": "ANN"}, True),
        (NAMES_EQUAL, {"FirstName": "Ann", "LastName": "Bo"}, False),
        (CriteriaItem("FirstName", "notEqual", value_field="LastName"),
         {"FirstName": "Ann", "LastName": "Bo"}, True),
        (CriteriaItem("FirstName", "equals", value_field="Lead.LastName"),
         {"FirstName": None, "LastName": ""}, True),
        (CriteriaItem("FirstName", "lessThan", value_field="LastName"),
         {"FirstName": "Ann", "LastName": "bo"}, True),
        (CriteriaItem("AnnualRevenue", "greaterThan", value_field="Score__c"),
         {"AnnualRevenue": 100.0, "Score__c": 50.0}, True),
        (CriteriaItem("AnnualRevenue", "lessOrEqual", value_field="NumberOfEmployees"),
         {"AnnualRevenue": 50.0, "NumberOfEmployees": 50}, True),
        (CriteriaItem("AnnualRevenue", "greaterThan", value_field="Score__c"),
         {"AnnualRevenue": 100.0}, False),
        (CriteriaItem("AnnualRevenue", "equals", value_field="Score__c"), {"AnnualRevenue": 5.0}, False),
        (CriteriaItem("AnnualRevenue", "equals", value_field="Score__c"), {}, True),
        (CriteriaItem("AnnualRevenue", "notEqual", value_field="Score__c"), {"Score__c": 5.0}, True),
        (CriteriaItem("CreatedDate", "equals", value_field="LastModifiedDate"),
         {"CreatedDate": dt.datetime(2024, 1, 31, 10, tzinfo=UTC),
          "LastModifiedDate": dt.datetime(2024, 1, 31, 10, tzinfo=UTC)}, True),
        (CriteriaItem("CreatedDate", "lessThan", value_field="LastModifiedDate"),
         {"CreatedDate": dt.datetime(2024, 1, 31, 10, tzinfo=UTC),
          "LastModifiedDate": dt.datetime(2024, 1, 31, 10, 0, 1, tzinfo=UTC)}, True),
        (CriteriaItem("CreatedDate", "greaterThan", value_field="LastModifiedDate"),
         {"CreatedDate": dt.datetime(2024, 1, 31, 10, tzinfo=UTC),
          "LastModifiedDate": dt.datetime(2024, 1, 31, 10, tzinfo=UTC)}, False),
        (CriteriaItem("DoNotCall", "equals", value_field="HasOptedOutOfEmail"),
         {"DoNotCall": False, "HasOptedOutOfEmail": False}, True),
        (CriteriaItem("DoNotCall", "notEqual", value_field="HasOptedOutOfEmail"),
         {"DoNotCall": True, "HasOptedOutOfEmail": False}, True),
    ],
)
def test_value_field_compares_with_another_field(item: CriteriaItem, record: dict, expected: bool) -> None:
    check_item(item, LEAD)
    assert matches(item, record, LEAD) is expected


def test_matches_reads_the_canonical_field_name_from_the_record() -> None:
    item = CriteriaItem("lead.COUNTRY", "equals", "US")
    assert matches(item, {"Country": "US"}, LEAD) is True
    assert matches(item, {"Country": "FR"}, LEAD) is False


def test_matches_refuses_an_unknown_field_too() -> None:
    with pytest.raises(RuleDefinitionError):
        matches(CriteriaItem("Nope", "equals", "x"), {}, LEAD)


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        (None, []),
        ("", []),
        ("US", ["US"]),
        ("US,USA, United States ,", ["US", "USA", "United States"]),
        ('"Acme, Inc",Globex', ["Acme, Inc", "Globex"]),
        ('Globex, "Acme, Inc"', ["Globex", "Acme, Inc"]),
        ('"a,b,c"', ["a,b,c"]),
    ],
)
def test_split_values(value: str | None, parts: list[str]) -> None:
    assert split_values(value) == parts


def test_a_real_case_rule_item_works_on_the_real_case_object() -> None:
    case = registry.get("Case")
    assert case is not None
    item = CriteriaItem("Case.Priority", "equals", "High,Medium")
    check_item(item, case)
    assert matches(item, {"Priority": "high"}, case) is True
    assert matches(item, {"Priority": "Low"}, case) is False
