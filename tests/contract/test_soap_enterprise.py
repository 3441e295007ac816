"""Wire shapes of the Enterprise API (/services/Soap/c), through the real app in-process: login's serverUrl,
typed requests (xsi:type names the object; none is INVALID_TYPE), typed records in responses (no sf:type, Id
once, nulls omitted, typed parents, child QueryResults), faults in the enterprise fault namespace, and the
Enterprise WSDL generated for the org (valid XML Schema, zeep builds a client from it, the org's custom fields
in it) at ?wsdl and /soap/wsdl.jsp (salesforce-bulk-enterprise-metadata.md §1)."""
from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from lxml import etree
from zeep import Client
from zeep.transports import Transport

from sfmock.main import create_app
from tests.conftest import DemoDb

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "urn:enterprise.soap.sforce.com"
ENS = "urn:sobject.enterprise.soap.sforce.com"
FNS = "urn:fault.enterprise.soap.sforce.com"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
NS = {"s": ENV, "e": TNS, "sf": ENS, "f": FNS, "xsi": XSI, "x": XSD, "w": WSDL}
PASSWORD = "sfmock-passwordSFMOCKTOKEN"
PATH = "/services/Soap/c/59.0"


def envelope(body: str, headers: str = "") -> str:
    return (f'<s:Envelope xmlns:s="{ENV}" xmlns:urn="{TNS}" xmlns:urn1="{ENS}" xmlns:xsi="{XSI}">'
            f"<s:Header>{headers}</s:Header><s:Body>{body}</s:Body></s:Envelope>")


class Enterprise:
    """An Enterprise SOAP client on the ASGI app itself (no server, no sockets)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.session = ""

    def request(self, method: str, path: str, body: str = "", cookies: dict[str, str] | None = None
                ) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://sfmock.test",
                                         cookies=cookies) as client:
                return await client.request(method, path, content=body, headers={"Content-Type": "text/xml"})
        return asyncio.run(send())

    def login(self) -> etree._Element:
        body = (f"<urn:login><urn:username>admin@acme.example</urn:username><urn:password>{PASSWORD}"
                "</urn:password></urn:login>")
        response = self.request("POST", PATH, envelope(body))
        assert response.status_code == 200, response.text
        root = etree.fromstring(response.content)
        self.session = root.findtext(".//e:sessionId", namespaces=NS)
        return root

    def call(self, body: str, headers: str = "") -> httpx.Response:
        session = f"<urn:SessionHeader><urn:sessionId>{self.session}</urn:sessionId></urn:SessionHeader>"
        return self.request("POST", f"{PATH}/00D000000000001", envelope(body, session + headers))

    def ok(self, body: str, headers: str = "") -> etree._Element:
        response = self.call(body, headers)
        assert response.status_code == 200, response.text
        return etree.fromstring(response.content)


@pytest.fixture
def soap(app_db: DemoDb) -> Enterprise:
    client = Enterprise(create_app(app_db.settings, app_db.db))
    client.login()
    return client


def names(element: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in element]


def test_login_points_at_the_enterprise_endpoint(app_db: DemoDb) -> None:
    root = Enterprise(create_app(app_db.settings, app_db.db)).login()
    org15 = app_db.org.org_id[:15]
    assert root.findtext(".//e:serverUrl", namespaces=NS) == f"http://sfmock.test/services/Soap/c/59.0/{org15}"
    assert root.findtext(".//e:metadataServerUrl", namespaces=NS) == \
        f"http://sfmock.test/services/Soap/m/59.0/{org15}"
    assert root.nsmap[None] == TNS and root.nsmap["sf"] == ENS


def test_create_typed_lead_and_query_it_back_typed(soap: Enterprise) -> None:
    lead = ('<urn:sObjects xsi:type="urn1:Lead"><urn1:Id xsi:nil="true"/><urn1:Company>Tata</urn1:Company>'
            "<urn1:LastName>Kumar</urn1:LastName><urn1:NumberOfEmployees>12</urn1:NumberOfEmployees>"
            "</urn:sObjects>")
    root = soap.ok(f"<urn:create>{lead}</urn:create>")
    [result] = root.findall(".//e:result", namespaces=NS)
    assert (result.findtext("e:success", namespaces=NS), names(result)) == ("true", ["id", "success"])
    lead_id = result.findtext("e:id", namespaces=NS)

    root = soap.ok("<urn:query><urn:queryString>SELECT Id, LastName, Email, Owner.Name, NumberOfEmployees "
                   f"FROM Lead WHERE Id = '{lead_id}'</urn:queryString></urn:query>")
    result = root.find(".//e:result", namespaces=NS)
    assert result.get(f"{{{XSI}}}type") is None  # Partner writes xsi:type="QueryResult", Enterprise does not
    [record] = result.findall("e:records", namespaces=NS)
    assert record.get(f"{{{XSI}}}type") == "sf:Lead"
    # Id once and first, no sf:type, the null Email left out, fields in the WSDL type's (ASCII) order.
    assert names(record) == ["Id", "LastName", "NumberOfEmployees", "Owner"]
    assert record.findtext("sf:Id", namespaces=NS) == lead_id
    owner = record.find("sf:Owner", namespaces=NS)
    assert owner.get(f"{{{XSI}}}type") == "sf:User" and names(owner) == ["Id", "Name"]
    # The parent's Id was not selected: nil, the element ens:sObject requires (zeep refuses a record without).
    assert owner.find("sf:Id", namespaces=NS).get(f"{{{XSI}}}nil") == "true"


def test_query_child_subquery_is_a_query_result_of_typed_records(soap: Enterprise) -> None:
    account = soap.ok('<urn:create><urn:sObjects xsi:type="urn1:Account"><urn1:Name>Globex</urn1:Name>'
                      "</urn:sObjects></urn:create>").findtext(".//e:id", namespaces=NS)
    soap.ok(f'<urn:create><urn:sObjects xsi:type="urn1:Contact"><urn1:LastName>Li</urn1:LastName>'
            f"<urn1:AccountId>{account}</urn1:AccountId></urn:sObjects></urn:create>")
    root = soap.ok("<urn:query><urn:queryString>SELECT Name, (SELECT LastName, Account.Name FROM Contacts) "
                   f"FROM Account WHERE Id = '{account}'</urn:queryString></urn:query>")
    record = root.find(".//e:records", namespaces=NS)
    assert names(record) == ["Id", "Contacts", "Name"]
    contacts = record.find("sf:Contacts", namespaces=NS)
    assert contacts.get(f"{{{XSI}}}type") == "QueryResult"
    [contact] = contacts.findall("e:records", namespaces=NS)
    assert contact.get(f"{{{XSI}}}type") == "sf:Contact" and names(contact) == ["Id", "Account", "LastName"]
    assert contact.find("sf:Account", namespaces=NS).get(f"{{{XSI}}}type") == "sf:Account"


def test_retrieve_is_typed(soap: Enterprise) -> None:
    lead_id = soap.ok('<urn:create><urn:sObjects xsi:type="urn1:Lead"><urn1:Company>Tata</urn1:Company>'
                      "<urn1:LastName>Rao</urn1:LastName></urn:sObjects></urn:create>").findtext(
                          ".//e:id", namespaces=NS)
    root = soap.ok("<urn:retrieve><urn:fieldList>LastName, Email</urn:fieldList><urn:sObjectType>Lead"
                   f"</urn:sObjectType><urn:ids>{lead_id}</urn:ids></urn:retrieve>")
    [result] = root.findall(".//e:result", namespaces=NS)
    assert result.get(f"{{{XSI}}}type") == "sf:Lead" and names(result) == ["Id", "LastName"]


@pytest.mark.parametrize("declared", ["", ' xsi:type="urn1:sObject"'])
def test_an_sobject_without_a_concrete_type_is_refused(soap: Enterprise, declared: str) -> None:
    response = soap.call(f"<urn:create><urn:sObjects{declared}><urn1:LastName>X</urn1:LastName>"
                         "</urn:sObjects></urn:create>")
    assert response.status_code == 500
    root = etree.fromstring(response.content)
    assert root.findtext(".//faultcode") == "sf:INVALID_TYPE"
    assert root.findtext(".//faultstring") == "INVALID_TYPE: Must send a concrete entity type."
    detail = root.find(".//detail/f:InvalidSObjectFault", namespaces=NS)
    assert detail.findtext("f:exceptionCode", namespaces=NS) == "INVALID_TYPE"


def test_a_bad_session_is_an_enterprise_fault(soap: Enterprise) -> None:
    soap.session = "nope"
    response = soap.call("<urn:getServerTimestamp/>")
    root = etree.fromstring(response.content)
    assert (response.status_code, root.findtext(".//faultcode")) == (500, "sf:INVALID_SESSION_ID")
    assert root.nsmap["sf"] == FNS
    assert root.find(".//detail/f:UnexpectedErrorFault", namespaces=NS) is not None


# ---- the generated WSDL ---------------------------------------------------------------------------------
def _types(document: bytes) -> dict[str, list[tuple[str, str]]]:
    """complexType name -> its own elements (name, type) in the sobject schema."""
    root = etree.fromstring(document)
    [schema] = root.iterfind(f"w:types/x:schema[@targetNamespace='{ENS}']", NS)
    return {t.get("name"): [(e.get("name"), e.get("type")) for e in t.iter(f"{{{XSD}}}element")]
            for t in schema.iterfind("x:complexType", NS)}


def test_wsdl_jsp_serves_the_orgs_enterprise_wsdl_for_the_sid_cookie(soap: Enterprise,
                                                                     app_db: DemoDb) -> None:
    response = soap.request("GET", "/soap/wsdl.jsp?type=*", cookies={"sid": soap.session})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    assert root.get("targetNamespace") == TNS
    assert root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address").get("location") == \
        f"http://sfmock.test/services/Soap/c/{app_db.settings.api_versions()[-1]}"
    for schema in root.iterfind("w:types/x:schema", NS):
        assert schema.get("elementFormDefault") == "qualified"
    types = _types(response.content)
    names_in_order = list(types)
    assert names_in_order[:2] == ["sObject", "AggregateResult"]
    assert names_in_order[2:] == sorted(names_in_order[2:])
    assert types["sObject"] == [("fieldsToNull", "xsd:string"), ("Id", "tns:ID")]
    lead = dict(types["Lead"])
    assert list(lead) == sorted(lead)
    assert (lead["Owner"], lead["OwnerId"], lead["RecordType"], lead["AnnualRevenue"]) == (
        "ens:sObject", "tns:ID", "ens:RecordType", "xsd:double")
    assert dict(types["Account"])["Contacts"] == "tns:QueryResult"


def test_wsdl_jsp_without_type_is_the_partner_wsdl(soap: Enterprise) -> None:
    response = soap.request("GET", "/soap/wsdl.jsp", cookies={"sid": soap.session})
    assert etree.fromstring(response.content).get("targetNamespace") == "urn:partner.soap.sforce.com"


@pytest.mark.parametrize("cookies", [None, {"sid": "expired"}])
def test_wsdl_jsp_without_a_session_goes_to_the_login_page(soap: Enterprise, cookies: Any) -> None:
    response = soap.request("GET", "/soap/wsdl.jsp?type=*", cookies=cookies)
    assert (response.status_code, response.headers["location"]) == (
        302, "/?ec=302&startURL=%2Fsoap%2Fwsdl.jsp%3Ftype%3D%2A")


def test_the_enterprise_wsdl_is_valid_xml_schema_and_zeep_builds_a_client(soap: Enterprise,
                                                                          tmp_path: Any) -> None:
    response = soap.request("GET", f"{PATH}?wsdl", cookies={"sid": soap.session})
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.find(".//{http://schemas.xmlsoap.org/wsdl/soap/}address").get("location") == \
        f"http://sfmock.test{PATH}"
    # lxml loads the three schemas as one XML Schema: each in a file of its own (they keep the prefixes the
    # WSDL declares), and one schema importing them all; a bad type reference or element fails here.
    wrapper = etree.Element(f"{{{XSD}}}schema", nsmap={"xsd": XSD})
    for number, schema in enumerate(root.iterfind("w:types/x:schema", NS)):
        (tmp_path / f"{number}.xsd").write_bytes(etree.tostring(schema))
        etree.SubElement(wrapper, f"{{{XSD}}}import", namespace=schema.get("targetNamespace"),
                         schemaLocation=f"{number}.xsd")
    (tmp_path / "all.xsd").write_bytes(etree.tostring(wrapper))
    loaded = etree.XMLSchema(etree.parse(str(tmp_path / "all.xsd")))
    # A typed create validates against it; the same fields out of the type's order do not.
    create = ('<e:create xmlns:e="{tns}" xmlns:sf="{ens}" xmlns:xsi="{xsi}"><e:sObjects xsi:type="sf:Lead">'
              "<sf:Id xsi:nil=\"true\"/>{fields}</e:sObjects></e:create>")
    fields = "<sf:City>Pune</sf:City><sf:NumberOfEmployees>3</sf:NumberOfEmployees>"
    assert loaded.validate(etree.fromstring(create.format(tns=TNS, ens=ENS, xsi=XSI, fields=fields)))
    backwards = "<sf:NumberOfEmployees>3</sf:NumberOfEmployees><sf:City>Pune</sf:City>"
    assert not loaded.validate(etree.fromstring(create.format(tns=TNS, ens=ENS, xsi=XSI, fields=backwards)))
    path = tmp_path / "enterprise.wsdl"
    path.write_bytes(response.content)
    client = Client(str(path), transport=Transport(cache=None))
    lead = client.get_type(f"{{{ENS}}}Lead")(LastName="Kumar", Company="Tata")
    assert (lead.LastName, lead.Id) == ("Kumar", None)
    assert client.service._binding.name.localname == "SoapBinding"


# ---- the other operations, typed ---------------------------------------------------------------------------
def test_update_with_fields_to_null_and_upsert_by_external_id(soap: Enterprise) -> None:
    lead_id = soap.ok('<urn:create><urn:sObjects xsi:type="urn1:Lead"><urn1:Company>Eni</urn1:Company>'
                      "<urn1:Email>r@eni.example</urn1:Email><urn1:LastName>Rossi</urn1:LastName></urn:sObjects>"
                      "</urn:create>").findtext(".//e:id", namespaces=NS)
    root = soap.ok(
        f'<urn:update><urn:sObjects xsi:type="urn1:Lead"><urn1:fieldsToNull>Email</urn1:fieldsToNull>'
        f"<urn1:Id>{lead_id}</urn1:Id><urn1:Title>CFO</urn1:Title></urn:sObjects></urn:update>"
    )
    assert root.findtext(".//e:success", namespaces=NS) == "true"
    upsert = ('<urn:upsert><urn:externalIDFieldName>External_Id__c</urn:externalIDFieldName>'
              '<urn:sObjects xsi:type="urn1:Lead"><urn1:Company>Eni</urn1:Company>'
              "<urn1:External_Id__c>E-1</urn1:External_Id__c><urn1:LastName>Bruno</urn1:LastName>"
              "</urn:sObjects></urn:upsert>")
    created = soap.ok(upsert).find(".//e:result", namespaces=NS)
    assert (created.findtext("e:created", namespaces=NS), created.findtext("e:success", namespaces=NS)) == (
        "true", "true")
    root = soap.ok("<urn:query><urn:queryString>SELECT Email, Title FROM Lead WHERE Company = 'Eni' "
                   "ORDER BY LastName</urn:queryString></urn:query>")
    records = root.findall(".//e:records", namespaces=NS)
    assert [[(etree.QName(c).localname, c.text) for c in r][1:] for r in records] == [[], [("Title", "CFO")]]


def test_search_and_describe_on_the_enterprise_endpoint(soap: Enterprise) -> None:
    soap.ok('<urn:create><urn:sObjects xsi:type="urn1:Lead"><urn1:Company>Zyx</urn1:Company>'
            "<urn1:LastName>Quixote</urn1:LastName></urn:sObjects></urn:create>")
    root = soap.ok("<urn:search><urn:searchString>FIND {Quixote} RETURNING Lead(LastName)</urn:searchString>"
                   "</urn:search>")
    [record] = root.findall(".//e:searchRecords/e:record", namespaces=NS)
    assert record.get(f"{{{XSI}}}type") == "sf:Lead" and names(record) == ["Id", "LastName"]
    root = soap.ok("<urn:describeSObject><urn:sObjectType>Lead</urn:sObjectType></urn:describeSObject>")
    result = root.find(".//e:describeSObjectResponse/e:result", namespaces=NS)
    assert result.findtext("e:name", namespaces=NS) == "Lead"
    fields = [f.findtext("e:name", namespaces=NS) for f in result.findall("e:fields", namespaces=NS)]
    assert "Region__c" in fields


def test_an_unknown_operation_names_the_enterprise_namespace(soap: Enterprise) -> None:
    response = soap.call("<urn:frobnicate/>")
    assert etree.fromstring(response.content).findtext(".//faultstring") == (
        f"No operation available for request {{{TNS}}}frobnicate, please check the WSDL for the service.")
