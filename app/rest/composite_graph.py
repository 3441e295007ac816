"""/composite/graph (v50.0+): graphs of composite subrequests, each graph all or nothing on its own, with
the limits of REST API "Composite Graph Limits": 75 graphs, 500 nodes in all and in one graph, 15 different
nodes (API version, HTTP method and object), a depth of 15, and processing halted once more than 14 graphs
failed."""
from __future__ import annotations

import json
import re
from typing import Any

from starlette.responses import Response

from sfmock.core.errors import CallError
from sfmock.rest import bodies
from sfmock.rest.composite import REFERENCE, LimitExceeded, checked_requests, halted_body, run_composite
from sfmock.rest.context import RestContext
from sfmock.rest.errors import not_found
from sfmock.rest.responses import json_response

GRAPH_SINCE = 50.0
MAX_GRAPHS, MAX_NODES, MAX_NODE_KINDS, MAX_DEPTH, MAX_FAILED_GRAPHS = 75, 500, 15, 15, 14
# What makes two nodes "different" (Composite Graph Limits): the API version, the HTTP method, the object.
_NODE_KIND = re.compile(r"^/services/data/(v[\d.]+)/+sobjects/+([A-Za-z0-9_]+)", re.IGNORECASE)
# [UNCONFIRMED] wording of a graph halted after too many failed ones; the code is the guide's.
HALTED = "Processing halted: the request has more than 14 failed graphs."


def _limit(message: str) -> CallError:
    # [UNCONFIRMED] the top-level answer for a graph payload over a limit; the code is Salesforce's.
    return CallError("LIMIT_EXCEEDED", message)


def _depth(requests: list[dict[str, Any]]) -> int:
    """The longest chain of `@{ref}` references between the graph's nodes (a node on its own is depth 1)."""
    depth: dict[str, int] = {}
    for sub in requests:
        refs = {m.group(1) for m in REFERENCE.finditer(json.dumps([sub.get("url"), sub.get("body")]))}
        depth[sub["referenceId"]] = 1 + max((depth.get(r, 0) for r in refs), default=0)
    return max(depth.values(), default=0)


def _checked_graphs(graphs: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    if len(graphs) > MAX_GRAPHS:
        raise _limit(f"A request can contain at most {MAX_GRAPHS} graphs.")
    try:
        checked = [(str(g.get("graphId", "")), checked_requests(g.get("compositeRequest"), MAX_NODES))
                   for g in graphs]
    except LimitExceeded as exceeded:
        raise _limit(str(exceeded)) from None
    if sum(len(requests) for _, requests in checked) > MAX_NODES:
        raise _limit(f"A request can contain at most {MAX_NODES} nodes in all its graphs.")
    kinds = {(sub["method"], *found.groups()) for _, requests in checked for sub in requests
             if (found := _NODE_KIND.match(sub["url"]))}
    if len({(method, version, obj.lower()) for method, version, obj in kinds}) > MAX_NODE_KINDS:
        raise _limit(f"A request can contain at most {MAX_NODE_KINDS} different nodes (API version, HTTP "
                     "method and object).")
    for graph_id, requests in checked:
        if _depth(requests) > MAX_DEPTH:
            raise _limit(f"Graph {graph_id} is deeper than {MAX_DEPTH} nodes.")
    return checked


def _halted_graph(graph_id: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
    entries = [{"body": halted_body(HALTED), "httpHeaders": {}, "httpStatusCode": 400,
                "referenceId": sub["referenceId"]} for sub in requests]
    return {"graphId": graph_id, "graphResponse": {"compositeResponse": entries}, "isSuccessful": False}


def post_graph(ctx: RestContext) -> Response:
    """POST …/composite/graph {"graphs": [{"graphId", "compositeRequest"}]}: each graph all or nothing."""
    if float(ctx.version) < GRAPH_SINCE:
        raise not_found()
    graphs = bodies.json_object(ctx.request, ctx.body).get("graphs")
    if not isinstance(graphs, list) or not graphs or not all(isinstance(g, dict) for g in graphs):
        raise CallError("JSON_PARSER_ERROR", "The request body must have a non-empty 'graphs' array")
    checked = _checked_graphs(graphs)
    out = []
    failed = 0
    with ctx.call("composite/graph") as call:
        for graph_id, requests in checked:
            if failed > MAX_FAILED_GRAPHS:
                out.append(_halted_graph(graph_id, requests))
                continue
            entries = run_composite(ctx, call, requests, True)
            ok = all(e["httpStatusCode"] < 400 for e in entries)
            failed += not ok
            out.append({"graphId": graph_id, "graphResponse": {"compositeResponse": entries},
                        "isSuccessful": ok})
    return json_response({"graphs": out})
