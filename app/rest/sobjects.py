"""sObjects as REST JSON, both ways: a request body into a RecordInput, a row into {"attributes", fields…}."""
from __future__ import annotations

from typing import Any

from sfmock.core import ids
from sfmock.core.errors import CallError
from sfmock.core.results import RecordInput, SaveResult
from sfmock.core.schema import SObjectDef, registry
from sfmock.rest.errors import json_parser_error, not_found
from sfmock.rest.responses import json_value

ID_IN_BODY = "The Id field should not be specified in the sobject data."


def record_input(sobject: str, data: dict[str, Any], *, record_id: str | None = None) -> RecordInput:
    """A JSON sObject as the core reads it: `attributes` dropped, a null value means "set to null"."""
    values: dict[str, Any] = {}
    nulls: list[str] = []
    for name, value in data.items():
        if name == "attributes":
            continue
        if isinstance(value, dict | list):
            # An sObject field takes a scalar; Salesforce's JSON reader refuses the rest (JSON_PARSER_ERROR).
            start, token = ("START_OBJECT", "{") if isinstance(value, dict) else ("START_ARRAY", "[")
            raise json_parser_error(f"Cannot deserialize instance of {_json_kind(sobject, name)} from "
                                    f"{start} value "
                                    f"{token} or request may be missing a required field")
        if value is None:
            nulls.append(name)
        else:
            values[name] = value
    return RecordInput(sobject, values, tuple(nulls), record_id)


def _json_kind(sobject: str, name: str) -> str:
    obj = registry.get(sobject)
    field = obj.field(name) if obj else None
    kind = field.type if field else "string"
    return {"boolean": "boolean", "double": "double", "currency": "double", "percent": "double",
            "int": "int", "date": "date", "datetime": "datetime"}.get(kind, "string")


def reject_id(data: dict[str, Any]) -> None:
    """Create and update by URL take the Id from the URL only: an Id in the body is refused before any DML,
    as a call error without `fields` (REST API, "Update a Record" / shared doc §3.1)."""
    if any(name.lower() == "id" for name in data):
        raise CallError("INVALID_FIELD", ID_IN_BODY)


def record_url(data_path: str, sobject: str, record_id: str) -> str:
    return f"{data_path}/sobjects/{sobject}/{record_id}"


def record_json(obj: SObjectDef, row: dict[str, Any], data_path: str) -> dict[str, Any]:
    """{"attributes": {"type", "url"}, <fields in the row's order>} with datetimes as
    2013-05-20T20:49:32.000+0000."""
    out: dict[str,
              Any] = {"attributes": {"type": obj.name, "url": record_url(data_path, obj.name, row["Id"])}}
    for name, value in row.items():
        out[name] = json_value(value)
    return out


def path_id(obj: SObjectDef, raw: str) -> str:
    """The 18-char id in a record URL. Salesforce reads a segment that is no id as an external-id field name
    and answers 404 with this text; an id of another object is simply not found."""
    found = ids.canonical(raw)
    if found is None:
        raise CallError("NOT_FOUND", f"Provided external ID field does not exist or is not accessible: {raw}")
    if not found.startswith(obj.key_prefix):
        raise not_found()
    return found


def result_json(result: SaveResult, *, upsert: bool = False) -> dict[str, Any]:
    """SaveResult / UpsertResult / DeleteResult in collections: errors carry `statusCode` (not errorCode) and
    always `fields`; `id` only when there is one (a record that failed by itself has none)."""
    out: dict[str, Any] = {}
    if result.id is not None:
        out["id"] = result.id
    out["success"] = result.success
    out["errors"] = [{"statusCode": e.code, "message": e.message,
                      "fields": list(e.fields)} for e in result.errors]
    if upsert and result.created is not None:
        out["created"] = result.created
    return out


def collection_records(body: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """`records` and `allOrNone` of a collection request (allOrNone defaults to false)."""
    records = body.get("records")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise json_parser_error("The request body must have a 'records' array of sObjects")
    return records, as_bool(body.get("allOrNone", False), "allOrNone")


def as_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise json_parser_error(f"Cannot deserialize value of type `boolean` from '{value}' for '{name}'")


def sobject_type(record: dict[str, Any]) -> str:
    """attributes.type of a collection record; every record must name its type (sObject Collections guide)."""
    attributes = record.get("attributes")
    kind = attributes.get("type") if isinstance(attributes, dict) else None
    if not isinstance(kind, str) or not kind:
        # SOAP's text for a record without a type; the REST text is [UNCONFIRMED].
        raise CallError("INVALID_TYPE", "Must send a concrete entity type.")
    return kind


def split_ids(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]
