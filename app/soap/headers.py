"""SOAP request headers as plain options: which ones an operation accepts comes from its spyne declaration,
their fields are matched by local name, xsi:nil means absent and booleans accept true/false/1/0."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from spyne.model.primitive import Boolean, Int, Long

from sfmock.core.options import ACTIVE_RULE, NO_ASSIGNMENT, Assignment
from sfmock.soap.envelope import children, is_nil, local
from sfmock.soap.values import parse_boolean, parse_int


@dataclass(frozen=True)
class EmailOptions:
    """EmailHeader. Only triggerUserEmail acts today (assignment notification, KB 000003781); the other two
    are kept so that a later mail journal can record what the caller asked for."""

    trigger_user_email: bool = False
    trigger_auto_response_email: bool = False
    trigger_other_email: bool = False


@dataclass(frozen=True)
class CallHeaders:
    session_id: str | None = None
    assignment: Assignment = NO_ASSIGNMENT
    email: EmailOptions = field(default_factory=EmailOptions)
    all_or_none: bool = False
    batch_size: int | None = None
    client: str | None = None
    # Every accepted header block as read (name -> {field: value}), for logging and later use.
    raw: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def read_block(element: etree._Element, cls: type[Any]) -> dict[str, Any]:
    """The declared fields of one header block; undeclared children are ignored, nil fields are absent."""
    declared = cls.get_flat_type_info(cls)
    values: dict[str, Any] = {}
    for child in children(element):
        name = local(child)
        kind = declared.get(name)
        if kind is None or is_nil(child):
            continue
        raw = child.text or ""
        if issubclass(kind, Boolean):
            values[name] = parse_boolean(raw, name)
        elif issubclass(kind, Int | Long):
            values[name] = parse_int(raw, name)
        else:
            values[name] = raw.strip()
    return values


def read(blocks: Mapping[str, etree._Element], accepted: Iterable[type[Any]]) -> CallHeaders:
    """The headers an operation accepts (spyne `_in_header` classes), read from the request's blocks."""
    raw: dict[str, dict[str, Any]] = {}
    for cls in accepted:
        name = cls.get_type_name()
        if name in blocks and not is_nil(blocks[name]):
            raw[name] = read_block(blocks[name], cls)
    return CallHeaders(
        session_id=raw.get("SessionHeader", {}).get("sessionId") or None,
        assignment=_assignment(raw.get("AssignmentRuleHeader")),
        email=_email(raw.get("EmailHeader")),
        all_or_none=bool(raw.get("AllOrNoneHeader", {}).get("allOrNone", False)),
        batch_size=raw.get("QueryOptions", {}).get("batchSize"),
        client=raw.get("CallOptions", {}).get("client"),
        raw=raw,
    )


def _assignment(block: Mapping[str, Any] | None) -> Assignment:
    """AssignmentRuleHeader (SOAP API docs): assignmentRuleId runs that rule, active or not;
    useDefaultRule=true the object's active rule; without the header no rule runs (SOAP's opt-in default)."""
    if block is None:
        return NO_ASSIGNMENT
    rule_id = block.get("assignmentRuleId")
    if rule_id:
        return Assignment.by_rule(rule_id)
    return ACTIVE_RULE if block.get("useDefaultRule") else NO_ASSIGNMENT


def _email(block: Mapping[str, Any] | None) -> EmailOptions:
    if block is None:
        return EmailOptions()
    return EmailOptions(
        trigger_user_email=bool(block.get("triggerUserEmail", False)),
        trigger_auto_response_email=bool(block.get("triggerAutoResponseEmail", False)),
        trigger_other_email=bool(block.get("triggerOtherEmail", False)),
    )
