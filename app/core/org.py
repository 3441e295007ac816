"""An org's own settings: what Setup holds and metadata does not (default owners, notify flags, login
policy)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OrgSettings:
    org_id: str
    name: str
    # Lead Settings: Default Lead Owner (a User or Queue id) and "Notify Default Lead Owner".
    default_lead_owner_id: str | None = None
    notify_default_lead_owner: bool = False
    default_lead_owner_template_id: str | None = None
    # Support Settings: Default Case Owner and "Notify Default Case Owner" (caseAssignNotificationTemplate).
    default_case_owner_id: str | None = None
    notify_default_case_owner: bool = False
    default_case_owner_template_id: str | None = None
    lead_default_status: str = "Open - Not Contacted"
    require_security_token: bool = True
    # Login IP Ranges: callers from these addresses may log in without the security token.
    trusted_networks: tuple[str, ...] = ()
    instance_name: str = "SFMOCK1"
    # The org's time zone (IANA name): the days SOQL date literals (TODAY, LAST_N_DAYS:n …) stand for.
    time_zone: str = "UTC"

    # Web-to-Lead: the Default Lead Creator (CreatedById of web leads; mailed over the daily limit) and the
    # Default Response Template sent when no auto-response entry matches (salesforce-rules-mail-web.md §1).
    web_to_lead_creator_id: str | None = None
    web_to_lead_response_template_id: str | None = None
    # Support Settings: the Automated Case User (CaseSettings.defaultCaseUser), W2C's Default Response
    # Template and Case Origin (WebToCaseSettings), and the Email-to-Case routing addresses (lower case).
    automated_case_user_id: str | None = None
    web_to_case_response_template_id: str | None = None
    web_to_case_origin: str = "Web"
    email_to_case_addresses: tuple[str, ...] = ()
    # "Require reCAPTCHA Verification" of the W2L and W2C setup pages (WebToXSettings.webToLeadSpamFilter,
    # webToCaseSpamFilter): posts without a reCAPTCHA token are dropped.
    web_to_lead_recaptcha: bool = False
    web_to_case_recaptcha: bool = False

    def zone_of(self, user: Mapping[str, Any] | None) -> str:
        """The zone a user's SOQL reads (date literals, FORMAT(), convertTimezone()): the user's
        TimeZoneSidKey, else the org's default time zone (SOQL and SOSL Reference, "Date Formats and Date
        Literals": a literal's range follows the user sending the query; "convertTimezone()": converts to the
        user's time zone). The SOQL doors ask for the session's user, a Bulk query job for its creator."""
        return (user or {}).get("TimeZoneSidKey") or self.time_zone

    def default_owner(self, sobject: str) -> tuple[str | None, bool, str | None]:
        """(owner id, notify?, template id) of the Default Lead/Case Owner."""
        if sobject == "Lead":
            return (
                self.default_lead_owner_id,
                self.notify_default_lead_owner,
                self.default_lead_owner_template_id,
            )
        if sobject == "Case":
            return (
                self.default_case_owner_id,
                self.notify_default_case_owner,
                self.default_case_owner_template_id,
            )
        return None, False, None
