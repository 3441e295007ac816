"""The web console in a real headless Chromium (Debian's chromium + chromium-driver, driven by selenium): a
Lead created over SOAP (zeep, AssignmentRuleHeader + EmailHeader) shows with its owner, the rule entry that
matched, and its notification rendered in the mail viewer."""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sfmock.pytest_plugin import SfmockOrg
from sfmock.soap.wsdl import WSDL_PATH
from tests.e2e.zeep_partner import PartnerClient

pytestmark = pytest.mark.e2e
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ENTERPRISE = {"LastName": "Kumar", "Company": "Tata", "Country": "India", "AnnualRevenue": "20000000"}
HEADERS = {"AssignmentRuleHeader": {"useDefaultRule": True},
           "EmailHeader": {"triggerAutoResponseEmail": False, "triggerOtherEmail": False,
                           "triggerUserEmail": True}}
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")


@pytest.fixture
def browser() -> Iterator[Any]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("Chromium is not installed (make test installs Debian's chromium and chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="sfmock-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_a_soap_lead_in_the_console(browser: Any, live_org: SfmockOrg, live_server: Any) -> None:
    from selenium.webdriver.common.by import By

    partner = PartnerClient(WSDL_PATH, live_org.soap_login_url, live_org.username,
                            live_org.password + live_org.security_token)
    [result] = partner.service.create([partner.sobject("Lead", **ENTERPRISE)],
                                      _soapheaders=partner.session | HEADERS).body.result
    assert result.success is True
    browser.get(f"{live_server.http_url}/_sfmock/console/")
    browser.find_element(By.CSS_SELECTOR, f"a[href$='/orgs/{live_org.id}']").click()
    [row] = browser.find_elements(By.CSS_SELECTOR, "#records tr.record")
    assert row.find_element(By.CSS_SELECTOR, ".owner").text == "Queue: Enterprise India Queue"
    row.find_element(By.LINK_TEXT, result.id).click()
    assert browser.find_element(By.ID, "owner").text == "Queue: Enterprise India Queue"
    assert browser.find_element(By.ID, "rule-name").text == "Standard Routing"
    assert browser.find_element(By.ID, "rule-entry").text == "entry 1"
    assert browser.find_element(By.ID, "rule-why").text == (
        "(1) Lead.Country equals India; (2) Lead.AnnualRevenue greaterThan 10000000 — logic: 1 AND 2")
    assert browser.find_element(By.ID, "rule-recorded").text.startswith(
        "Recorded when the rule ran: soap create at "
    )
    browser.find_element(By.ID, "nav-outbox").click()
    mails = browser.find_elements(By.CSS_SELECTOR, "#outbox .mail")
    rows = live_org.outbox()
    assert sorted(m.find_element(By.CSS_SELECTOR,
                                 ".to").text for m in mails) == sorted(r["recipient"] for r in rows)
    first = mails[0]
    assert first.find_element(By.CSS_SELECTOR, ".subject").text == rows[0]["subject"]
    assert first.find_element(By.CSS_SELECTOR, ".body").text == rows[0]["body"].strip()
    assert first.find_element(By.CSS_SELECTOR, ".kind").text == "assignment"
    assert first.find_element(By.CSS_SELECTOR, ".record-link").text == f"Lead {result.id}"
    browser.find_element(By.ID, "nav-journal").click()
    [entry] = browser.find_elements(By.CSS_SELECTOR, "#journal tr.entry")
    assert "create" in entry.text and "default" in entry.text and result.id in entry.text
    assert "soapaction" in entry.find_element(By.CSS_SELECTOR, ".headers").text.lower()
