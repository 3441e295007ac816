"""SOSL over REST: GET …/search?q=FIND…, GET and POST …/parameterizedSearch (REST API "Search",
"Parameterized Search"). From v37.0 the answer is {"searchRecords": [records with attributes {type, url}]},
before that a bare array (salesforce-schema-and-surface.md 6.6). A parameterized search is written out as the
SOSL it stands for (q in braces, its reserved characters escaped) and run the same way."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from sfmock.core.errors import QueryError
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.errors import RestError, from_exception
from sfmock.rest.query import record_json
from sfmock.rest.responses import json_response
from sfmock.soql.sosl import run_search

# No q at all [UNCONFIRMED wording].
NO_SEARCH = "No search term found. The search term must be enclosed in braces."
_GROUPS = ("ALL", "NAME", "EMAIL", "PHONE", "SIDEBAR")


def _run(ctx: RestContext, sosl: str) -> Response:
    try:
        with ctx.call("search") as call:
            records = run_search(call.sql, call.org.org_id, sosl, time_zone=call.time_zone, now=call.now,
                                 schema=call.store.schema)
            body = [record_json(r, ctx.data_path) for r in records]
    except QueryError as error:
        raise from_exception(error, soql=sosl if error.code == "MALFORMED_QUERY" else None) from None
    if float(ctx.version or "0") < 37.0:
        return json_response(body)
    return json_response({"searchRecords": body})


def get_search(ctx: RestContext) -> Response:
    """GET …/search?q=FIND {…} …"""
    sosl = ctx.params.get("q")
    if sosl is None or not sosl.strip():
        raise RestError.of("MALFORMED_SEARCH", NO_SEARCH)
    return _run(ctx, sosl)


def _escape(term: str) -> str:
    """q as a braced SOSL term: backslash before the characters SOSL reserves inside braces."""
    return re.sub(r"([{}\\])", r"\\\1", term)


def _sosl(term: Any, group: Any, objects: list[tuple[str, Any, Any, Any]], overall: Any) -> str:
    if not isinstance(term, str) or not term.strip():
        raise RestError.of("MALFORMED_SEARCH", NO_SEARCH)
    text = f"FIND {{{_escape(term)}}}"
    if group:
        if str(group).upper() not in _GROUPS:
            raise RestError.of("INVALID_SEARCH", f"Invalid search group: {group} [UNCONFIRMED text]")
        text += f" IN {str(group).upper()} FIELDS"
    if objects:
        items = []
        for name, fields, where, limit in objects:
            inner = fields or "Id"
            if where:
                inner += f" WHERE {where}"
            if limit not in (None, ""):
                inner += f" LIMIT {int(limit)}"
            items.append(f"{name}({inner})")
        text += " RETURNING " + ", ".join(items)
    if overall not in (None, ""):
        text += f" LIMIT {int(overall)}"
    return text


def get_parameterized(ctx: RestContext) -> Response:
    """GET …/parameterizedSearch?q=Acme&sobject=Lead&Lead.fields=Id,Name&Lead.limit=10&in=ALL
    &overallLimit=n"""
    params = ctx.params
    default_fields = params.get("fields")
    default_limit = params.get("defaultLimit")
    objects = [
        (
            name,
            params.get(f"{name}.fields") or default_fields,
            params.get(f"{name}.where"),
            params.get(f"{name}.limit") or default_limit,
        )
        for name in params.getlist("sobject")
    ]
    try:
        sosl = _sosl(params.get("q"), params.get("in"), objects, params.get("overallLimit"))
    except ValueError:
        raise RestError.of("INVALID_SEARCH", "limit must be a number [UNCONFIRMED text]") from None
    return _run(ctx, sosl)


def post_parameterized(ctx: RestContext) -> Response:
    """POST …/parameterizedSearch {q, fields, sobjects: [{name, fields, limit, where}], in, overallLimit,
    defaultLimit, spellCorrection}"""
    data = bodies.json_object(ctx.request, ctx.body)
    default_fields = data.get("fields")
    default_limit = data.get("defaultLimit")
    objects = []
    for spec in data.get("sobjects") or []:
        if not isinstance(spec, dict) or not spec.get("name"):
            raise RestError.of("INVALID_SEARCH", "each sobjects entry needs a name [UNCONFIRMED text]")
        fields = spec.get("fields") or default_fields
        if isinstance(fields, list):
            fields = ", ".join(str(f) for f in fields)
        objects.append((str(spec["name"]), fields, spec.get("where"), spec.get("limit", default_limit)))
    try:
        sosl = _sosl(data.get("q"), data.get("in"), objects, data.get("overallLimit"))
    except (TypeError, ValueError):
        raise RestError.of("INVALID_SEARCH", "limit must be a number [UNCONFIRMED text]") from None
    return _run(ctx, sosl)
