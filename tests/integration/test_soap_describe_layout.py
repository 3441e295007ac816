"""SOAP describeLayout on the demo org: one layout per object (detail and edit sections of its fields), every
record type mapped to it with the picklist values it allows, and Salesforce's faults for a bad type or id."""
from __future__ import annotations

from lxml import etree

from tests.contract.test_soap_shapes import NS, soap
from tests.integration.test_soap_calls import fault_code

__all__ = ["soap"]

NIL = "<u:layoutName xsi:nil='true' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'/>"


def _describe(soap, sobject: str, *record_types: str, session: str | None = None):
    ids = "".join(f"<u:recordTypeIds>{r}</u:recordTypeIds>" for r in record_types)
    body = f"<u:describeLayout><u:sObjectType>{sobject}</u:sObjectType>{NIL}{ids}</u:describeLayout>"
    return soap.call(body, session or soap.login())


def _result(response) -> etree._Element:
    assert response.status_code == 200, response.text
    return etree.fromstring(response.content).find(".//p:describeLayoutResponse/p:result", NS)


def _items(section: etree._Element) -> list[tuple[str, str, str, str]]:
    return [(i.findtext("p:layoutComponents/p:value", namespaces=NS), i.findtext("p:required", namespaces=NS),
             i.findtext("p:editableForNew", namespaces=NS), i.findtext("p:editableForUpdate", namespaces=NS))
            for row in section.findall("p:layoutRows", NS) for i in row.findall("p:layoutItems", NS)]


def test_lead_layout_and_its_record_type_mappings(soap, app_db):
    result = _result(_describe(soap, "Lead"))
    [layout] = result.findall("p:layouts", NS)
    layout_id = layout.findtext("p:id", namespaces=NS)
    assert layout_id.startswith("00h") and len(layout_id) == 18
    [detail] = layout.findall("p:detailLayoutSections", NS)
    [edit] = layout.findall("p:editLayoutSections", NS)
    assert (detail.findtext("p:heading", namespaces=NS), detail.findtext("p:columns", namespaces=NS),
            detail.findtext("p:parentLayoutId", namespaces=NS)) == ("Information", "2", layout_id)
    rows = detail.findall("p:layoutRows", NS)
    assert detail.findtext("p:rows", namespaces=NS) == str(len(rows))
    assert all(r.findtext("p:numItems", namespaces=NS) == str(len(r.findall("p:layoutItems", NS)))
               for r in rows)
    shown = {name: flags for name, *flags in _items(detail)}
    assert shown["LastName"] == ["false", "false", "false"] and "CreatedDate" in shown and "Id" not in shown
    editable = {name: flags for name, *flags in _items(edit)}
    assert editable["LastName"] == ["true", "true", "true"]  # required on the edit page
    assert editable["Title"] == ["false", "true", "true"] and "CreatedDate" not in editable
    mappings = {m.findtext("p:developerName", namespaces=NS): m
                for m in result.findall("p:recordTypeMappings", NS)}
    assert list(mappings) == ["Partner_Lead", "Master"]
    assert {m.findtext("p:layoutId", namespaces=NS) for m in mappings.values()} == {layout_id}
    assert mappings["Master"].findtext("p:recordTypeId", namespaces=NS) == "012000000000000AAA"

    def region(mapping: etree._Element) -> list[tuple[str, str]]:
        [picklist] = [p for p in mapping.findall("p:picklistsForRecordType", NS)
                      if p.findtext("p:picklistName", namespaces=NS) == "Region__c"]
        return [(v.findtext("p:value", namespaces=NS), v.findtext("p:defaultValue", namespaces=NS))
                for v in picklist.findall("p:picklistValues", NS)]

    # Partner_Lead allows APAC (its default) and EMEA only (its recordType-meta.xml); Master every value.
    assert region(mappings["Partner_Lead"]) == [("APAC", "true"), ("EMEA", "false")]
    assert [v for v, _ in region(mappings["Master"])] == ["APAC", "EMEA", "Americas"]
    assert result.findtext("p:recordTypeSelectorRequired", namespaces=NS) == "false"


def test_record_type_ids_ask_for_their_layouts(soap, app_db):
    session = soap.login()
    partner = _result(_describe(soap, "Lead", session=session)).findtext(
        "p:recordTypeMappings/p:recordTypeId", namespaces=NS)
    asked = _result(_describe(soap, "Lead", partner[:15], "012000000000000AAA", session=session))
    assert len(asked.findall("p:layouts", NS)) == 2
    assert fault_code(_describe(soap, "Lead", "012000000000009AAA", session=session)) == "sf:INVALID_ID_FIELD"
    assert fault_code(_describe(soap, "Lead", "nope", session=session)) == "sf:MALFORMED_ID"


def test_bad_types_are_invalid_sobject_faults(soap, app_db):
    session = soap.login()
    response = _describe(soap, "Nope", session=session)
    assert fault_code(response) == "sf:INVALID_TYPE"
    assert etree.fromstring(response.content).find(".//s:Fault/detail/f:InvalidSObjectFault", NS) is not None
    assert fault_code(_describe(soap, "Organization", session=session)) == "sf:INVALID_TYPE"  # not layoutable
