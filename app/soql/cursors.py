"""Query locators: the state of a query whose records come in several batches, kept in the database
(table query_cursors) so that every server process can serve queryMore / nextRecordsUrl.

A locator reads "<cursor id>-<position>" like Salesforce's ("01gD0000002HU6KIAW-2000", REST API, "Query"):
the cursor id has key prefix 01g, the position is the index of the next record to return. A cursor stores the
SOQL text, the queryAll flag and the instant the query ran (date literals keep meaning that day); each batch
re-runs the query at its position [deviation: Salesforce keeps a snapshot; records written in between can
shift here]. Cursors older than a day are dropped when a new one is opened [deviation: Salesforce lets an
idle cursor expire after 15 minutes and keeps at most 10 per user].
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from sfmock.core import ids
from sfmock.core.errors import QueryError
from sfmock.persistence.db import write_soon
from sfmock.persistence.tables import query_cursors

KEY_PREFIX = "01g"
MAX_AGE = dt.timedelta(days=1)
_LOCATOR = re.compile(r"^([A-Za-z0-9]{15}|[A-Za-z0-9]{18})-(\d{1,9})$")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Cursor:
    id: str
    soql: str
    include_deleted: bool
    created_at: dt.datetime  # aware, UTC


def invalid_locator() -> QueryError:
    return QueryError("INVALID_QUERY_LOCATOR", "invalid query locator")


def locator(cursor_id: str, position: int) -> str:
    return f"{cursor_id}-{position}"


def open_cursor(conn: Any, org_id: str, soql: str, include_deleted: bool, now: dt.datetime) -> str:
    """Stores a new cursor (in the caller's transaction, or just after it when that is a read) and returns
    its id."""
    naive_now = now.astimezone(dt.UTC).replace(tzinfo=None)
    write_soon(conn,
        sa.delete(query_cursors).where(
            query_cursors.c.org_id == org_id, query_cursors.c.created_at < naive_now - MAX_AGE
        )
    )
    cursor_id = ids.to18(KEY_PREFIX + "".join(secrets.choice(_BASE62) for _ in range(12)))
    write_soon(conn,
        sa.insert(query_cursors).values(
            id=cursor_id, org_id=org_id, soql=soql, include_deleted=include_deleted, created_at=naive_now
        )
    )
    return cursor_id


def find_cursor(conn: Any, org_id: str, text: str | None) -> tuple[Cursor, int]:
    """The cursor a locator names and the position it asks for; INVALID_QUERY_LOCATOR if it is malformed,
    unknown, expired, or another org's."""
    match = _LOCATOR.match(text.strip()) if isinstance(text, str) else None
    cursor_id = ids.canonical(match.group(1)) if match else None
    if match is None or cursor_id is None or not cursor_id.startswith(KEY_PREFIX):
        raise invalid_locator()
    row = conn.execute(
        sa.select(query_cursors).where(query_cursors.c.id == cursor_id, query_cursors.c.org_id == org_id)
    ).first()
    position = int(match.group(2))
    if row is None or position <= 0:
        raise invalid_locator()
    created = row.created_at.replace(tzinfo=dt.UTC)
    return Cursor(row.id, row.soql, bool(row.include_deleted), created), position
