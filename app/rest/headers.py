"""The REST request headers sfmock reads, turned into plain values for the core."""
from __future__ import annotations

import re
from collections.abc import Mapping

from sfmock.core.assignment import check_option
from sfmock.core.errors import CallError
from sfmock.core.options import ACTIVE_RULE, ACTIVE_RULE_OR_DEFAULT_OWNER, NO_ASSIGNMENT, Assignment
from sfmock.soql.engine import clamp_batch

_ID = re.compile(r"^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$")


def auto_assign(headers: Mapping[str, str], *, update: bool = False) -> Assignment:
    """Sforce-Auto-Assign (REST API guide, "Assignment Rule Header"): TRUE/FALSE in any case, or the Id of an
    AssignmentRule; "If the header is not provided in the request, the default value is TRUE".

    Created records (`update=False`): TRUE runs the active rule; a record matching no entry goes to the
    default owner, and KB 000395506: a REST-created Case goes to the Default Case Owner even when no rule is
    active. A rule id runs that rule.
    Updated records (`update=True`): TRUE "Active assignment rules are applied for created/updated Account,
    Case, or Lead objects", so the active rule runs again, but KB 000395506 speaks only of created Cases: with
    no active rule the owner stays. A rule id: "The specified assignment rule is applied for created Case or
    Lead objects" names created records only, so on an update no rule runs [UNCONFIRMED: inferred from the
    guide's wording]; the id must still be well formed (MALFORMED_ID, as on a create)."""
    raw = headers.get("sforce-auto-assign")
    if raw is None or raw.strip().lower() == "true":
        return ACTIVE_RULE if update else ACTIVE_RULE_OR_DEFAULT_OWNER
    value = raw.strip()
    if value.lower() == "false":
        return NO_ASSIGNMENT
    if _ID.match(value):
        # The core checks that it is a well-formed AssignmentRule id (01Q) of the record's object.
        if update:
            check_option(Assignment.by_rule(value))
            return NO_ASSIGNMENT
        return Assignment.by_rule(value)
    # [UNCONFIRMED] what Salesforce answers to a value that is neither a boolean nor an id; an id-shaped
    # check in the core would say MALFORMED_ID, so say it here too.
    raise CallError("MALFORMED_ID", f"Invalid id: {value}")


def batch_size(headers: Mapping[str, str]) -> int:
    """Sforce-Query-Options: batchSize=n (REST API "Query Options Header"): default 2,000, minimum 200,
    maximum 2,000; Salesforce does not promise the exact size, so out-of-range values are clamped exactly as
    SOAP's QueryOptions.batchSize is (sfmock.soql.engine.clamp_batch; 0 means the default)."""
    raw = headers.get("sforce-query-options", "")
    for part in raw.split(","):
        name, _, value = part.partition("=")
        if name.strip().lower() == "batchsize":
            try:
                number = int(value.strip())
            except ValueError:
                raise CallError("INVALID_BATCH_SIZE", f"Invalid batch size: {value.strip()}") from None
            return clamp_batch(number)
    return clamp_batch(None)


def bearer_token(headers: Mapping[str, str]) -> str | None:
    """The token of `Authorization: Bearer <token>` (an OAuth access token or a SOAP sessionId); the older
    `OAuth <token>` scheme is accepted too."""
    raw = headers.get("authorization", "").strip()
    scheme, _, token = raw.partition(" ")
    if scheme.lower() in ("bearer", "oauth") and token.strip():
        return token.strip()
    return None


def limit_info(usage: tuple[int, int]) -> str:
    """Sforce-Limit-Info (REST API "Limit Info Header"), e.g. `api-usage=18/5000`."""
    current, limit = usage
    return f"api-usage={current}/{limit}"
