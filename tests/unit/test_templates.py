"""Classic merge-field rendering (app/core/templates.py)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sfmock.core.templates import format_value, merge_context, render

MERGE = {
    "Lead": {"Name": "Ann Lee", "FirstName": "Ann", "LastName": "Lee", "Company": "Acme", "Email": None,
             "AnnualRevenue": 1000000.0, "NumberOfEmployees": 42, "DoNotCall": False,
             "OwnerFullName": "Sales Queue", "Link": "https://sfmock.test/00Q000000000001AAA", "Title": ""},
    "Case": {"CaseNumber": "00001001", "Subject": "Broken", "OwnerFullName": "Bob Ray"},
    "Organization": {"Name": "Acme Corp"},
    "Contact": {"FirstName": None},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{!Lead.Name}", "Ann Lee"),
        ("{!lead.name} / {!LEAD.COMPANY}", "Ann Lee / Acme"),
        ("{! Lead.Name }", "Ann Lee"),
        ("Case # {!Case.CaseNumber}: {!Case.Subject} has been assigned to you.",
         "Case # 00001001: Broken has been assigned to you."),
        ("New lead assigned to you:  {!Lead.Name} from {!Lead.Company}",
         "New lead assigned to you:  Ann Lee from Acme"),
        ("{!Lead.OwnerFullName}|{!Case.OwnerFullName}", "Sales Queue|Bob Ray"),
        ("{!Organization.Name}:  Thank you", "Acme Corp:  Thank you"),
        ("Open {!Lead.Link}", "Open https://sfmock.test/00Q000000000001AAA"),
        ("{!Lead.AnnualRevenue} {!Lead.NumberOfEmployees} {!Lead.DoNotCall}", "1000000 42 false"),
        # unknown objects, fields and functions render empty
        ("[{!Lead.Nope}]", "[]"),
        ("[{!Account.Name}]", "[]"),
        ("[{!Receiving_User.FirstName}]", "[]"),
        ('[{!IF(Lead.Name = "x", "a", "b")}]', "[]"),
        ("[{!Lead}]", "[]"),
        ("[{!Lead.Email}]", "[]"),
        # substitute text, used only when the value is blank
        ("Dear {!Contact.FirstName, Valued Customer},", "Dear Valued Customer,"),
        ("Dear {!Lead.FirstName, Valued Customer},", "Dear Ann,"),
        ("Dear {!Lead.Title,Sir or Madam}", "Dear Sir or Madam"),
        ("Dear {!Account.Name, friend}", "Dear friend"),
        ('{!BLANKVALUE(Contact.FirstName, "Valued Customer")}', "Valued Customer"),
        ('{!BLANKVALUE(Lead.FirstName, "Valued Customer")}', "Ann"),
        ("{!blankvalue( lead.email , 'no email' )}", "no email"),
        # text that is not a merge field stays as it is
        ("no fields { here } {Lead.Name} {!", "no fields { here } {Lead.Name} {!"),
        ("", ""),
    ],
)
def test_render(text: str, expected: str) -> None:
    assert render(text, MERGE) == expected


def test_render_of_none_is_empty() -> None:
    assert render(None, MERGE) == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        ("x", "x"),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (0, "0"),
        (1000000.0, "1000000"),
        (12.5, "12.5"),
        (-3.0, "-3"),
        (1e-05, "0.00001"),
        (1e20, "100000000000000000000"),
        (dt.date(2024, 1, 31), "2024-01-31"),
        (dt.datetime(2024, 1, 31, 10, 0, 5, tzinfo=dt.UTC), "2024-01-31T10:00:05Z"),
        (dt.datetime(2024, 1, 31, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))), "2024-01-31T10:00:00Z"),
        (dt.datetime(2024, 1, 31, 10, 0, 0, 123456, tzinfo=dt.UTC), "2024-01-31T10:00:00Z"),
    ],
)
def test_format_value(value: Any, text: str) -> None:
    assert format_value(value) == text


def test_merge_context() -> None:
    record = {"Id": "00Q000000000001AAA", "Name": "Ann Lee", "OwnerId": "00G000000000002AAA"}
    assert merge_context("Lead", record, owner_name="Sales Queue", org_name="Acme Corp",
                         link="https://x/00Q000000000001AAA") == {
        "Lead": {"Id": "00Q000000000001AAA", "Name": "Ann Lee", "OwnerId": "00G000000000002AAA",
                 "OwnerFullName": "Sales Queue", "Link": "https://x/00Q000000000001AAA"},
        "Organization": {"Name": "Acme Corp"},
    }
    assert record == {"Id": "00Q000000000001AAA", "Name": "Ann Lee", "OwnerId": "00G000000000002AAA"}


def test_merge_context_renders() -> None:
    context = merge_context("Case", {"CaseNumber": "00001001"}, owner_name="Bob Ray", org_name="Acme",
                            link="/500x")
    assert render("{!Case.CaseNumber} for {!Case.OwnerFullName} at {!Organization.Name}: {!Case.Link}",
                  context) == "00001001 for Bob Ray at Acme: /500x"
