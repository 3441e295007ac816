"""The org's schema metadata below a folder: custom fields and record types of Lead, Case, Account and Contact
(`objects/`), standard value sets (`standardValueSets/`) and global value sets (`globalValueSets/`), in SFDX
source or MDAPI format (salesforce-schema-and-surface.md §1.1).

Objects sfmock does not have (Opportunity, custom objects) are read past: a real project carries many, and
sfmock can hold none of their records; a lookup *to* one is refused (app/orgs/fields_xml.py).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sfmock.core.schema.slots import CUSTOMIZABLE
from sfmock.orgs.bundle import OrgDefinitionError
from sfmock.orgs.fields_xml import (
    CustomFieldDef,
    RecordTypeFileDef,
    read_field,
    read_record_type,
    read_values,
)
from sfmock.orgs.metadata_xml import MetadataFile, local

# StandardValueSet -> the standard fields it feeds (§1.3). Sets for objects sfmock lacks are read past.
STANDARD_VALUE_SETS: dict[str, tuple[str, ...]] = {
    "LeadSource": ("Lead.LeadSource", "Account.AccountSource", "Contact.LeadSource"),
    "LeadStatus": ("Lead.Status",),
    "CaseStatus": ("Case.Status",),
    "CaseOrigin": ("Case.Origin",),
    "CasePriority": ("Case.Priority",),
    "CaseReason": ("Case.Reason",),
    "CaseType": ("Case.Type",),
    "Industry": ("Account.Industry", "Lead.Industry"),
    "AccountRating": ("Account.Rating", "Lead.Rating"),
    "AccountType": ("Account.Type",),
}
# The flag a value set's values may carry that sfmock uses (LeadStatus converted, CaseStatus closed).
_FLAGS = {"LeadStatus": "converted", "CaseStatus": "closed"}


@dataclass(frozen=True)
class ValueSetDef:
    name: str
    values: tuple[str, ...]
    default: str | None
    flagged: tuple[str, ...] = ()  # values flagged closed / converted
    file: str = ""


@dataclass
class SchemaFiles:
    fields: list[CustomFieldDef] = field(default_factory=list)
    record_types: list[RecordTypeFileDef] = field(default_factory=list)
    standard_value_sets: list[ValueSetDef] = field(default_factory=list)
    global_value_sets: dict[str, ValueSetDef] = field(default_factory=dict)


def _stem(path: Path, suffixes: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return None


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def read_schema(root: Path, dirs: dict[str, list[Path]]) -> SchemaFiles:
    out = SchemaFiles()
    for directory in dirs.get("globalValueSets", []):
        for path in _files(directory):
            name = _stem(path, (".globalValueSet-meta.xml", ".globalValueSet"))
            if name is not None:
                out.global_value_sets[name] = _value_set(root, path, name, "GlobalValueSet", "customValue")
    for directory in dirs.get("standardValueSets", []):
        for path in _files(directory):
            name = _stem(path, (".standardValueSet-meta.xml", ".standardValueSet"))
            if name in STANDARD_VALUE_SETS:
                out.standard_value_sets.append(_value_set(root, path, name, "StandardValueSet",
                                                          "standardValue"))
    for directory in dirs.get("objects", []):
        for entry in sorted(directory.iterdir()):
            if entry.is_dir() and entry.name in CUSTOMIZABLE:
                _read_source_object(root, entry, out)
            elif entry.is_file() and entry.name.endswith(".object") and entry.name[:-7] in CUSTOMIZABLE:
                _read_mdapi_object(root, entry, out)
    return out


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _value_set(root: Path, path: Path, name: str, root_name: str, tag: str) -> ValueSetDef:
    doc = MetadataFile(path, _rel(root, path), root_name)
    values, default, flagged = read_values(doc, doc.root, tag, _FLAGS.get(name, "-"))
    if not values:
        raise OrgDefinitionError(f"{root_name} {name} has no values", doc.rel)
    return ValueSetDef(name, values, default, flagged, doc.rel)


def _named(root: Path, directory: Path, suffix: str, root_name: str) -> Iterator[tuple[str, MetadataFile]]:
    """(name, parsed file) of each `<name><suffix>` in an object's sub-folder; any other file is refused."""
    if not directory.is_dir():
        return
    for path in _files(directory):
        name = _stem(path, (suffix,))
        if name is None:
            raise OrgDefinitionError(f"unexpected file in {directory.name}/: expected <Name>{suffix}",
                                     _rel(root, path))
        if root_name != "CustomField" or name.endswith("__c"):  # standard fields' files define nothing here
            yield name, MetadataFile(path, _rel(root, path), root_name)


def _read_source_object(root: Path, folder: Path, out: SchemaFiles) -> None:
    sobject = folder.name
    for name, doc in _named(root, folder / "fields", ".field-meta.xml", "CustomField"):
        out.fields.append(read_field(doc, doc.root, sobject, name))
    for name, doc in _named(root, folder / "recordTypes", ".recordType-meta.xml", "RecordType"):
        out.record_types.append(read_record_type(doc, doc.root, sobject, name))


def _read_mdapi_object(root: Path, path: Path, out: SchemaFiles) -> None:
    sobject = path.name[:-7]
    doc = MetadataFile(path, _rel(root, path), "CustomObject")
    for child in doc.root:
        if not isinstance(child.tag, str) or local(child) not in ("fields", "recordTypes"):
            continue
        full = next((c for c in child if isinstance(c.tag, str) and local(c) == "fullName"), None)
        if full is None:
            raise doc.error(child, f"<{local(child)}> without <fullName>")
        name = doc.text(full)
        if local(child) == "recordTypes":
            out.record_types.append(read_record_type(doc, child, sobject, name))
        elif name.endswith("__c"):
            out.fields.append(read_field(doc, child, sobject, name))
