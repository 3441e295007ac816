"""What logging in looks up before any org is known: a user by username, a connected app by client id."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core.values import storable
from sfmock.persistence.tables import connected_apps, table_for
from sfmock.persistence.values import row_to_core


def find_user(session: Session, username: str) -> tuple[str, dict[str, Any]] | None:
    """(org id, user row) for a username, compared case-insensitively; usernames are unique across orgs."""
    if not storable(username or ""):
        return None
    users = table_for("User")
    found = session.execute(
        sa.select(users).where(sa.func.lower(users.c.Username) == (username or "").lower(),
                               users.c.IsDeleted.is_(False)).order_by(users.c.Id).limit(1)
    ).mappings().first()
    return (found["org_id"], row_to_core(found)) if found else None


def find_connected_app(session: Session, client_id: str) -> dict[str, Any] | None:
    """The connected app (client_id, org_id, name, client_secret, run_as_user_id), or None."""
    if not storable(client_id):
        return None
    row = (
        session.execute(sa.select(connected_apps).where(connected_apps.c.client_id == client_id))
        .mappings()
        .first()
    )
    return dict(row) if row else None
