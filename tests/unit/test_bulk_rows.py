"""Bulk rows as the record service receives them, and the checks made when a job is created
(sfmock.core.bulk)."""
from __future__ import annotations

import pytest

from sfmock.core import bulk
from sfmock.core.errors import CallError
from sfmock.core.options import NO_ASSIGNMENT, Assignment
from sfmock.core.results import RecordInput


@pytest.mark.parametrize("operation, row, expected", [
    # An empty CSV value is ignored, "#N/A" sets the field to null (Data Loader / Bulk API data rules).
    ("insert", {"LastName": "A", "Company": ""}, RecordInput("Lead", {"LastName": "A"}, (), None)),
    ("update", {"Id": "00Q000000000001", "Company": "#N/A"},
     RecordInput("Lead", {}, ("Company",), "00Q000000000001")),
    # JSON batches: null is null.
    ("update", {"Id": "00Q000000000001", "Phone": None},
     RecordInput("Lead", {}, ("Phone",), "00Q000000000001")),
    # Upsert keeps the Id among the values: it is the key the record service matches on.
    ("upsert", {"Id": "00Q000000000001", "LastName": "B"},
     RecordInput("Lead", {"Id": "00Q000000000001", "LastName": "B"}, (), "00Q000000000001")),
    ("upsert", {"Id": "", "LastName": "B"}, RecordInput("Lead", {"LastName": "B"}, (), None)),
])
def test_rows_become_record_inputs(operation, row, expected):
    assert bulk._input("Lead", row, operation) == expected


def test_assignment_rule_id_is_the_only_control():
    assert bulk.assignment_for(None) == NO_ASSIGNMENT
    assert bulk.assignment_for("01Q000000000001AAA") == Assignment.by_rule("01Q000000000001AAA")


@pytest.mark.parametrize("operation, sobject, key, rule, code, message", [
    ("insert", "Nope__c", None, None, "INVALID_TYPE", "Unable to find object: Nope__c"),
    ("upsert", "Lead", None, None, "INVALID_FIELD", "External ID was blank for upsert"),
    ("upsert", "Lead", "Company", None, "INVALID_FIELD",
     "Field name provided, Company is not an External ID or indexed field for Lead"),
    ("insert", "Lead", None, "not-an-id", "MALFORMED_ID", "Invalid id: not-an-id"),
    ("insert", "Lead", None, "00Q000000000001AAA", "MALFORMED_ID", "Invalid id: 00Q000000000001AAA"),
])
def test_job_checks(operation, sobject, key, rule, code, message):
    with pytest.raises(CallError) as raised:
        bulk.check_job(operation, sobject, key, rule)
    assert (raised.value.code, raised.value.message) == (code, message)


def test_a_good_job_names_its_object_canonically():
    assert bulk.check_job("upsert", "lead", "Id", "01Q000000000001").name == "Lead"
