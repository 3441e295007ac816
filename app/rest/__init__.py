"""The REST door: OAuth 2.0 (/services/oauth2) and the REST API (/services/data) onto the core."""
from __future__ import annotations

from fastapi import FastAPI

from app.rest import collections, describe, discovery, oauth, query, records, search
from app.rest.routes import RestRouter

_V = "/services/data/v{version}"


def build_router() -> RestRouter:
    r = RestRouter()
    r.resource("/services/oauth2/token", versioned=False, post=oauth.post_token)
    r.resource("/services/oauth2/userinfo", versioned=False, get=oauth.get_userinfo, post=oauth.get_userinfo)
    r.resource("/id/{org_id}/{user_id}", versioned=False, get=oauth.get_identity, post=oauth.get_identity)
    r.resource("/services/oauth2/revoke", versioned=False, get=oauth.post_revoke, post=oauth.post_revoke)

    r.resource("/services/data", versioned=False, get=discovery.get_versions)
    r.resource(f"{_V}", get=discovery.get_resources)
    r.resource(f"{_V}/limits", get=discovery.get_limits)

    r.resource(f"{_V}/sobjects", get=describe.get_global)
    r.resource(f"{_V}/sobjects/{{sobject}}", get=describe.get_basic_info, post=records.post_create)
    # describe before {record_id}: the first route whose path matches answers.
    r.resource(f"{_V}/sobjects/{{sobject}}/describe", get=describe.get_describe)
    r.resource(f"{_V}/sobjects/{{sobject}}/{{record_id}}", override=True, get=records.get_record,
               patch=records.patch_record, delete=records.delete_record)
    r.resource(f"{_V}/sobjects/{{sobject}}/{{field}}/{{value}}", override=True, get=records.get_by_external_id,
               patch=records.patch_upsert, delete=records.delete_by_external_id)

    r.resource(f"{_V}/composite/sobjects", post=collections.post_create, patch=collections.patch_update,
               delete=collections.delete_many)
    r.resource(f"{_V}/composite/sobjects/{{sobject}}", get=collections.get_many, post=collections.post_retrieve)

    r.resource(f"{_V}/query", get=query.get_query)
    r.resource(f"{_V}/queryAll", get=query.get_query_all)
    r.resource(f"{_V}/query/{{locator}}", get=query.get_more)
    r.resource(f"{_V}/queryAll/{{locator}}", get=query.get_more)
    r.resource(f"{_V}/search", get=search.get_search)
    r.resource(f"{_V}/parameterizedSearch", get=search.get_parameterized, post=search.post_parameterized)

    r.fallback("/services/data")
    r.fallback("/services/oauth2")
    return r


def mount(app: FastAPI) -> None:
    """Adds the REST door's routes to `app` (which holds state.settings and state.db)."""
    app.include_router(build_router().router)
