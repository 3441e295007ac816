"""Raw values (SOAP text, REST JSON) converted by field type, with Salesforce's error codes."""
from datetime import UTC, date, datetime

import pytest

from sfmock.core.errors import RecordError
from sfmock.core.schema import registry
from sfmock.core.values import coerce

LEAD, CASE, GROUP = registry.get("Lead"), registry.get("Case"), registry.get("Group")


@pytest.mark.parametrize(("obj", "field", "raw", "expected"), [
    (LEAD, "LastName", "Smith", "Smith"),
    (LEAD, "LastName", "", None),
    (LEAD, "Description", "x" * 32000, "x" * 32000),  # textarea
    (LEAD, "Email", "a.b+c@example.co.uk", "a.b+c@example.co.uk"),
    (LEAD, "Phone", "+1 (415) 555-0100", "+1 (415) 555-0100"),
    (LEAD, "LeadSource", "Anything Goes", "Anything Goes"),  # unrestricted picklist
    (GROUP, "Type", "Queue", "Queue"),  # restricted picklist
    (CASE, "IsEscalated", "true", True), (CASE, "IsEscalated", "1", True),
    (CASE, "IsEscalated", "FALSE", False),
    (CASE, "IsEscalated", "0", False), (CASE, "IsEscalated", True, True),
    (LEAD, "AnnualRevenue", "20000000", 20000000.0), (LEAD, "AnnualRevenue", 1.5, 1.5),  # currency
    (LEAD, "NumberOfEmployees", "250", 250), (LEAD, "NumberOfEmployees", 12, 12),  # int
    (LEAD, "NumberOfEmployees", 99_999_999, 99_999_999), (LEAD, "NumberOfEmployees", 12.0, 12),
    (LEAD, "AnnualRevenue", 123_456_789_012_345, 123_456_789_012_345.0),
    (LEAD, "OwnerId", "005001000000001", "005001000000001AAA"),  # reference: 15 -> 18
    (LEAD, "CreatedDate", "2024-01-31T10:00:00Z", datetime(2024, 1, 31, 10, tzinfo=UTC)),
    (LEAD, "CreatedDate", "2024-01-31T12:00:00.000+0200", datetime(2024, 1, 31, 10, tzinfo=UTC)),
    (LEAD, "Name", None, None),
])
def test_coerce(obj, field: str, raw, expected) -> None:
    assert coerce(obj.field(field), raw) == expected


def test_coerce_date() -> None:
    from sfmock.core.schema.model import FieldDef

    assert coerce(FieldDef("D", "date"), "2024-02-29") == date(2024, 2, 29)


@pytest.mark.parametrize(("obj", "field", "raw", "code"), [
    (LEAD, "LastName", "x" * 81, "STRING_TOO_LONG"),
    (LEAD, "Email", "not-an-email", "INVALID_EMAIL_ADDRESS"),
    (LEAD, "Email", "a@b", "INVALID_EMAIL_ADDRESS"),
    (GROUP, "Type", "Team", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"),
    (CASE, "IsEscalated", "yes", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "AnnualRevenue", "lots", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "AnnualRevenue", True, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "NumberOfEmployees", "2.5", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "CreatedDate", "yesterday", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "OwnerId", "005xyz", "MALFORMED_ID"),
    (LEAD, "LastName", {"nested": 1}, "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "LastName", "a\x00b", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "NumberOfEmployees", "1_000", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "NumberOfEmployees", 100_000_000, "NUMBER_OUTSIDE_VALID_RANGE"),  # precision 8
    (LEAD, "NumberOfEmployees", "99999999999999999999999", "NUMBER_OUTSIDE_VALID_RANGE"),
    (LEAD, "AnnualRevenue", "1e400", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "AnnualRevenue", "-inf", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "AnnualRevenue", float("inf"), "INVALID_TYPE_ON_FIELD_IN_RECORD"),
    (LEAD, "AnnualRevenue", 1e18, "NUMBER_OUTSIDE_VALID_RANGE"),  # precision 18, scale 0
    (LEAD, "CreatedDate", "9999-12-31T23:59:59-05:00", "INVALID_TYPE_ON_FIELD_IN_RECORD"),
])
def test_coerce_errors(obj, field: str, raw, code: str) -> None:
    with pytest.raises(RecordError) as caught:
        coerce(obj.field(field), raw)
    assert caught.value.code == code
    assert caught.value.fields == [field]
