"""Classic email template merge fields: `{!Lead.Name}`, substitute text and BLANKVALUE, rendered as text."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# Help "Use the Salesforce Merge Language in Classic Email Templates" (salesforce-rules-mail-web.md §6).
_MERGE = re.compile(r"\{!([^{}]*)\}")
_FIELD = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)\s*$")
_BLANKVALUE = re.compile(
    r"""^\s*BLANKVALUE\s*\(\s*([A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*)\s*,\s*
        (?:"([^"]*)"|'([^']*)')\s*\)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def format_value(value: Any) -> str:
    """A field value as text. Salesforce formats numbers and dates in the recipient's locale; with no
    locale here we use plain forms: 1000 (a whole number loses its .0), 12.5, true/false, ISO dates and
    UTC datetimes as 2024-01-31T10:00:00Z."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")  # no exponent: 1e-05 -> 0.00001
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return str(value.isoformat(timespec="seconds")) + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _lookup(index: Mapping[str, Mapping[str, Any]], reference: str) -> str:
    m = _FIELD.match(reference)
    if m is None:
        return ""
    fields = index.get(m.group(1).lower())
    if fields is None:
        return ""
    return format_value(fields.get(m.group(2).lower()))


def _evaluate(expression: str, index: Mapping[str, Mapping[str, Any]]) -> str:
    blank = _BLANKVALUE.match(expression)
    if blank:
        value = _lookup(index, blank.group(1))
        return value if value != "" else (blank.group(2) if blank.group(2) is not None else blank.group(3))
    reference, comma, substitute = expression.partition(",")
    if comma and _FIELD.match(reference):
        # Substitute text: `{!Contact.FirstName, Valued Customer}`, saved by Classic as BLANKVALUE(...).
        value = _lookup(index, reference)
        return value if value != "" else substitute.strip()
    # Unknown objects, fields and functions (IF, Receiving_User.*) render empty rather than failing the mail.
    return _lookup(index, expression)


def render(text: str | None, merge: Mapping[str, Mapping[str, Any]]) -> str:
    """`text` with every `{!...}` merge field replaced; object and field names are case-insensitive."""
    if not text:
        return ""
    index = {
        obj.lower(): {name.lower(): value for name, value in fields.items()} for obj, fields in merge.items()
    }
    return _MERGE.sub(lambda m: _evaluate(m.group(1), index), text)


def merge_context(
    sobject_name: str, record: Mapping[str, Any], *, owner_name: str, org_name: str, link: str
) -> dict[str, dict[str, Any]]:
    """The merge data of a notification: the record (plus OwnerFullName and Link) and the Organization."""
    # {!Case.OwnerFullName} is documented; {!Lead.OwnerFullName} is assumed by analogy (UNCONFIRMED, §6).
    fields = {**record, "OwnerFullName": owner_name, "Link": link}
    return {sobject_name: fields, "Organization": {"Name": org_name}}
