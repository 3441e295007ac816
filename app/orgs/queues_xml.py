"""Queue files (`queues/X.queue[-meta.xml]`) into QueueDefs (Metadata API v66 Queue type)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sfmock.orgs.bundle import QueueDef, Source
from sfmock.orgs.metadata_xml import MetadataFile

_QUEUE = frozenset({
    "fullName", "module", "description", "doesSendEmailToMembers", "email", "name", "queueMembers",
    "queueRoutingConfig", "queueSobject",
})  # fmt: skip
_MEMBERS = frozenset({"publicGroups", "roleAndSubordinates", "roleAndSubordinatesInternal", "roles", "users"})
_USERS = frozenset({"user"})
_SOBJECT = frozenset({"sobjectType"})


def queue_name(path: Path) -> str | None:
    """The developer name of X.queue or X.queue-meta.xml; None for other files."""
    for suffix in (".queue-meta.xml", ".queue"):
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return None


def read_queue(path: Path, rel: str) -> QueueDef:
    developer_name = queue_name(path) or path.stem
    doc = MetadataFile(path, rel, "Queue")
    seen: dict = {}
    values: dict[str, Any] = {}
    members: list[str] = []
    member_sources: list[Source] = []
    sobjects: list[str] = []
    for name, el in doc.children(doc.root, _QUEUE, "<Queue>"):
        if name == "queueSobject":
            for _, child in doc.children(el, _SOBJECT, "<queueSobject>"):
                sobjects.append(doc.text(child))
            continue
        doc.once(seen, name, el)
        if name == "queueMembers":
            for kind, group in doc.children(el, _MEMBERS, "<queueMembers>"):
                if kind != "users":
                    # Roles and public groups are not modelled here; their users would silently miss mail.
                    raise doc.error(
                        group, f"queue members by <{kind}> are not supported by sfmock; list <users><user>"
                    )
                for _, user in doc.children(group, _USERS, "<users>"):
                    members.append(doc.text(user))
                    member_sources.append(doc.at(user))
        elif name == "doesSendEmailToMembers":
            values[name] = doc.boolean(el)
        elif name == "fullName":
            full_name = doc.text(el)
            if full_name and full_name != developer_name:
                raise doc.error(
                    el, f"<fullName>{full_name}</fullName> does not match the file name {developer_name!r}"
                )
        else:
            values[name] = doc.text(el) or None
    if not values.get("name"):
        raise doc.error(doc.root, "<Queue> has no <name>")
    return QueueDef(
        developer_name=developer_name,
        name=str(values["name"]),
        email=values.get("email"),
        does_send_email_to_members=bool(values.get("doesSendEmailToMembers", False)),
        description=values.get("description"),
        members=tuple(members),
        member_sources=tuple(member_sources),
        sobject_types=tuple(sobjects),
        source=doc.at(doc.root),
    )
