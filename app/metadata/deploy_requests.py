"""A deploy request, whichever door it came through (SOAP `deploy` / `checkDeployStatus` / `cancelDeploy`,
app/metadata/operations.py; REST `…/metadata/deployRequest`, app/rest/deploy_requests.py): its options
checked, the one deploy core run (app/orgs/deploy.py), the DeployResult stored under its 0Af id.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sfmock import calls
from sfmock.core.errors import CallError
from sfmock.metadata.results import deploy_result
from sfmock.orgs.deploy import deploy as deploy_zip
from sfmock.persistence import metadata_requests as requests

# DeployOptions.testLevel, the TestLevel enumeration of the Metadata WSDL v66.
TEST_LEVELS = ("NoTestRun", "RunSpecifiedTests", "RunLocalTests", "RunAllTestsInOrg", "RunRelevantTests")
BAD_ID = "INVALID_ID_FIELD"


class BadOption(ValueError):
    """A DeployOptions value the request cannot carry (each door answers it in its own form)."""


def check_options(options: dict[str, Any]) -> None:
    """testLevel: one of the WSDL's values; RunSpecifiedTests needs runTests. sfmock has no Apex, so every
    level runs no test (numberTestsTotal 0, as a deploy with no tests to run)."""
    level = options.get("testLevel")
    if level is not None and level not in TEST_LEVELS:
        # The Metadata API's wording for a value outside an enumeration (as in deploy messages:
        # "'Formula' is not a valid value for the enum 'FieldType'") [UNCONFIRMED for a call argument].
        raise BadOption(f"'{level}' is not a valid value for the enum 'TestLevel'")
    tests = options.get("runTests") or []
    if not isinstance(tests, list | tuple) or not all(isinstance(t, str) for t in tests):
        raise BadOption("runTests must be a list of test class names")
    if level == "RunSpecifiedTests" and not [t for t in tests if t]:
        # Salesforce's refusal, as the sf CLI prints it ("INVALID_OPERATION: runTests must not be empty when
        # a testLevel of RunSpecifiedTests is used.").
        raise CallError("INVALID_OPERATION",
                        "runTests must not be empty when a testLevel of RunSpecifiedTests is used.")


def start(call: calls.ApiCall, data: bytes, options: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Runs the deploy in the call's transaction and stores its result: (0Af id, DeployResult).

    rollbackOnError left out is false (DeployOptions: "The default is false"); false is honoured, as in
    the Developer Edition and sandbox orgs sfmock's orgs behave as (describeMetadata testRequired=false;
    "This parameter must be set to true if you are deploying to a production org")."""
    check_options(options)
    outcome = deploy_zip(call.store, data, check_only=bool(options.get("checkOnly")),
                         user_id=call.user["Id"], rollback_on_error=options.get("rollbackOnError") is True,
                         ignore_warnings=options.get("ignoreWarnings") is True)
    request_id = call.store.new_ids("0Af")[0]
    # deployOptions kept beside the result for the REST door's answers (the SOAP writer reads WSDL fields).
    result = deploy_result(request_id, outcome, options, call.user, datetime.now(UTC)) | {
        "deployOptions": options}
    requests.save(call.sql, call.org.org_id, request_id, "deploy", result)
    return request_id, result


def stored(call: calls.ApiCall, request_id: str | None, kind: str = "deploy") -> dict[str, Any]:
    """The stored DeployResult (or, kind "retrieve", RetrieveResult) of one of the org's requests."""
    found = requests.find(call.sql, call.org.org_id, request_id or "", kind)
    if found is None:
        # Salesforce's answer for an id it does not know [UNCONFIRMED wording].
        raise CallError(BAD_ID, f"invalid AsyncRequest id: {request_id}")
    return found


def cancel(call: calls.ApiCall, request_id: str | None) -> None:
    """A sfmock deploy is finished by the time its id is known, and Salesforce refuses to cancel a finished
    deploy: INVALID_ID_FIELD "Deployment already completed" (the sf CLI's "The cancel command failed due
    to: INVALID_ID_FIELD: Deployment already completed", salesforcecli/plugin-source#513)."""
    stored(call, request_id)
    raise CallError(BAD_ID, "Deployment already completed")
