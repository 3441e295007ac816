"""What one SOAP call carries through spyne (as MethodContext.udc): where it came from and what it asked."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sfmock import calls
from sfmock.soap.family import PARTNER, Family
from sfmock.soap.headers import CallHeaders


@dataclass
class SoapContext:
    settings: Any
    db: Any
    version: str
    # Base URL of this server as the client sees it (settings.public_url, else scheme://Host).
    base_url: str
    caller_ip: str | None = None
    headers: CallHeaders = field(default_factory=CallHeaders)
    # (current, limit) API requests once the call is authenticated: the response's LimitInfoHeader.
    usage: tuple[int, int] | None = None
    # The exception the operation raised (kept here so spyne never logs expected faults).
    error: BaseException | None = None
    # The SOQL text of a query call, for the caret excerpt of MALFORMED_QUERY faults.
    soql: str | None = None
    # The operation (Body's first element), for the request journal.
    operation: str = ""
    # Partner (/services/Soap/u) or Enterprise (/services/Soap/c).
    family: Family = PARTNER

    @property
    def api_version(self) -> float:
        return float(self.version)

    @contextmanager
    def call(self, sobject: str | None = None) -> Iterator[calls.ApiCall]:
        """The unit of work for the SessionHeader's session (sfmock.calls.api_call): INVALID_SESSION_ID when
        it is missing or unknown, commit on success, roll back on any exception. `sobject` (as sent) lets a
        fault rule armed for one object take the call."""
        with calls.api_call(self.db, self.headers.session_id, api="soap", link_base=self.base_url,
                            request_limit=self.settings.api_request_limit,
                            write=self.operation in calls.WRITES, operation=self.operation,
                            sobject=sobject) as call:
            self.usage = call.usage
            call.journal.operation = self.operation
            email = self.headers.email
            # EmailHeader as sent (all three flags; only triggerUserEmail acts today), None when absent.
            call.journal.email = None if "EmailHeader" not in self.headers.raw else {
                "triggerAutoResponseEmail": email.trigger_auto_response_email,
                "triggerOtherEmail": email.trigger_other_email,
                "triggerUserEmail": email.trigger_user_email}
            yield call

    def note(self, call: calls.ApiCall, sobject: str | None = None, results: list | None = None, *,
             assigns: bool = False) -> None:
        """Notes the call's object, per-record results and (writes) assignment option in the journal."""
        entry = call.journal
        entry.sobject = sobject
        if assigns:
            option = self.headers.assignment
            # As it arrived: null without AssignmentRuleHeader, "none" for useDefaultRule=false.
            entry.assignment = None if "AssignmentRuleHeader" not in self.headers.raw else \
                {"none": "none", "active": "default"}.get(option.mode, option.rule_id)
        if results is not None:
            entry.note_results(results)
