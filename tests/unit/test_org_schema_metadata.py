"""An org's schema from its metadata (app/orgs/objects.py, fields_xml.py, schema_spec.py): every supported
field type in SFDX and MDAPI format, value sets, record types, slot allocation, and the refusals with file and
line."""
from __future__ import annotations

from pathlib import Path

import pytest

from sfmock.core.schema.org_schema import build
from sfmock.orgs.bundle import OrgDefinitionError
from sfmock.orgs.metadata import load_org_folder
from sfmock.orgs.schema_spec import spec_of
from tests.unit.test_org_metadata import SFDX, good_org, write

M = 'xmlns="http://soap.sforce.com/2006/04/metadata"'

# name -> the CustomField body (without the root element).
FIELDS = {
    "Code__c": "<externalId>true</externalId><unique>true</unique><caseSensitive>true</caseSensitive>"
    "<label>Code</label><length>20</length><required>true</required><type>Text</type>",
    "Note__c": "<label>Note</label><type>TextArea</type>",
    "Story__c": "<label>Story</label><length>5000</length><type>LongTextArea</type>"
                "<visibleLines>3</visibleLines>",
    "Mail__c": "<label>Mail</label><type>Email</type>",
    "Tel__c": "<label>Tel</label><type>Phone</type>",
    "Site__c": "<label>Site</label><type>Url</type>",
    "Size__c": "<label>Size</label><precision>5</precision><scale>2</scale><type>Number</type>",
    "Budget__c": "<label>Budget</label><precision>16</precision><scale>2</scale><type>Currency</type>",
    "Share__c": "<label>Share</label><precision>3</precision><scale>0</scale><type>Percent</type>",
    "Vip__c": "<defaultValue>true</defaultValue><label>VIP</label><type>Checkbox</type>",
    "Due__c": "<label>Due</label><type>Date</type>",
    "Seen__c": "<label>Seen</label><type>DateTime</type>",
    "Tier__c": "<label>Tier</label><type>Picklist</type><valueSet><restricted>true</restricted>"
               "<valueSetDefinition>"
    "<value><fullName>Gold</fullName><default>true</default></value><value><fullName>Silver</fullName>"
    "<default>false</default></value></valueSetDefinition></valueSet>",
    "Tags__c": "<label>Tags</label><type>MultiselectPicklist</type><visibleLines>4</visibleLines><valueSet>"
    "<valueSetDefinition><value><fullName>A</fullName><default>false</default></value><value><fullName>"
    "B</fullName><default>false</default></value></valueSetDefinition></valueSet>",
    "Zone__c": "<label>Zone</label><type>Picklist</type><valueSet><valueSetName>Zones</valueSetName>"
               "</valueSet>",
    "Partner__c": "<deleteConstraint>SetNull</deleteConstraint><label>Partner</label><referenceTo>Account"
    "</referenceTo><relationshipLabel>Leads</relationshipLabel><relationshipName>Partner_Leads"
    "</relationshipName><type>Lookup</type>",
    "Total__c": "<formula>Score__c * 2</formula><label>Total</label><precision>18</precision><scale>0</scale>"
    "<type>Number</type>",
    "Rich__c": "<label>Rich</label><length>32768</length><type>Html</type><visibleLines>25</visibleLines>",
    "Reviewer__c": "<label>Reviewer</label><referenceTo>User</referenceTo><relationshipName>Reviewed_Leads"
    "</relationshipName><type>Lookup</type>",
}
GLOBAL = (f'<GlobalValueSet {M}><customValue><fullName>North</fullName><default>false</default></customValue>'
          '<customValue><fullName>South</fullName><default>true</default></customValue><masterLabel>Zones'
          '</masterLabel><sorted>false</sorted></GlobalValueSet>')
STATUS = (f'<StandardValueSet {M}><sorted>false</sorted><standardValue><fullName>Open</fullName><default>true'
          '</default><closed>false</closed></standardValue><standardValue><fullName>Done</fullName><default>false'
          '</default><closed>true</closed></standardValue></StandardValueSet>')
RECORD_TYPE = (f'<RecordType {M}><fullName>Lead.Big</fullName><active>true</active><label>Big Deal</label>'
               '<picklistValues><picklist>Tier__c</picklist><values><fullName>Gold</fullName><default>true</default>'
               '</values></picklistValues></RecordType>')


def _field_file(name: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomField {M}>\n<fullName>{name}</fullName>'
            f"{FIELDS[name]}</CustomField>\n")


def _sfdx(tmp_path: Path) -> Path:
    files = good_org() | {f"{SFDX}/objects/Lead/fields/{n}.field-meta.xml": _field_file(n) for n in FIELDS}
    files |= {f"{SFDX}/globalValueSets/Zones.globalValueSet-meta.xml": GLOBAL,
              f"{SFDX}/standardValueSets/CaseStatus.standardValueSet-meta.xml": STATUS,
              f"{SFDX}/objects/Lead/recordTypes/Big.recordType-meta.xml": RECORD_TYPE,
              f"{SFDX}/objects/Lead/fields/Industry.field-meta.xml": f"<CustomField {M}><fullName>Industry"
                                                                      "</fullName></CustomField>",
              f"{SFDX}/objects/Opportunity/fields/X__c.field-meta.xml": "not read"}
    return write(tmp_path, files)


def _mdapi(tmp_path: Path) -> Path:
    fields = "".join(f"<fields><fullName>{n}</fullName>{FIELDS[n]}</fields>" for n in FIELDS)
    record_type = RECORD_TYPE.replace(f"<RecordType {M}>", "<recordTypes>").replace("Lead.Big", "Big") \
        .replace("</RecordType>", "</recordTypes>")
    files = {k: v for k, v in good_org().items()}
    files |= {"src/objects/Lead.object": f"<CustomObject {M}>{fields}{record_type}</CustomObject>",
              "src/globalValueSets/Zones.globalValueSet": GLOBAL,
              "src/standardValueSets/CaseStatus.standardValueSet": STATUS}
    return write(tmp_path, files)


@pytest.mark.parametrize("folder", [_sfdx, _mdapi])
def test_every_field_type_value_set_and_record_type(tmp_path: Path, folder) -> None:  # noqa: ANN001
    bundle = load_org_folder(folder(tmp_path))
    spec = spec_of(bundle.schema_files, lambda _o, name: "012000000000001AAA")
    lead = build(spec).get("Lead")
    got = {f.name: f for f in lead.fields if f.custom}
    assert set(got) == set(FIELDS)
    kinds = {n: (f.type, f.length, f.precision, f.scale) for n, f in got.items()}
    assert kinds == {
        "Code__c": ("string", 20, 0, 0), "Note__c": ("textarea", 255, 0, 0),
        "Story__c": ("textarea", 5000, 0, 0),
        "Mail__c": ("email", 80, 0, 0), "Tel__c": ("phone", 40, 0, 0), "Site__c": ("url", 255, 0, 0),
        "Size__c": ("double", 0, 5, 2), "Budget__c": ("currency", 0, 16, 2), "Share__c": ("percent", 0, 3, 0),
        "Vip__c": ("boolean", 0, 0, 0), "Due__c": ("date", 0, 0, 0), "Seen__c": ("datetime", 0, 0, 0),
        "Tier__c": ("picklist", 255, 0, 0), "Tags__c": ("multipicklist", 4099, 0, 0),
        "Zone__c": ("picklist", 255, 0, 0), "Partner__c": ("reference", 18, 0, 0),
        "Total__c": ("double", 0, 18, 0), "Rich__c": ("textarea", 32768, 0, 0),
        "Reviewer__c": ("reference", 18, 0, 0)}
    total = got["Total__c"]
    assert (total.calculated, total.createable, total.updateable) == (True, False, False)
    code = got["Code__c"]
    assert (code.nillable, code.unique, code.external_id, code.case_sensitive, code.id_lookup) == \
        (False, True, True, True, True)
    assert (got["Vip__c"].default, got["Vip__c"].nillable) == (True, False)
    assert (got["Tier__c"].picklist, got["Tier__c"].default, got["Tier__c"].restricted_picklist) == \
        (("Gold", "Silver"), "Gold", True)
    assert (got["Zone__c"].picklist, got["Zone__c"].default) == (("North", "South"), "South")
    partner = got["Partner__c"]
    assert (partner.reference_to, partner.relationship_name, partner.child_relationship) == \
        (("Account",), "Partner__r", "Partner_Leads__r")
    # Every custom field has its own slot column, of its storage kind.
    columns = [f.column for f in got.values()]
    assert len(set(columns)) == len(columns) and all(c.startswith("cf_") for c in columns)
    assert got["Story__c"].column.startswith("cf_text_") and got["Size__c"].column.startswith("cf_number_")
    [big] = lead.record_types
    assert (big.developer_name, big.name, big.values_for("tier__c")) == ("Big", "Big Deal",
                                                                         (("Gold",), "Gold"))
    case_status = build(spec).get("Case").field("Status")
    assert (case_status.picklist, case_status.default, build(spec).closed) == (("Open", "Done"), "Open",
                                                                               ("Done",))


@pytest.mark.parametrize(("name", "body", "line", "words"), [
    ("Bad__c", "<label>B</label>\n<type>AutoNumber</type>", 3, "field type 'AutoNumber' is not supported"),
    ("Bad__c", "<label>B</label>\n<type>Lookup</type><referenceTo>Foo__c</referenceTo>", 3,
     "lookup to 'Foo__c', an object sfmock does not have"),
    ("Bad__c", "<label>B</label><type>Text</type>", 2, "a Text field needs <length>"),
    ("Bad__c", "<label>B</label><length>300</length><type>Text</type>", 2, "Text length must be 1-255"),
    ("Bad__c", "<label>B</label>\n<type>Picklist</type>", 2, "a picklist needs a <valueSet>"),
    ("Bad__c", "<label>B</label><type>Picklist</type><valueSet><valueSetName>Nope</valueSetName></valueSet>",
     2,
     "global value set 'Nope' is not defined"),
    ("Bad__c", "<label>B</label>\n<defaultValue>'C'</defaultValue><type>Picklist</type><valueSet>"
               "<valueSetDefinition><value><fullName>A</fullName><default>false</default></value>"
               "</valueSetDefinition></valueSet>", 3, "picklist default 'C' is not one of its values"),
])
def test_bad_fields_are_refused_with_file_and_line(tmp_path: Path, name: str, body: str, line: int,
                                                   words: str) -> None:
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<CustomField {M}>{body}</CustomField>\n'
    rel = f"{SFDX}/objects/Lead/fields/{name}.field-meta.xml"
    with pytest.raises(OrgDefinitionError) as info:
        load_org_folder(write(tmp_path, good_org() | {rel: text}))
    assert (info.value.file, info.value.line) == (rel, line)
    assert words in info.value.problem


def test_a_rule_on_an_undefined_custom_field_is_refused(tmp_path: Path) -> None:
    rules = good_org()[f"{SFDX}/assignmentRules/Lead.assignmentRules-meta.xml"].replace(
        "Lead.Country", "Lead.Zone__c"
    )
    with pytest.raises(OrgDefinitionError) as info:
        load_org_folder(write(tmp_path,
                              good_org() | {f"{SFDX}/assignmentRules/Lead.assignmentRules-meta.xml": rules}))
    assert info.value.file.endswith("Lead.assignmentRules-meta.xml") and "Zone__c" in info.value.problem
    ok = good_org() | {f"{SFDX}/assignmentRules/Lead.assignmentRules-meta.xml": rules,
                       f"{SFDX}/objects/Lead/fields/Zone__c.field-meta.xml": _field_file("Zone__c"),
                       f"{SFDX}/globalValueSets/Zones.globalValueSet-meta.xml": GLOBAL}
    assert load_org_folder(write(tmp_path / "ok", ok)).rules
