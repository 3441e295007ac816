"""The org's current configuration as Metadata API components: listMetadata's inventory, readMetadata's
records and retrieve's zip (`unpackaged/package.xml` plus each file in Metadata API format, which the sf
CLI's source-deploy-retrieve library extracts from `unpackaged/`: salesforce-bulk-enterprise-metadata.md
§4.1)."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from sfmock.core.schema import FieldDef
from sfmock.orgs import metadata_out as out
from sfmock.orgs.objects import STANDARD_VALUE_SETS
from sfmock.orgs.org_state import OrgState, read_state
from sfmock.orgs.package import manifest_xml
from sfmock.persistence import schemas
from sfmock.persistence.store import SqlStore

# Salesforce's retrieve message for a member it does not have (Metadata API retrieve results).
NOT_FOUND = "Entity of type '{kind}' named '{name}' cannot be found"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@dataclass
class Item:
    type: str
    full_name: str
    file_name: str  # Metadata API format path, below the package folder
    id: str = ""


class Inventory:
    """Every component the org has, by type and full name, and how to write each one."""

    def __init__(self, store: SqlStore) -> None:
        self.state: OrgState = read_state(store)
        self.schema = store.schema
        self.spec = schemas.load_spec(store.session, store.org.org_id) or {}

    def items(self, kind: str) -> list[Item]:
        s = self.state
        if kind in ("AssignmentRules", "AutoResponseRules"):
            flavour = "assignment" if kind == "AssignmentRules" else "auto-response"
            folder = "assignmentRules" if kind == "AssignmentRules" else "autoResponseRules"
            objects = sorted({r.object for r in s.rules if r.kind == flavour})
            return [Item(kind, o, f"{folder}/{o}.{folder}") for o in objects]
        if kind == "AssignmentRule":
            return [Item(kind, f"{r.object}.{r.full_name}", f"assignmentRules/{r.object}.assignmentRules",
                         s.rule_ids.get((r.object, r.full_name), ""))
                    for r in s.rules if r.kind == "assignment"]
        if kind == "Queue":
            return [Item(kind, q.developer_name, f"queues/{q.developer_name}.queue",
                         s.queue_ids[q.developer_name]) for q in s.queues]
        if kind == "EmailTemplate":
            return [Item(kind, t.reference, f"email/{t.reference}.email", s.template_ids[t.reference])
                    for t in s.templates]
        if kind == "EmailFolder":
            return [Item(kind, f, f"email/{f}-meta.xml") for f in sorted({t.folder for t in s.templates})]
        if kind == "CustomField":
            return [Item(kind, f"{o}.{f['name']}", f"objects/{o}.object")
                    for o, fields in sorted(self.spec.get("fields", {}).items()) for f in fields]
        if kind == "RecordType":
            return [Item(kind, f"{o}.{r['developer_name']}", f"objects/{o}.object", r["id"])
                    for o, types in sorted(self.spec.get("record_types", {}).items()) for r in types]
        if kind == "CustomObject":
            sobjects = set(self.spec.get("fields", {})) | set(self.spec.get("record_types", {}))
            return [Item(kind, o, f"objects/{o}.object") for o in sorted(sobjects)]
        if kind == "StandardValueSet":
            return [Item(kind, n, f"standardValueSets/{n}.standardValueSet") for n in STANDARD_VALUE_SETS]
        return []

    def find(self, kind: str, full_name: str) -> Item | None:
        if kind == "EmailTemplate" and "/" not in full_name:
            kind = "EmailFolder"  # package.xml names a folder among its type's members
        return next((i for i in self.items(kind) if i.full_name == full_name), None)

    def fill(self, node: etree._Element, item: Item, only: Callable[[str, str], bool] | None = None) -> None:
        """The component's elements under `node` (a file's root or a readMetadata record)."""
        s, kind, name = self.state, item.type, item.full_name
        if kind in ("AssignmentRules", "AutoResponseRules"):
            flavour = "assignment" if kind == "AssignmentRules" else "auto-response"
            out.fill_rules(node, [r for r in s.rules if r.object == name and r.kind == flavour
                                  and (only is None or only("AssignmentRule", f"{name}.{r.full_name}"))])
        elif kind == "AssignmentRule":
            sobject, _, rule = name.partition(".")
            out.fill_rule(node, next(r for r in s.rules if (r.object, r.full_name) == (sobject, rule)))
        elif kind == "Queue":
            out.fill_queue(node, next(q for q in s.queues if q.developer_name == name))
        elif kind == "EmailTemplate":
            out.fill_template(node, next(t for t in s.templates if t.reference == name))
        elif kind == "EmailFolder":
            out.fill_folder(node, name)
        elif kind == "CustomObject":
            self._fill_object(node, name, only)
        elif kind == "CustomField":
            sobject, _, field = name.partition(".")
            out.fill_field(node, self._field(sobject, field), name)
        elif kind == "RecordType":
            sobject, _, developer_name = name.partition(".")
            out.fill_record_type(node, next(r for r in self.spec["record_types"][sobject]
                                            if r["developer_name"] == developer_name), name)
        elif kind == "StandardValueSet":
            self._fill_value_set(node, name)

    def _fill_object(self, node: etree._Element, sobject: str,
                     only: Callable[[str, str], bool] | None) -> None:
        for f in self.spec.get("fields", {}).get(sobject, []):
            if only is None or only("CustomField", f"{sobject}.{f['name']}"):
                out.fill_field(etree.SubElement(node, f"{{{out.MNS}}}fields"),
                               self._field(sobject, f["name"]))
        for rt in self.spec.get("record_types", {}).get(sobject, []):
            if only is None or only("RecordType", f"{sobject}.{rt['developer_name']}"):
                out.fill_record_type(etree.SubElement(node, f"{{{out.MNS}}}recordTypes"), rt)

    def _fill_value_set(self, node: etree._Element, name: str) -> None:
        sobject, field_name = STANDARD_VALUE_SETS[name][0].split(".")
        field = self._field(sobject, field_name)
        # (flag, the flagged values as the org's JSON spec holds them)
        flag: tuple[str, Any] | None = {
            "LeadStatus": ("converted", tuple(self.spec.get("converted", ()))),
            "CaseStatus": ("closed", tuple(self.spec.get("closed", ())))}.get(name)
        out.fill_value_set(node, tuple(field.picklist), field.default, flag)

    def _field(self, sobject: str, name: str) -> FieldDef:
        """A field the org's spec lists (or a standard value set's field): the schema, built from that
        spec, has it; LookupError otherwise, a broken schema."""
        found = self.schema.require(sobject).field(name)
        if found is None:
            raise LookupError(f"the schema has no {sobject}.{name}")
        return found

    def record(self, item: Item) -> etree._Element:
        """A readMetadata record: `<records xsi:type="Type">` with fullName first."""
        node = etree.Element(f"{{{out.MNS}}}records")
        node.set(_XSI_TYPE, item.type)
        if item.type not in ("AssignmentRule", "CustomField", "RecordType"):
            etree.SubElement(node, f"{{{out.MNS}}}fullName").text = item.full_name
        self.fill(node, item)
        return node


def build_zip(inventory: Inventory, members: dict[str, list[str]],
              version: str) -> tuple[bytes, list[Item], list[tuple[str, str]]]:
    """The retrieve zip, the components it holds and (fileName, problem) for each member not found."""
    wanted: dict[str, list[Item]] = {}
    problems: list[tuple[str, str]] = []
    asked: set[tuple[str, str]] = set()
    for kind, names in members.items():
        for name in names:
            found = inventory.items(kind) if name == "*" else [i for i in [inventory.find(kind, name)] if i]
            if not found and name != "*":
                problems.append(("unpackaged/package.xml", NOT_FOUND.format(kind=kind, name=name)))
            for item in found:
                asked.add((item.type, item.full_name))
                wanted.setdefault(item.file_name, []).append(item)
    buffer = io.BytesIO()
    items: list[Item] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("unpackaged/package.xml", manifest_xml(members, version))
        for file_name, found in sorted(wanted.items()):
            first = found[0]
            items += found
            root_type = {"CustomField": "CustomObject", "RecordType": "CustomObject",
                         "AssignmentRule": "AssignmentRules"}.get(first.type, first.type)
            root = out.document(root_type)
            whole = any(i.type == root_type for i in found)
            inventory.fill(root, _file_item(first, root_type),
                           None if whole else (lambda k, n: (k, n) in asked))
            meta = "-meta.xml" if first.type == "EmailTemplate" else ""
            archive.writestr(f"unpackaged/{file_name}{meta}",
                             out.to_bytes(root))
            if first.type == "EmailTemplate":
                body = next(t.body for t in inventory.state.templates if t.reference == first.full_name)
                archive.writestr(f"unpackaged/{file_name}", body)
    return buffer.getvalue(), items, problems


def _file_item(item: Item, root_type: str) -> Item:
    return item if item.type == root_type else Item(root_type, item.full_name.split(".")[0], item.file_name)
