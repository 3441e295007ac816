"""The pytest plugin in a connector's own suite (run as a separate pytest): against an already-running server
(--sfmock-url / SFMOCK_URL), orgs built from the team's metadata folder (ini option and fixture parameter),
the fault fixture, and simple-salesforce's own password login with no `domain` trick."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sfmock.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

SUITE = '''
import pytest
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest


def test_password_login_and_a_fault(sfmock_server, sfmock_org, sfmock_fault):
    assert sfmock_server.process is None  # the running server was used, none started
    assert sfmock_org.info["name"] == "Globex Corporation"  # from the ini option's folder
    sf = Salesforce(username=sfmock_org.username, password=sfmock_org.password,
                    security_token=sfmock_org.security_token, session=sfmock_org.http_session())
    assert sf.Lead.create({"LastName": "Rao", "Company": "Acme"})["success"] is True
    sfmock_fault("UNABLE_TO_LOCK_ROW", sobject="Lead", count=1)
    with pytest.raises(SalesforceMalformedRequest) as raised:
        sf.Lead.create({"LastName": "Rao", "Company": "Acme"})
    assert raised.value.content[0]["errorCode"] == "UNABLE_TO_LOCK_ROW"


def test_readme_zeep_example(sfmock_org):
    import zeep

    client = zeep.Client(sfmock_org.soap_login_url + "?wsdl")
    login = client.service.login(sfmock_org.username, sfmock_org.password + sfmock_org.security_token)
    soap = client.create_service("{urn:partner.soap.sforce.com}SoapBinding", login.serverUrl)
    timestamp = soap.getServerTimestamp(_soapheaders={"SessionHeader": {"sessionId": login.sessionId}})
    assert timestamp.body.result.timestamp is not None


@pytest.mark.parametrize("sfmock_org", ["{demo}"], indirect=True)
def test_folder_as_a_fixture_parameter(sfmock_org):
    assert sfmock_org.info["name"] == "Acme Demo"
'''


def test_a_connector_suite_uses_the_running_server(live_server: Any, tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures" / "globex-sfdx", tmp_path / "salesforce")
    (tmp_path / "pytest.ini").write_text("[pytest]\nsfmock_org_folder = salesforce\n")
    from sfmock.orgs.demo import DEMO_ORG_PATH

    (tmp_path / "test_connector.py").write_text(SUITE.replace("{demo}", str(DEMO_ORG_PATH)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SFMOCK_", "PYTEST_"))}
    env |= {"SFMOCK_URL": live_server.http_url, "SFMOCK_HTTPS_URL": live_server.https_url}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
