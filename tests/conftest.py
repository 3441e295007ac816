"""Fixtures shared by the tiers: a migrated throwaway database (SQLite, and PostgreSQL when
SFMOCK_TEST_DATABASE_URL is set) with the demo org loaded."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from sfmock.orgs.demo_org import reset
from sfmock.orgs.install import InstalledOrg
from sfmock.persistence.db import Database
from sfmock.persistence.migrate import upgrade
from sfmock.settings import Settings
from tests.databases import backends, throwaway_database


@dataclass
class DemoDb:
    db: Database
    org: InstalledOrg
    settings: Settings


@pytest.fixture(scope="session", params=backends())
def migrated_db(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with throwaway_database(request.param, tmp_path_factory.mktemp("db")) as url:
        upgrade(url)
        db = Database(url)
        yield db
        db.dispose()


@pytest.fixture
def app_db(migrated_db: Database, tmp_path_factory: pytest.TempPathFactory) -> DemoDb:
    """The migrated database holding exactly the demo org, fresh for each test."""
    with migrated_db.session() as session:
        org = reset(session)
    settings = Settings(database_url=migrated_db.url, data_dir=tmp_path_factory.getbasetemp() / "data")
    return DemoDb(migrated_db, org, settings)
