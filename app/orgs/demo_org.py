"""The demo org: loading it, finding it, resetting the database to it."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.orgs.demo import DEMO_ORG_PATH
from app.orgs.install import InstalledOrg, install
from app.orgs.metadata import load_org_folder
from app.persistence.orgs import delete_org, list_orgs
from app.persistence.tables import orgs


# The demo org is always org number 1, so its id (00D001000000001EAA) stays the same across resets and restarts.
DEMO_ORG_NUMBER = 1


def load_demo(session: Session) -> InstalledOrg:
    return install(session, load_org_folder(DEMO_ORG_PATH), org_number=DEMO_ORG_NUMBER)


def is_empty(session: Session) -> bool:
    return session.execute(sa.select(sa.func.count()).select_from(orgs)).scalar_one() == 0


def reset(session: Session, *, empty: bool = False) -> InstalledOrg | None:
    """Every org removed; then the demo org loaded again unless `empty`."""
    for org in list_orgs(session):
        delete_org(session, org["id"])
    return None if empty else load_demo(session)
