"""convertLead(): a Lead becomes an Account, a Contact and (optionally) an Opportunity (SOAP API
"convertLead()", Apex "Database.convertLead").

Per LeadConvert: convertedStatus must be a converted Lead Status; accountId names an existing Account (else
one is created from Company); contactId needs accountId and must belong to it (else a Contact is created);
fields of an existing Account or Contact are only filled where empty, except LeadSource with
overwriteLeadSource; an Opportunity (named opportunityName, else Company) unless doNotCreateOpportunity; the
owner is ownerId, else the lead's owner (required when a queue owns the lead). The lead then has IsConverted,
Status = convertedStatus and its Converted* fields. sendNotificationEmail writes the notice to the new owner
into the outbox.

Account and Contact come with the org's schema; an org schema without them fails the call as Salesforce fails
for an unknown type. Opportunity is created only when the org's schema holds it.
Every LeadConvert runs in its own savepoint: one that fails leaves nothing behind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sfmock.core.errors import CallError, RecordError, SalesforceError, invalid_type
from sfmock.core.mail import LEAD_CONVERSION, MailMessage
from sfmock.core.results import RecordInput

MAX_CONVERTS = 200  # [UNCONFIRMED] for SOAP; Apex advises at most 100
# The converted statuses are the LeadStatus values flagged `converted` in the org's standard value set (the
# schema's `converted`; by default only "Closed - Converted", object reference, LeadStatus).
# Lead field -> (Account field, Contact field, Opportunity field): the standard lead field mapping.
_MAPPING = {
    "Company": ("Name", None, None), "Phone": ("Phone", "Phone", None), "Website": ("Website", None, None),
    "Industry": ("Industry", None, None), "AnnualRevenue": ("AnnualRevenue", None, None),
    "NumberOfEmployees": ("NumberOfEmployees", None, None),
    "Street": ("BillingStreet", "MailingStreet", None),
    "City": ("BillingCity", "MailingCity", None), "State": ("BillingState", "MailingState", None),
    "PostalCode": ("BillingPostalCode", "MailingPostalCode", None),
    "Country": ("BillingCountry", "MailingCountry", None), "FirstName": (None, "FirstName", None),
    "LastName": (None, "LastName", None), "Salutation": (None, "Salutation", None),
    "Title": (None, "Title", None),
    "Email": (None, "Email", None), "MobilePhone": (None, "MobilePhone", None),
    "LeadSource": ("AccountSource", "LeadSource", "LeadSource"), "Description": (None, "Description", None),
}


@dataclass
class LeadConvert:
    lead_id: str | None
    converted_status: str | None
    do_not_create_opportunity: bool = False
    overwrite_lead_source: bool = False
    send_notification_email: bool = False
    account_id: str | None = None
    contact_id: str | None = None
    opportunity_name: str | None = None
    owner_id: str | None = None


@dataclass
class ConvertResult:
    lead_id: str | None
    success: bool
    errors: list[SalesforceError] = field(default_factory=list)
    account_id: str | None = None
    contact_id: str | None = None
    opportunity_id: str | None = None


def convert(service: Any, converts: list[LeadConvert]) -> list[ConvertResult]:
    if len(converts) > MAX_CONVERTS:
        raise CallError("EXCEEDED_ID_LIMIT", f"record limit reached. cannot submit more than {MAX_CONVERTS} "
                        "records into this call")
    for needed in ("Account", "Contact"):
        if converts and service.store.schema.get(needed) is None:
            raise invalid_type(needed)
    out: list[ConvertResult] = []
    for request in converts:
        try:
            with service.store.savepoint():
                out.append(_one(service, request))
        except RecordError as error:
            out.append(ConvertResult(request.lead_id, False, [error]))
    return out


def _mapped(service: Any, lead: dict[str, Any], target: str, slot: int) -> dict[str, Any]:
    obj = service.store.schema.get(target)
    values = {}
    for source, targets in _MAPPING.items():
        name = targets[slot]
        if name and obj is not None and obj.field(name) is not None and lead.get(source) not in (None, ""):
            values[name] = lead[source]
    return values


def _create(service: Any, sobject: str, values: dict[str, Any]) -> str:
    [result] = service.create([RecordInput(sobject, values)])
    if not result.success:
        raise result.errors[0]
    return str(result.id)


def _fill(service: Any, sobject: str, record_id: str, values: dict[str, Any],
          overwrite: tuple[str, ...]) -> None:
    """An existing record gets the lead's values only where it has none (and `overwrite` fields always)."""
    row = service._existing(service.store.schema.get(sobject), record_id)
    changes = {k: v for k, v in values.items() if row.get(k) in (None, "") or k in overwrite}
    if changes:
        service.store.update(sobject, record_id, changes | service._stamp(modified_only=True))


def _one(service: Any, request: LeadConvert) -> ConvertResult:
    schema = service.store.schema
    lead_obj = schema.get("Lead")
    lead_id = service._parse_id(request.lead_id)
    lead = service._existing(lead_obj, lead_id)
    if lead.get("IsConverted"):
        raise RecordError("CANNOT_UPDATE_CONVERTED_LEAD", "cannot reference converted lead")
    if request.converted_status not in schema.converted:
        # [UNCONFIRMED] text; the code is the one the convertLead() doc lists.
        raise RecordError("INVALID_STATUS", f"invalid convertedStatus: {request.converted_status}",
                          ["convertedStatus"])
    owner = request.owner_id or lead.get("OwnerId")
    if not owner or not str(owner).startswith("005"):
        # A queue cannot own the new records: ownerId is required then (convertLead() doc).
        raise RecordError("REQUIRED_FIELD_MISSING", "Required fields are missing: [ownerId]", ["ownerId"])
    lead_source = ("AccountSource", "LeadSource") if request.overwrite_lead_source else ()
    if request.account_id:
        account_id = service._parse_id(request.account_id)
        _fill(service, "Account", account_id, _mapped(service, lead, "Account", 0), lead_source)
    else:
        if request.contact_id:
            raise RecordError("REQUIRED_FIELD_MISSING", "Required fields are missing: [accountId]",
                              ["accountId"])
        account_id = _create(service, "Account", _mapped(service, lead, "Account", 0) | {"OwnerId": owner})
    if request.contact_id:
        contact_id = service._parse_id(request.contact_id)
        contact = service._existing(schema.get("Contact"), contact_id)
        if contact.get("AccountId") != account_id:
            raise RecordError("INVALID_CROSS_REFERENCE_KEY", "The contact does not belong to the account",
                              ["contactId"])  # [UNCONFIRMED] text
        _fill(service, "Contact", contact_id, _mapped(service, lead, "Contact", 1), lead_source)
    else:
        contact_id = _create(service, "Contact", _mapped(service, lead, "Contact", 1)
                             | {"AccountId": account_id, "OwnerId": owner})
    opportunity_id = None
    if not request.do_not_create_opportunity and schema.get("Opportunity") is not None:
        close = (service.clock() + timedelta(days=30)).date()
        opportunity_id = _create(service, "Opportunity", _mapped(service, lead, "Opportunity", 2) | {
            "Name": request.opportunity_name or lead.get("Company"), "AccountId": account_id,
            "OwnerId": owner,
            "StageName": "Prospecting", "CloseDate": close})
    done = {"Status": request.converted_status, "IsConverted": True, "ConvertedDate": service.clock().date(),
            "ConvertedAccountId": account_id, "ConvertedContactId": contact_id,
            "ConvertedOpportunityId": opportunity_id, "OwnerId": owner}
    service.store.update("Lead", lead_id, {k: v for k, v in done.items() if lead_obj.field(k) is not None}
                         | service._stamp(modified_only=True))
    if request.send_notification_email:
        _notify(service, lead, owner, account_id)
    return ConvertResult(lead_id, True, [], account_id, contact_id, opportunity_id)


def _notify(service: Any, lead: dict[str, Any], owner_id: str, account_id: str) -> None:
    """The converted lead's notice to the new owner [wording UNCONFIRMED: Salesforce documents that the owner
    is notified, not the text]."""
    user = service.store.get("User", owner_id)
    if not user or not user.get("Email"):
        return
    name = " ".join(p for p in (lead.get("FirstName"), lead.get("LastName")) if p)
    link = f"{service.link_base}/{account_id}" if service.link_base else account_id
    service.store.add_mail(MailMessage(
        recipient=user["Email"], subject=f"Lead converted: {name}, {lead.get('Company')}",
        body=f"The lead {name} ({lead.get('Company')}) has been converted and assigned to you.\n\n{link}",
        template_name=None, record_id=lead["Id"], record_type="Lead", reason=LEAD_CONVERSION,
        api=service.api))
