"""Criteria items (FilterItem: field, operation, value | valueField): checking them and matching a record."""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sfmock.core import ids
from sfmock.core.rules.model import CriteriaItem, RuleDefinitionError
from sfmock.core.schema.model import FieldDef, SObjectDef

# FilterItem.operation (Metadata API, FilterOperation enum).
OPERATIONS = frozenset({
    "equals", "notEqual", "lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual",
    "contains", "notContain", "startsWith", "includes", "excludes", "within",
})
ORDERING = frozenset({"lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual"})
# A comma list means "any of" except for these, which mean "none of" (Help "Filter Operators": "If evaluating
# more than one value, none of the specified values can exist on the record"); each is `not` of its partner.
_NEGATED = {"notEqual": "equals", "notContain": "contains", "excludes": "includes"}

# Which operations each kind of field accepts: our reading of Help "Filter Operators" and of SOQL's
# multi-select operators. Text ordering is alphabetical, case-insensitive (picklists too, not by value order).
_ORDERED = frozenset({"equals", "notEqual"}) | ORDERING
_ALLOWED = {
    "text": _ORDERED | {"contains", "notContain", "startsWith"},
    "multi": frozenset({"equals", "notEqual", "includes", "excludes"}),
    "boolean": frozenset({"equals", "notEqual"}),
    "number": _ORDERED,
    "date": _ORDERED,
    "datetime": _ORDERED,
}
_KINDS = {"multipicklist": "multi", "boolean": "boolean", "date": "date", "datetime": "datetime",
          "double": "number", "currency": "number", "percent": "number", "int": "number"}
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ONE_MICROSECOND = dt.timedelta(microseconds=1)


def kind_of(field: FieldDef) -> str:
    """text | multi | boolean | number | date | datetime: how values of this field compare."""
    return _KINDS.get(field.type, "text")


@dataclass(frozen=True)
class Span:
    """A datetime operand: [start, end). A date-only value on a datetime field is the whole UTC day, as
    report-style filters treat `CreatedDate equals 1/31/2024`; an exact instant is one microsecond wide."""

    start: dt.datetime
    end: dt.datetime


def resolve_field(name: str, sobject: SObjectDef) -> FieldDef:
    """The field `name` ("Country" or "Lead.Country") names on `sobject`; RuleDefinitionError if none."""
    local = name
    if "." in name:
        prefix, _, local = name.partition(".")
        # Real rule files write `Lead.Country`; other prefixes (Account.BillingCountry on a Case rule) name
        # related objects, which this mock does not follow.
        if prefix.lower() != sobject.name.lower() or "." in local:
            raise RuleDefinitionError(f"Unknown field '{name}' on {sobject.name}: related-object fields are "
                                      "not supported in rule criteria.")
    found = sobject.field(local)
    if found is None or found.hidden:
        raise RuleDefinitionError(f"Unknown field '{name}' on {sobject.name}.")
    return found


def split_values(value: str | None) -> list[str]:
    """A criteria value split on commas; a part in double quotes keeps its commas."""
    if value is None:
        return []
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _parse_date(text: str) -> dt.date:
    m = _US_DATE.match(text)
    try:
        if m:  # the en_US form Setup shows (M/D/YYYY)
            return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RuleDefinitionError(f"Invalid date: {text}") from None


def _utc(value: dt.datetime) -> dt.datetime:
    # Naive datetimes are taken as UTC: the API's dateTime values are UTC unless an offset says otherwise.
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _parse_span(text: str) -> Span:
    if "T" not in text.upper() and ":" not in text:
        day = _parse_date(text)
        start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        return Span(start, start + dt.timedelta(days=1))
    try:
        instant = _utc(dt.datetime.fromisoformat(text))
    except ValueError:
        raise RuleDefinitionError(f"Invalid date/time: {text}") from None
    return Span(instant, instant + _ONE_MICROSECOND)


def _parse_number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise RuleDefinitionError(f"Invalid number: {text}") from None
    if not math.isfinite(number):
        raise RuleDefinitionError(f"Invalid number: {text}")
    return number


def _parse_boolean(text: str) -> bool:
    # Checkbox criteria are written True/False (Help; real rule files), in any case.
    low = text.lower()
    if low not in ("true", "false"):
        raise RuleDefinitionError(f"Invalid checkbox value: {text} (use True or False)")
    return low == "true"


def _multi(text: str) -> frozenset[str]:
    return frozenset(p.strip().casefold() for p in text.split(";") if p.strip())


_PARSERS: dict[str, Callable[[str], Any]] = {
    "text": str, "multi": _multi, "boolean": _parse_boolean, "number": _parse_number, "date": _parse_date,
    "datetime": _parse_span}


@lru_cache(maxsize=4096)
def operands(value: str | None, kind: str) -> tuple[Any, ...]:
    """The parsed values of a criteria value for a field of this kind; () means blank."""
    return tuple(_PARSERS[kind](part) for part in split_values(value))


def _record_value(kind: str, raw: Any) -> Any:
    """A record's value brought to the kind's Python type; None when blank (text: "")."""
    if kind == "text":
        return "" if raw is None else str(raw)
    if kind == "multi":
        return _multi(raw) if isinstance(raw, str) else frozenset()
    if kind == "boolean":
        # A checkbox is never null in Salesforce: a missing value reads as False.
        return raw if isinstance(raw, bool) else (isinstance(raw, str) and raw.lower() in ("true", "1"))
    if raw is None or raw == "" or isinstance(raw, bool):
        return None
    try:
        if kind == "number":
            return float(raw)
        if kind == "date":
            if isinstance(raw, dt.datetime):
                return _utc(raw).date()
            return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))
        if isinstance(raw, dt.datetime):
            return _utc(raw)
        if isinstance(raw, dt.date):
            return dt.datetime(raw.year, raw.month, raw.day, tzinfo=dt.UTC)
        return _utc(dt.datetime.fromisoformat(str(raw)))
    except (TypeError, ValueError):
        return None  # an unreadable stored value matches nothing, like a null


def _as_operand(kind: str, value: Any) -> tuple[Any, ...]:
    """Another field's value (valueField) as operands; () when blank."""
    if value is None or value == "" or value == frozenset():
        return ()
    if kind == "datetime":
        return (Span(value, value + _ONE_MICROSECOND),)
    return (value,)


def _ids_equal(field: FieldDef, actual: str, wanted: str) -> bool:
    # Ids compare as ids (a 15-char value matches its 18-char form); Help: filters are case-insensitive,
    # but a 15-char id is case-sensitive, so ids never go through casefold.
    if field.type in ("id", "reference"):
        a, w = ids.canonical(actual), ids.canonical(wanted)
        if a is not None and w is not None:
            return a == w
    return actual.casefold() == wanted.casefold()


def _compare(op: str, actual: Any, wanted: Any) -> bool:
    """Ordering of two non-blank comparable values."""
    if op == "lessThan":
        return bool(actual < wanted)
    if op == "greaterThan":
        return bool(actual > wanted)
    if op == "lessOrEqual":
        return bool(actual <= wanted)
    return bool(actual >= wanted)


def _test(op: str, field: FieldDef, kind: str, actual: Any, wanted: Any) -> bool:
    """One positive operation against one operand."""
    if kind == "text":
        if op == "equals":
            return _ids_equal(field, actual, wanted)
        a, w = actual.casefold(), wanted.casefold()
        if op == "contains":
            return w in a
        if op == "startsWith":
            return bool(a.startswith(w))
        return actual != "" and _compare(op, a, w)
    if kind == "multi":
        # SOQL semantics (Help "Query Multi-Select Picklists"): `A;B` means both selected; equals is exact.
        return bool(actual == wanted if op == "equals" else wanted <= actual)
    if kind == "boolean":
        return bool(actual == wanted)
    if actual is None:
        # treatNullAsNull (salesforce-rules-mail-web.md §4): null compared with a value is never a match;
        # notEqual still matches because it is the negation of equals.
        return False
    if kind == "datetime":
        if op == "equals":
            return bool(wanted.start <= actual < wanted.end)
        if op in ("lessThan", "greaterOrEqual"):
            return _compare(op, actual, wanted.start)
        return _compare("lessThan" if op == "lessOrEqual" else "greaterOrEqual", actual, wanted.end)
    return actual == wanted if op == "equals" else _compare(op, actual, wanted)


def _is_blank(kind: str, actual: Any) -> bool:
    # A checkbox is never blank: it is True or False.
    return kind != "boolean" and (actual is None or actual == "" or actual == frozenset())


def _check_operation(item: CriteriaItem, field: FieldDef) -> str:
    op = item.operation
    if op not in OPERATIONS:
        raise RuleDefinitionError(f"Unknown operation '{op}' (field {item.field}).")
    if op == "within":
        # `within` measures distance from a geolocation; the schema has no geolocation fields.
        raise RuleDefinitionError(f"Operation 'within' is not supported: it needs a geolocation field "
                                  f"(field {item.field}).")
    kind = kind_of(field)
    if op not in _ALLOWED[kind]:
        raise RuleDefinitionError(
            f"Operation '{op}' is not valid for field {field.name} of type {field.type}."
        )
    return kind


def check_item(item: CriteriaItem, sobject: SObjectDef) -> None:
    """Raises RuleDefinitionError unless the item can be saved: known field and operation, a valid value."""
    field = resolve_field(item.field, sobject)
    kind = _check_operation(item, field)
    if item.value_field:
        if item.value is not None and item.value.strip():
            raise RuleDefinitionError(f"Criteria on {item.field} give both a value and a valueField.")
        if item.operation not in _ORDERED:
            raise RuleDefinitionError(f"Operation '{item.operation}' cannot compare with another field "
                                      f"(field {item.field}).")
        other = resolve_field(item.value_field, sobject)
        if kind_of(other) != kind:
            raise RuleDefinitionError(f"Field {other.name} ({other.type}) cannot be compared with "
                                      f"{field.name} ({field.type}).")
        return
    parsed = operands(item.value, kind)
    if not parsed and item.operation not in ("equals", "notEqual"):
        # Only equals/notEqual give a blank value a meaning (blank / not blank).
        raise RuleDefinitionError(f"Operation '{item.operation}' needs a value (field {item.field}).")


def matches(item: CriteriaItem, record: dict[str, Any], sobject: SObjectDef) -> bool:
    """Whether `record` meets the criteria item; the item must pass check_item (else RuleDefinitionError)."""
    field = resolve_field(item.field, sobject)
    kind = _check_operation(item, field)
    actual = _record_value(kind, record.get(field.name))
    if item.value_field:
        other = resolve_field(item.value_field, sobject)
        wanted = _as_operand(kind, _record_value(kind, record.get(other.name)))
    else:
        wanted = operands(item.value, kind)
    op = item.operation
    if not wanted:
        # No value means blank (salesforce-rules-mail-web.md §3): equals = is blank, notEqual = is not blank.
        if op == "equals":
            return _is_blank(kind, actual)
        if op == "notEqual":
            return not _is_blank(kind, actual)
        return False
    if op in _NEGATED:
        positive = _NEGATED[op]
        return not any(_test(positive, field, kind, actual, w) for w in wanted)
    return any(_test(op, field, kind, actual, w) for w in wanted)
