"""GET/POST /services/oauth2/authorize: the web-server flow's login page, small enough for any browser.

GET ?response_type=code&client_id&redirect_uri&state&scope&code_challenge (the sf CLI's `org login web` sends
these, with no code_challenge_method: S256 is meant) shows a username/password form; POST checks the login and
redirects to redirect_uri?code=…&state=… (Salesforce Help, "OAuth 2.0 Web Server Flow"). A browser login needs
no security token (only API logins do). A bad request is shown as an error page, since there is nowhere safe
to redirect to.
"""
from __future__ import annotations

import dataclasses
import html
from typing import Any
from urllib.parse import urlencode

from starlette.responses import HTMLResponse, RedirectResponse, Response

from sfmock.core.auth import check_login
from sfmock.core.errors import CallError
from sfmock.persistence import logins, oauth_grants
from sfmock.persistence.orgs import open_org
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.oauth import OAuthError
from sfmock.rest.oauth_grants import PLATFORM_CLI, connected_app

_FIELDS = ("response_type", "client_id", "redirect_uri", "state", "scope", "code_challenge", "prompt")

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Login | sfmock</title>
<style>body{{font-family:sans-serif;max-width:22em;margin:4em auto}}label,input{{display:block;width:100%;
margin:.3em 0}}.error{{color:#b00}}</style></head>
<body><h1>Log in to sfmock</h1>
<p>{app} is asking for access.</p>{error}
<form method="post" action="/services/oauth2/authorize">
{hidden}
<label for="username">Username</label>
<input id="username" name="username" type="email" value="{username}" required>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<input id="Login" type="submit" value="Log In">
</form></body></html>
"""


def _error_page(error: str, description: str) -> Response:
    text = (
        f"<!DOCTYPE html><html><body><h1>error={html.escape(error)}</h1><p>{html.escape(description)}</p>"
        "</body></html>"
    )
    return HTMLResponse(text, status_code=400)


def _check(ctx: RestContext, values: dict[str, str]) -> dict[str, Any]:
    if values.get("response_type") != "code":
        raise OAuthError("unsupported_response_type", "response type not supported")
    app = connected_app(ctx.db, values.get("client_id", ""))
    if not values.get("redirect_uri"):
        raise OAuthError("redirect_uri_mismatch", "redirect_uri must match configuration")
    return app


def _page(values: dict[str, str], app: dict[str, Any], *, error: str = "", username: str = "") -> Response:
    hidden = "\n".join(f'<input type="hidden" name="{k}" value="{html.escape(values[k])}">'
                       for k in _FIELDS if values.get(k))
    body = _PAGE.format(app=html.escape(str(app.get("name") or app["client_id"])), hidden=hidden,
                        username=html.escape(username),
                        error=f'<p class="error">{html.escape(error)}</p>' if error else "")
    return HTMLResponse(body, status_code=200)


def get_authorize(ctx: RestContext) -> Response:
    values = {k: ctx.params.get(k, "") for k in _FIELDS}
    try:
        app = _check(ctx, values)
    except OAuthError as error:
        return _error_page(error.error, error.description)
    return _page(values, app)


def _login(ctx: RestContext, app: dict[str, Any], username: str, password: str) -> tuple[str, str] | None:
    """(org id, user id) for a browser login: the password alone (no security token) of a user of the app's
    org (any org for PlatformCLI)."""
    with ctx.db.session() as sql:
        found = logins.find_user(sql, username)
        if found is None or (app["client_id"] != PLATFORM_CLI and found[0] != app["org_id"]):
            return None
        org_id, user = found
        store = open_org(sql, org_id)
        if store is None:
            return None
        try:
            check_login(user, password, dataclasses.replace(store.org, require_security_token=False), None)
        except CallError:
            return None
        return org_id, user["Id"]


def post_authorize(ctx: RestContext) -> Response:
    form = bodies.form(ctx.body)
    values = {k: form.get(k, "") for k in _FIELDS}
    try:
        app = _check(ctx, values)
    except OAuthError as error:
        return _error_page(error.error, error.description)
    who = _login(ctx, app, form.get("username", ""), form.get("password", ""))
    if who is None:
        # The text of Salesforce's login page for a bad username or password.
        return _page(values, app, username=form.get("username", ""), error="Please check your username and "
                     "password. If you still can't log in, contact your Salesforce administrator.")
    with ctx.db.session() as sql:
        code = oauth_grants.issue_code(sql, org_id=who[0], user_id=who[1], client_id=app["client_id"],
                                       redirect_uri=values["redirect_uri"],
                                       code_challenge=values.get("code_challenge") or None)
    query = {"code": code} | ({"state": values["state"]} if values.get("state") else {})
    target = values["redirect_uri"]
    return RedirectResponse(target + ("&" if "?" in target else "?") + urlencode(query), status_code=302)
