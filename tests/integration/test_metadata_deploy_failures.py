"""A deploy with several bad components: every failure reported (componentFailures, numberComponentErrors),
nothing written with rollbackOnError=true, the sound components written with rollbackOnError=false
(SucceededPartial); testLevel and runTests; cancelDeploy of a finished deploy."""

from __future__ import annotations

import pytest
from lxml import etree

from sfmock.main import create_app
from sfmock.persistence.orgs import open_org
from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import Soap
from tests.integration.test_metadata_api import MNS, M, Metadata
from tests.metadata_packages import lead_rules

PACKAGE = (
    f'<Package xmlns="{MNS}"><types><members>Lead</members><name>AssignmentRules</name></types>'
    "<types><members>Bad_Q</members><members>Good_Q</members><name>Queue</name></types>"
    "<types><members>Lead.Bad__c</members><members>Lead.Tier__c</members><name>CustomField</name>"
    "</types><version>66.0</version></Package>"
)
GOOD_Q = (
    f'<Queue xmlns="{MNS}"><name>Good Q</name><queueSobject><sobjectType>Lead</sobjectType></queueSobject>'
    "</Queue>"
)
BAD_Q = (
    f'<Queue xmlns="{MNS}">\n<name>Bad Q</name>\n<queueMembers><users><user>nobody@nowhere.example</user>'
    "</users></queueMembers>\n</Queue>"
)
FIELDS = (
    f'<CustomObject xmlns="{MNS}">\n'
    "<fields><fullName>Tier__c</fullName><label>Tier</label><length>40</length><type>Text</type></fields>\n"
    "<fields>\n<fullName>Bad__c</fullName>\n<label>Bad</label>\n<type>Hologram</type>\n</fields>\n"
    "</CustomObject>"
)
FILES = {
    "unpackaged/package.xml": PACKAGE,
    "unpackaged/assignmentRules/Lead.assignmentRules": lead_rules("No_Such_Queue"),
    "unpackaged/queues/Bad_Q.queue": BAD_Q,
    "unpackaged/queues/Good_Q.queue": GOOD_Q,
    "unpackaged/objects/Lead.object": FIELDS,
}


@pytest.fixture
def metadata(app_db: DemoDb) -> Metadata:
    return Metadata(Soap(create_app(app_db.settings, app_db.db)))


def _text(node: etree._Element, name: str) -> str | None:
    return node.findtext(f"m:{name}", namespaces=M)


def _failures(result: etree._Element) -> list[tuple[str | None, ...]]:
    return sorted(
        (
            _text(f, "componentType"),
            _text(f, "fullName"),
            _text(f, "fileName"),
            _text(f, "lineNumber"),
            _text(f, "problemType"),
            _text(f, "success"),
        )
        for f in result.findall("m:details/m:componentFailures", M)
    )


EXPECTED_FAILURES = [
    ("AssignmentRules", "Lead", "unpackaged/assignmentRules/Lead.assignmentRules", "6", "Error", "false"),
    ("CustomField", "Lead.Bad__c", "unpackaged/objects/Lead.object", "6", "Error", "false"),
    ("Queue", "Bad_Q", "unpackaged/queues/Bad_Q.queue", "3", "Error", "false"),
]


def _org(app_db: DemoDb) -> tuple[str, list[str], set[str]]:
    with app_db.db.read() as sql:
        store = open_org(sql, app_db.org.org_id)
        queues = sorted(g["DeveloperName"] for g in store.find("Group", {"Type": "Queue"}))
        fields = {f.name for f in store.schema.get("Lead").fields if f.custom}
        return store.active_rule("Lead").name, queues, fields


def test_every_failing_component_is_reported_and_nothing_changes(metadata: Metadata, app_db: DemoDb) -> None:
    before = _org(app_db)
    result = metadata.deploy(FILES)
    assert _failures(result) == EXPECTED_FAILURES
    problems = {
        _text(f, "fullName"): _text(f, "problem") for f in result.findall("m:details/m:componentFailures", M)
    }
    assert "No_Such_Queue" in problems["Lead"]
    assert "nobody@nowhere.example" in problems["Bad_Q"]
    assert "Hologram" in problems["Lead.Bad__c"]
    counts = ("numberComponentErrors", "numberComponentsDeployed", "numberComponentsTotal")
    assert [_text(result, k) for k in ("status", "success", *counts, "rollbackOnError")] == [
        "Failed", "false", "3", "0", "6", "true"]  # Good_Q, CustomObject Lead and Lead.Tier__c were sound
    assert result.findall("m:details/m:componentSuccesses", M) == []
    assert _org(app_db) == before


def test_rollback_on_error_false_writes_the_sound_components(metadata: Metadata, app_db: DemoDb) -> None:
    rule, queues, fields = _org(app_db)
    result = metadata.deploy(FILES, rollback=False)
    assert _failures(result) == EXPECTED_FAILURES
    assert [
        _text(result, k)
        for k in (
            "status",
            "success",
            "numberComponentErrors",
            "numberComponentsDeployed",
            "numberComponentsTotal",
            "rollbackOnError",
        )
    ] == ["SucceededPartial", "true", "3", "3", "6", "false"]
    successes = sorted(
        (_text(m, "componentType"), _text(m, "fullName"), _text(m, "created"))
        for m in result.findall("m:details/m:componentSuccesses", M)
    )
    assert successes == [
        ("", "package.xml", "false"),
        ("CustomField", "Lead.Tier__c", "true"),
        ("CustomObject", "Lead", "false"),
        ("Queue", "Good_Q", "true"),
    ]
    assert _org(app_db) == (rule, sorted([*queues, "Good_Q"]), fields | {"Tier__c"})


def test_rollback_on_error_false_with_nothing_sound_fails(metadata: Metadata, app_db: DemoDb) -> None:
    before = _org(app_db)
    result = metadata.deploy(
        {"package.xml": PACKAGE.replace("<members>Good_Q</members>", ""), "queues/Bad_Q.queue": BAD_Q},
        rollback=False,
    )
    assert [
        _text(result, k) for k in ("status", "success", "numberComponentErrors", "numberComponentsDeployed")
    ] == ["Failed", "false", "4", "0"]
    # package.xml names Lead rules and fields the zip does not carry: each is its own failure.
    assert _failures(result) == [
        ("AssignmentRules", "Lead", "package.xml", None, "Error", "false"),
        ("CustomField", "Lead.Bad__c", "package.xml", None, "Error", "false"),
        ("CustomField", "Lead.Tier__c", "package.xml", None, "Error", "false"),
        ("Queue", "Bad_Q", "queues/Bad_Q.queue", "3", "Error", "false"),
    ]
    first = next(
        f for f in result.findall("m:details/m:componentFailures", M) if _text(f, "fullName") == "Lead"
    )
    assert _text(first, "problem") == (
        "An object 'Lead' of type AssignmentRules was named in package.xml, "
        "but was not found in zipped directory"
    )
    assert _org(app_db) == before


def _fault(root: etree._Element) -> tuple[str | None, str | None]:
    return root.findtext(".//faultcode"), root.findtext(".//faultstring")


@pytest.mark.parametrize("level", ["NoTestRun", "RunLocalTests", "RunAllTestsInOrg", "RunRelevantTests"])
def test_test_levels_run_no_tests(metadata: Metadata, level: str) -> None:
    result = metadata.deploy(
        {"package.xml": EMPTY},
        extra=f"<m:testLevel>{level}</m:testLevel>",
    )
    assert [
        _text(result, k)
        for k in ("status", "numberTestsTotal", "numberTestsCompleted", "numberTestErrors", "runTestsEnabled")
    ] == ["Succeeded", "0", "0", "0", "false"]


EMPTY = f'<Package xmlns="{MNS}"><version>66.0</version></Package>'


@pytest.mark.parametrize(
    ("level", "fault"),
    [
        ("RunSpecifiedTests", ("sf:INVALID_OPERATION", "INVALID_OPERATION: runTests must not be empty when a "
                                                       "testLevel of RunSpecifiedTests is used.")),
        ("RunSomeTests", ("soapenv:Client", "'RunSomeTests' is not a valid value for the enum 'TestLevel'")),
    ],
)
def test_refused_test_levels_are_faults(metadata: Metadata, level: str, fault: tuple[str, str]) -> None:
    body = (f"<m:deploy><m:ZipFile></m:ZipFile><m:DeployOptions><m:testLevel>{level}</m:testLevel>"
            "</m:DeployOptions></m:deploy>")
    assert _fault(metadata.call(body)) == fault
    assert metadata.status == 500


def test_run_specified_tests_with_run_tests(metadata: Metadata) -> None:
    named = metadata.deploy(
        {"package.xml": EMPTY},
        extra="<m:runTests>LeadTests</m:runTests><m:testLevel>RunSpecifiedTests</m:testLevel>",
    )
    assert _text(named, "status") == "Succeeded"


@pytest.mark.parametrize("part", ["String", "id"])  # the WSDL's part; jsforce's
def test_cancel_of_a_finished_deploy_is_refused(metadata: Metadata, part: str) -> None:
    started = metadata.call("<m:deploy><m:ZipFile></m:ZipFile><m:DeployOptions/></m:deploy>")
    request_id = started.findtext(".//m:result/m:id", namespaces=M)
    root = metadata.call(f"<m:cancelDeploy><m:{part}>{request_id}</m:{part}></m:cancelDeploy>")
    assert metadata.status == 500
    assert _fault(root) == ("sf:INVALID_ID_FIELD", "INVALID_ID_FIELD: Deployment already completed")
    unknown = metadata.call("<m:cancelDeploy><m:String>0Af000000000000AAA</m:String></m:cancelDeploy>")
    assert _fault(unknown)[0] == "sf:INVALID_ID_FIELD"
