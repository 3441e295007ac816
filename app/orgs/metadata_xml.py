"""Reading one Metadata API XML file safely, and the small readers every metadata type shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from sfmock.orgs.bundle import OrgDefinitionError, Source

NS = "http://soap.sforce.com/2006/04/metadata"

# No entities, no DTD, no network, no multi-gigabyte trees: metadata files never need any of them.
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
# xsd:boolean's lexical space.
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def local(el: etree._Element) -> str:
    """An element's name without the metadata namespace; foreign elements keep their {ns}."""
    tag = el.tag
    return tag[len(NS) + 2 :] if tag.startswith("{" + NS + "}") else tag


class MetadataFile:
    """One parsed file: its root element and how to point at a line of it in an error."""

    def __init__(self, path: Path, rel: str, root_name: str) -> None:
        self.rel = rel
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OrgDefinitionError(f"cannot read file: {exc.strerror}", rel) from exc
        try:
            root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
        except etree.XMLSyntaxError as exc:
            raise OrgDefinitionError(f"malformed XML: {exc.msg}", rel, exc.lineno or None) from exc
        tree = root.getroottree()
        if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
            raise OrgDefinitionError(
                "a DOCTYPE (DTD or entity declaration) is not allowed in metadata", rel, _doctype_line(data)
            )
        for node in root.iter(etree.Entity):
            raise OrgDefinitionError(f"entity reference {node.text} is not allowed", rel, node.sourceline)
        if root.tag != f"{{{NS}}}{root_name}":
            raise OrgDefinitionError(
                f'root element is <{local(root)}>, expected <{root_name} xmlns="{NS}">', rel, root.sourceline
            )
        self.root = root

    def at(self, el: etree._Element) -> Source:
        return Source(self.rel, el.sourceline)

    def error(self, el: etree._Element, problem: str) -> OrgDefinitionError:
        return OrgDefinitionError(problem, self.rel, el.sourceline)

    def children(
        self, el: etree._Element, allowed: frozenset[str], where: str
    ) -> Iterator[tuple[str, etree._Element]]:
        """(name, element) for each child element, refusing any the WSDL type does not declare."""
        for child in el:
            if not isinstance(child.tag, str):  # comments and processing instructions
                continue
            name = local(child)
            if name not in allowed:
                raise self.error(child, f"unknown element <{name}> in {where}")
            yield name, child

    def text(self, el: etree._Element) -> str:
        """An element's text, stripped; an element with child elements is no simple value."""
        for child in el:
            if isinstance(child.tag, str):
                raise self.error(child, f"<{local(el)}> must hold text, not <{local(child)}>")
        return (el.text or "").strip()

    def boolean(self, el: etree._Element) -> bool:
        value = self.text(el)
        if value not in _BOOLEANS:
            raise self.error(el, f"<{local(el)}> must be true or false, not {value!r}")
        return _BOOLEANS[value]

    def enum(self, el: etree._Element, values: tuple[str, ...]) -> str:
        value = self.text(el)
        if value not in values:
            raise self.error(el, f"<{local(el)}> {value!r} is not one of: {', '.join(values)}")
        return value

    def once(self, seen: dict[str, etree._Element], name: str, el: etree._Element) -> None:
        """Refuse a second occurrence of an element declared with maxOccurs=1."""
        if name in seen:
            raise self.error(el, f"<{name}> appears twice (first at line {seen[name].sourceline})")
        seen[name] = el


def _doctype_line(data: bytes) -> int:
    """The 1-based line of the DOCTYPE declaration (lxml reports none for it)."""
    found = data.find(b"<!DOCTYPE")
    return data.count(b"\n", 0, found) + 1 if found >= 0 else 1
