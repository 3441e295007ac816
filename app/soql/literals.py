"""SOQL literals as the parser reads them (strings with their escapes, numbers, dates, datetimes, booleans,
null and date literals), checked where the grammar alone cannot: the literal half of the parse-tree
builder."""
from __future__ import annotations

import datetime as dt
import re

from lark import Token, Transformer

from sfmock.core.errors import QueryError
from sfmock.soql import ast, dates
from sfmock.soql.diagnostics import UNSTORABLE, error_position, malformed, unexpected

# Escape sequences of SOQL string literals (SOQL reference, "Quoted String Escape Sequences").
ESCAPES = {
    "'": "'",
    '"': '"',
    "\\": "\\",
    "n": "\n",
    "N": "\n",
    "t": "\t",
    "T": "\t",
    "r": "\r",
    "R": "\r",
    "b": "\b",
    "B": "\b",
    "f": "\f",
    "F": "\f",
}
DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):?(\d{2}))$", re.I
)

# Python refuses int() of more than 4,300 digits (sys.get_int_max_str_digits); such a literal is beyond every
# range anyway (LIMIT, OFFSET, a date literal's n, a number field), so it is read as this, no smaller.
HUGE = 10**4300


def whole(digits: str) -> int:
    """The value of an unsigned run of decimal digits, saturated at HUGE."""
    significant = digits.lstrip("0")
    return HUGE if len(significant) > 4000 else int(significant or "0")

def at(token: Token) -> ast.Position:
    # lark sets a token's position whenever it lexes (the grammar's terminals): None only for made-up tokens.
    return ast.Position(token.start_pos or 0, token.line or 1, token.column or 1)


class Literals(Transformer):
    """The literal rules of the grammar; `text` is the statement being read (for error positions)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def _unexpected(self, token: Token) -> QueryError:
        return unexpected(self.text, error_position(self.text, token.start_pos or 0), str(token))

    def string(self, children: list) -> ast.StringValue:
        token = children[0]
        body = token[1:-1]
        bad = UNSTORABLE.search(body)
        if bad is not None:
            # Refused rather than handed to the database (PostgreSQL: "text fields cannot contain NUL (0x00)
            # bytes"), at the literal like other string literal errors [UNCONFIRMED: Salesforce's answer and
            # text]; the reason does not repeat the character.
            reason = f"Invalid character U+{ord(bad.group(0)):04X} in string literal."
            raise malformed(self.text, at(token), reason)
        value: list[str] = []
        like: list[str] = []
        i = 0
        while i < len(body):
            char = body[i]
            if char != "\\":
                value.append(char)
                like.append(char)
                i += 1
                continue
            escaped = body[i + 1]
            if escaped in "_%":  # literal _ and % in LIKE patterns
                value.append(escaped)
                like.append("\\" + escaped)
            elif escaped in ESCAPES:
                value.append(ESCAPES[escaped])
                like.append("\\\\" if escaped == "\\" else ESCAPES[escaped])
            else:
                raise malformed(
                    self.text,
                    at(token),
                    f"Invalid string literal '{body}'. Illegal character "
                    f"sequence '\\{escaped}' in string literal.",
                )
            i += 2
        return ast.StringValue("".join(value), "".join(like), at(token))

    def number(self, children: list) -> ast.NumberValue:
        token = children[0]
        text = token.lstrip("+")
        if "." in text:
            value: int | float = float(text)  # beyond a double: inf, which compares as mathematics says
        else:
            value = -whole(text[1:]) if text.startswith("-") else whole(text)
        return ast.NumberValue(value, at(token))

    def date(self, children: list) -> ast.DateValue:
        token = children[0]
        try:
            return ast.DateValue(dt.date.fromisoformat(str(token)), at(token))
        except ValueError:
            raise malformed(self.text, at(token), f"invalid date: {token}") from None

    def datetime(self, children: list) -> ast.DateTimeValue:
        token = children[0]
        match = DATETIME.match(str(token))
        try:
            assert match is not None
            day, time, fraction, zone, sign, hours, minutes = match.groups()
            micro = (fraction or "0")[:6].ljust(6, "0")
            value = dt.datetime.fromisoformat(f"{day}T{time}.{micro}")
            offset = dt.timedelta(0)
            if zone.upper() != "Z":
                offset = dt.timedelta(hours=int(hours), minutes=int(minutes)) * (1 if sign == "+" else -1)
            value = value.replace(tzinfo=dt.timezone(offset)).astimezone(dt.UTC)
        except (AssertionError, ValueError, OverflowError):
            # OverflowError: an offset that moves the instant outside years 1-9999 in UTC
            # (9999-12-31T23:59:59-01:00, 0001-01-01T00:00:00+01:00) [UNCONFIRMED: Salesforce's text].
            raise malformed(self.text, at(token), f"invalid dateTime: {token}") from None
        return ast.DateTimeValue(value, at(token))

    def true(self, children: list) -> ast.BoolValue:
        return ast.BoolValue(True, at(children[0]))

    def false(self, children: list) -> ast.BoolValue:
        return ast.BoolValue(False, at(children[0]))

    def null(self, children: list) -> ast.NullValue:
        return ast.NullValue(at(children[0]))

    def date_literal(self, children: list) -> ast.DateLiteral:
        name = children[0]
        kind = dates.takes_n(name)
        if kind is None or (kind and len(children) < 2):
            raise self._unexpected(name)
        if not kind:
            if len(children) > 1:
                raise self._unexpected(children[1])
            return ast.DateLiteral(name.upper(), None, at(name))
        n = children[1]
        if not n.isdigit():
            raise self._unexpected(n)
        return ast.DateLiteral(name.upper(), whole(n), at(name))
