"""A message that would be sent: what the outbox (mail log) records."""
from __future__ import annotations

from dataclasses import dataclass

# What kind of mail a row is (MailMessage.reason).
ASSIGNMENT = "assignment"  # the matched rule entry's template, to the new owner
DEFAULT_OWNER = "default_owner"  # no entry matched: "Notify Default Lead/Case Owner"
# an auto-response rule's (or the Web-to-X default) template, to the submitter
AUTO_RESPONSE = "auto_response"
LEAD_CONVERSION = "lead_conversion"  # convertLead's sendNotificationEmail, to the new owner
WEB_LIMIT = "web_limit"  # over the Web-to-Lead/Case daily limit: the form data to the default creator/owner
WEB_DEBUG = "web_debug"  # a web form post with debug=1 and debugEmail: what became of it, to that address


@dataclass(frozen=True)
class MailMessage:
    recipient: str
    subject: str
    body: str
    template_name: str | None
    record_id: str
    record_type: str
    reason: str  # one of the kinds above
    api: str  # the door the call came through: "soap" | "rest" | "web" | "email"
    cc: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    reply_to: str | None = None
