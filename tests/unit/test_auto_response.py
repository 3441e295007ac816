"""Auto-response matching: the first matching entry mails the record's address with its sender and reply-to;
no match falls back to the web default template; no address or no template sends nothing."""
from __future__ import annotations

from typing import Any

import pytest

from sfmock.core.auto_response import auto_response, recipient
from sfmock.core.formula import FormulaContext
from sfmock.core.rules.model import AssignmentRule, CriteriaItem, RuleEntry
from sfmock.core.schema import registry
from tests.unit.fakes import FakeStore

LEAD, CASE = registry.get("Lead"), registry.get("Case")


def _store() -> tuple[FakeStore, dict[str, str]]:
    store = FakeStore()
    templates = {name: store.add("EmailTemplate",
                                 {"Name": name, "Subject": f"{name}: {{!Lead.Name}}{{!Case.Subject}}",
                                                   "Body": "b"})["Id"]
                 for name in ("German", "Web", "Catch", "Default", "Urgent")}
    entries = (
        RuleEntry(1, criteria=(CriteriaItem("Lead.Country", "equals", "Germany,Austria"),),
                  template_id=templates["German"], sender_name="Vertrieb", sender_email="v@x.example",
                  reply_to_email="r@x.example"),
        RuleEntry(2, formula='ISPICKVAL(LeadSource, "Web")', template_id=templates["Web"],
                  sender_name="Sales",
                  sender_email="s@x.example"),
        RuleEntry(3, criteria=(CriteriaItem("Lead.Company", "startsWith", "Acme"),), template_id=None),
    )
    store.auto_response_rules["Lead"] = AssignmentRule("Lead Responses", "Lead Responses", "Lead", True,
                                                       entries)
    store.auto_response_rules["Case"] = AssignmentRule("Case Responses", "Case Responses", "Case", True, (
        RuleEntry(1, formula='CONTAINS(Subject, "URGENT")', template_id=templates["Urgent"],
                  notify_cc_recipients=True),
    ))
    return store, templates


CASES = [
    # (record, default template, cc) -> (recipient, template, sender name, sender email, reply-to, cc) or None
    ({"Country": "austria", "Email": "a@b.c"}, None, None, ("a@b.c", "German", "Vertrieb", "v@x.example",
                                                              "r@x.example", None)),
    ({"Country": "Austria", "LeadSource": "Web", "Email": "a@b.c"}, None, None,
     ("a@b.c", "German", "Vertrieb", "v@x.example", "r@x.example", None)),
    ({"Country": "US", "LeadSource": "Web", "Email": "a@b.c"}, None, "cc@b.c",
     ("a@b.c", "Web", "Sales", "s@x.example", None, None)),  # no notifyCcRecipients: no cc
    ({"Country": "US", "Email": "a@b.c"}, "Default", None, ("a@b.c", "Default", None, None, None, None)),
    ({"Country": "US", "Email": "a@b.c"}, None, None, None),  # no match, no default: nothing
    ({"Company": "Acme", "Email": "a@b.c"}, "Default", None, None),  # matched entry without template: nothing
    ({"Country": "Germany"}, "Default", None, None),  # no address: nothing
]


@pytest.mark.parametrize(("record", "default", "cc", "expected"), CASES)
def test_lead_auto_response(record: dict[str, Any], default: str | None, cc: str | None,
                            expected: tuple | None) -> None:
    store, templates = _store()
    row = {"Id": "00Q000000000001AAA", "LastName": "L", **record}
    message = auto_response(store, sobject=LEAD, record=row, api="web", context=FormulaContext(row),
                            default_template_id=templates.get(default or ""), cc=cc)
    got = None if message is None else (message.recipient, message.template_name, message.sender_name,
                                        message.sender_email, message.reply_to, message.cc)
    assert got == expected
    if message is not None:
        assert (message.reason, message.api, message.record_type) == ("auto_response", "web", "Lead")


def test_case_response_copies_cc_only_with_notify_cc_recipients() -> None:
    store, _ = _store()
    row = {"Id": "500000000000001AAA", "Subject": "URGENT help", "SuppliedEmail": "s@b.c"}
    message = auto_response(store, sobject=CASE, record=row, api="email", cc="x@b.c, y@b.c")
    assert (message.recipient, message.cc, message.subject) == ("s@b.c", "x@b.c, y@b.c",
                                                                "Urgent: URGENT help")


def test_case_recipient_is_supplied_email_without_a_contact() -> None:
    assert recipient(FakeStore(), "Case", {"SuppliedEmail": "s@b.c"}) == "s@b.c"
    assert recipient(FakeStore(), "Lead", {"Email": ""}) is None
