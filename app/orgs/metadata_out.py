"""An org's configuration written back as Metadata API XML: the inverse of rules_xml, queues_xml,
templates_xml and fields_xml, in the element order of Salesforce's Metadata WSDL v66 (RuleEntry, Queue,
EmailTemplate, CustomField, RecordType, StandardValueSet). Used for retrieve's files and readMetadata's
records."""
from __future__ import annotations

from typing import Any

from lxml import etree

from sfmock.core.schema.model import FieldDef
from sfmock.orgs.bundle import QueueDef, RuleDef, TemplateDef

MNS = "http://soap.sforce.com/2006/04/metadata"
_RULE_TAG = {"assignment": "assignmentRule", "auto-response": "autoResponseRule"}
# FieldDef.type -> the CustomField <type> (fields_xml._TYPES read the other way).
_FIELD_TYPES = {"string": "Text", "email": "Email", "phone": "Phone", "url": "Url", "double": "Number",
                "currency": "Currency", "percent": "Percent", "boolean": "Checkbox", "date": "Date",
                "datetime": "DateTime", "picklist": "Picklist", "multipicklist": "MultiselectPicklist",
                "reference": "Lookup"}


def _add(parent: etree._Element, name: str, value: Any) -> None:
    if value is None:
        return
    etree.SubElement(parent, f"{{{MNS}}}{name}").text = \
        ("true" if value else "false") if isinstance(value, bool) else str(value)


def document(root_name: str) -> etree._Element:
    return etree.Element(f"{{{MNS}}}{root_name}", nsmap={None: MNS})


def to_bytes(root: etree._Element) -> bytes:
    etree.indent(root, space="    ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


def fill_rules(parent: etree._Element, rules: list[RuleDef]) -> None:
    for rule in rules:
        node = etree.SubElement(parent, f"{{{MNS}}}{_RULE_TAG[rule.kind]}")
        fill_rule(node, rule)


def fill_rule(node: etree._Element, rule: RuleDef) -> None:
    _add(node, "fullName", rule.full_name)
    _add(node, "active", rule.active)
    for e in rule.entries:
        entry = etree.SubElement(node, f"{{{MNS}}}ruleEntry")
        _add(entry, "assignedTo", e.assigned_to)
        _add(entry, "assignedToType", e.assigned_to_type)
        _add(entry, "booleanFilter", e.boolean_filter)
        for item in e.criteria:
            criteria = etree.SubElement(entry, f"{{{MNS}}}criteriaItems")
            field = item.field if "." in item.field else f"{rule.object}.{item.field}"
            _add(criteria, "field", field)
            _add(criteria, "operation", item.operation)
            _add(criteria, "value", item.value)
            _add(criteria, "valueField", item.value_field)
        _add(entry, "formula", e.formula)
        if e.notify_cc_recipients:
            _add(entry, "notifyCcRecipients", True)
        if e.override_existing_teams:
            _add(entry, "overrideExistingTeams", True)
        _add(entry, "replyToEmail", e.reply_to_email)
        _add(entry, "senderEmail", e.sender_email)
        _add(entry, "senderName", e.sender_name)
        for team in e.team:
            _add(entry, "team", team)
        _add(entry, "template", e.template)


def fill_queue(node: etree._Element, q: QueueDef) -> None:
    _add(node, "description", q.description)
    _add(node, "doesSendEmailToMembers", q.does_send_email_to_members)
    _add(node, "email", q.email)
    _add(node, "name", q.name)
    if q.members:
        users = etree.SubElement(etree.SubElement(node, f"{{{MNS}}}queueMembers"), f"{{{MNS}}}users")
        for member in q.members:
            _add(users, "user", member)
    for sobject in q.sobject_types:
        _add(etree.SubElement(node, f"{{{MNS}}}queueSobject"), "sobjectType", sobject)


def fill_template(node: etree._Element, t: TemplateDef) -> None:
    _add(node, "available", t.available)
    _add(node, "description", t.description)
    _add(node, "encodingKey", t.encoding_key)
    _add(node, "name", t.name)
    _add(node, "style", t.style)
    _add(node, "subject", t.subject)
    _add(node, "textOnly", t.text_only)
    _add(node, "type", t.type)


def fill_folder(node: etree._Element, name: str) -> None:
    _add(node, "accessType", "Public")
    _add(node, "name", name)
    _add(node, "publicFolderAccess", "ReadWrite")


def fill_field(node: etree._Element, f: FieldDef, full_name: str | None = None) -> None:
    """`full_name`: Lead.Score__c for a record of its own (readMetadata); inside an object file, the name."""
    _add(node, "fullName", full_name or f.name)
    if f.type == "boolean":
        _add(node, "defaultValue", bool(f.default))  # mandatory on a Checkbox
    if f.external_id:
        _add(node, "externalId", True)
    _add(node, "label", f.label or f.name)
    kind = _FIELD_TYPES.get(f.type) or ("TextArea" if f.length <= 255 else "LongTextArea")
    if kind in ("Text", "LongTextArea"):
        _add(node, "length", f.length)
    if kind in ("Number", "Currency", "Percent"):
        _add(node, "precision", f.precision)
    if f.reference_to:
        _add(node, "referenceTo", f.reference_to[0])
        _add(node, "relationshipName", f.relationship_name)
    _add(node, "required", not f.nillable and f.type != "boolean")
    if kind in ("Number", "Currency", "Percent"):
        _add(node, "scale", f.scale)
    _add(node, "type", kind)
    if f.unique:
        _add(node, "unique", True)
    if f.picklist:
        value_set = etree.SubElement(node, f"{{{MNS}}}valueSet")
        definition = etree.SubElement(value_set, f"{{{MNS}}}valueSetDefinition")
        for value in f.picklist:
            item = etree.SubElement(definition, f"{{{MNS}}}value")
            _add(item, "fullName", value)
            _add(item, "default", value == f.default)
            _add(item, "label", value)


def fill_record_type(node: etree._Element, rt: dict[str, Any], full_name: str | None = None) -> None:
    _add(node, "fullName", full_name or rt["developer_name"])
    _add(node, "active", rt.get("active", True))
    _add(node, "label", rt["name"])
    for field_name, values, default in rt.get("picklists", ()):
        picklist = etree.SubElement(node, f"{{{MNS}}}picklistValues")
        _add(picklist, "picklist", field_name)
        for value in values:
            item = etree.SubElement(picklist, f"{{{MNS}}}values")
            _add(item, "fullName", value)
            _add(item, "default", value == default)


def fill_value_set(node: etree._Element, values: tuple[str, ...], default: str | None,
                   flagged: tuple[str, str] | None = None) -> None:
    """standardValue elements; `flagged` = (flag, values) for LeadStatus converted / CaseStatus closed."""
    for value in values:
        item = etree.SubElement(node, f"{{{MNS}}}standardValue")
        _add(item, "fullName", value)
        _add(item, "default", value == default)
        _add(item, "label", value)
        if flagged is not None:
            _add(item, flagged[0], value in flagged[1])
