"""The demo org: loading it, finding it, resetting the database to it."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.orgs.demo import DEMO_ORG_PATH
from sfmock.orgs.install import InstalledOrg, install
from sfmock.orgs.metadata import load_org_folder
from sfmock.persistence.orgs import delete_org, list_orgs
from sfmock.persistence.tables import global_sequences, orgs, sequences

# The demo org is always org number 1, so its id (00D001000000001EAA) stays the same across resets and
# restarts.
DEMO_ORG_NUMBER = 1


def load_demo(session: Session) -> InstalledOrg:
    return install(session, load_org_folder(DEMO_ORG_PATH), org_number=DEMO_ORG_NUMBER)


def is_empty(session: Session) -> bool:
    return session.execute(sa.select(sa.func.count()).select_from(orgs)).scalar_one() == 0


def reset(session: Session, *, empty: bool = False) -> InstalledOrg | None:
    """Every org removed; then the demo org loaded again unless `empty`. The demo org comes back under the
    same id, so its record counters are carried over: Salesforce never reuses an Id, and a test (or a
    process's reserved block of ids) holding an old one must not reach a new record."""
    counters = _demo_counters(session)
    _keep(session, counters)
    for org in list_orgs(session):
        delete_org(session, org["id"])
    if empty:
        return None
    installed = load_demo(session)
    for name, value in counters.items():
        session.execute(sa.update(sequences).where(
            sequences.c.org_id == installed.org_id, sequences.c.name == name, sequences.c.value < value)
            .values(value=value))
        if not session.execute(sa.select(sequences.c.value).where(
                sequences.c.org_id == installed.org_id, sequences.c.name == name)).first():
            session.execute(sa.insert(sequences).values(org_id=installed.org_id, name=name, value=value))
    return installed


_KEPT = "demo:"  # the demo org's record counters, kept in global_sequences while it is deleted


def _demo_counters(session: Session) -> dict[str, int]:
    """The demo org's record counters: its own, or (deleted by an empty reset) the ones kept for it."""
    kept = {name[len(_KEPT):]: value for name, value in session.execute(
        sa.select(global_sequences.c.name, global_sequences.c.value)
        .where(global_sequences.c.name.startswith(_KEPT)))}
    demo = session.execute(sa.select(orgs.c.id).where(orgs.c.number == DEMO_ORG_NUMBER)).scalar()
    if demo is not None:
        rows = session.execute(sa.select(sequences.c.name,
                                         sequences.c.value).where(sequences.c.org_id == demo))
        for name, value in rows:
            if name not in ("api_requests", "CaseNumber"):
                kept[name] = max(value, kept.get(name, 0))
    return kept


def _keep(session: Session, counters: dict[str, int]) -> None:
    session.execute(sa.delete(global_sequences).where(global_sequences.c.name.startswith(_KEPT)))
    for name, value in counters.items():
        session.execute(sa.insert(global_sequences).values(name=_KEPT + name, value=value))
