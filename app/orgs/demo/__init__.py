"""The demo org "Acme Demo", built from Salesforce's documentation examples (see README.md beside it)."""

from __future__ import annotations

from pathlib import Path

DEMO_ORG_PATH = Path(__file__).resolve().parent
