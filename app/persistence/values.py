"""Python values between the core (aware UTC datetimes) and the database (naive UTC datetimes)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def to_db(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def from_db(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def row_to_core(mapping: Any) -> dict[str, Any]:
    return {k: from_db(v) for k, v in mapping.items() if k != "org_id"}


def row_to_db(row: dict[str, Any]) -> dict[str, Any]:
    return {k: to_db(v) for k, v in row.items()}
