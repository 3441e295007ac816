"""Salesforce ids: 15 case-sensitive characters plus a 3-character case-safe suffix (Salesforce API docs, "ID
Field Type").

Layout used here (Salesforce does not document its own beyond the 3-char key prefix):
key prefix (3) + org number (3, base 62) + record number (9, base 62), so an id is unique in the whole
database and increases within an org.
"""
from __future__ import annotations

import re

_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ALNUM15 = re.compile(r"^[a-zA-Z0-9]{15}$")
_ALNUM18 = re.compile(r"^[a-zA-Z0-9]{18}$")


def suffix(id15: str) -> str:
    """The checksum: per 5-char chunk, bit i set when char i is upper case, indexing A-Z0-5."""
    out = []
    for start in (0, 5, 10):
        bits = sum(1 << i for i, c in enumerate(id15[start : start + 5]) if "A" <= c <= "Z")
        out.append(_SUFFIX[bits])
    return "".join(out)


def to18(id15: str) -> str:
    return id15 + suffix(id15)


def base62(number: int, width: int) -> str:
    if number < 0 or number >= 62**width:
        raise OverflowError(f"{number} does not fit in {width} base-62 digits")
    digits = []
    for _ in range(width):
        number, rem = divmod(number, 62)
        digits.append(_BASE62[rem])
    return "".join(reversed(digits))


def make_id(prefix: str, org_number: int, record_number: int) -> str:
    """An 18-char id: prefix + org number + record number, with its suffix."""
    return to18(prefix + base62(org_number, 3) + base62(record_number, 9))


def canonical(value: str) -> str | None:
    """The 18-char form of a 15- or 18-char id, or None if it is no well-formed id.

    A 15-char id is taken exactly (it is case-sensitive); an 18-char id may arrive in any case, so its
    suffix restores the case of the first 15 characters."""
    if not isinstance(value, str):
        return None
    if _ALNUM15.match(value):
        return to18(value)
    if not _ALNUM18.match(value):
        return None
    chars = list(value[:15])
    for chunk, code in enumerate(value[15:].upper()):
        bits = _SUFFIX.find(code)
        if bits < 0:
            return None
        for i in range(5):
            pos = chunk * 5 + i
            chars[pos] = chars[pos].upper() if bits & (1 << i) else chars[pos].lower()
    id15 = "".join(chars)
    # Upper-case flags on digits are impossible: such an 18-char id is malformed.
    if suffix(id15) != value[15:].upper():
        return None
    return to18(id15)


def org_number(any_id: str) -> int:
    """The org number encoded in one of our ids (characters 4-6)."""
    n = 0
    for c in any_id[3:6]:
        n = n * 62 + _BASE62.index(c)
    return n
