"""The REST door: OAuth 2.0 (/services/oauth2) and the REST API (/services/data) onto the core."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from sfmock.rest import (
    authorize,
    collections,
    composite,
    composite_graph,
    describe,
    discovery,
    metadata_deploys,
    oauth,
    oauth_grants,
    query,
    records,
    relationships,
    replication,
    search,
    tooling,
    tree,
)
from sfmock.rest.routes import RestRouter

_V = "/services/data/v{version}"


def build_router() -> RestRouter:
    r = RestRouter()
    r.resource("/services/oauth2/token", versioned=False, post=oauth.post_token)
    r.resource("/services/oauth2/userinfo", versioned=False, get=oauth.get_userinfo, post=oauth.get_userinfo)
    r.resource("/id/{org_id}/{user_id}", versioned=False, get=oauth.get_identity, post=oauth.get_identity)
    r.resource("/services/oauth2/revoke", versioned=False, get=oauth.post_revoke, post=oauth.post_revoke)
    r.resource("/services/oauth2/introspect", versioned=False, post=oauth_grants.post_introspect)
    r.resource("/services/oauth2/authorize", versioned=False, get=authorize.get_authorize,
               post=authorize.post_authorize)

    r.resource("/services/data", versioned=False, get=discovery.get_versions)
    r.resource(f"{_V}", get=discovery.get_resources)
    r.resource(f"{_V}/limits", get=discovery.get_limits)

    r.resource(f"{_V}/sobjects", quick=True, get=describe.get_global)
    r.resource(f"{_V}/sobjects/{{sobject}}", quick=True, get=describe.get_basic_info,
               post=records.post_create)
    # describe before {record_id}: the first route whose path matches answers.
    r.resource(f"{_V}/sobjects/{{sobject}}/describe", quick=True, get=describe.get_describe)
    r.resource(f"{_V}/sobjects/{{sobject}}/describe/layouts", get=describe.get_layouts)
    r.resource(f"{_V}/sobjects/{{sobject}}/describe/layouts/{{record_type}}", get=describe.get_layout)
    r.resource(f"{_V}/sobjects/{{sobject}}/updated", get=replication.get_updated)
    r.resource(f"{_V}/sobjects/{{sobject}}/deleted", get=replication.get_deleted)
    r.resource(f"{_V}/sobjects/{{sobject}}/{{record_id}}", quick=True, override=True, get=records.get_record,
               patch=records.patch_record, delete=records.delete_record)
    r.resource(f"{_V}/sobjects/{{sobject}}/{{field}}/{{value}}", quick=True, override=True,
               get=relationships.get_related,
               patch=records.patch_upsert, delete=records.delete_by_external_id)

    r.resource(f"{_V}/composite/sobjects", quick=True, post=collections.post_create,
               patch=collections.patch_update,
               delete=collections.delete_many)
    r.resource(f"{_V}/composite/sobjects/{{sobject}}", quick=True, get=collections.get_many,
               post=collections.post_retrieve)

    r.resource(f"{_V}/composite", post=composite.post_composite)
    r.resource(f"{_V}/composite/batch", post=composite.post_batch)
    r.resource(f"{_V}/composite/graph", post=composite_graph.post_graph)
    r.resource(f"{_V}/composite/tree/{{sobject}}", post=tree.post_tree)

    r.resource(f"{_V}/recent", get=relationships.get_recent)
    r.resource(f"{_V}/tooling/query", get=tooling.get_tooling_query)
    r.resource(f"{_V}/metadata/deployRequest", post=metadata_deploys.post_deploy_request)
    r.resource(f"{_V}/metadata/deployRequest/{{request_id}}", get=metadata_deploys.get_deploy_request,
               patch=metadata_deploys.patch_deploy_request)
    r.resource(f"{_V}/tooling/sobjects/CustomField/{{record_id}}", get=tooling.get_custom_field)

    r.resource(f"{_V}/query", quick=True, get=query.get_query)
    r.resource(f"{_V}/queryAll", quick=True, get=query.get_query_all)
    r.resource(f"{_V}/query/{{locator}}", quick=True, get=query.get_more)
    r.resource(f"{_V}/queryAll/{{locator}}", quick=True, get=query.get_more)
    r.resource(f"{_V}/search", quick=True, get=search.get_search)
    r.resource(f"{_V}/parameterizedSearch", quick=True, get=search.get_parameterized,
               post=search.post_parameterized)

    r.fallback("/services/data")
    r.fallback("/services/oauth2")
    return r


class _LeadingSlashes:
    """`//services/data/…` served as `/services/data/…`: the sf CLI keeps a trailing '/' on an instance URL
    and jsforce appends the path to it (forcedotcom/cli #361, CumulusCI #918); its bulk export checks the
    session with GET {instanceUrl}/services/data/vNN.0 (@salesforce/core Connection.refreshAuth). Outermost
    of the doors' middleware (added last), so the Bulk door's paths are folded here too. Only the leading run
    is folded: an inner '//' is a 404 on Salesforce too (restforce #366)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope.get("type") == "http" else ""
        folded = "/" + path.lstrip("/")
        if path.startswith("//") and folded.startswith(("/services/", "/id/")):  # the doors' paths only
            scope = dict(scope, path=folded, raw_path=folded.encode("utf-8"))
        await self.app(scope, receive, send)


def mount(app: FastAPI) -> None:
    """Adds the REST door's routes to `app` (which holds state.settings and state.db)."""
    app.add_middleware(_LeadingSlashes)
    router = build_router()
    # Kept for composite subrequests, which are routed through these same resources (sfmock.rest.subrequests).
    app.state.rest_routes = router.table
    router.mount(app)
