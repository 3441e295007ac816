"""Partner sObjects in and out: fields by local name whatever the namespace; records as Salesforce writes
them."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from sfmock.soap.sobjects import Record, read, write

ENS = "urn:sobject.partner.soap.sforce.com"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

# zeep (fields qualified in the sobject namespace, one prefix re-bound per element, nil Id), jsforce's
# conn.soap.create (sObjects in "sobject.partner.soap.sforce.com" without urn:, fields unqualified), a
# hand-written client (fields in the partner namespace) and an Enterprise-style xsi:type on the sObject.
SHAPES = {
    "zeep": f"""<ns0:sObjects xmlns:ns0="urn:partner.soap.sforce.com"><ns1:type
      xmlns:ns1="{ENS}">Lead</ns1:type>
        <ns2:Id xmlns:ns2="{ENS}" xmlns:xsi="{XSI}" xsi:nil="true"/><ns0:LastName
          xmlns:ns0="{ENS}">Doe</ns0:LastName>
        <ns0:Company xmlns:ns0="{ENS}">Acme</ns0:Company></ns0:sObjects>""",
    "jsforce": """<create xmlns="urn:partner.soap.sforce.com"
      xmlns:ns1="sobject.partner.soap.sforce.com"><ns1:sObjects>
        <type>Lead</type><LastName>Doe</LastName><Company>Acme</Company></ns1:sObjects></create>""",
    "partner-namespace": """<u:sObjects xmlns:u="urn:partner.soap.sforce.com"><u:type>Lead</u:type>
        <u:LastName>Doe</u:LastName><u:Company>Acme</u:Company></u:sObjects>""",
    "xsi-type": f"""<sObjects xmlns:xsi="{XSI}" xmlns:e="{ENS}" xsi:type="e:Lead"><e:type>Lead</e:type>
        <e:LastName>Doe</e:LastName><e:Company>Acme</e:Company></sObjects>""",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_fields_are_read_by_local_name(shape: str) -> None:
    element = etree.fromstring(SHAPES[shape])
    if shape == "jsforce":
        element = element[0]
    record = read(element)
    assert (record.sobject, record.id, record.fields_to_null) == ("Lead", None, ())
    assert record.values == {"LastName": "Doe", "Company": "Acme"}


def test_id_fields_to_null_nil_and_text_values() -> None:
    record = read(
        etree.fromstring(f"""<sObjects xmlns:x="{XSI}"><type>Lead</type><fieldsToNull>Email</fieldsToNull>
        <fieldsToNull x:nil="true"/><fieldsToNull>Phone</fieldsToNull><Id> 00Q000000000001AAA </Id>
        <Title x:nil="1"/><AnnualRevenue>20000000</AnnualRevenue><Description></Description></sObjects>""")
    )
    assert record.id == "00Q000000000001AAA"
    assert record.fields_to_null == ("Email", "Phone")
    assert record.values == {"AnnualRevenue": "20000000", "Description": ""}  # nil Title: absent


def _written(record: Record) -> str:
    parent = etree.Element("{urn:partner.soap.sforce.com}records-parent",
                           nsmap={None: "urn:partner.soap.sforce.com", "sf": ENS, "xsi": XSI})
    write(parent, "{urn:partner.soap.sforce.com}records", record)
    return etree.tostring(parent[0]).decode()


def test_selected_id_appears_twice_nulls_are_nil_and_relationships_nest() -> None:
    owner = Record("User", [("Name", "Ada Admin")])
    record = Record("Lead", [("Id", "00Q001000000001EAA"), ("AnnualRevenue", 20000000), ("Email", None),
                             ("CreatedDate", datetime(2024, 1, 31, 10, tzinfo=UTC)), ("IsConverted", False),
                             ("Owner", owner)])
    assert _written(record) == (
        '<records xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:sf="urn:sobject.partner.soap.sforce.com" xsi:type="sf:sObject"><sf:type>Lead</sf:type>'
        "<sf:Id>00Q001000000001EAA</sf:Id><sf:Id>00Q001000000001EAA</sf:Id><sf:AnnualRevenue>2.0E7</sf:AnnualRevenue>"
        '<sf:Email xsi:nil="true"/><sf:CreatedDate>2024-01-31T10:00:00.000Z</sf:CreatedDate>'
        '<sf:IsConverted>false</sf:IsConverted><sf:Owner xsi:type="sf:sObject"><sf:type>User</sf:type>'
        '<sf:Id xsi:nil="true"/><sf:Name>Ada Admin</sf:Name></sf:Owner></records>')


def test_id_not_selected_is_nil_and_an_explicit_id_leads() -> None:
    assert '<sf:Id xsi:nil="true"/><sf:LastName>Doe</sf:LastName>' in _written(
        Record("Lead", [("LastName", "Doe")])
    )
    written = _written(Record("Lead", [("LastName", "Doe")], "00Q001000000001EAA"))
    assert "<sf:Id>00Q001000000001EAA</sf:Id><sf:LastName>" in written
