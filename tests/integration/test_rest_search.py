"""SOSL over REST (and SOAP search()) on the migrated demo database (the search index comes from migration
0004): /search, /parameterizedSearch GET and POST, the v37 shape change, errors. Expected ids come from the
database rows."""

from __future__ import annotations

from lxml import etree

from tests.contract.test_soap_shapes import NS, soap
from tests.integration.test_rest_fixtures import Api, api, errors_of

__all__ = ["api", "soap"]


def _seed(api: Api) -> dict[str, str]:
    return {
        "zeta": api.create(
            "Lead", LastName="Zetaworth", Company="Orbital Freight", Email="zeta@orbital.example"
        ),
        "yara": api.create("Lead", LastName="Yarrow", Company="Orbital Mills", Phone="(415) 555-0199"),
        "case": api.create("Case", Subject="Orbital pump failure"),
    }


def test_search_shape_and_order(api: Api) -> None:
    ids = _seed(api)
    response = api.get(
        "/search",
        params={"q": "FIND {orbital} RETURNING Case(Subject), Lead(LastName, Email ORDER BY LastName)"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "searchRecords": [
            {
                "attributes": {"type": "Case", "url": f"/services/data/v59.0/sobjects/Case/{ids['case']}"},
                "Subject": "Orbital pump failure",
            },
            {
                "attributes": {"type": "Lead", "url": f"/services/data/v59.0/sobjects/Lead/{ids['yara']}"},
                "LastName": "Yarrow",
                "Email": None,
            },
            {
                "attributes": {"type": "Lead", "url": f"/services/data/v59.0/sobjects/Lead/{ids['zeta']}"},
                "LastName": "Zetaworth",
                "Email": "zeta@orbital.example",
            },
        ]
    }


def test_search_before_v37_is_a_bare_array(api: Api) -> None:
    ids = _seed(api)
    response = api.get("/services/data/v36.0/search", params={"q": "FIND {zetaworth} RETURNING Lead"})
    assert response.json() == [
        {
            "attributes": {"type": "Lead", "url": f"/services/data/v36.0/sobjects/Lead/{ids['zeta']}"},
            "Id": ids["zeta"],
        }
    ]


def test_search_groups_and_index_follows_updates(api: Api) -> None:
    ids = _seed(api)
    found = api.get("/search", params={"q": "FIND {555*} IN PHONE FIELDS RETURNING Lead"}).json()
    assert [r["Id"] for r in found["searchRecords"]] == [ids["yara"]]
    assert (
        api.get("/search", params={"q": "FIND {orbital} IN EMAIL FIELDS RETURNING Lead"}).json()[
            "searchRecords"
        ][0]["Id"]
        == ids["zeta"]
    )
    assert api.patch(f"/sobjects/Lead/{ids['zeta']}", json={"Company": "Lunar Logistics"}).status_code == 204
    lunar = api.get("/search", params={"q": "FIND {lunar} RETURNING Lead"}).json()["searchRecords"]
    assert [r["Id"] for r in lunar] == [ids["zeta"]]
    assert api.delete(f"/sobjects/Lead/{ids['zeta']}").status_code == 204
    assert api.get("/search", params={"q": "FIND {lunar} RETURNING Lead"}).json() == {"searchRecords": []}


def test_parameterized_search_get_and_post(api: Api) -> None:
    ids = _seed(api)
    got = api.get(
        "/parameterizedSearch",
        params={"q": "orbital", "sobject": "Lead", "Lead.fields": "Id,LastName", "Lead.limit": "1"},
    ).json()
    assert [set(r) for r in got["searchRecords"]] == [{"attributes", "Id", "LastName"}]
    posted = api.post(
        "/parameterizedSearch",
        json={
            "q": "orbital",
            "in": "ALL",
            "overallLimit": 10,
            "sobjects": [
                {"name": "Lead", "fields": ["LastName"], "where": "LastName LIKE 'Z%'"},
                {"name": "Case"},
            ],
        },
    )
    assert posted.status_code == 200, posted.text
    assert [(r["attributes"]["type"], r.get("LastName")) for r in posted.json()["searchRecords"]] == [
        ("Lead", "Zetaworth"),
        ("Case", None),
    ]
    assert posted.json()["searchRecords"][1]["Id"] == ids["case"]


def test_search_errors(api: Api) -> None:
    short = api.get("/search", params={"q": "FIND {z}"})
    assert (short.status_code, errors_of(short)) == (
        400,
        [("INVALID_SEARCH", "search term must be longer than one character: z")],
    )
    braces = api.get("/search", params={"q": "FIND orbital"})
    assert errors_of(braces) == [
        ("MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces.")
    ]
    bad = api.get("/search", params={"q": "FIND {orbital} RETURNING Lead(Nope)"})
    assert errors_of(bad)[0][0] == "INVALID_FIELD" and "ERROR at Row:1:Column:31" in errors_of(bad)[0][1]
    missing = api.get("/parameterizedSearch", params={"sobject": "Lead"})
    assert errors_of(missing)[0][0] == "MALFORMED_SEARCH"


# --- SOAP search() ----------------------------------------------------------------------------------------
def test_soap_search(api: Api, soap) -> None:
    ids = _seed(api)
    session = soap.login()
    response = soap.call(
        "<u:search><u:searchString>FIND {orbital} RETURNING Lead(Id, LastName ORDER BY LastName), "
        "Case</u:searchString></u:search>",
        session,
    )
    assert response.status_code == 200, response.text
    result = etree.fromstring(response.content).find(".//p:searchResponse/p:result", NS)
    assert [etree.QName(c).localname for c in result] == [
        "queryId",
        "searchRecords",
        "searchRecords",
        "searchRecords",
    ]
    records = [r.find("p:record", NS) for r in result.findall("p:searchRecords", NS)]
    assert [(r.findtext("sf:type", namespaces=NS), r.findtext("sf:Id", namespaces=NS)) for r in records] == [
        ("Lead", ids["yara"]),
        ("Lead", ids["zeta"]),
        ("Case", ids["case"]),
    ]
    assert [r.findtext("sf:LastName", namespaces=NS) for r in records[:2]] == ["Yarrow", "Zetaworth"]


def test_soap_search_faults(soap) -> None:
    session = soap.login()
    response = soap.call(
        "<u:search><u:searchString>FIND {o} RETURNING Lead</u:searchString></u:search>", session
    )
    assert response.status_code == 500
    fault = etree.fromstring(response.content).find(".//f:MalformedSearchFault", NS)
    assert fault.findtext("f:exceptionCode", namespaces=NS) == "INVALID_SEARCH"
    response = soap.call(
        "<u:search><u:searchString>FIND {orbital} RETURNING Lead(Nope)</u:searchString></u:search>", session
    )
    fault = etree.fromstring(response.content).find(".//f:InvalidFieldFault", NS)
    assert (fault.findtext("f:row", namespaces=NS), fault.findtext("f:column", namespaces=NS)) == ("1", "31")


def test_search_finds_custom_fields_and_follows_their_updates(api: Api, soap) -> None:
    """External_Id__c (Text) is the demo org's own field, mapped to a slot column when the org was installed,
    long after migration 0007 built the index: SOSL searches it IN ALL FIELDS, on both doors."""
    lead = api.create("Lead", LastName="Plain", Company="Plain Co", External_Id__c="Quixotic77")
    other = api.create("Lead", LastName="Quixotic77", Company="Named Co")
    q = {"q": "FIND {quixotic77} RETURNING Lead(Id, External_Id__c ORDER BY LastName)"}
    found = api.get("/search", params=q).json()["searchRecords"]
    assert [(r["Id"], r["External_Id__c"]) for r in found] == [(lead, "Quixotic77"), (other, None)]
    name_only = api.get("/search", params={"q": "FIND {quixotic77} IN NAME FIELDS RETURNING Lead"}).json()
    assert [r["Id"] for r in name_only["searchRecords"]] == [other]
    response = soap.call("<u:search><u:searchString>FIND {quixotic77} RETURNING Lead(Id ORDER BY LastName)"
                         "</u:searchString></u:search>", soap.login())
    records = etree.fromstring(response.content).findall(".//p:searchRecords/p:record", NS)
    assert [r.findtext("sf:Id", namespaces=NS) for r in records] == [lead, other]
    assert api.patch(f"/sobjects/Lead/{lead}", json={"External_Id__c": "Zanzibar88"}).status_code == 204
    again = api.get("/search", params={"q": "FIND {quixotic77 OR zanzibar88} RETURNING Lead(Id ORDER BY Id)"})
    assert sorted(r["Id"] for r in again.json()["searchRecords"]) == sorted([lead, other])
    gone = api.get("/search", params={"q": "FIND {quixotic77} RETURNING Lead"}).json()["searchRecords"]
    assert [r["Id"] for r in gone] == [other]
