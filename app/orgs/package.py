"""A Metadata API deploy zip read with the org folder's own readers (app/orgs/metadata.read_components).

Where package.xml sits: at the zip's root (the sf CLI / SDR zips source-converted files there) or in its
one top folder (`unpackaged/`, `zip/`, Ant and Workbench zips): salesforce-bulk-enterprise-metadata.md
§4.2. A file's `fileName` in the deploy messages keeps that top folder, as Salesforce reports it (§4.1).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from sfmock.orgs.archive import extracted
from sfmock.orgs.bundle import OrgDefinitionError, QueueDef, RuleDef, TemplateDef
from sfmock.orgs.metadata import read_components
from sfmock.orgs.metadata_xml import MetadataFile, local
from sfmock.orgs.objects import SchemaFiles

MANIFEST = "package.xml"
# Folder -> (metadata type, suffix of its files in Metadata API format): the Metadata API Developer Guide's
# type pages (directory, file suffix) and describeMetadata.
FOLDERS: dict[str, tuple[str, str]] = {
    "assignmentRules": ("AssignmentRules", ".assignmentRules"),
    "autoResponseRules": ("AutoResponseRules", ".autoResponseRules"),
    "queues": ("Queue", ".queue"),
    "email": ("EmailTemplate", ".email"),
    "objects": ("CustomObject", ".object"),
    "standardValueSets": ("StandardValueSet", ".standardValueSet"),
    "globalValueSets": ("GlobalValueSet", ".globalValueSet"),
}


@dataclass
class Component:
    type: str
    full_name: str
    file_name: str  # as Salesforce reports it: the zip path, top folder included


@dataclass
class Package:
    top: str  # "" or the folder holding package.xml ("unpackaged")
    members: dict[str, list[str]]  # package.xml: type -> members
    version: str | None
    components: list[Component] = field(default_factory=list)
    rules: list[RuleDef] = field(default_factory=list)
    queues: list[QueueDef] = field(default_factory=list)
    templates: list[TemplateDef] = field(default_factory=list)
    schema: SchemaFiles = field(default_factory=SchemaFiles)
    size: int = 0
    files: int = 0

    def manifest_file(self) -> str:
        return f"{self.top}/{MANIFEST}" if self.top else MANIFEST


class PackageError(Exception):
    """A deploy that cannot be read at all (no zip, no package.xml): Salesforce fails it with one message."""


def component_of(rel: str) -> Component | None:
    """The component a zip file defines, from its path below the package folder (None: not a component)."""
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] not in FOLDERS:
        return None
    kind, suffix = FOLDERS[parts[0]]
    name = parts[-1]
    if name.endswith("-meta.xml"):
        name = name[: -len("-meta.xml")]
        if parts[0] == "email" and len(parts) == 2:
            return Component("EmailFolder", name, rel)
        if parts[0] == "email":
            return None  # the template's -meta.xml travels with its .email file
    if parts[0] == "email":
        return Component(kind, f"{parts[1]}/{name[: -len(suffix)]}", rel) if len(parts) == 3 \
            and name.endswith(suffix) else None
    return Component(kind, name[: -len(suffix)], rel) if name.endswith(suffix) else None


@contextmanager
def opened(data: bytes) -> Iterator[PackageTree]:
    """The deploy zip extracted, as a tree its failing components can be taken out of; a zip that cannot
    be read at all, or has no package.xml, is a PackageError."""
    opened = False
    try:
        with extracted(data, "sfmock-deploy-") as root:
            opened = True
            top = _package_folder(root)
            if top is None:
                raise PackageError("No package.xml found")
            yield PackageTree(root, top, len(data))
    except OrgDefinitionError as exc:
        if opened:
            raise
        raise PackageError(f"The zip file is not valid: {exc}") from exc


class PackageTree:
    """An extracted deploy zip. Salesforce checks every component and reports each failure (DeployResult
    numberComponentErrors, details.componentFailures; Metadata API Developer Guide, deploy()): the deploy
    reads the tree, takes out the component a problem names (`drop`) and reads it again, until what is left
    is sound."""

    def __init__(self, root: Path, top: str, size: int) -> None:
        self.root, self.top, self.size = root, top, size
        self.base = root / top if top else root
        self.files = sum(1 for p in self.base.rglob("*") if p.is_file())

    def manifest_file(self) -> str:
        return f"{self.top}/{MANIFEST}" if self.top else MANIFEST

    def read(self) -> Package:
        """The manifest and the components left; a problem in a file is an OrgDefinitionError naming it."""
        members, version = _manifest(self.base / MANIFEST, MANIFEST)
        package = Package(self.top, members, version, size=self.size, files=self.files)
        for path in sorted(p for p in self.base.rglob("*") if p.is_file()):
            found = component_of(path.relative_to(self.base).as_posix())
            if found is not None:
                found.file_name = path.relative_to(self.root).as_posix()
                package.components.append(found)
        # Source paths come back relative to the package folder; failure_file() adds the top folder.
        package.rules, package.queues, package.templates, package.schema = read_components(self.base)
        return package

    def failed(self, rel: str | None, line: int | None) -> Component | None:
        """The component a problem at `rel` (below the package folder), `line` belongs to: a custom field or
        record type for a line inside one in an object file, as Salesforce names them (Object.Field)."""
        if not rel:
            return None
        if rel.endswith(".email" + "-meta.xml"):
            rel = rel[: -len("-meta.xml")]  # a template's meta file fails its template
        found = component_of(rel)
        child = self._child_at(rel, line) if found and found.type == "CustomObject" else None
        if child is not None:
            kind, name, _ = child
            return Component(kind, f"{found.full_name}.{name}", found.file_name)  # type: ignore[union-attr]
        return found

    def drop(self, rel: str | None, line: int | None) -> bool:
        """Takes the failing component out of the tree (False: nothing to take out)."""
        path = self.base / rel if rel else None
        if path is None or not path.is_file() or path == self.base / MANIFEST:
            return False
        found = component_of(rel or "")
        child = self._child_at(rel or "", line) if found and found.type == "CustomObject" else None
        if child is not None:
            element = child[2]
            element.getparent().remove(element)
            path.write_bytes(etree.tostring(element.getroottree(), xml_declaration=True, encoding="UTF-8"))
            return True
        for companion in (path.with_name(path.name.removesuffix("-meta.xml")), path.with_name(path.name +
                                                                                              "-meta.xml")):
            if companion != path and path.name.endswith((".email", ".email-meta.xml")):
                companion.unlink(missing_ok=True)
        path.unlink()
        return True

    def _child_at(self, rel: str, line: int | None) -> tuple[str, str, etree._Element] | None:
        """The <fields> or <recordTypes> element of an object file holding `line`."""
        if line is None:
            return None
        try:
            root = etree.parse(str(self.base / rel)).getroot()
        except (OSError, etree.XMLSyntaxError):
            return None
        kinds = {"fields": "CustomField", "recordTypes": "RecordType"}
        at = None
        for child in root:
            if isinstance(child.tag, str) and (child.sourceline or 0) <= line:
                at = child
        if at is None or local(at) not in kinds:
            return None
        name = next((c.text for c in at if isinstance(c.tag, str) and local(c) == "fullName"), None)
        return (kinds[local(at)], (name or "").strip(), at) if name else None


def _package_folder(root: Path) -> str | None:
    if (root / MANIFEST).is_file():
        return ""
    tops = [p for p in root.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    if len(tops) == 1 and tops[0].is_dir() and (tops[0] / MANIFEST).is_file():
        return tops[0].name
    return None


def _manifest(path: Path, rel: str) -> tuple[dict[str, list[str]], str | None]:
    doc = MetadataFile(path, rel, "Package")
    members: dict[str, list[str]] = {}
    version = None
    for child in doc.root:
        if not isinstance(child.tag, str):
            continue
        if local(child) == "version":
            version = doc.text(child)
        elif local(child) == "types":
            names = [doc.text(c) for c in child if isinstance(c.tag, str) and local(c) == "members"]
            kind = next((doc.text(c) for c in child if isinstance(c.tag, str) and local(c) == "name"), None)
            if not kind:
                raise doc.error(child, "<types> has no <name>")
            members.setdefault(kind, []).extend(names)
    return members, version


def manifest_members(path: Path, rel: str) -> dict[str, list[str]]:
    """A manifest in package.xml's format (a destructiveChanges file): type -> members."""
    return _manifest(path, rel)[0]


def manifest_xml(members: dict[str, list[str]], version: str) -> bytes:
    """package.xml as the sf CLI writes it (SDR: 4-space indent, types sorted by name)."""
    ns = "http://soap.sforce.com/2006/04/metadata"
    root = etree.Element(f"{{{ns}}}Package", nsmap={None: ns})
    for kind in sorted(members):
        types = etree.SubElement(root, f"{{{ns}}}types")
        for member in sorted(members[kind]):
            etree.SubElement(types, f"{{{ns}}}members").text = member
        etree.SubElement(types, f"{{{ns}}}name").text = kind
    etree.SubElement(root, f"{{{ns}}}version").text = version
    etree.indent(root, space="    ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="UTF-8") + b"\n"


def failure_file(error: OrgDefinitionError, top: str) -> str:
    return f"{top}/{error.file}" if top and error.file else (error.file or "")
