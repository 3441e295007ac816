"""Custom field ids (CustomField, key prefix 00N): stable for a field of an org across reloads and reinstalls.

Salesforce gives every custom field an 18-char id (Tooling API "CustomField": `Id` 00N...). Its generated
Web-to-Lead and Web-to-Case forms post custom fields under the 15-char form (`name="00N5e00000D7iHN"`,
salesforce-rules-mail-web.md §1-2), so a form written against one load of an org must still work after the
next. The id is derived, not counted: the org's number (as in every id here, app/core/ids.py) and a digest of
`Object.Field`, so nothing has to be stored and no org needs migrating.
"""
from __future__ import annotations

import hashlib

from sfmock.core import ids

PREFIX = "00N"
_SPACE = 62**9  # the record-number part of an id (app/core/ids.py)


def _number(sobject: str, field: str) -> int:
    digest = hashlib.blake2b(f"{sobject}.{field}".lower().encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % _SPACE


def assign(org_id: str | None, names: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(object, field) -> the field's 18-char id, for an org's custom fields; the org id None (an org being
    checked before it is installed) stands for org number 0. Two names with the same digest take the next free
    number, in name order, so the ids stay distinct and still do not depend on load order."""
    org_number = ids.org_number(org_id) if org_id else 0
    taken: set[int] = set()
    out: dict[tuple[str, str], str] = {}
    for sobject, field in sorted(names, key=lambda n: (n[0].lower(), n[1].lower())):
        number = _number(sobject, field)
        while number in taken:
            number = (number + 1) % _SPACE
        taken.add(number)
        out[(sobject, field)] = ids.make_id(PREFIX, org_number, number)
    return out
