"""SOQL over REST: …/query?q=, …/queryAll?q= and …/query/{locator} (REST API "Query", "QueryAll").

Batches of up to 2,000 records (Sforce-Query-Options: batchSize=n); `nextRecordsUrl` only while done is false;
each record carries attributes {type, url}; a relationship is a nested object with its own attributes; COUNT()
answers totalSize with no records. The SOQL engine (sfmock.soql) binds every value as a parameter, so text in
`q` can never become SQL.
"""
from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from sfmock.core.errors import QueryError
from sfmock.rest.context import RestContext
from sfmock.rest.errors import RestError, from_exception
from sfmock.rest.headers import batch_size
from sfmock.rest.responses import json_response, json_value
from sfmock.rest.sobjects import record_url
from sfmock.soql.columns import column_metadata
from sfmock.soql.engine import query_more, run_query
from sfmock.soql.explain import explain

# GET …/query without q: Salesforce's answer [UNCONFIRMED wording].
NO_QUERY = "A query string has to be specified"


def record_json(record: Any, data_path: str) -> dict[str, Any]:
    """A QueryRecord as REST JSON. Aggregate rows (no Id) have attributes {type} only."""
    attributes: dict[str, Any] = {"type": record.sobject}
    # A polymorphic relationship (Lead.Owner) has type "Name"; its url names the real object (User/Group).
    url_type = record.url_type
    if url_type:
        attributes["url"] = record_url(data_path, url_type, record.id)
    out: dict[str, Any] = {"attributes": attributes}
    for name, value in record.fields:
        out[name] = _value(value, data_path)
    return out


def _value(value: Any, data_path: str) -> Any:
    if hasattr(value, "fields") and hasattr(value, "sobject"):
        return record_json(value, data_path)
    if hasattr(value, "records") and hasattr(value, "total_size"):
        # A child subquery: a QueryResult of its own.
        return page_json(value, data_path)
    return json_value(value)


def page_json(page: Any, data_path: str) -> dict[str, Any]:
    body: dict[str, Any] = {"totalSize": page.total_size, "done": page.done}
    if not page.done and page.locator:
        body["nextRecordsUrl"] = f"{data_path}/query/{page.locator}"
    body["records"] = [record_json(r, data_path) for r in page.records]
    return body


def _run(ctx: RestContext, include_deleted: bool) -> Response:
    soql = ctx.params.get("q")
    plan_of = ctx.params.get("explain")
    if (soql is None or not soql.strip()) and plan_of is not None and plan_of.strip():
        return _explain(ctx, plan_of)
    if soql is None or not soql.strip():
        raise RestError.of("MALFORMED_QUERY", NO_QUERY)
    size = batch_size(ctx.headers)
    try:
        if ctx.params.get("columns", "").lower() == "true":
            # query?q=…&columns=true: the column metadata only (the sf CLI's second call).
            with ctx.call("query") as call:
                return json_response(column_metadata(soql, call.store.schema))
        with ctx.call("queryAll" if include_deleted else "query") as call:
            page = run_query(
                call.sql,
                call.org.org_id,
                soql,
                include_deleted=include_deleted,
                batch_size=size,
                schema=call.store.schema,
                time_zone=call.time_zone,
                now=call.now,
            )
            body = page_json(page, ctx.data_path)
    except QueryError as error:
        raise from_exception(error, soql=soql) from None
    return json_response(body)


def _explain(ctx: RestContext, soql: str) -> Response:
    """query?explain=<SOQL> (REST API "Get Feedback on Query Performance"); report and list view ids are not
    kept here, so an id answers INVALID_ID [deviation]."""
    if re.fullmatch(r"[A-Za-z0-9]{15}|[A-Za-z0-9]{18}", soql.strip()):
        raise RestError.of("INVALID_ID", f"No such report or list view: {soql.strip()} [UNCONFIRMED text]")
    try:
        with ctx.call("query") as call:
            body = explain(call.sql, call.org.org_id, soql, schema=call.store.schema)
    except QueryError as error:
        raise from_exception(error, soql=soql) from None
    return json_response(body)


def get_query(ctx: RestContext) -> Response:
    """GET …/query?q=SELECT…"""
    return _run(ctx, include_deleted=False)


def get_query_all(ctx: RestContext) -> Response:
    """GET …/queryAll?q=SELECT…: also deleted (recycle bin) records."""
    return _run(ctx, include_deleted=True)


def get_more(ctx: RestContext, locator: str) -> Response:
    """GET …/query/{locator} (the nextRecordsUrl of the previous batch)."""
    with ctx.call("queryMore") as call:
        page = query_more(call.sql, call.org.org_id, locator, batch_size=batch_size(ctx.headers),
                          schema=call.store.schema, time_zone=call.time_zone)
        body = page_json(page, ctx.data_path)
    return json_response(body)
