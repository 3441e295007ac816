"""Values on the SOAP wire: core Python values as Partner API text, and request text as booleans/ints."""
from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sfmock.soap.faults import client_fault
from sfmock.soap.xmltext import xml_text

_DOUBLE_TYPES = frozenset({"double", "currency", "percent"})


def java_double(value: float) -> str:
    """xsd:double as Salesforce writes it, i.e. Java's Double.toString: plain decimal with at least one
    fraction digit for 1e-3 <= |x| < 1e7, else d.dddE<n> ("2.0E7"). Seen in Partner API data
    (forcedotcom/dataloader issues #161 "80,000,000.00 -> 8.0E7" and #1204 "9.9213206E7", "1.15056052E8",
    "9.0E7")."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        return repr(float(value))  # Python's shortest repr is plain decimal in this range, "100.0" style
    sign, digits, exponent = Decimal(repr(float(value))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) - 1 + int(exponent)
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{power}"


def datetime_text(value: datetime) -> str:
    """2024-01-31T10:00:00.000Z: UTC with milliseconds, as Salesforce writes xsd:dateTime."""
    value = value.astimezone(UTC) if value.tzinfo else value
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def text(value: Any, field_type: str | None = None) -> str:
    """The wire text of a non-null value; `field_type` (the schema's type) picks double formatting for
    numbers the core may hold as int."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if field_type in _DOUBLE_TYPES and isinstance(value, int | float | Decimal):
        return java_double(float(value))
    if isinstance(value, float):
        return str(int(value)) if field_type == "int" and value.is_integer() else java_double(value)
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return xml_text(str(value))


def parse_boolean(raw: str, element: str) -> bool:
    """xsd:boolean: true/false/1/0 (zeep and hand-written clients send either form)."""
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    # The exact text Salesforce's deserializer sends is [UNCONFIRMED]; soapenv:Client is SOAP's fault class.
    raise client_fault(f"Unable to parse value '{raw.strip()}' of element '{element}' as xsd:boolean")


def parse_int(raw: str, element: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        message = f"Unable to parse value '{raw.strip()}' of element '{element}' as xsd:int"
        raise client_fault(message) from None
