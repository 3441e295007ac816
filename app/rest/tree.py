"""sObject Tree (POST …/composite/tree/{sObject}): records with nested children created all or nothing.

REST API Developer Guide, "sObject Tree": each record carries `attributes {type, referenceId}`; children sit
under their child relationship name as `{"records": [...]}`; up to 200 records in all, 5 levels deep. Success:
201 {"hasErrors": false, "results": [{"referenceId", "id"}, ...]} with every record, children included, in
order. Any failure rolls everything back: 400 {"hasErrors": true, "results": [...]} naming only the records
that failed. `sf data import tree` posts one such request per file. Records are created exactly as by a
single create (Sforce-Auto-Assign as sent, absent = TRUE); no mail (KB 000384839).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from sfmock.core.errors import CallError, SalesforceError
from sfmock.core.relationships import child_relationship
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.describe import find
from sfmock.rest.errors import not_found
from sfmock.rest.responses import json_response
from sfmock.rest.sobjects import record_input

MAX_RECORDS = 200
MAX_DEPTH = 5
SINCE_VERSION = 38.0  # "Available since release 38.0" (sObject Tree)


@dataclass
class _Node:
    sobject: str
    reference_id: str
    values: dict[str, Any]
    parent_field: str | None = None
    children: list[_Node] = field(default_factory=list)


def _bad(message: str) -> CallError:
    # [UNCONFIRMED] texts for malformed trees; INVALID_INPUT is the code the guide's examples show.
    return CallError("INVALID_INPUT", message)


def _read(record: Any, sobject: str, depth: int, seen: set[str]) -> _Node:
    if not isinstance(record, dict):
        raise _bad("Each record must be a JSON object")
    attributes = record.get("attributes")
    if not isinstance(attributes, dict):
        raise _bad("Record is missing its attributes")
    kind, ref = attributes.get("type"), attributes.get("referenceId")
    if not isinstance(kind, str) or kind.lower() != sobject.lower():
        raise _bad(f"Record type {kind!r} does not match the expected type {sobject}")
    if not isinstance(ref, str) or not ref:
        raise _bad("Include a reference ID for each record in the request.")
    if ref in seen:
        raise _bad(f"Duplicate ReferenceId provided in the request: {ref}")
    seen.add(ref)
    if depth > MAX_DEPTH:
        raise _bad(f"A tree can be at most {MAX_DEPTH} levels deep")
    obj = find(sobject)
    node = _Node(obj.name, ref, {})
    for name, value in record.items():
        if name == "attributes":
            continue
        if isinstance(value, dict) and "records" in value:
            relationship = child_relationship(obj, name)
            if relationship is None or not isinstance(value["records"], list):
                raise CallError("INVALID_FIELD",
                                f"No such column '{name}' on entity '{obj.name}'. If you are "
                                "attempting to use a custom field, be sure to append the '__c' after the "
                                "custom "
                                "field name. Please reference your WSDL or the describe call for the "
                                "appropriate "
                                "names.")
            for child in value["records"]:
                sub = _read(child, relationship.child, depth + 1, seen)
                sub.parent_field = relationship.field
                node.children.append(sub)
        else:
            node.values[name] = value
    return node


def _count(nodes: list[_Node]) -> int:
    return sum(1 + _count(n.children) for n in nodes)


def post_tree(ctx: RestContext, sobject: str) -> Response:
    if float(ctx.version) < SINCE_VERSION:
        raise not_found()
    obj = find(sobject)
    records = bodies.json_object(ctx.request, ctx.body).get("records")
    if not isinstance(records, list) or not records:
        raise _bad("The request body must have a non-empty 'records' array")
    seen: set[str] = set()
    roots = [_read(r, obj.name, 1, seen) for r in records]
    if _count(roots) > MAX_RECORDS:
        raise CallError("EXCEEDED_ID_LIMIT",
                        f"record limit reached. cannot submit more than {MAX_RECORDS} records "
                        "into this call")  # [UNCONFIRMED] for trees; the text of the other 200-record limits
    with ctx.call("create", obj.name) as call:
        assignment = ctx.assignment(call)
        created: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []

        def save(node: _Node, parent_id: str | None) -> None:
            values = dict(node.values)
            if node.parent_field and parent_id:
                values[node.parent_field] = parent_id
            try:
                [result] = call.service.create([record_input(node.sobject, values)], assignment=assignment,
                                               notify_owner=False)
            except SalesforceError as error:
                result = None
                failed.append(_failure(node, error))
            if result is not None and not result.success:
                failed.append(_failure(node, result.errors[0]))
            elif result is not None:
                created.append({"referenceId": node.reference_id, "id": result.id})
                for child in node.children:
                    save(child, result.id)

        try:
            with call.store.savepoint():
                for root in roots:
                    save(root, None)
                if failed:
                    raise _Rollback
        except _Rollback:
            pass
        call.journal.results = ["OK"] * len(created) if not failed else [f["errors"][0]["statusCode"]
                                                                           for f in failed]
    if failed:
        return json_response({"hasErrors": True, "results": failed}, 400)
    return json_response({"hasErrors": False, "results": created}, 201)


def _failure(node: _Node, error: SalesforceError) -> dict[str, Any]:
    return {"referenceId": node.reference_id,
            "errors": [{"statusCode": error.code, "message": error.message, "fields": list(error.fields)}]}


class _Rollback(Exception):
    """Leaves the tree's savepoint: nothing of a tree with a failed record is kept."""

