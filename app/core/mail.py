"""A message that would be sent: what the outbox (mail log) records."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailMessage:
    recipient: str
    subject: str
    body: str
    template_name: str | None
    record_id: str
    record_type: str
    reason: str  # "assignment" | "default_owner"
    api: str  # the door the call came through: "soap" | "rest"
    cc: str | None = None
