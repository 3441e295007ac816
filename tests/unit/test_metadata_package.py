"""Which component a deploy zip's file defines (app/orgs/package.component_of) and the package.xml sfmock
writes (SDR's layout: types sorted, members sorted, 4-space indent)."""
from __future__ import annotations

import pytest

from sfmock.orgs.package import Component, component_of, manifest_xml


@pytest.mark.parametrize(("path", "expected"), [
    ("assignmentRules/Lead.assignmentRules", ("AssignmentRules", "Lead")),
    ("autoResponseRules/Case.autoResponseRules", ("AutoResponseRules", "Case")),
    ("queues/Sales_Q.queue", ("Queue", "Sales_Q")),
    ("email/Andes/Andes_Lead.email", ("EmailTemplate", "Andes/Andes_Lead")),
    ("email/Andes/Andes_Lead.email-meta.xml", None),  # travels with its .email file
    ("email/Andes-meta.xml", ("EmailFolder", "Andes")),
    ("objects/Lead.object", ("CustomObject", "Lead")),
    ("standardValueSets/LeadSource.standardValueSet", ("StandardValueSet", "LeadSource")),
    ("classes/Foo.cls", None),
    ("package.xml", None),
    ("queues/readme.txt", None),
])
def test_component_of(path: str, expected: tuple[str, str] | None) -> None:
    found = component_of(path)
    assert (None if found is None else (found.type, found.full_name)) == expected
    if isinstance(found, Component):
        assert found.file_name == path


def test_manifest_as_the_cli_writes_it() -> None:
    text = manifest_xml({"Queue": ["B_Q", "A_Q"], "AssignmentRules": ["Lead"]}, "59.0").decode()
    assert text == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Package xmlns="http://soap.sforce.com/2006/04/metadata">\n'
        "    <types>\n        <members>Lead</members>\n        <name>AssignmentRules</name>\n    </types>\n"
        "    <types>\n        <members>A_Q</members>\n        <members>B_Q</members>\n"
        "        <name>Queue</name>\n"
        "    </types>\n    <version>59.0</version>\n</Package>\n")
