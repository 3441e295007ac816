"""Runs the Alembic migrations (the only source of the schema) against a database URL."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import sqlalchemy as sa

from sfmock.resources import resource_dir

if TYPE_CHECKING:
    from alembic.config import Config

# `revision = "…"` / `down_revision = "…"` in a migration file (a merge's tuple of parents is not matched, and
# then the full Alembic run decides).
_REVISION = re.compile(r"""^(down_)?revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    # No alembic.ini needed: that file is for running `alembic` by hand in a checkout.
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Migrates to the head revision. A database already there costs one query: Alembic (and the migration
    scripts) load only when there is something to run, which keeps `sfmock serve` on an existing database
    quick."""
    if _at_head(url):
        return
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def _head() -> str | None:
    """The one revision no migration names as its parent, or None when that is not plain to see."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (resource_dir("migrations") / "versions").glob("*.py"):
        for down, revision in _REVISION.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(revision)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(url: str) -> bool:
    head = _head()
    if head is None:
        return False
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return False
            return set(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()) == {head}
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()
