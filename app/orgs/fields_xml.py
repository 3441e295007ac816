"""CustomField and RecordType elements (Metadata API v66) into the org's field and record type definitions.

One reader for both formats: an SFDX `objects/Lead/fields/Region__c.field-meta.xml` (root <CustomField>, name
from the file) and a `<fields>` element of an MDAPI `objects/Lead.object` (name from <fullName>). Elements
this mock does not model (trackHistory, securityClassification, …) are read past; the types and limits come
from salesforce-schema-and-surface.md §1.2.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from sfmock.core.schema import FieldDef
from sfmock.orgs.bundle import Source
from sfmock.orgs.metadata_xml import MetadataFile, local

# Lookup targets sfmock has (issue scope: User, Account, Contact, Lead, Case).
LOOKUP_TARGETS = ("User", "Account", "Contact", "Lead", "Case")
# M type -> (describe type, default length). Limits: Metadata API CustomField, "Field Types".
_TYPES = {
    "Text": ("string", 0), "TextArea": ("textarea", 255), "LongTextArea": ("textarea", 32768),
    "Email": ("email", 80), "Phone": ("phone", 40), "Url": ("url", 255), "Number": ("double", 0),
    "Currency": ("currency", 0), "Percent": ("percent", 0), "Checkbox": ("boolean", 0), "Date": ("date", 0),
    "DateTime": ("datetime", 0), "Picklist": ("picklist", 255),
    "MultiselectPicklist": ("multipicklist", 4099),
    "Lookup": ("reference", 18), "Html": ("textarea", 32768),
}
_BOOLEAN_FLAGS = ("required", "unique", "externalId", "caseSensitive")


@dataclass(frozen=True)
class CustomFieldDef:
    object: str
    field: FieldDef
    value_set_name: str | None = None  # a GlobalValueSet the picklist takes its values from
    source: Source | None = None


@dataclass(frozen=True)
class RecordTypeFileDef:
    object: str
    developer_name: str
    label: str
    active: bool
    description: str | None
    picklists: tuple[tuple[str, tuple[str, ...], str | None], ...]
    source: Source | None = None


def _simple(doc: MetadataFile, el: etree._Element) -> dict[str, etree._Element]:
    out: dict[str, etree._Element] = {}
    for child in el:
        if isinstance(child.tag, str):
            out.setdefault(local(child), child)
    return out


def _int(doc: MetadataFile, el: etree._Element) -> int:
    value = doc.text(el)
    if not value.isdigit():
        raise doc.error(el, f"<{local(el)}> must be a whole number, not {value!r}")
    return int(value)


def read_field(doc: MetadataFile, el: etree._Element, sobject: str, name: str) -> CustomFieldDef:
    """One CustomField element; `name` is its API name (Region__c)."""
    parts = _simple(doc, el)
    if "type" not in parts:
        raise doc.error(el, f"custom field {sobject}.{name} has no <type>")
    m_type = doc.text(parts["type"])
    if m_type not in _TYPES:
        raise doc.error(parts["type"],
                        f"custom field {sobject}.{name}: field type {m_type!r} is not supported by "
                        f"sfmock (supported: {', '.join(_TYPES)})")
    kind, length = _TYPES[m_type]
    flags = {f: doc.boolean(parts[f]) for f in _BOOLEAN_FLAGS if f in parts}
    spec: dict = {"name": name, "type": kind, "custom": True, "length": length,
                  "label": doc.text(parts["label"]) if "label" in parts else name[:-3].replace("_", " ")}
    if "length" in parts and m_type in ("Text", "LongTextArea", "Html"):
        spec["length"] = _int(doc, parts["length"])
        if m_type == "Text" and not 1 <= spec["length"] <= 255:
            raise doc.error(parts["length"], f"custom field {sobject}.{name}: Text length must be 1-255")
    elif m_type == "Text" and "formula" not in parts:
        raise doc.error(el, f"custom field {sobject}.{name}: a Text field needs <length>")
    elif m_type == "Text":
        spec["length"] = 255
    if kind in ("double", "currency", "percent"):
        spec["precision"] = _int(doc, parts["precision"]) if "precision" in parts else 18
        spec["scale"] = _int(doc, parts["scale"]) if "scale" in parts else 0
        if not 1 <= spec["precision"] <= 18 or spec["scale"] > spec["precision"]:
            raise doc.error(el,
                            f"custom field {sobject}.{name}: precision must be 1-18 and scale at most "
                            f"precision")
    if "formula" in parts:
        # A formula field: read-only, computed by Salesforce; sfmock keeps its place in describe and SOQL but
        # does not evaluate it (its value is null) [deliberate simplification].
        spec |= {"calculated": True, "createable": False, "updateable": False}
        return CustomFieldDef(sobject, FieldDef(**spec), None, doc.at(el))
    if kind == "boolean":
        # A Checkbox is never null: its defaultValue (mandatory in metadata) fills it on create.
        checked = doc.text(parts["defaultValue"]).lower() if "defaultValue" in parts else "false"
        if checked not in ("true", "false"):
            raise doc.error(parts["defaultValue"],
                            f"custom field {sobject}.{name}: Checkbox defaultValue must be "
                            "true or false")
        spec |= {"default": checked == "true", "nillable": False, "defaulted_on_create": True}
    elif flags.get("required"):
        spec["nillable"] = False
    spec |= {"unique": flags.get("unique", False), "external_id": flags.get("externalId", False),
             "case_sensitive": flags.get("caseSensitive", False)}
    if spec["external_id"]:
        spec["id_lookup"] = True
    value_set_name: str | None = None
    if kind == "reference":
        spec |= _lookup(doc, el, parts, sobject, name)
    if kind in ("picklist", "multipicklist"):
        values, default, restricted, value_set_name = _value_set(doc, el, parts.get("valueSet"), sobject,
                                                                 name)
        spec |= {"picklist": values, "restricted_picklist": restricted}
        if default is not None:
            spec["default"] = default
        if "defaultValue" in parts:
            written = doc.text(parts["defaultValue"]).strip("'\"")
            if value_set_name is None and written not in values:
                raise doc.error(parts["defaultValue"], f"custom field {sobject}.{name}: picklist default "
                                f"{written!r} is not one of its values")
            spec["default"] = written
    if spec.get("default") is not None and kind != "boolean":
        spec["defaulted_on_create"] = True
    return CustomFieldDef(sobject, FieldDef(**spec), value_set_name, doc.at(el))


def _lookup(doc: MetadataFile, el: etree._Element, parts: dict, sobject: str, name: str) -> dict:
    if "referenceTo" not in parts:
        raise doc.error(el, f"custom field {sobject}.{name}: a Lookup needs <referenceTo>")
    target = doc.text(parts["referenceTo"])
    if target not in LOOKUP_TARGETS:
        raise doc.error(parts["referenceTo"],
                        f"custom field {sobject}.{name}: lookup to {target!r}, an object "
                        f"sfmock does not have (it has {', '.join(LOOKUP_TARGETS)})")
    child = doc.text(parts["relationshipName"]) if "relationshipName" in parts else None
    # The parent relationship is the field's name with __r (Custom_Owner__c -> Custom_Owner__r); the
    # metadata's relationshipName names the child relationship seen from the target (Leads__r).
    return {"reference_to": (target,), "relationship_name": name[:-3] + "__r",
            "child_relationship": f"{child}__r" if child else None}


def _value_set(doc: MetadataFile, field: etree._Element, el: etree._Element | None, sobject: str,
               name: str) -> tuple[tuple[str, ...], str | None, bool, str | None]:
    """(values, default, restricted, global value set name) of a picklist's <valueSet>."""
    if el is None:
        raise doc.error(field, f"custom field {sobject}.{name}: a picklist needs a <valueSet>")
    parts = _simple(doc, el)
    restricted = doc.boolean(parts["restricted"]) if "restricted" in parts else False
    if "valueSetName" in parts:
        return (), None, True if "restricted" not in parts else restricted, doc.text(parts["valueSetName"])
    definition = parts.get("valueSetDefinition")
    if definition is None:
        raise doc.error(el, f"custom field {sobject}.{name}: <valueSet> needs <valueSetDefinition> or "
                        "<valueSetName>")
    values, default = read_values(doc, definition, "value")
    return values, default, restricted, None


def read_values(doc: MetadataFile, el: etree._Element, tag: str,
                flag: str | None = None) -> tuple[tuple[str, ...], str | None] | tuple:
    """The active values under `el` (<value>, <customValue>, <standardValue>) and the default one; with `flag`
    also the values carrying that flag (closed, converted)."""
    values: list[str] = []
    default = None
    flagged: list[str] = []
    for child in el:
        if not isinstance(child.tag, str) or local(child) != tag:
            continue
        parts = _simple(doc, child)
        if "fullName" not in parts:
            raise doc.error(child, f"<{tag}> without <fullName>")
        value = doc.text(parts["fullName"])
        if "isActive" in parts and not doc.boolean(parts["isActive"]):
            continue  # inactive values are not offered (describe drops them) [UNCONFIRMED]
        values.append(value)
        if "default" in parts and doc.boolean(parts["default"]):
            default = value
        if flag and flag in parts and doc.boolean(parts[flag]):
            flagged.append(value)
    if flag:
        return tuple(values), default, tuple(flagged)
    return tuple(values), default


def read_record_type(doc: MetadataFile, el: etree._Element, sobject: str, name: str) -> RecordTypeFileDef:
    parts = _simple(doc, el)
    picklists = []
    for child in el:
        if not isinstance(child.tag, str) or local(child) != "picklistValues":
            continue
        sub = _simple(doc, child)
        if "picklist" not in sub:
            raise doc.error(child, "<picklistValues> without <picklist>")
        values, default = read_values(doc, child, "values")
        picklists.append((doc.text(sub["picklist"]), values, default))
    return RecordTypeFileDef(
        sobject, name, doc.text(parts["label"]) if "label" in parts else name,
        doc.boolean(parts["active"]) if "active" in parts else True,
        doc.text(parts["description"]) if "description" in parts else None, tuple(picklists), doc.at(el))
