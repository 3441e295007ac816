"""Web-to-Lead and Web-to-Case: a posted form into a Lead or Case, with the daily limits and the pending
queue.

Facts (salesforce-rules-mail-web.md §1-2): field names as Salesforce's generated forms post them; the active
assignment rule and auto-response rule run; no error ever reaches the browser (a form that cannot be saved
creates nothing); 500 Web-to-Lead and 5,000 Web-to-Case records per rolling 24 hours per org, then a pending
queue shared by both (50,000 at most) whose items are created, oldest first, once the limit allows, with a
mail to the Default Lead Creator (cases: the Default Case Owner); a full queue rejects, mailing the admin for
the first 5 rejections (KB 000382807). With "Require reCAPTCHA Verification" on, a post without a reCAPTCHA
token is dropped silently; `debug=1` with `debugEmail` mails what happened to that address.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sfmock.core.auto_response import AutoResponse
from sfmock.core.errors import SalesforceError
from sfmock.core.mail import WEB_DEBUG, WEB_LIMIT, MailMessage
from sfmock.core.notifications import recipients
from sfmock.core.records import RecordService
from sfmock.core.results import RecordInput
from sfmock.core.schema import SObjectDef

DAILY_LIMITS = {"Lead": 500, "Case": 5000}
_KIND = {"Lead": "Web-to-Lead", "Case": "Web-to-Case"}
QUEUE_LIMIT = 50_000
REJECTION_MAILS = 5
_DAY = timedelta(hours=24)
# Salesforce's generated Web-to-Lead form (names and targets; salesforce-rules-mail-web.md §1).
LEAD_FIELDS = {
    "first_name": "FirstName", "last_name": "LastName", "email": "Email", "company": "Company",
    "city": "City",
    "state": "State", "zip": "PostalCode", "country": "Country", "title": "Title", "url": "Website",
    "phone": "Phone", "mobile": "MobilePhone", "fax": "Fax", "street": "Street", "description": "Description",
    "salutation": "Salutation", "lead_source": "LeadSource", "industry": "Industry", "rating": "Rating",
    "revenue": "AnnualRevenue", "employees": "NumberOfEmployees", "currency": "CurrencyIsoCode",
    "emailOptOut": "HasOptedOutOfEmail", "faxOptOut": "HasOptedOutOfFax", "doNotCall": "DoNotCall",
}
# The generated Web-to-Case form (§2). `origin` is not settable: Case Origin is the org's W2C setting.
CASE_FIELDS = {
    "name": "SuppliedName", "email": "SuppliedEmail", "phone": "SuppliedPhone", "company": "SuppliedCompany",
    "subject": "Subject", "description": "Description", "type": "Type", "status": "Status",
    "reason": "Reason",
    "priority": "Priority", "currency": "CurrencyIsoCode",
}
# Hidden and control inputs of the generated forms; `recordType` is read separately.
CONTROL = frozenset({
    "oid", "orgid", "retURL", "debug", "debugEmail", "encoding", "submit", "captcha_settings",
    "g-recaptcha-response", "Campaign_ID", "member_status", "external", "origin", "recordType",
})
# A missing Last Name or Company does not stop a web lead: it is saved as "[not provided]" (3rd party,
# UNCONFIRMED by Salesforce's docs, salesforce-rules-mail-web.md §1).
NOT_PROVIDED = "[not provided]"


def _field(sobject: SObjectDef, key: str, names: dict[str, str]) -> str | None:
    if key in names:
        found = sobject.field(names[key])
        return found.name if found else None
    # Custom fields are posted under their 15-char field Id (`name="00N5e00000D7iHN"`; the 18-char form is
    # taken too); forms written by hand post API names (`Foo__c`, accepted here; whether Salesforce does is
    # UNCONFIRMED).
    if key.startswith("00N"):
        found = sobject.field_by_id(key)
    else:
        found = sobject.field(key) if key.endswith("__c") else None
    # Lookup fields cannot be filled through a web form (salesforce-rules-mail-web.md §1): an id is ignored.
    return found.name if found and not found.hidden and found.type != "reference" else None


def form_values(sobject: SObjectDef, form: list[tuple[str, str]]) -> dict[str, Any]:
    """The record's field values from the posted pairs; unknown inputs are ignored, as Salesforce does."""
    names = LEAD_FIELDS if sobject.name == "Lead" else CASE_FIELDS
    values: dict[str, Any] = {}
    for key, raw in form:
        if key == "recordType" and sobject.field("RecordTypeId"):
            values["RecordTypeId"] = raw
        if key in CONTROL:
            continue
        name = _field(sobject, key, names)
        if name is None or raw == "":
            continue
        field = sobject.field(name)
        if field is None:
            continue
        if field.type == "boolean":
            values[name] = raw == "1" or raw.lower() in ("on", "true")  # checkboxes post value 1
        elif field.type == "multipicklist" and name in values:
            values[name] = f"{values[name]};{raw}"  # a multi-select posts one pair per chosen value
        else:
            values[name] = raw
    if sobject.name == "Lead":
        for required in ("LastName", "Company"):
            values.setdefault(required, NOT_PROVIDED)
    return values


def _matched_contact(service: RecordService, values: dict[str, Any]) -> None:
    """W2C: an email matching exactly one Contact links it and its Account; none or several leave both blank
    (salesforce-rules-mail-web.md §2). Only where the schema has Contacts."""
    email = values.get("SuppliedEmail")
    schema = service.store.schema
    if not email or schema.get("Contact") is None or schema.require("Case").field("ContactId") is None:
        return
    found = service.store.find("Contact", {"Email": email})
    if len(found) == 1:
        values["ContactId"] = found[0]["Id"]
        if schema.require("Case").field("AccountId") is not None:
            values["AccountId"] = found[0].get("AccountId")


@dataclass(frozen=True)
class Outcome:
    """What became of one post: `status` is created | failed | pending | rejected | captcha; `reason` says
    why nothing was created (a failed save's error message)."""

    status: str
    record_id: str | None = None
    reason: str = ""


def _create(service: RecordService, sobject_name: str, form: list[tuple[str, str]]) -> Outcome:
    sobject = service.store.schema.require(sobject_name)  # the org's own: custom fields posted by API name
    values = form_values(sobject, form)
    org = service.store.org
    if sobject_name == "Case":
        values["Origin"] = org.web_to_case_origin
        _matched_contact(service, values)
        template = org.web_to_case_response_template_id
    else:
        template = org.web_to_lead_response_template_id
    try:
        with service.store.savepoint():
            result = service.submit(RecordInput(sobject_name, values), response=AutoResponse(template))
    except SalesforceError as exc:
        # Validation failed: nothing is created and the browser is told nothing.
        return Outcome("failed", reason=exc.message)
    return Outcome("created", result.id)


def _limit_mail(service: RecordService, sobject_name: str, form: list[tuple[str, str]],
                rejected: bool) -> None:
    org = service.store.org
    owner = org.web_to_lead_creator_id if sobject_name == "Lead" else org.default_case_owner_id
    addresses = recipients(service.store, owner)[0] if owner else []
    kind = _KIND[sobject_name]
    # The mail's wording is UNCONFIRMED (KB 000382807 says only that it carries the record's data).
    subject = (f"{kind} request rejected: the pending request queue is full" if rejected
               else f"{kind} daily limit exceeded: your request has been queued")
    body = "\n".join(f"{key}: {value}" for key, value in form if key not in CONTROL)
    for address in addresses:
        service.store.add_mail(MailMessage(address, subject, body, None, "", sobject_name, WEB_LIMIT,
                                           service.api))


def _under_limit(service: RecordService, sobject_name: str, now: datetime) -> bool:
    return service.store.count_web_submissions(sobject_name, now - _DAY) < DAILY_LIMITS[sobject_name]


def drain(service: RecordService, now: datetime) -> None:
    """Creates queued submissions, oldest first, while their object's limit allows ("queued leads go before
    new ones"); each counts against the day it is created."""
    for item in service.store.web_submissions("pending"):
        if _under_limit(service, item["sobject"], now):
            form = [tuple(pair) for pair in json.loads(item["form"])]
            done = _create(service, item["sobject"], form)
            service.store.finish_web_submission(item["id"], done.status, done.record_id, now)


def _recaptcha_missing(service: RecordService, sobject_name: str, form: list[tuple[str, str]]) -> bool:
    """"Require reCAPTCHA Verification" (WebToXSettings.webToLeadSpamFilter / webToCaseSpamFilter) is on and
    the post has no token: Salesforce drops it silently (salesforce-wordpress-to-lead #107; the exact check is
    UNCONFIRMED). sfmock cannot ask Google, so any non-blank `g-recaptcha-response` counts as verified."""
    org = service.store.org
    required = org.web_to_lead_recaptcha if sobject_name == "Lead" else org.web_to_case_recaptcha
    return required and not any(k == "g-recaptcha-response" and v.strip() for k, v in form)


def _admit(service: RecordService, sobject_name: str, form: list[tuple[str, str]], now: datetime) -> Outcome:
    text = json.dumps(form)
    if _recaptcha_missing(service, sobject_name, form):
        # Kept out of the daily count and the pending queue: the post never passed verification.
        service.store.add_web_submission(sobject_name, "captcha", text, None, now)
        return Outcome("captcha", reason="reCAPTCHA verification failed: no g-recaptcha-response")
    if not _under_limit(service, sobject_name, now):
        if len(service.store.web_submissions("pending")) >= QUEUE_LIMIT:
            if len(service.store.web_submissions("rejected")) < REJECTION_MAILS:
                _limit_mail(service, sobject_name, form, rejected=True)
            service.store.add_web_submission(sobject_name, "rejected", text, None, now)
            return Outcome("rejected", reason="the pending request queue is full")
        service.store.add_web_submission(sobject_name, "pending", text, None, now)
        _limit_mail(service, sobject_name, form, rejected=False)
        return Outcome("pending", reason="the daily limit is reached: the request is queued")
    done = _create(service, sobject_name, form)
    service.store.add_web_submission(sobject_name, done.status, text, done.record_id, now)
    return done


def _debug_mail(service: RecordService, sobject_name: str, form: list[tuple[str, str]], done: Outcome
                ) -> None:
    """`debug=1` with `debugEmail`: the address "receives debug info by mail" (the generated form's optional
    debugging elements, salesforce-rules-mail-web.md §1). The mail's wording is UNCONFIRMED; a save that fails
    is worded as the failure mail of KB 000387310."""
    first = dict(reversed(form))
    address = (first.get("debugEmail") or "").strip()
    if first.get("debug") != "1" or "@" not in address:
        return
    noun = "lead" if sobject_name == "Lead" else "case"
    if done.status == "created":
        summary = f"Salesforce created this {noun}: {done.record_id}"
    else:
        summary = (f"Salesforce could not create this {noun} because of the reason below.\n"
                   f"Reason: {done.reason}")
    body = "\n".join([summary, "", *(f"{key}: {value}" for key, value in form)])
    service.store.add_mail(MailMessage(address, f"{_KIND[sobject_name]} debug: {done.status}", body, None,
                                       done.record_id or "", sobject_name, WEB_DEBUG, service.api))


def receive(service: RecordService, sobject_name: str, form: list[tuple[str, str]], now: datetime) -> Outcome:
    """One form post: created, or why not (invalid, queued, rejected, or refused for want of reCAPTCHA)."""
    drain(service, now)
    done = _admit(service, sobject_name, form, now)
    _debug_mail(service, sobject_name, form, done)
    return done
