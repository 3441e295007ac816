"""The Metadata API's spyne types (app/metadata/types.py) against Salesforce's own Metadata WSDL v66
(../shared/reference/metadata-66.wsdl, read where it sits beside the project, never copied): every element
of every type we declare, in order, with its minOccurs and maxOccurs; the operations' parts likewise. The
orders clients read are also pinned here, so the check never depends on the reference file alone."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from sfmock.metadata import types as t
from sfmock.metadata.service import application

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "metadata-66.wsdl"
XSD = "http://www.w3.org/2001/XMLSchema"
OURS = {cls.get_type_name(): cls for cls in vars(t).values()
        if isinstance(cls, type) and issubclass(cls, t.ComplexModel) and cls is not t.ComplexModel
        and cls.get_namespace() == t.MNS}


needs_reference = pytest.mark.skipif(not REFERENCE.exists(),
                                     reason="../shared/reference/metadata-66.wsdl is not beside the project")


def _ours(cls: type) -> list[tuple[str, int, bool]]:
    return [(name, inner.Attributes.min_occurs, inner.Attributes.max_occurs > 1)
            for name, inner in cls.get_flat_type_info(cls).items()]


def _theirs(node: etree._Element) -> list[tuple[str, int, bool]]:
    return [(e.get("name"), int(e.get("minOccurs", "1")), e.get("maxOccurs") == "unbounded")
            for e in node.iter(f"{{{XSD}}}element")]


def test_deploy_message_and_async_result_in_wsdl_order() -> None:
    assert [n for n, _, _ in _ours(t.DeployMessage)] == [
        "changed", "columnNumber", "componentType", "created", "createdDate", "deleted", "fileName",
        "fullName", "id", "lineNumber", "problem", "problemType", "success"]
    assert [n for n, _, _ in _ours(t.AsyncResult)] == ["done", "id", "message", "state", "statusCode"]
    assert [n for n, _, _ in _ours(t.DeployDetails)][:2] == ["componentFailures", "componentSuccesses"]


# The types sfmock writes: their cardinalities are checked too. Request types and headers are read leniently
# (every element optional: jsforce and the sf CLI send only some DeployOptions, §4.1), so only their names
# and order are.
WRITTEN = {"AsyncResult", "CancelDeployResult", "DeployMessage", "RetrieveMessage", "FileProperties",
           "RetrieveResult", "DeployDetails", "DeployResult", "DescribeMetadataObject",
           "DescribeMetadataResult", "ReadResult", "Error", "SaveResult", "UpsertResult", "DeleteResult"}


@needs_reference
@pytest.mark.parametrize("name", sorted(OURS))
def test_type_matches_salesforce(name: str) -> None:
    schema = etree.parse(str(REFERENCE))
    found = schema.find(f".//{{{XSD}}}complexType[@name='{name}']")
    theirs = _theirs(found) if found is not None else \
        _theirs(schema.find(f".//{{{XSD}}}element[@name='{name}']"))[1:]  # a header: its element's children
    if found is not None and found.find(f".//{{{XSD}}}extension[@base='tns:Metadata']") is not None:
        theirs = [("fullName", 0, False), *theirs]  # Metadata's own element comes first
    ours = _ours(OURS[name])
    names = [n for n, _, _ in theirs]
    assert [n for n, _, _ in ours] == [n for n in names if n in {o[0] for o in ours}], (name, ours, theirs)
    if name in WRITTEN:
        assert [o for o in ours if o in theirs] == ours, (name, ours, theirs)
        # What sfmock leaves out (runTestResult, extended error details) is optional in theirs.
        assert all(th[1] == 0 for th in theirs if th[0] not in {o[0] for o in ours}), name


@needs_reference
def test_operations_parts_match_salesforce() -> None:
    schema = etree.parse(str(REFERENCE))
    for key, [method] in application.interface.service_method_map.items():
        operation = key.partition("}")[2]
        theirs = [e.get("name") for e in schema.find(f".//{{{XSD}}}element[@name='{operation}']")
                  .iter(f"{{{XSD}}}element")][1:]
        ours = list(method.in_message._type_info)
        # retrieve also reads jsforce's `request` (§4.1), cancelDeploy jsforce's `id`.
        extra = {"retrieve": "request", "cancelDeploy": "id"}.get(operation)
        assert [p for p in ours if p != extra] == theirs, operation


def _enumeration(schema: etree._ElementTree, name: str) -> list[str]:
    return [e.get("value") for e in schema.find(f".//{{{XSD}}}simpleType[@name='{name}']")
            .iter(f"{{{XSD}}}enumeration")]


# What sfmock writes or reads in the WSDL's enumerations (app/orgs/deploy.py DeployOutcome.status,
# app/metadata/deploy_requests.TEST_LEVELS, the StatusCode of its DeleteResult / SaveResult errors).
WRITTEN_STATUSES = {"Succeeded", "SucceededPartial", "Failed"}
ERROR_CODES = {"INVALID_CROSS_REFERENCE_KEY", "INVALID_OPERATION", "FIELD_INTEGRITY_EXCEPTION",
               "DUPLICATE_DEVELOPER_NAME", "INVALID_TYPE", "INVALID_ID_FIELD"}


def test_deploy_status_and_test_levels_pinned() -> None:
    from sfmock.metadata.deploy_requests import TEST_LEVELS

    assert TEST_LEVELS == ("NoTestRun", "RunSpecifiedTests", "RunLocalTests", "RunAllTestsInOrg",
                           "RunRelevantTests")
    assert [n for n, _, _ in _ours(t.CancelDeployResult)] == ["done", "id"]


@needs_reference
def test_enumerations_match_salesforce() -> None:
    from sfmock.metadata.deploy_requests import TEST_LEVELS

    schema = etree.parse(str(REFERENCE))
    assert list(TEST_LEVELS) == _enumeration(schema, "TestLevel")
    assert WRITTEN_STATUSES <= set(_enumeration(schema, "DeployStatus"))
    assert ERROR_CODES <= set(_enumeration(schema, "StatusCode"))
    assert "Error" in _enumeration(schema, "DeployProblemType")
