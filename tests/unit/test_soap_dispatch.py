"""The in-process spyne dispatch, without a database: the Body's first element picks the @rpc method, its
arguments are read by the spyne declaration, headers by the method's `_in_header`, and errors stay on the
context (spyne never logs them)."""
from __future__ import annotations

import importlib
import logging
import sys
from typing import Any

import pytest

from sfmock.core.errors import CallError
from sfmock.core.options import ACTIVE_RULE
from sfmock.core.results import RecordInput
from sfmock.settings import Settings
from sfmock.soap import operations
from sfmock.soap.context import SoapContext
from sfmock.soap.dispatch import Dispatcher
from sfmock.soap.envelope import parse
from sfmock.soap.faults import SoapFault

ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def _envelope(body: str, headers: str = "") -> bytes:
    return (f'<s:Envelope xmlns:s="{ENV}" xmlns:u="urn:partner.soap.sforce.com" '
            f'xmlns:o="urn:sobject.partner.soap.'
            f'sforce.com"><s:Header>{headers}</s:Header><s:Body>{body}</s:Body></s:Envelope>').encode()


def _context(version: str = "59.0") -> SoapContext:
    return SoapContext(Settings(), None, version, "http://sfmock.test")


@pytest.fixture(scope="module")
def dispatcher() -> Dispatcher:
    return Dispatcher()


def test_every_wsdl_operation_is_dispatchable(dispatcher: Dispatcher) -> None:
    assert sorted(dispatcher.methods) == sorted([
        "login", "logout", "getUserInfo", "getServerTimestamp", "create", "update", "upsert", "delete",
        "retrieve",
        "query", "queryAll", "queryMore", "search", "describeSObject", "describeSObjects", "describeGlobal",
        "undelete", "emptyRecycleBin", "getUpdated", "getDeleted", "merge", "describeTabs", "describeLayout",
        "convertLead"])


def test_arguments_and_headers_reach_the_operation(dispatcher: Dispatcher,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_create(ctx: SoapContext, records: list[RecordInput]) -> list[dict]:
        seen.update(ctx=ctx, records=records)
        return [{"id": "00Q000000000001AAA", "success": True, "errors": []}]

    monkeypatch.setattr(operations, "create", fake_create)
    context = _context()
    outcome = dispatcher.call(parse(_envelope(
        "<u:create><u:sObjects><o:type>Lead</o:type><o:LastName>A</o:LastName></u:sObjects>"
        "<u:sObjects><o:type>Case</o:type></u:sObjects></u:create>",
        "<u:SessionHeader><u:sessionId>S</u:sessionId></u:SessionHeader>"
        "<u:AssignmentRuleHeader><u:useDefaultRule>1</u:useDefaultRule></u:AssignmentRuleHeader>")), context)
    assert [r.sobject for r in seen["records"]] == ["Lead", "Case"]
    assert seen["records"][0].values == {"LastName": "A"}
    assert (context.headers.session_id, context.headers.assignment, context.operation) == ("S", ACTIVE_RULE,
                                                                                           "create")
    assert outcome.message.get_type_name() == "createResponse"
    assert outcome.result[0]["id"] == "00Q000000000001AAA"


def test_scalar_list_and_int_arguments(dispatcher: Dispatcher, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []
    monkeypatch.setattr(operations, "retrieve", lambda ctx, *args: calls.append(args) or [])
    monkeypatch.setattr(operations, "describe_sobjects", lambda ctx, *args: calls.append(args) or [])
    dispatcher.call(
        parse(
            _envelope(
                "<u:retrieve><u:fieldList>Id, Name</u:fieldList><u:sObjectType>Lead"
                "</u:sObjectType><u:ids>a</u:ids><u:ids>b</u:ids></u:retrieve>"
            )
        ),
        _context(),
    )
    dispatcher.call(parse(_envelope("<u:describeSObjects><u:sObjectType>Lead</u:sObjectType></u:describeSObjects>")),
                    _context())
    assert calls == [("Id, Name", "Lead", ["a", "b"]), (["Lead"],)]


def test_unknown_operations_are_client_faults(dispatcher: Dispatcher) -> None:
    with pytest.raises(SoapFault) as caught:
        dispatcher.call(parse(_envelope("<u:describeSoftphoneLayout/>")), _context())
    assert caught.value.faultcode == "soapenv:Client"


def test_login_is_refused_from_65_before_any_database_work(dispatcher: Dispatcher,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(CallError) as caught:
        dispatcher.call(parse(_envelope("<u:login><u:username>a</u:username><u:password>b</u:password>"
                                        "</u:login>")), _context("65.0"))
    assert caught.value.code == "INVALID_OPERATION"
    assert not [r for r in caplog.records if r.exc_info]  # spyne logged no traceback


def test_the_soql_engine_is_imported_with_the_door(monkeypatch: pytest.MonkeyPatch) -> None:
    """No fallback: a build without sfmock.soql.engine fails when the door is imported, instead of answering
    every query with a MALFORMED_QUERY fault."""
    import sfmock.soql

    monkeypatch.setitem(sys.modules, "sfmock.soql.engine", None)  # "import sfmock.soql.engine" raises
    monkeypatch.delattr(sfmock.soql, "engine", raising=False)
    monkeypatch.delitem(sys.modules, "sfmock.soap.operations")
    with pytest.raises(ImportError, match=r"sfmock\.soql\.engine"):
        importlib.import_module("sfmock.soap.operations")
