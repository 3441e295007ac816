"""Auto-response rules: the first matching entry of the active Lead or Case rule mails the submitter.

Help "Set Up Auto-Response Rules" (salesforce-rules-mail-web.md §3): entries are evaluated in order and
processing stops at the first match; one mail is sent with that entry's template, sender name and address and
reply-to. Nothing matches: the Web-to-Lead / Web-to-Case default response template, when the caller has one
(web forms only); otherwise nothing. The recipient is Lead.Email, or for a Case the Contact's email, else
SuppliedEmail (EmailHeader doc). Through the API they run only with EmailHeader.triggerAutoResponseEmail.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sfmock.core.formula import FormulaContext
from sfmock.core.mail import AUTO_RESPONSE, MailMessage
from sfmock.core.notifications import render_template
from sfmock.core.ports import Store
from sfmock.core.rules.engine import first_match
from sfmock.core.schema import SObjectDef

RESPONDING = frozenset({"Lead", "Case"})


@dataclass(frozen=True)
class AutoResponse:
    """Run the auto-response rule: `default_template_id` when no entry matches (Web-to-Lead / Web-to-Case
    Default Response Template), `cc` the incoming message's Cc line (for notifyCcRecipients)."""

    default_template_id: str | None = None
    cc: str | None = None


def recipient(store: Store, sobject: str, record: dict[str, Any]) -> str | None:
    if sobject == "Lead":
        return record.get("Email") or None
    contact_id = record.get("ContactId")
    if contact_id:
        contact = store.get("Contact", contact_id)
        if contact and contact.get("Email"):
            return str(contact["Email"])
    return record.get("SuppliedEmail") or None


def auto_response(store: Store, *, sobject: SObjectDef, record: dict[str, Any], api: str,
                  context: FormulaContext | None = None, default_template_id: str | None = None,
                  cc: str | None = None, link_base: str = "") -> MailMessage | None:
    """The one auto-response mail for a new record, or None. `cc`: the incoming mail's Cc line, copied onto
    the response when the entry has notifyCcRecipients (meta_autoresponserules, API >= 32.0)."""
    if sobject.name not in RESPONDING:
        return None
    address = recipient(store, sobject.name, record)
    if not address:
        return None
    rule = store.active_auto_response_rule(sobject.name)
    entry = first_match(rule, record, sobject, context, store.schema) if rule is not None else None
    template_id = entry.template_id if entry is not None else default_template_id
    if not template_id:
        return None
    rendered = render_template(store, sobject.name, record, template_id, link_base=link_base)
    if rendered is None:
        return None
    name, subject, body = rendered
    return MailMessage(
        recipient=address, subject=subject, body=body, template_name=name,
        record_id=str(record.get("Id") or ""),
        record_type=sobject.name, reason=AUTO_RESPONSE, api=api,
        cc=cc if entry is not None and entry.notify_cc_recipients and cc else None,
        sender_name=entry.sender_name if entry else None, sender_email=entry.sender_email if entry else None,
        reply_to=entry.reply_to_email if entry else None,
    )
