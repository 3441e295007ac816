"""describeMetadata's metadataObjects: the types sfmock deploys and retrieves, with the directory, suffix and
child types of Salesforce's own describeMetadata answer (Metadata API Developer Guide, each type's page)."""
from __future__ import annotations

from typing import Any


def _object(xml_name: str, directory: str, suffix: str | None, *, children: tuple[str, ...] = (),
            meta_file: bool = False, in_folder: bool = False) -> dict[str, Any]:
    return {"childXmlNames": list(children), "directoryName": directory, "inFolder": in_folder,
            "metaFile": meta_file, "suffix": suffix, "xmlName": xml_name}


METADATA_OBJECTS = [
    _object("AssignmentRules", "assignmentRules", "assignmentRules", children=("AssignmentRule",)),
    _object("AutoResponseRules", "autoResponseRules", "autoResponseRules", children=("AutoResponseRule",)),
    _object("CustomObject", "objects", "object", children=(
        "CustomField", "RecordType", "ListView", "CompactLayout", "WebLink", "ValidationRule")),
    _object("EmailTemplate", "email", "email", meta_file=True, in_folder=True),
    _object("Queue", "queues", "queue"),
    _object("StandardValueSet", "standardValueSets", "standardValueSet"),
]
