"""Runs the Alembic migrations (the only source of the schema) against a database URL."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.resources import resource_dir


def alembic_config(url: str) -> Config:
    # No alembic.ini needed: that file is for running `alembic` by hand in a checkout.
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")
