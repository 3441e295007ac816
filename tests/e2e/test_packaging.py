"""`pip install sfmock` gives a working server and pytest plugin: the wheel carries the migrations, the WSDL,
the demo org and the pytest11 entry point."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from sfmock.settings import PROJECT_ROOT


def test_the_wheel_carries_what_the_server_reads(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path),
                    str(PROJECT_ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("sfmock-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("sfmock/_bundled/migrations/env.py",
                   "sfmock/_bundled/migrations/versions/0001_initial_schema.py",
                   "sfmock/_bundled/wsdl/partner.wsdl", "sfmock/orgs/demo/sfmock-org.toml",
                   "sfmock/core/schema/sobjects.toml", "sfmock/soql/soql.lark", "sfmock/pytest_plugin.py",
                   "sfmock/_bundled/migrations/versions/0004_org_schema.py",
                   "sfmock/orgs/demo/force-app/main/default/objects/Lead/fields/Region__c.field-meta.xml",
                   "sfmock/orgs/demo/force-app/main/default/standardValueSets/LeadSource.standardValueSet-meta.xml"):
        assert needed in names, needed
    # The import package is sfmock, never a top-level `app` that would shadow a project's own.
    assert not any(name.startswith("app/") for name in names), sorted(n for n in names
                                                                      if n.startswith("app/"))[:5]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[pytest11]\nsfmock = sfmock.pytest_plugin" in text and "sfmock = sfmock.cli:main" in text


CONNECTOR_APP = '''"""The connector's own top-level package, named like sfmock's source folder."""
OWNER = "connector"


def create_lead(sf, last_name):
    return sf.Lead.create({"LastName": last_name, "Company": "Acme", "Country": "India"})
'''

CONNECTOR_TEST = '''import app
from simple_salesforce import Salesforce


def test_the_connector_creates_a_routed_lead(sfmock_org):
    assert app.OWNER == "connector"
    sf = Salesforce(username=sfmock_org.username, password=sfmock_org.password,
                    security_token=sfmock_org.security_token, session=sfmock_org.http_session())
    created = app.create_lead(sf, "Rao")
    assert created["success"]
    assert sf.Lead.get(created["id"])["LastName"] == "Rao"
'''


def test_a_connector_with_its_own_app_package_runs_the_plugin(tmp_path: Path) -> None:
    """Issue 16: the wheel installed into a connector project that has its own `app/` package; the project's
    tests import their `app` and drive sfmock through the plugin (the server runs from the installed
    wheel)."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(tmp_path / "dist"),
                    str(PROJECT_ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = (tmp_path / "dist").glob("sfmock-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True, timeout=300)
    project = tmp_path / "connector"
    (project / "app").mkdir(parents=True)
    (project / "app" / "__init__.py").write_text(CONNECTOR_APP)
    (project / "tests").mkdir()
    (project / "tests" / "test_connector.py").write_text(CONNECTOR_TEST)
    (project / "pytest.ini").write_text("[pytest]\npythonpath = .\n")
    # sfmock's dependencies come from this interpreter's site-packages, on PYTHONPATH: a .pth file there (this
    # checkout's editable install) is not read from PYTHONPATH, so `sfmock` can only be the installed wheel.
    site_packages = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    env = {k: v for k, v in os.environ.items() if not k.startswith("SFMOCK_")}
    env["PYTHONPATH"] = str(site_packages)
    run = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], cwd=project,
                         env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 passed" in run.stdout
    where = subprocess.run([str(python), "-c", "import sfmock; print(sfmock.__file__)"], cwd=project, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert str(venv) in where, where
    # The installed server kept its data under the project's working directory, never inside site-packages.
    assert not any((venv / "lib").rglob("sfmock.db"))
