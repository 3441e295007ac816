"""The SOAP door on the migrated demo database, in-process: assignment rules and notification mail by header,
record operations, describe, sessions shared with OAuth, transport (SOAPAction, gzip, chunked, size) and
hostile XML."""
from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from lxml import etree

from sfmock.main import create_app
from sfmock.persistence.tables import outbox
from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import NS, PASSWORD, XSI, Soap, envelope, soap

__all__ = ["soap"]

ASSIGN = "<u:AssignmentRuleHeader><u:useDefaultRule>true</u:useDefaultRule></u:AssignmentRuleHeader>"
MAIL = ("<u:EmailHeader><u:triggerAutoResponseEmail>false</u:triggerAutoResponseEmail>"
        "<u:triggerOtherEmail>false"
        "</u:triggerOtherEmail><u:triggerUserEmail>true</u:triggerUserEmail></u:EmailHeader>")
ENTERPRISE = {"LastName": "Kumar", "Company": "Tata", "Country": "India", "AnnualRevenue": "20000000"}
ENTERPRISE_MAIL = {"enterprise-india@acme.example", "priya.rep@acme.example", "raj.rep@acme.example"}


def sobject(kind: str, **fields: str) -> str:
    inner = "".join(f"<o:{k}>{v}</o:{k}>" for k, v in fields.items())
    return f"<u:sObjects><o:type>{kind}</o:type>{inner}</u:sObjects>"


def _value(parent: etree._Element, name: str) -> str | None:
    found = parent.find(name, NS)
    return None if found is None or found.get(f"{{{XSI}}}nil") == "true" else (found.text or "")


def results(response: httpx.Response, operation: str = "create") -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    out = []
    for result in etree.fromstring(response.content).findall(f".//p:{operation}Response/p:result", NS):
        out.append({
            "id": _value(result, "p:id"), "success": _value(result, "p:success"),
            "created": _value(result, "p:created"),
            "errors": [(e.findtext("p:statusCode", namespaces=NS), e.findtext("p:message", namespaces=NS),
                        [f.text for f in e.findall("p:fields", NS)]) for e in result.findall("p:errors", NS)],
        })
    return out


def fault_code(response: httpx.Response) -> str:
    assert response.status_code == 500, response.text
    return etree.fromstring(response.content).findtext(".//s:Fault/faultcode", namespaces=NS)


def retrieve(soap: Soap, session: str, record_id: str, fields: str = "OwnerId", kind: str = "Lead") -> dict:
    response = soap.call(f"<u:retrieve><u:fieldList>{fields}</u:fieldList>"
                         f"<u:sObjectType>{kind}</u:sObjectType>"
                         f"<u:ids>{record_id}</u:ids></u:retrieve>", session)
    assert response.status_code == 200, response.text
    record = etree.fromstring(response.content).find(".//p:retrieveResponse/p:result", NS)
    if record.get(f"{{{XSI}}}nil") == "true":
        return {}
    return {etree.QName(c).localname: None if c.get(f"{{{XSI}}}nil") == "true" else c.text for c in record}


def mail(app_db: DemoDb) -> list[dict[str, Any]]:
    with app_db.db.session() as sql:
        return [dict(r) for r in sql.execute(sa.select(outbox).order_by(outbox.c.id)).mappings()]


# ---- assignment and mail -----------------------------------------------------------------------------------
def test_default_rule_with_user_email_assigns_and_notifies(soap: Soap, app_db: DemoDb) -> None:
    session = soap.login()
    [result] = results(soap.call(f"<u:create>{sobject('Lead', **ENTERPRISE)}</u:create>", session,
                                 ASSIGN + MAIL))
    assert result["success"] == "true"
    assert retrieve(soap, session, result["id"])["OwnerId"] == app_db.org.queue_ids["Enterprise_India_Queue"]
    sent = mail(app_db)
    assert {m["recipient"] for m in sent} == ENTERPRISE_MAIL
    assert {m["subject"] for m in sent} == {"New enterprise lead assigned to you: Kumar from Tata"}
    assert {(m["record_id"], m["api"], m["reason"]) for m in sent} == {(result["id"], "soap", "assignment")}


def test_rule_without_email_header_assigns_silently(soap: Soap, app_db: DemoDb) -> None:
    session = soap.login()
    [result] = results(soap.call(f"<u:create>{sobject('Lead', **ENTERPRISE)}</u:create>", session, ASSIGN))
    assert retrieve(soap, session, result["id"])["OwnerId"] == app_db.org.queue_ids["Enterprise_India_Queue"]
    assert mail(app_db) == []


def test_no_headers_no_rule_the_caller_owns(soap: Soap, app_db: DemoDb) -> None:
    session = soap.login()
    [result] = results(soap.call(f"<u:create>{sobject('Lead', **ENTERPRISE)}</u:create>", session, MAIL))
    assert retrieve(soap, session, result["id"])["OwnerId"] == app_db.org.user_ids["admin@acme.example"]
    assert mail(app_db) == []


@pytest.mark.parametrize("length", [18, 15])
def test_a_rule_id_runs_that_rule(soap: Soap, app_db: DemoDb, length: int) -> None:
    rule_id = app_db.org.rule_ids["Lead/Standard Routing"][:length]
    header = (f"<u:AssignmentRuleHeader><u:assignmentRuleId>{rule_id}</u:assignmentRuleId>"
              "</u:AssignmentRuleHeader>")
    session = soap.login()
    [result] = results(soap.call(f"<u:create>{sobject('Lead', LastName='S', Company='C', Country='India')}"
                                 "</u:create>", session, header))
    assert retrieve(soap, session, result["id"])["OwnerId"] == app_db.org.queue_ids["India_SMB_Queue"]
    bad = "<u:AssignmentRuleHeader><u:assignmentRuleId>nope</u:assignmentRuleId></u:AssignmentRuleHeader>"
    assert fault_code(soap.call(f"<u:create>{sobject('Lead', LastName='S', Company='C')}</u:create>", session,
                                bad)) == "sf:MALFORMED_ID"


def test_escalated_case_goes_to_test_user(soap: Soap, app_db: DemoDb) -> None:
    session = soap.login()
    [result] = results(soap.call(f"<u:create>{sobject('Case', Subject='Down', IsEscalated='1')}</u:create>",
                                 session, ASSIGN))
    assert retrieve(soap, session, result["id"],
                    kind="Case")["OwnerId"] == app_db.org.user_ids["testuser@org.com"]


# ---- record operations -------------------------------------------------------------------------------------
def test_required_field_missing_is_a_record_error_not_a_fault(soap: Soap) -> None:
    rows = results(soap.call(f"<u:create>{sobject('Lead', Company='Acme')}"
                             f"{sobject('Lead', LastName='Ok', Company='A')}</u:create>", soap.login()))
    assert rows[0] == {"id": None, "success": "false", "created": None,
                       "errors": [("REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]",
                                   ["LastName"])]}
    assert rows[1]["success"] == "true" and rows[1]["errors"] == []


def test_all_or_none_rolls_back_the_good_records(soap: Soap) -> None:
    session = soap.login()
    header = "<u:AllOrNoneHeader><u:allOrNone>true</u:allOrNone></u:AllOrNoneHeader>"
    rows = results(soap.call(f"<u:create>{sobject('Lead', LastName='Good', Company='A')}"
                             f"{sobject('Lead', Company='Bad')}</u:create>", session, header))
    assert [r["success"] for r in rows] == ["false", "false"]
    assert rows[0]["errors"][0][0] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert rows[1]["errors"][0][0] == "REQUIRED_FIELD_MISSING"


def test_two_hundred_records_in_one_call(soap: Soap) -> None:
    rows = results(soap.call("<u:create>" + sobject("Lead", LastName="L", Company="C") * 200 + "</u:create>",
                             soap.login()))
    assert len(rows) == 200 and {r["success"] for r in rows} == {"true"}
    assert len({r["id"] for r in rows}) == 200


def test_update_upsert_delete_and_retrieve(soap: Soap) -> None:
    session = soap.login()
    [created] = results(soap.call(f"<u:create>{sobject('Lead', LastName='Up', Company='C', Email='a@b.co')}"
                                  "</u:create>", session))
    lead_id = created["id"]
    update = (f"<u:update><u:sObjects><o:type>Lead</o:type><o:fieldsToNull>Email</o:fieldsToNull>"
              f"<o:Id>{lead_id}</o:Id><o:Title>CEO</o:Title></u:sObjects></u:update>")
    assert results(soap.call(update, session), "update")[0]["success"] == "true"
    row = retrieve(soap, session, lead_id, "Id, Title, Email, IsConverted, NumberOfEmployees")
    assert row == {"type": "Lead", "Id": lead_id, "Title": "CEO", "Email": None, "IsConverted": "false",
                   "NumberOfEmployees": None}
    upsert = (f"<u:upsert><u:externalIDFieldName>Id</u:externalIDFieldName>"
              f"{sobject('Lead', LastName='New', Company='C')}"
              f"<u:sObjects><o:type>Lead</o:type><o:Id>{lead_id}</o:Id><o:Title>CTO</o:Title></u:sObjects></u:upsert>")
    new, old = results(soap.call(upsert, session), "upsert")
    assert (new["success"], new["created"], old["success"], old["created"], old["id"]) == \
        ("true", "true", "true", "false", lead_id)
    deleted = results(soap.call(f"<u:delete><u:ids>{lead_id}</u:ids><u:ids>{new['id']}</u:ids></u:delete>",
                                session), "delete")
    assert [(d["id"], d["success"]) for d in deleted] == [(lead_id, "true"), (new["id"], "true")]
    assert retrieve(soap, session, lead_id) == {}  # a deleted record comes back as <result xsi:nil="true"/>


def test_query_and_query_more_honour_batch_size(soap: Soap) -> None:
    session = soap.login()
    for _ in range(2):
        results(soap.call("<u:create>" + sobject("Lead", LastName="Batch", Company="C") * 125 + "</u:create>",
                          session))
    options = "<u:QueryOptions><u:batchSize>200</u:batchSize></u:QueryOptions>"
    first = etree.fromstring(soap.call("<u:query><u:queryString>SELECT Id FROM Lead WHERE LastName = 'Batch'"
                                       "</u:queryString></u:query>", session, options).content)
    assert (first.findtext(".//p:done", namespaces=NS),
            first.findtext(".//p:size", namespaces=NS)) == ("false", "250")
    assert len(first.findall(".//p:records", NS)) == 200
    locator = first.findtext(".//p:queryLocator", namespaces=NS)
    more = etree.fromstring(soap.call(f"<u:queryMore><u:queryLocator>{locator}</u:queryLocator>"
                                      f"</u:queryMore>",
                                      session, options).content)
    assert more.findtext(".//p:done", namespaces=NS) == "true"
    assert len(more.findall(".//p:records", NS)) == 50
    assert more.find(".//p:queryLocator", NS).get(f"{{{XSI}}}nil") == "true"


def test_describe_calls(soap: Soap) -> None:
    session = soap.login()
    lead = etree.fromstring(soap.call("<u:describeSObject><u:sObjectType>lead</u:sObjectType>"
                                      "</u:describeSObject>",
                                      session).content).find(".//p:result", NS)
    assert (lead.findtext("p:name", namespaces=NS),
            lead.findtext("p:keyPrefix", namespaces=NS)) == ("Lead", "00Q")
    fields = {f.findtext("p:name", namespaces=NS): f for f in lead.findall("p:fields", NS)}
    assert fields["LastName"].findtext("p:nillable", namespaces=NS) == "false"
    assert fields["AnnualRevenue"].findtext("p:soapType", namespaces=NS) == "xsd:double"
    assert "PasswordHash" not in fields
    both = etree.fromstring(soap.call("<u:describeSObjects><u:sObjectType>Lead</u:sObjectType>"
                                      "<u:sObjectType>Case"
                                      "</u:sObjectType></u:describeSObjects>", session).content)
    assert [r.findtext("p:name", namespaces=NS) for r in both.findall(".//p:result", NS)] == ["Lead", "Case"]
    listed = etree.fromstring(soap.call("<u:describeGlobal/>", session).content)
    assert {"Lead", "Case",
            "User"} <= {s.findtext("p:name", namespaces=NS) for s in listed.iter(f"{{{NS['p']}}}sobjects")}
    assert fault_code(soap.call("<u:describeSObject><u:sObjectType>Foo</u:sObjectType></u:describeSObject>",
                                session)) == "sf:INVALID_TYPE"


# ---- sessions ----------------------------------------------------------------------------------------------
def test_logout_ends_the_session(soap: Soap) -> None:
    session = soap.login()
    assert soap.call("<u:logout/>", session).status_code == 200
    assert fault_code(soap.call("<u:getUserInfo/>", session)) == "sf:INVALID_SESSION_ID"
    assert fault_code(soap.post(envelope("<u:getUserInfo/>"))) == "sf:INVALID_SESSION_ID"  # no SessionHeader


def test_oauth_tokens_and_soap_sessions_are_one_kind(soap: Soap) -> None:
    async def rest(method: str, url: str, **kwargs: Any) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=soap.app),
                                     base_url="https://sfmock.test") as c:
            return await c.request(method, url, **kwargs)

    token = asyncio.run(rest("POST", "/services/oauth2/token", data={
        "grant_type": "password", "client_id": "sfmock-demo-client", "client_secret": "sfmock-demo-secret",
        "username": "admin@acme.example", "password": PASSWORD})).json()["access_token"]
    assert soap.call("<u:getUserInfo/>", token).status_code == 200
    session = soap.login()
    described = asyncio.run(rest("GET", "/services/data/v59.0/sobjects/Lead/describe",
                                 headers={"Authorization": f"Bearer {session}"}))
    assert described.status_code == 200 and described.json()["name"] == "Lead"


# ---- transport -------------------------------------------------------------------------------------------
LOGIN = envelope(f"<u:login><u:username>admin@acme.example</u:username><u:password>{PASSWORD}</u:password>"
                 "</u:login>")


@pytest.mark.parametrize("headers",
                         [{"SOAPAction": "login"}, {"SOAPAction": '""'}, {"SOAPAction": "create"}, {}])
def test_dispatch_ignores_soap_action(soap: Soap, headers: dict[str, str]) -> None:
    response = soap.post(LOGIN, headers={"Content-Type": "text/xml"} | headers)
    assert b"<loginResponse>" in response.content


def test_server_url_form_with_org_id(soap: Soap, app_db: DemoDb) -> None:
    path = f"/services/Soap/u/59.0/{app_db.org.org_id[:15]}"
    assert soap.post(envelope("<u:getServerTimestamp/>", f"<u:SessionHeader><u:sessionId>{soap.login()}"
                              "</u:sessionId></u:SessionHeader>"), path=path).status_code == 200


def test_gzip_deflate_and_chunked_bodies(soap: Soap) -> None:
    for encoded, encoding in ((gzip.compress(LOGIN.encode()), "gzip"),
                              (zlib.compress(LOGIN.encode()), "deflate")):
        response = soap.post(encoded, headers={"Content-Type": "text/xml", "Content-Encoding": encoding})
        assert b"<loginResponse>" in response.content

    async def chunks() -> AsyncIterator[bytes]:
        data = LOGIN.encode()
        for start in range(0, len(data), 37):
            yield data[start:start + 37]

    async def send() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=soap.app),
                                     base_url="http://t") as client:
            return await client.post("/services/Soap/u/59.0", content=chunks(),
                                     headers={"Content-Type": "text/xml"})

    assert b"<loginResponse>" in asyncio.run(send()).content


@pytest.fixture
def small(app_db: DemoDb) -> Soap:
    return Soap(create_app(app_db.settings.model_copy(update={"max_body_bytes": 4096}), app_db.db))


def test_bodies_over_the_limit_are_refused(small: Soap) -> None:
    big = envelope("<u:login><u:username>" + "x" * 5000 + "</u:username><u:password>p</u:password></u:login>")
    assert fault_code(small.post(big)) == "sf:EXCEEDED_MAX_SIZE_REQUEST"
    bomb = gzip.compress(b"<a>" + b" " * 50_000_000 + b"</a>")  # 50 MB of spaces in ~50 KB
    assert len(bomb) < 100_000
    assert fault_code(small.post(bomb,
                                 headers={"Content-Encoding": "gzip"})) == "sf:EXCEEDED_MAX_SIZE_REQUEST"
    small_bomb = gzip.compress(b" " * 10_000_000)[:4000]  # within the wire limit, inflating past it
    assert fault_code(small.post(small_bomb,
                                 headers={"Content-Encoding": "gzip"})) == "sf:EXCEEDED_MAX_SIZE_REQUEST"
    assert fault_code(small.post(b"not gzip", headers={"Content-Encoding": "gzip"})) == "soapenv:Client"
    assert fault_code(small.post(LOGIN, headers={"Content-Encoding": "br"})) == "soapenv:Client"


def test_hostile_xml_is_refused_and_leaks_nothing(soap: Soap) -> None:
    xxe = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           + LOGIN.replace("admin@acme.example", "&x;"))
    laughs = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b '
              '"&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' + LOGIN.replace("admin@acme.example", "&c;"))
    deep = envelope("<a>" * 150 + "</a>" * 150)
    for body in (xxe, laughs, deep):
        response = soap.post(body)
        assert fault_code(response) == "soapenv:Client"
        assert b"root:" not in response.content and b"aaaaaaaaaa" not in response.content
        assert b"<detail>" not in response.content


def test_the_wsdl_is_served_with_the_callers_address(soap: Soap) -> None:
    async def get(url: str) -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=soap.app),
                                     base_url="http://h:1234") as c:
            return await c.get(url)

    served = asyncio.run(get("/services/Soap/u/61.0?wsdl"))
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/xml")
    address = etree.fromstring(served.content).find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
    assert address.get("location") == "http://h:1234/services/Soap/u/61.0"
    assert asyncio.run(get("/services/Soap/u/61.0")).status_code == 405
    assert fault_code(asyncio.run(get("/services/Soap/u/12.0?wsdl"))) == "sf:UNSUPPORTED_API_VERSION"


def test_calls_are_journalled_with_their_headers(soap: Soap, app_db: DemoDb) -> None:
    from sfmock.persistence.journal import list_entries

    session = soap.login()
    results(soap.call(f"<u:create>{sobject('Lead', **ENTERPRISE)}{sobject('Lead', Company='NoName')}"
                      "</u:create>",
                      session, ASSIGN + MAIL.replace("<u:triggerOtherEmail>false", "<u:triggerOtherEmail>1")))
    soap.call("<u:create><u:sObjects><o:type>Foo</o:type></u:sObjects></u:create>", session)
    with app_db.db.session() as sql:
        entries = list_entries(sql, app_db.org.org_id, door="soap")
    assert [(e["operation"], e["sobject"], e["assignment"], e["results"], e["error"]) for e in entries] == [
        ("create", "Lead", "default", ["OK", "REQUIRED_FIELD_MISSING"], None),
        ("create", None, None, [], "INVALID_TYPE"),
    ]
    assert entries[0]["email"] == {"triggerAutoResponseEmail": False, "triggerOtherEmail": True,
                                   "triggerUserEmail": True}


def test_the_journal_names_each_type_once_by_its_canonical_name(soap: Soap, app_db: DemoDb) -> None:
    """Types arrive in any case (Salesforce's names are case-insensitive); the journal holds each one once, as
    the schema spells it, in first-seen order - never the types as sent, joined past the column's width."""
    from sfmock.persistence.journal import list_entries

    session = soap.login()
    spellings = ["lead", "CASE", "Lead", "LEAD", "lEAD", "case", "Case", "cAsE", "LeAd", "lead"]
    records = "".join(sobject(kind, LastName="V", Company="C") if kind.lower() == "lead" else
                      sobject(kind, Subject="V") for kind in spellings)
    created = results(soap.call(f"<u:create>{records}</u:create>", session))
    assert [r["success"] for r in created] == ["true"] * len(spellings)
    with app_db.db.session() as sql:
        [entry] = list_entries(sql, app_db.org.org_id, door="soap", operation="create")
    assert (entry["sobject"], entry["error"]) == ("Lead,Case", None)


def test_the_journal_tells_an_absent_header_from_use_default_rule_false(soap: Soap, app_db: DemoDb) -> None:
    from sfmock.persistence.journal import list_entries

    session = soap.login()
    lead = sobject("Lead", LastName="J", Company="Acme")
    soap.call(f"<u:create>{lead}</u:create>", session)
    off = "<u:AssignmentRuleHeader><u:useDefaultRule>false</u:useDefaultRule></u:AssignmentRuleHeader>"
    soap.call(f"<u:create>{lead}</u:create>", session, off)
    with app_db.db.session() as sql:
        entries = list_entries(sql, app_db.org.org_id, door="soap", operation="create")
    assert [(e["assignment"], e["email"]) for e in entries] == [(None, None), ("none", None)]
