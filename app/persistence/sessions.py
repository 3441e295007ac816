"""Sessions (SOAP session ids and OAuth access tokens are one kind), kept in the database so that several
server processes share them. The `token` column holds the token's digest (sfmock.core.auth.secret_digest),
never the token: a stolen database yields no session."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core.auth import new_session_id, secret_digest
from sfmock.persistence.db import affected
from sfmock.persistence.tables import sessions


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def open_session(session: Session, org_id: str, user_id: str, seconds: int,
                 refresh_token_hash: str | None = None) -> str:
    """A new session; `refresh_token_hash` names the refresh token it was issued with or from."""
    token = new_session_id(org_id)
    now = _now()
    session.execute(sa.insert(sessions).values(
        token=secret_digest(token), org_id=org_id, user_id=user_id, created_at=now,
        expires_at=now + timedelta(seconds=seconds), revoked=False, refresh_token_hash=refresh_token_hash))
    return token


def find_session(session: Session, token: str) -> tuple[str, str] | None:
    """(org id, user id) of a live session, or None."""
    if not token or len(token) > 128:
        return None
    row = session.execute(
        sa.select(sessions.c.org_id, sessions.c.user_id).where(
            sessions.c.token == secret_digest(token), sessions.c.revoked.is_(False),
            sessions.c.expires_at > _now())
    ).first()
    return (row.org_id, row.user_id) if row else None


def revoke_session(session: Session, token: str) -> bool:
    if not token or len(token) > 128:
        return False
    digest = secret_digest(token)
    return affected(session, sa.update(sessions).where(sessions.c.token == digest).values(revoked=True)) > 0


def revoke_issued_from(session: Session, refresh_token_hash: str) -> list[str]:
    """Revokes every live session issued with or from one refresh token; returns their digests (for the
    session cache)."""
    live = sa.and_(sessions.c.refresh_token_hash == refresh_token_hash, sessions.c.revoked.is_(False))
    digests = list(session.execute(sa.select(sessions.c.token).where(live)).scalars())
    if digests:
        session.execute(sa.update(sessions).where(sessions.c.token.in_(digests)).values(revoked=True))
    return digests
