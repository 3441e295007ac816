"""A deploy's destructive changes: destructiveChanges[Pre|Post].xml members deleted with the deploy, a member
the org lacks a warning (ignoreWarnings decides), a refused deletion the component's error, and nothing
deleted when the deploy rolls back or only validates."""

from __future__ import annotations

import pytest
from lxml import etree

from sfmock.main import create_app
from sfmock.persistence.orgs import open_org
from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import Soap
from tests.integration.test_metadata_api import MNS, M, Metadata
from tests.integration.test_metadata_deploy_failures import GOOD_Q

EMPTY = f'<Package xmlns="{MNS}"><version>66.0</version></Package>'
QUEUE = (
    f'<Package xmlns="{MNS}"><types><members>Good_Q</members><name>Queue</name></types>'
    "<version>66.0</version></Package>"
)


def manifest(**members: list[str]) -> str:
    types = "".join(
        f"<types>{''.join(f'<members>{m}</members>' for m in names)}<name>{kind}</name></types>"
        for kind, names in members.items()
    )
    return f'<Package xmlns="{MNS}">{types}</Package>'


@pytest.fixture
def metadata(app_db: DemoDb) -> Metadata:
    return Metadata(Soap(create_app(app_db.settings, app_db.db)))


def _org(app_db: DemoDb) -> tuple[set[str], set[str]]:
    with app_db.db.read() as sql:
        store = open_org(sql, app_db.org.org_id)
        return (
            {f.name for f in store.schema.get("Lead").fields if f.custom},
            {g["DeveloperName"] for g in store.find("Group", {"Type": "Queue"})},
        )


def _messages(result: etree._Element, kind: str) -> list[tuple[str | None, ...]]:
    return sorted(
        tuple(
            m.findtext(f"m:{k}", namespaces=M)
            for k in ("componentType", "fullName", "fileName", "deleted", "problemType", "problem", "success")
        )
        for m in result.findall(f"m:details/m:{kind}", M)
    )


def _status(result: etree._Element) -> list[str | None]:
    return [
        result.findtext(f"m:{k}", namespaces=M)
        for k in ("status", "success", "numberComponentErrors", "numberComponentsDeployed")
    ]


def test_deletions_with_the_deploy(metadata: Metadata, app_db: DemoDb) -> None:
    fields, queues = _org(app_db)
    result = metadata.deploy(
        {
            "unpackaged/package.xml": QUEUE,
            "unpackaged/queues/Good_Q.queue": GOOD_Q,
            "unpackaged/destructiveChanges.xml": manifest(CustomField=["Lead.Score__c"]),
        }
    )
    assert _status(result) == ["Succeeded", "true", "0", "2"]
    assert (
        "CustomField",
        "Lead.Score__c",
        "unpackaged/destructiveChanges.xml",
        "true",
        None,
        None,
        "true",
    ) in _messages(result, "componentSuccesses")
    assert _org(app_db) == (fields - {"Score__c"}, queues | {"Good_Q"})


def _nope(success: str) -> tuple[str, ...]:
    """The warning for a member the org lacks: fails the component unless ignoreWarnings."""
    return ("CustomField", "Lead.Nope__c", "destructiveChangesPost.xml", "false", "Warning",
            "No CustomField named: Lead.Nope__c found", success)


def test_a_member_the_org_lacks_is_a_warning(metadata: Metadata, app_db: DemoDb) -> None:
    before = _org(app_db)
    files = {"package.xml": EMPTY,
             "destructiveChangesPost.xml": manifest(CustomField=["Lead.Score__c", "Lead.Nope__c"])}
    failed = metadata.deploy(files)
    assert _status(failed) == ["Failed", "false", "1", "0"]
    assert _messages(failed, "componentFailures") == [_nope("false")]
    assert _org(app_db) == before  # rolled back: Score__c stays
    ignored = metadata.deploy(files, extra="<m:ignoreWarnings>true</m:ignoreWarnings>")
    assert _status(ignored) == ["Succeeded", "true", "0", "2"]
    assert _nope("true") in _messages(ignored, "componentSuccesses")
    assert _org(app_db)[0] == before[0] - {"Score__c"}


def test_a_refused_deletion_and_rollback_on_error(metadata: Metadata, app_db: DemoDb) -> None:
    fields, queues = _org(app_db)
    files = {
        "package.xml": QUEUE,
        "queues/Good_Q.queue": GOOD_Q,
        "destructiveChangesPre.xml": manifest(
            RecordType=["Lead.Partner_Lead"], CustomField=["Lead.Score__c"]
        ),
    }
    failed = metadata.deploy(files)
    assert _status(failed) == ["Failed", "false", "1", "0"]
    assert _messages(failed, "componentFailures") == [
        (
            "RecordType",
            "Lead.Partner_Lead",
            "destructiveChangesPre.xml",
            "false",
            "Error",
            "Cannot delete record type through API",
            "false",
        )
    ]
    assert _org(app_db) == (fields, queues)
    validated = metadata.deploy(
        {k: v for k, v in files.items() if k != "destructiveChangesPre.xml"}
        | {"destructiveChanges.xml": manifest(CustomField=["Lead.Score__c"])},
        check_only=True,
    )
    assert _status(validated)[:2] == ["Succeeded", "true"]
    assert _org(app_db) == (fields, queues)  # a validation deletes nothing
    partial = metadata.deploy(files, rollback=False)
    assert _status(partial) == ["SucceededPartial", "true", "1", "2"]
    assert _org(app_db) == (fields - {"Score__c"}, queues | {"Good_Q"})
