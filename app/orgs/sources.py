"""`serve --org PATH`: load a metadata folder at start, keep it across restarts, and reload it (same org id)
when its files changed since it was loaded."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.orgs.install import install, loaded_org
from sfmock.orgs.metadata import load_org_folder
from sfmock.persistence.orgs import delete_org
from sfmock.persistence.tables import org_sources, orgs


def fingerprint(folder: Path) -> str:
    """A digest of every file under the folder (names and contents), version-control folders left out."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@dataclass
class Loaded:
    org_id: str
    name: str
    # "loaded" (new), "kept" (unchanged files) or "reloaded" (files changed: installed again, same id).
    outcome: str


def load_at_start(session: Session, path: str | Path) -> Loaded:
    folder = Path(path).resolve()
    bundle = load_org_folder(folder)
    digest = fingerprint(folder)
    existing = loaded_org(session, bundle)
    if existing is not None:
        known = session.execute(sa.select(org_sources.c.fingerprint).where(
            org_sources.c.org_id == existing)).scalar_one_or_none()
        if known == digest:
            return Loaded(existing, bundle.settings.name, "kept")
        number = session.execute(sa.select(orgs.c.number).where(orgs.c.id == existing)).scalar_one()
        delete_org(session, existing)
        org = install(session, bundle, org_number=number)
        outcome = "reloaded"
    else:
        org = install(session, bundle)
        outcome = "loaded"
    session.execute(sa.insert(org_sources).values(org_id=org.org_id, path=str(folder), fingerprint=digest,
                                                  loaded_at=datetime.now(UTC).replace(tzinfo=None)))
    return Loaded(org.org_id, org.name, outcome)
