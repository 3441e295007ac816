"""`pip install sfmock` gives a working server and pytest plugin: the wheel carries the migrations, the WSDL,
the demo org and the pytest11 entry point."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from app.settings import PROJECT_ROOT


def test_the_wheel_carries_what_the_server_reads(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path),
                    str(PROJECT_ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("sfmock-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("app/_bundled/migrations/env.py", "app/_bundled/migrations/versions/0001_initial_schema.py",
                   "app/_bundled/wsdl/partner.wsdl", "app/orgs/demo/sfmock-org.toml", "app/core/schema/sobjects.toml",
                   "app/soql/soql.lark", "app/pytest_plugin.py", "app/_bundled/migrations/versions/0004_org_schema.py",
                   "app/orgs/demo/force-app/main/default/objects/Lead/fields/Region__c.field-meta.xml",
                   "app/orgs/demo/force-app/main/default/standardValueSets/LeadSource.standardValueSet-meta.xml"):
        assert needed in names, needed
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[pytest11]\nsfmock = app.pytest_plugin" in text and "sfmock = app.cli:main" in text
