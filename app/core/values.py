"""Converting a raw value (text from SOAP, JSON from REST) to the Python value of a field's type."""
from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

from sfmock.core import ids
from sfmock.core.errors import RecordError
from sfmock.core.schema import FieldDef

_TRUE = {"true", "1"}
_FALSE = {"false", "0"}
# Salesforce accepts most syntactically plausible addresses; this refuses the clearly broken ones.
_INT = re.compile(r"^\s*[+-]?\d+\s*$")
# NUL (no Salesforce wire format carries it; PostgreSQL text refuses it) and lone UTF-16 surrogates (a JSON
# "\ud800" escape: no UTF-8 text, so no database column, can hold one).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_EMAIL = re.compile(r"^[^@\s,;<>()\[\]\\\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


def storable(text: str) -> bool:
    """Whether any stored text could equal `text`: a lookup by an unstorable one finds nothing, without asking
    the database (PostgreSQL refuses NUL in a text parameter outright)."""
    return _UNSTORABLE.search(text) is None


def _type_error(field: FieldDef, value: Any) -> RecordError:
    # Salesforce: "<label>: value not of required type: <value>" (INVALID_TYPE_ON_FIELD_IN_RECORD).
    return RecordError("INVALID_TYPE_ON_FIELD_IN_RECORD",
                       f"{field.label}: value not of required type: {value}",
                       [field.name])


def _out_of_range(field: FieldDef, value: Any) -> RecordError:
    return RecordError("NUMBER_OUTSIDE_VALID_RANGE",
                       f"{field.label}: value outside of valid range on numeric field: {value}", [field.name])


def _number(field: FieldDef, value: Any) -> float | int:
    """A number of the field's type within its precision: at most precision - scale digits before the
    point."""
    if isinstance(value, bool):
        raise _type_error(field, value)
    try:
        if field.type == "int":
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int) and not (isinstance(value, str) and _INT.match(value)):
                raise _type_error(field, value)
            number: float | int = int(value)
        else:
            number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise _type_error(field, value) from None
    if isinstance(number, float) and not math.isfinite(number):
        raise _type_error(field, value)
    digits = (field.precision - field.scale) if field.precision else 18
    if abs(number) >= 10**digits:
        raise _out_of_range(field, value)
    return number


def parse_datetime(text: str) -> datetime:
    value = text.strip().replace("Z", "+00:00")
    # Salesforce writes offsets without a colon (+0000); fromisoformat wants +00:00.
    value = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", value)
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def coerce(field: FieldDef, value: Any) -> Any:
    """The value converted to the field's type, or a RecordError with Salesforce's code."""
    if value is None:
        return None
    kind = field.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _type_error(field, value)
    if kind in ("double", "currency", "percent", "int"):
        return _number(field, value)
    if kind == "date":
        try:
            return value if isinstance(value, date) and not isinstance(value, datetime) else \
                date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            raise _type_error(field, value) from None
    if kind == "datetime":
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        try:
            return parse_datetime(str(value))
        except (ValueError, OverflowError):
            raise _type_error(field, value) from None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _type_error(field, value)
    text = str(value)
    if _UNSTORABLE.search(text):
        # Refused as a bad value [UNCONFIRMED: Salesforce's answer]; echoed as \uXXXX escapes, never raw.
        raise _type_error(field, _UNSTORABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
    if text == "":
        return None  # Salesforce stores an empty text value as null.
    if kind in ("id", "reference"):
        found = ids.canonical(text)
        if found is None:
            raise RecordError("MALFORMED_ID", f"{field.label}: id value of incorrect type: {text}",
                              [field.name])
        return found
    if field.length and len(text) > field.length:
        raise RecordError("STRING_TOO_LONG",
                          f"{field.label}: data value too large: {text} (max length={field.length})",
                          [field.name])
    if kind == "email" and not _EMAIL.match(text):
        raise RecordError("INVALID_EMAIL_ADDRESS", f"{field.label}: invalid email address: {text}",
                          [field.name])
    if kind == "multipicklist" and field.restricted_picklist and any(
            part not in field.picklist for part in text.split(";")):
        raise RecordError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                          f"{field.label}: bad value for restricted picklist field: {text}", [field.name])
    if kind == "picklist" and field.restricted_picklist and text not in field.picklist:
        raise RecordError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                          f"{field.label}: bad value for restricted picklist field: {text}", [field.name])
    return text
