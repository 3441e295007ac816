"""Email-to-Case: an inbound mail to a routing address becomes a Case, or threads onto the Case it replies to.

Help "Email-to-Case" (salesforce-rules-mail-web.md §2-3): the Case gets Subject, Description (the text body),
SuppliedEmail and SuppliedName (the sender), Origin "Email" and the matched Contact; the assignment rule and
the auto-response rule run (the response copies the incoming Cc line when the entry has notifyCcRecipients).
A reply that carries the case's thread reference is attached to that Case instead of opening a new one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sfmock.core.auto_response import AutoResponse
from sfmock.core.errors import SalesforceError
from sfmock.core.records import RecordService
from sfmock.core.results import RecordInput
from sfmock.core.schema import registry

ORIGIN = "Email"
_REF = re.compile(r"ref:_[A-Za-z0-9]+\._[A-Za-z0-9]+:ref")


@dataclass(frozen=True)
class InboundMail:
    from_address: str
    from_name: str | None
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str


def thread_id(org_id: str, case_id: str) -> str:
    """The classic Ref ID Salesforce stamps on case mail, from the 15-char org and case ids. Built as the
    Thread_Id formula field admins have long copied does it ("ref:_" & LEFT(org,5) &
    SUBSTITUTE(RIGHT(org,10),"0","") & "._" & LEFT(case,5) & SUBSTITUTE(LEFT(RIGHT(case,10),5),"0","") &
    RIGHT(case,5) & ":ref"); Salesforce's own generator is not published (UNCONFIRMED). Lightning's
    header-based threading tokens are not emulated."""
    org, case = org_id[:15], case_id[:15]
    return (f"ref:_{org[:5]}{org[-10:].replace('0', '')}._{case[:5]}{case[-10:][:5].replace('0', '')}"
            f"{case[-5:]}:ref")


def is_routed(addresses: tuple[str, ...], mail: InboundMail) -> bool:
    wanted = {a.lower() for a in addresses}
    return any(a.lower() in wanted for a in (*mail.to, *mail.cc))


def _threaded_case(service: RecordService, mail: InboundMail) -> str | None:
    refs = set(_REF.findall(f"{mail.subject}\n{mail.body}"))
    if not refs:
        return None
    org_id = service.store.org.org_id
    for case in service.store.find("Case", {}):
        if thread_id(org_id, case["Id"]) in refs:
            return str(case["Id"])
    return None


def receive_mail(service: RecordService, mail: InboundMail) -> tuple[str | None, bool]:
    """(the Case's id, whether the mail threaded onto an existing Case); (None, False) when the Case could not
    be saved (nothing is created, as for web forms)."""
    threaded = _threaded_case(service, mail)
    if threaded is not None:
        # Salesforce files the reply as an EmailMessage on the Case; this schema has no EmailMessage yet.
        return threaded, True
    values = {"Subject": mail.subject[:255] or None, "Description": mail.body[:32000] or None,
              "SuppliedEmail": mail.from_address[:80] or None,
              "SuppliedName": (mail.from_name or "")[:80] or None,
              "Origin": ORIGIN}
    case_def = registry.require("Case")
    contact = registry.get("Contact")
    if contact is not None and case_def.field("ContactId") is not None and mail.from_address:
        found = service.store.find("Contact", {"Email": mail.from_address})
        if len(found) == 1:  # exactly one Contact with the sender's address (as Web-to-Case matches)
            values["ContactId"] = found[0]["Id"]
    response = AutoResponse(cc=", ".join(mail.cc) or None)
    try:
        with service.store.savepoint():
            result = service.submit(RecordInput("Case", {k: v for k, v in values.items() if v is not None}),
                                    response=response)
    except SalesforceError:
        return None, False
    return result.id, False
