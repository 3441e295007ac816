"""Metadata API deploys and retrieves (0Af… ids): each kept with its finished result, which checkDeployStatus
/ checkRetrieveStatus read back. sfmock does the work inside the deploy or retrieve call itself, so a
request is stored already done; a canceled deploy keeps its result with status Canceled."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.persistence.tables import metadata

metadata_requests = sa.Table(
    "metadata_requests",
    metadata,
    sa.Column("id", sa.String(18), primary_key=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),  # "deploy" | "retrieve"
    sa.Column("created_at", sa.DateTime, nullable=False),
    # The DeployResult / RetrieveResult as plain JSON (the retrieve's zip base64-encoded inside).
    sa.Column("result", sa.Text, nullable=False),
)


def save(session: Session, org_id: str, request_id: str, kind: str, result: dict[str, Any]) -> None:
    session.execute(sa.insert(metadata_requests).values(
        id=request_id, org_id=org_id, kind=kind, created_at=datetime.now(UTC).replace(tzinfo=None),
        result=json.dumps(result)))


def find(session: Session, org_id: str, request_id: str, kind: str) -> dict[str, Any] | None:
    t = metadata_requests
    text = session.execute(sa.select(t.c.result).where(
        t.c.id == request_id, t.c.org_id == org_id, t.c.kind == kind)).scalar_one_or_none()
    return json.loads(text) if text else None
