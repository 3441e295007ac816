"""FORMAT(): a value as text in the en_US locale (SOQL reference, "FORMAT()": "Use FORMAT with the SELECT
clause
to apply localized formatting to standard and custom number, date, time, and currency fields"). sfmock formats
for en_US and UTC [deviation: the user's locale and time zone]; the currency is the org default, USD."""

from __future__ import annotations

import datetime as dt
from typing import Any


def formatted(value: Any, field_type: str) -> Any:
    if isinstance(value, bool):
        return value
    if field_type == "currency" and isinstance(value, int | float):
        return f"${value:,.2f}" if value >= 0 else f"-${-value:,.2f}"
    if field_type in ("double", "percent") and isinstance(value, int | float):
        text = f"{value:,.2f}"
        return f"{text}%" if field_type == "percent" else text
    if field_type == "int" and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, dt.datetime):
        hour = value.hour % 12 or 12
        noon = "AM" if value.hour < 12 else "PM"
        return f"{value.month}/{value.day}/{value.year}, {hour}:{value.minute:02} {noon}"
    if isinstance(value, dt.date):
        return f"{value.month}/{value.day}/{value.year}"
    return value
