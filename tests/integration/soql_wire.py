"""SOQL and SOSL through the doors for the corpus (test_soql_corpus.py, test_sosl.py): REST /query and
/search, SOAP query() and search() on the real wire (a TestClient and the in-process SOAP client), read back
into the engine's plain shapes (QueryPage / QueryRecord, QueryError), so one expected answer checks the engine
and both doors.

Values are read back the way a client does: REST's JSON types, with dates and dateTimes recognised by their
format; SOAP's xsi:type where Salesforce writes one (AggregateResult) and otherwise the field's type from the
describe (the Partner WSDL leaves sObject fields untyped, so zeep and simple-salesforce clients consult
describe too). A value that does not parse as its type (FORMAT(), toLabel()) stays text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from xml.sax.saxutils import escape

from fastapi.testclient import TestClient
from lxml import etree

from sfmock.core.errors import QueryError
from sfmock.core.schema import registry
from sfmock.soql.engine import QueryPage, QueryRecord
from tests.contract.test_soap_shapes import NS, XSI, Soap

V = "/services/data/v59.0"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(\+0000|Z)")
_POSITION = re.compile(r"ERROR at Row:(\d+):Column:(\d+)")
_NIL, _TYPE = f"{{{XSI}}}nil", f"{{{XSI}}}type"


def _datetime(text: str) -> dt.datetime:
    return dt.datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.UTC)


def _error(code: str, message: str, row: str | None = None, column: str | None = None) -> QueryError:
    """The QueryError a door answered; row and column None when the wire carries no position."""
    found = _POSITION.search(message)
    if row is None and found:
        row, column = found.groups()
    error = QueryError(code, message)
    error.row, error.column = (int(row), int(column)) if row is not None else (None, None)
    return error


# --- REST ---------------------------------------------------------------------------------------------------
def rest_query(client: TestClient, token: str, soql: str) -> QueryPage:
    response = client.get(f"{V}/query", params={"q": soql}, headers={"Authorization": f"Bearer {token}"})
    body = response.json()
    if response.status_code != 200:
        assert response.status_code == 400 and isinstance(body, list), response.text
        raise _error(body[0]["errorCode"], body[0]["message"])
    page = _rest_page(body)
    while "nextRecordsUrl" in body:
        body = client.get(body["nextRecordsUrl"], headers={"Authorization": f"Bearer {token}"}).json()
        page.records += _rest_page(body).records
    page.done, page.locator = True, None
    return page


def _rest_page(body: dict) -> QueryPage:
    return QueryPage(body["totalSize"], body["done"], [_rest_record(r) for r in body["records"]], None)


def _rest_record(body: dict) -> QueryRecord:
    attributes = body["attributes"]
    url = attributes.get("url")
    fields = [(name, _rest_value(value)) for name, value in body.items() if name != "attributes"]
    return QueryRecord(attributes["type"], url.rsplit("/", 1)[1] if url else None, fields)


def _rest_value(value: Any) -> Any:
    if isinstance(value, dict):
        return _rest_page(value) if "records" in value else _rest_record(value)
    if isinstance(value, str) and _DATETIME.fullmatch(value):
        return _datetime(value)
    if isinstance(value, str) and _DATE.fullmatch(value):
        return dt.date.fromisoformat(value)
    return value


# --- SOAP ---------------------------------------------------------------------------------------------------
def soap_query(soap: Soap, session: str, soql: str) -> QueryPage:
    response = soap.call(f"<u:query><u:queryString>{escape(soql)}</u:queryString></u:query>", session)
    root = etree.fromstring(response.content)
    _raise_fault(root)
    assert response.status_code == 200, response.text
    page = _soap_page(root.find(".//p:queryResponse/p:result", NS))
    while not page.done:
        locator = page.locator
        more = soap.call(f"<u:queryMore><u:queryLocator>{locator}</u:queryLocator></u:queryMore>", session)
        next_page = _soap_page(etree.fromstring(more.content).find(".//p:queryMoreResponse/p:result", NS))
        page.records += next_page.records
        page.done, page.locator = next_page.done, next_page.locator
    return page


def _raise_fault(root: etree._Element) -> None:
    fault = root.find(".//s:Fault", NS)
    if fault is not None:
        detail = fault.find("detail")[0]
        code = detail.findtext("{*}exceptionCode")
        raise _error(code, detail.findtext("{*}exceptionMessage"), detail.findtext("{*}row"),
                     detail.findtext("{*}column"))


def _soap_page(node: etree._Element) -> QueryPage:
    records = [_soap_record(r) for r in node.findall("p:records", NS)]
    done = node.findtext("p:done", namespaces=NS) == "true"
    locator = node.findtext("p:queryLocator", namespaces=NS)
    return QueryPage(int(node.findtext("p:size", namespaces=NS)), done, records, locator)


def _soap_record(node: etree._Element) -> QueryRecord:
    sobject = node.findtext("sf:type", namespaces=NS)
    first_id = node.find("sf:Id", NS)
    fields = []
    for child in node:
        if child is first_id or etree.QName(child).localname == "type":
            continue
        fields.append((etree.QName(child).localname, _soap_value(sobject, child)))
    return QueryRecord(sobject, None if first_id.get(_NIL) == "true" else first_id.text, fields)


def _soap_value(sobject: str, node: etree._Element) -> Any:
    if node.get(_NIL) == "true":
        return None
    kind = node.get(_TYPE)
    if kind == "sf:sObject":
        return _soap_record(node)
    if kind == "QueryResult":
        return _soap_page(node)
    if kind is None:
        obj = registry.get(sobject)
        field = obj.field(etree.QName(node).localname) if obj else None
        kind = f"xsd:{field.type}" if field else "xsd:string"
    return _typed(kind.removeprefix("xsd:"), node.text or "")


def _typed(kind: str, text: str) -> Any:
    try:
        if kind in ("int",):
            return int(text)
        if kind in ("double", "currency", "percent"):
            return float(text)
        if kind == "boolean":
            return {"true": True, "false": False}[text]
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind in ("dateTime", "datetime"):
            return _datetime(text)
    except (ValueError, KeyError):
        return text  # FORMAT() / toLabel() text on a typed field
    return text


# --- SOSL ---------------------------------------------------------------------------------------------------
def rest_search(client: TestClient, token: str, sosl: str) -> list[QueryRecord]:
    response = client.get(f"{V}/search", params={"q": sosl}, headers={"Authorization": f"Bearer {token}"})
    body = response.json()
    if response.status_code != 200:
        assert response.status_code == 400 and isinstance(body, list), response.text
        raise _error(body[0]["errorCode"], body[0]["message"])
    return [_rest_record(r) for r in body["searchRecords"]]


def soap_search(soap: Soap, session: str, sosl: str) -> list[QueryRecord]:
    response = soap.call(f"<u:search><u:searchString>{escape(sosl)}</u:searchString></u:search>", session)
    root = etree.fromstring(response.content)
    _raise_fault(root)
    assert response.status_code == 200, response.text
    found = root.findall(".//p:searchResponse/p:result/p:searchRecords/p:record", NS)
    return [_soap_record(r) for r in found]
