"""The formula functions with fixed signatures: parameter types, result type and the implementation.

Signatures and behaviour follow Salesforce Help "Formula Operators and Functions" (one page per function);
blank handling follows the rules' `treatNullAsNull` mode (salesforce-rules-mail-web.md §4): a blank number or
date is null, a blank text is "". The control functions (AND, OR, NOT, IF, CASE, BLANKVALUE, NULLVALUE, ISNEW,
ISCHANGED, PRIORVALUE) need the syntax tree or the record's prior values and live in check.py / evaluate.py.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TEXT, NUMBER, BOOLEAN, DATE, DATETIME, TIME = "Text", "Number", "Boolean", "Date", "DateTime", "Time"
PICKLIST, MULTI = "Picklist", "MultiPicklist"
T = frozenset({TEXT})
N = frozenset({NUMBER})
D = frozenset({DATE})


class FormulaRuntimeError(ArithmeticError):
    """A value the formula cannot compute (#Error! in Salesforce): division by zero, VALUE("abc")."""


@dataclass(frozen=True)
class Fn:
    params: tuple[frozenset[str], ...]
    result: str
    run: Callable[..., Any]
    optional: int = 0  # how many trailing params may be left out
    literal: tuple[int, ...] = ()  # params that must be a text literal (ISPICKVAL, INCLUDES)


def _null_in(run: Callable[..., Any]) -> Callable[..., Any]:
    """A function whose result is null when a number/date argument is null (treatNullAsNull)."""
    def wrapped(*args: Any) -> Any:
        return None if any(a is None for a in args) else run(*args)
    return wrapped


def _number_text(value: float | int) -> str:
    # TEXT(1.50) is "1.5" and TEXT(2.0) is "2": Salesforce drops trailing zeros.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return format(Decimal(str(value)).normalize(), "f")


def text(value: Any) -> str:
    """TEXT(): numbers, dates, date/times (ISO, UTC with Z), picklists; blank is ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
    return str(value)


def _value(source: str) -> float | int | None:
    if source.strip() == "":
        return None
    try:
        number = float(source.strip())
    except ValueError:
        raise FormulaRuntimeError(f"VALUE: not a number: {source!r}") from None
    return int(number) if number.is_integer() and "." not in source else number


def _left(source: str, count: Any) -> str:
    return "" if count is None or count <= 0 else source[: int(count)]


def _right(source: str, count: Any) -> str:
    return "" if count is None or count <= 0 else source[-int(count):]


def _mid(source: str, start: Any, count: Any) -> str:
    if start is None or count is None or count <= 0:
        return ""
    begin = max(int(start), 1) - 1
    return source[begin: begin + int(count)]


def _find(search: str, source: str, start: Any = 1) -> int:
    # FIND(search_text, text [, start_num]): 1-based position, 0 when absent or when search_text is blank.
    if search == "" or start is None or start < 1:
        return 0
    return source.find(search, int(start) - 1) + 1


def _regex(source: str, pattern: str) -> bool:
    # REGEX matches the whole text (Java's Matcher.matches(), Help "REGEX").
    try:
        return re.fullmatch(pattern, source, re.DOTALL) is not None
    except re.error:
        raise FormulaRuntimeError(f"REGEX: invalid pattern {pattern!r}") from None


def _date(year: Any, month: Any, day: Any) -> dt.date | None:
    if None in (year, month, day):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise FormulaRuntimeError(f"DATE: invalid date {year}-{month}-{day}") from None


def _datevalue(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise FormulaRuntimeError(f"DATEVALUE: not a date: {value!r}") from None


def _timevalue(value: Any) -> dt.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).time().replace(tzinfo=None)
    try:
        return dt.time.fromisoformat(str(value).strip())
    except ValueError:
        raise FormulaRuntimeError(f"TIMEVALUE: not a time: {value!r}") from None


def _round(number: float, digits: float) -> float:
    # ROUND rounds half away from zero (Help "ROUND"), not Python's banker's rounding.
    quantum = Decimal(1).scaleb(-int(digits))
    return float(Decimal(str(number)).quantize(quantum, rounding=ROUND_HALF_UP))


def _mod(number: float, divisor: float) -> float:
    if divisor == 0:
        raise FormulaRuntimeError("MOD: division by zero")
    return math.fmod(number, divisor)


def _includes(values: Any, wanted: str) -> bool:
    selected = [] if not values else str(values).split(";")
    return wanted in selected


FUNCTIONS: dict[str, Fn] = {
    "ISPICKVAL": Fn((frozenset({PICKLIST}), T), BOOLEAN, lambda v, w: (v or "") == w, literal=(1,)),
    "INCLUDES": Fn((frozenset({MULTI}), T), BOOLEAN, _includes, literal=(1,)),
    "TEXT": Fn((frozenset({NUMBER, DATE, DATETIME, TIME, PICKLIST, TEXT}),), TEXT, text),
    "VALUE": Fn((T,), NUMBER, _value),
    "LEN": Fn((T,), NUMBER, len),
    "LOWER": Fn((T,), TEXT, str.lower),
    "UPPER": Fn((T,), TEXT, str.upper),
    "TRIM": Fn((T,), TEXT, lambda s: s.strip(" ")),
    "LEFT": Fn((T, N), TEXT, _left),
    "RIGHT": Fn((T, N), TEXT, _right),
    "MID": Fn((T, N, N), TEXT, _mid),
    "FIND": Fn((T, T, N), NUMBER, _find, optional=1),
    # CONTAINS and BEGINS are case-sensitive (Help "CONTAINS"; salesforce-rules-mail-web.md §4).
    "CONTAINS": Fn((T, T), BOOLEAN, lambda s, w: w in s),
    "BEGINS": Fn((T, T), BOOLEAN, lambda s, w: s.startswith(w)),
    "SUBSTITUTE": Fn((T, T, T), TEXT, lambda s, old, new: s.replace(old, new) if old else s),
    "REGEX": Fn((T, T), BOOLEAN, _regex),
    "DATEVALUE": Fn((frozenset({TEXT, DATETIME, DATE}),), DATE, _datevalue),
    "TIMEVALUE": Fn((frozenset({TEXT, DATETIME}),), TIME, _timevalue),
    "DATE": Fn((N, N, N), DATE, _date),
    "YEAR": Fn((D,), NUMBER, _null_in(lambda d: d.year)),
    "MONTH": Fn((D,), NUMBER, _null_in(lambda d: d.month)),
    "DAY": Fn((D,), NUMBER, _null_in(lambda d: d.day)),
    "ABS": Fn((N,), NUMBER, _null_in(abs)),
    "ROUND": Fn((N, N), NUMBER, _null_in(_round)),
    "MOD": Fn((N, N), NUMBER, _null_in(_mod)),
}
