"""convertLead in the core, on an in-memory store with the standard schema (Account and Contact included):
created or matched records, empty fields filled, the lead marked converted, the notice mail."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from sfmock.core.convert import LeadConvert, convert
from sfmock.core.records import RecordService
from sfmock.core.schema import registry
from tests.unit.fakes import FakeStore


@pytest.fixture
def schema() -> Iterator[None]:
    """Account and Contact are standard objects of every org's schema (the fake store carries the standard
    one)."""
    assert registry.get("Account") is not None and registry.get("Contact") is not None
    yield


@pytest.fixture
def store() -> FakeStore:
    found = FakeStore()
    found.add("User", {"Id": "005000000000001AAA", "Username": "rep@x.example", "Email": "rep@x.example",
                       "LastName": "Rep", "IsActive": True})
    return found


def _service(store: FakeStore) -> RecordService:
    return RecordService(store, user_id="005000000000001AAA", api="soap", link_base="https://sfmock.test")


def _lead(store: FakeStore, **values) -> str:
    return store.add("Lead", {"LastName": "Rao", "FirstName": "Asha", "Company": "Acme", "Phone": "123",
                              "Country": "India", "Email": "asha@acme.example", "LeadSource": "Web",
                              "OwnerId": "005000000000001AAA", "IsConverted": False} | values)["Id"]


def test_a_lead_becomes_an_account_and_a_contact_and_the_owner_is_told(schema, store):
    lead = _lead(store)
    [result] = convert(_service(store),
                       [LeadConvert(lead, "Closed - Converted", do_not_create_opportunity=True,
                                                     send_notification_email=True)])
    assert result.success, result.errors
    account = store.get("Account", result.account_id)
    contact = store.get("Contact", result.contact_id)
    assert (account["Name"], account["Phone"], account["BillingCountry"]) == ("Acme", "123", "India")
    assert (contact["LastName"], contact["Email"], contact["AccountId"]) == ("Rao", "asha@acme.example",
                                                                              result.account_id)
    converted = store.get("Lead", lead)
    assert (converted["IsConverted"], converted["Status"]) == (True, "Closed - Converted")
    [mail] = store.outbox
    assert (mail.recipient, mail.record_id, mail.reason) == ("rep@x.example", lead, "lead_conversion")
    again = convert(
        _service(store), [LeadConvert(lead, "Closed - Converted", do_not_create_opportunity=True)]
    )
    assert again[0].errors[0].code == "CANNOT_UPDATE_CONVERTED_LEAD"


def test_an_existing_account_is_only_filled_where_empty(schema, store):
    account = store.add("Account", {"Name": "Existing", "Phone": None, "Industry": "Banking"})["Id"]
    lead = _lead(store, Industry="Healthcare")
    [result] = convert(_service(store),
                       [LeadConvert(lead, "Closed - Converted", do_not_create_opportunity=True,
                                                     account_id=account)])
    assert result.success and result.account_id == account
    row = store.get("Account", account)
    assert (row["Name"], row["Phone"], row["Industry"]) == ("Existing", "123", "Banking")
    assert store.outbox == []


@pytest.mark.parametrize(("changes", "code"), [
    ({"converted_status": "Working - Contacted"}, "INVALID_STATUS"),
    ({"contact_id": "003000000000001AAA"}, "REQUIRED_FIELD_MISSING"),  # a contact needs its account
])
def test_refusals_leave_nothing_behind(schema, store, changes, code):
    lead = _lead(store)
    request = LeadConvert(lead, "Closed - Converted", do_not_create_opportunity=True)
    for key, value in changes.items():
        setattr(request, key, value)
    [result] = convert(_service(store), [request])
    assert not result.success and result.errors[0].code == code
    assert store.find("Account", {}) == [] and store.get("Lead", lead)["IsConverted"] is False


def test_a_queue_owned_lead_needs_an_owner(schema, store):
    lead = _lead(store, OwnerId="00G000000000001AAA")
    [result] = convert(_service(store),
                       [LeadConvert(lead, "Closed - Converted", do_not_create_opportunity=True)])
    assert result.errors[0].code == "REQUIRED_FIELD_MISSING" and result.errors[0].fields == ["ownerId"]
