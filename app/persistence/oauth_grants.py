"""OAuth grants beyond the session itself: refresh tokens and authorization codes (kept only as SHA-256
hashes), and a connected app's OAuth policy (JWT certificate, refresh tokens allowed)."""
from __future__ import annotations

import hashlib
import secrets
import string
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.persistence.db import affected
from sfmock.persistence.tables import connected_app_oauth, oauth_codes, oauth_refresh_tokens

# A refresh token as `sf org login sfdx-url` can carry it: force://<id>:<secret>:<token>@host allows
# [A-Za-z0-9._-] and up to two '=' per part (@salesforce/core authInfo); Salesforce's start with "5Aep".
_ALPHABET = string.ascii_letters + string.digits
CODE_SECONDS = 15 * 60  # "The authorization code is valid for 15 minutes" (OAuth 2.0 Web Server Flow)


def token_hash(token: str) -> str:
    """How a refresh token or code is kept (and how a session names the refresh token it came with)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_hash = token_hash


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _token(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


def policy(session: Session, client_id: str) -> dict[str, Any]:
    """{"certificate": PEM | None, "refresh_tokens": bool} of a connected app (defaults when none stored)."""
    row = session.execute(sa.select(connected_app_oauth).where(connected_app_oauth.c.client_id == client_id)
                          ).mappings().first()
    return {"certificate": row["certificate"], "refresh_tokens": row["refresh_tokens"]} if row else \
        {"certificate": None, "refresh_tokens": True}


def issue_refresh_token(session: Session, org_id: str, user_id: str, client_id: str) -> str:
    token = _token("5Aep861", 80)
    session.execute(sa.insert(oauth_refresh_tokens).values(
        token_hash=_hash(token), org_id=org_id, user_id=user_id, client_id=client_id, created_at=_now(),
        revoked=False))
    return token


def find_refresh_token(session: Session, token: str) -> dict[str, Any] | None:
    """{org_id, user_id, client_id} of a live refresh token, or None."""
    if not token or len(token) > 255:
        return None
    row = session.execute(sa.select(oauth_refresh_tokens).where(
        oauth_refresh_tokens.c.token_hash == _hash(token), oauth_refresh_tokens.c.revoked.is_(False))
    ).mappings().first()
    return {k: row[k] for k in ("org_id", "user_id", "client_id")} if row else None


def revoke_refresh_token(session: Session, token: str) -> bool:
    return affected(session, sa.update(oauth_refresh_tokens).where(
        oauth_refresh_tokens.c.token_hash == _hash(token)).values(revoked=True)) > 0


def issue_code(session: Session, *, org_id: str, user_id: str, client_id: str, redirect_uri: str,
               code_challenge: str | None) -> str:
    code = _token("aPrx", 60)
    session.execute(sa.insert(oauth_codes).values(
        code_hash=_hash(code), org_id=org_id, user_id=user_id, client_id=client_id, redirect_uri=redirect_uri,
        code_challenge=code_challenge, expires_at=_now() + timedelta(seconds=CODE_SECONDS), used=False))
    return code


def take_code(session: Session, code: str) -> dict[str, Any] | None:
    """The code's grant, used up (a code works once), or None when unknown, used or expired."""
    if not code or len(code) > 255:
        return None
    row = session.execute(sa.select(oauth_codes).where(
        oauth_codes.c.code_hash == _hash(code), oauth_codes.c.used.is_(False),
        oauth_codes.c.expires_at > _now())
    ).mappings().first()
    if row is None:
        return None
    session.execute(
        sa.update(oauth_codes).where(oauth_codes.c.code_hash == row["code_hash"]).values(used=True)
    )
    return dict(row)
