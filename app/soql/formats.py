"""FORMAT(): a value as text for the running user (SOQL reference, "FORMAT()": "Use FORMAT with the SELECT
clause to apply localized formatting to standard and custom number, date, time, and currency fields ... fields
reflect the appropriate format for the given user locale"). A dateTime is shown in the user's time zone: the
reference's own example, 2025-04-10T22:31:37.000+0000 as "4/10/2025, 3:31 PM", is that instant in
America/Los_Angeles (UTC-7 in April). A date has no time zone and is shown as stored.
sfmock models one locale, en_US (M/D/YYYY, h:mm AM/PM, 1,234.56) [deviation: the user's LocaleSidKey is not
read]; the currency is the org default, USD."""

from __future__ import annotations

import datetime as dt
from typing import Any


def formatted(value: Any, field_type: str, zone: dt.tzinfo = dt.UTC) -> Any:
    """`value` as FORMAT() shows it; a dateTime (aware, or naive UTC) in `zone`, the user's time zone."""
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
        local = (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(zone)
        hour = local.hour % 12 or 12
        noon = "AM" if local.hour < 12 else "PM"
        return f"{local.month}/{local.day}/{local.year}, {hour}:{local.minute:02} {noon}"
    if isinstance(value, dt.date):
        return f"{value.month}/{value.day}/{value.year}"
    return value
