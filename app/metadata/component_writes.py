"""createMetadata / updateMetadata / upsertMetadata / deleteMetadata (the CRUD-based calls).

Each record (`<metadata xsi:type="Queue"><fullName>…`) is written as the file a deploy would carry and
deployed on its own through app/orgs/deploy.py: the same readers, checks and install as a zip, one record
at a time (each saved or refused independently, as Salesforce's CRUD calls do without AllOrNoneHeader).
"""
from __future__ import annotations

import base64
import io
import zipfile
from typing import Any

from lxml import etree

from sfmock.orgs import component_delete
from sfmock.orgs.deploy import deploy
from sfmock.orgs.metadata_out import MNS, document, to_bytes
from sfmock.orgs.package import manifest_xml
from sfmock.orgs.retrieve import Inventory
from sfmock.persistence.org_cache import bump_version
from sfmock.persistence.store import SqlStore

_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
# type -> (folder, suffix, file root element, child element the record becomes inside it)
_FILES: dict[str, tuple[str, str, str, str | None]] = {
    "AssignmentRules": ("assignmentRules", ".assignmentRules", "AssignmentRules", None),
    "AssignmentRule": ("assignmentRules", ".assignmentRules", "AssignmentRules", "assignmentRule"),
    "AutoResponseRules": ("autoResponseRules", ".autoResponseRules", "AutoResponseRules", None),
    "AutoResponseRule": ("autoResponseRules", ".autoResponseRules", "AutoResponseRules", "autoResponseRule"),
    "Queue": ("queues", ".queue", "Queue", None),
    "EmailTemplate": ("email", ".email-meta.xml", "EmailTemplate", None),
    "EmailFolder": ("email", "-meta.xml", "EmailFolder", None),
    "CustomObject": ("objects", ".object", "CustomObject", None),
    "CustomField": ("objects", ".object", "CustomObject", "fields"),
    "RecordType": ("objects", ".object", "CustomObject", "recordTypes"),
    "StandardValueSet": ("standardValueSets", ".standardValueSet", "StandardValueSet", None),
}


def _error(full_name: str, code: str, message: str, upsert: bool) -> dict[str, Any]:
    out = {"errors": [{"message": message, "statusCode": code}], "fullName": full_name, "success": False}
    return out | {"created": False} if upsert else out


def _zip(kind: str, full_name: str, record: etree._Element) -> bytes:
    """The deploy zip holding this one record as its file."""
    folder, suffix, root_name, child = _FILES[kind]
    owner, _, inner = full_name.partition(".") if child else (full_name, "", "")
    root = document(root_name)
    target = etree.SubElement(root, f"{{{MNS}}}{child}") if child else root
    if child:
        etree.SubElement(target, f"{{{MNS}}}fullName").text = inner
    body = None
    for element in record:
        if not isinstance(element.tag, str) or etree.QName(element).localname == "fullName":
            continue
        if kind == "EmailTemplate" and etree.QName(element).localname == "content":
            body = base64.b64decode(element.text or "")  # MetadataWithContent.content is base64
            continue
        copy = etree.SubElement(target, f"{{{MNS}}}{etree.QName(element).localname}")
        copy.extend(list(element))
        copy.text = element.text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("package.xml", manifest_xml({}, "66.0"))
        archive.writestr(f"{folder}/{owner}{suffix}", to_bytes(root))
        if kind == "EmailTemplate":
            archive.writestr(f"{folder}/{owner}.email", body or b"")
    return buffer.getvalue()


def save_components(store: SqlStore, records: list[etree._Element], mode: str,
                    user_id: str | None) -> list[dict[str, Any]]:
    upsert = mode == "upsert"
    results = []
    for record in records:
        kind = (record.get(_XSI_TYPE) or "").rpartition(":")[2]
        name_el = record.find(f"{{{MNS}}}fullName")
        full_name = (name_el.text or "").strip() if name_el is not None else ""
        if kind not in _FILES:
            results.append(_error(full_name, "INVALID_TYPE",
                                  f"sfmock does not save metadata of type {kind!r} "
                                  "(supported: " + ", ".join(_FILES) + ")", upsert))
            continue
        exists = Inventory(store).find(kind, full_name) is not None
        if mode == "create" and exists:
            # Salesforce's createMetadata answer for a name already taken [UNCONFIRMED wording].
            results.append(_error(full_name, "DUPLICATE_DEVELOPER_NAME",
                                  f"There is already a {kind} named {full_name}.", upsert))
            continue
        if mode == "update" and not exists:
            results.append(_error(full_name, "INVALID_CROSS_REFERENCE_KEY",
                                  f"In field: fullName - no {kind} named {full_name} found", upsert))
            continue
        with store.savepoint():
            outcome = deploy(store, _zip(kind, full_name, record), check_only=False, user_id=user_id)
        if outcome.success:
            result: dict[str, Any] = {"errors": [], "fullName": full_name, "success": True}
            results.append(result | {"created": not exists} if upsert else result)
        else:
            problem = outcome.failures[0].problem or "invalid metadata"
            results.append(_error(full_name, "FIELD_INTEGRITY_EXCEPTION", problem, upsert))
    return results


def delete_components(store: SqlStore, kind: str, full_names: list[str]) -> list[dict[str, Any]]:
    """Each name deleted on its own (app/orgs/component_delete.py), or its DeleteResult error."""
    results = []
    for name in full_names:
        refused = component_delete.delete(store, kind, name)
        results.append(_error(name, *refused, False) if refused else
                       {"errors": [], "fullName": name, "success": True})
    bump_version(store.session, store.org.org_id)
    return results
