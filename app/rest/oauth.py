"""OAuth 2.0: the token endpoint (username-password and client-credentials flows), userinfo and revoke.

An access token is an ordinary sfmock session (sfmock.calls): it works as a REST Bearer token and as a SOAP
sessionId, and a SOAP sessionId works here. Sources: Salesforce Help "OAuth 2.0 Username-Password Flow",
"OAuth 2.0 Client Credentials Flow", "Revoke OAuth Tokens", "Query for User Information".
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from datetime import UTC, datetime
from typing import Any

from starlette.responses import Response

from sfmock import calls
from sfmock.core import ids
from sfmock.core.auth import secret_matches
from sfmock.core.errors import CallError
from sfmock.rest import bodies
from sfmock.rest.context import RestContext
from sfmock.rest.headers import bearer_token
from sfmock.rest.responses import format_datetime, json_response

# The token endpoint's answers must not be cached (RFC 6749 §5.1; Salesforce sends these too).
_NO_STORE = {"Cache-Control": "no-cache,must-revalidate,max-age=0,no-store,private", "Pragma": "no-cache"}
NO_STORE = _NO_STORE


class OAuthError(Exception):
    """{"error","error_description"} with HTTP 400 (RFC 6749 §5.2, as Salesforce words them)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description

    def response(self) -> Response:
        return json_response({"error": self.error, "error_description": self.description}, 400, _NO_STORE)


def bad_grant() -> OAuthError:
    return OAuthError("invalid_grant", "authentication failure")


def signature(id_url: str, issued_at: str, client_secret: str) -> str:
    """Base64 HMAC-SHA256 of id + issued_at, keyed with the consumer secret (token response `signature`)."""
    digest = hmac.new(client_secret.encode("utf-8"), (id_url + issued_at).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode("ascii")


def token_body(*, access_token: str, base_url: str, org_id: str, user_id: str, client_secret: str,
               issued_at: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    issued_at = issued_at or str(int(time.time() * 1000))
    id_url = f"{base_url}/id/{org_id}/{user_id}"
    body = {
        "access_token": access_token,
        "instance_url": base_url,
        "id": id_url,
        "token_type": "Bearer",
        "issued_at": issued_at,
        "signature": signature(id_url, issued_at, client_secret),
    }
    return body | (extra or {})


def basic_credentials(authorization: str) -> tuple[str, str] | None:
    """(client_id, client_secret) from `Authorization: Basic base64(id:secret)`."""
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        text = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = text.partition(":")
    return (client_id, secret) if sep else None


# --- connected apps -----------------------------------------------------------------------------------
def _connected_app(db: Any, client_id: str) -> dict[str, Any]:
    found = calls.connected_app(db, client_id) if client_id else None
    if found is None:
        raise OAuthError("invalid_client_id", "client identifier invalid")
    return found


def check_secret(app: dict[str, Any], secret: str | None, *, required: bool = True) -> str:
    """The presented consumer secret once it matches the app's (kept as a digest,
    sfmock.core.auth.secret_digest); it keys the `signature`. A flow where the secret is optional
    (`required=False`: PKCE, refresh, the public PlatformCLI client) checks it only when sent, and answers ""
    without one."""
    if not secret and not required:
        return ""
    if not secret_matches(app.get("client_secret"), secret):
        raise OAuthError("invalid_client", "invalid client credentials")
    return secret or ""


# --- grants -------------------------------------------------------------------------------------------
def _password_grant(ctx: RestContext, form: dict[str, str]) -> Response:
    app = _connected_app(ctx.db, form.get("client_id", ""))
    secret = check_secret(app, form.get("client_secret"))
    caller = ctx.request.client.host if ctx.request.client else ""
    try:
        # `password` is the password with the security token appended, as in SOAP login().
        outcome = calls.login(ctx.db, form.get("username", ""), form.get("password", ""), caller_ip=caller,
                              session_seconds=ctx.settings.session_seconds)
    except CallError:
        raise bad_grant() from None
    body = token_body(access_token=outcome.session_id, base_url=ctx.base_url(), org_id=outcome.org.org_id,
                      user_id=outcome.user["Id"], client_secret=secret)
    return json_response(body, 200, _NO_STORE)


def _client_credentials_grant(ctx: RestContext, form: dict[str, str]) -> Response:
    client_id, secret = form.get("client_id", ""), form.get("client_secret")
    basic = basic_credentials(ctx.headers.get("authorization", ""))
    if basic is not None:
        client_id, secret = basic
    app = _connected_app(ctx.db, client_id)
    secret = check_secret(app, secret)
    if not app.get("run_as_user_id"):
        # The flow runs as the app's "Run As" user; without one Salesforce refuses with this text.
        raise OAuthError("invalid_grant", "no client credentials user enabled")
    try:
        token = calls.open_session(ctx.db, app["org_id"], app["run_as_user_id"],
                                   session_seconds=ctx.settings.session_seconds)
    except CallError:
        raise bad_grant() from None
    body = token_body(access_token=token, base_url=ctx.base_url(), org_id=app["org_id"],
                      user_id=app["run_as_user_id"], client_secret=secret,
                      extra={"token_format": "opaque"})
    return json_response(body, 200, _NO_STORE)


def post_token(ctx: RestContext) -> Response:
    """POST /services/oauth2/token (form-encoded; chunked bodies arrive whole through bodies.read)."""
    form = bodies.form(ctx.body)
    grant = form.get("grant_type", "")
    try:
        if grant == "password":
            return _password_grant(ctx, form)
        if grant == "client_credentials":
            return _client_credentials_grant(ctx, form)
        from sfmock.rest import oauth_grants

        others = {"refresh_token": oauth_grants.refresh_grant, oauth_grants.JWT_GRANT: oauth_grants.jwt_grant,
                  "authorization_code": oauth_grants.code_grant}
        if grant in others:
            return others[grant](ctx, form)
        raise OAuthError("unsupported_grant_type", "grant type not supported")
    except OAuthError as error:
        return error.response()


# --- userinfo and revoke ------------------------------------------------------------------------------
def _identity_refused(text: str) -> Response:
    # The identity service answers a missing or bad token with plain text and 403 ("Bad_OAuth_Token").
    return Response(text, status_code=403, media_type="text/plain;charset=UTF-8")


def _utc_offset_ms(zone: str) -> int:
    try:
        from zoneinfo import ZoneInfo

        offset = datetime.now(ZoneInfo(zone)).utcoffset()
    except Exception:  # noqa: BLE001 - an unknown zone or a missing tz database: report UTC
        return 0
    return int(offset.total_seconds() * 1000) if offset else 0


def userinfo_body(base: str, org_id: str, user: dict[str, Any]) -> dict[str, Any]:
    """The OpenID Connect UserInfo claims plus Salesforce's own (urls keep the literal {version})."""
    user_id = user["Id"]
    urls = {
        "enterprise": f"{base}/services/Soap/c/{{version}}/{org_id[:15]}",
        "metadata": f"{base}/services/Soap/m/{{version}}/{org_id[:15]}",
        "partner": f"{base}/services/Soap/u/{{version}}/{org_id[:15]}",
        "rest": f"{base}/services/data/v{{version}}/",
        "sobjects": f"{base}/services/data/v{{version}}/sobjects/",
        "query": f"{base}/services/data/v{{version}}/query/",
        "profile": f"{base}/{user_id}",
    }
    updated = user.get("LastModifiedDate")
    return {
        "sub": f"{base}/id/{org_id}/{user_id}",
        "user_id": user_id,
        "organization_id": org_id,
        "preferred_username": user.get("Username"),
        "nickname": (user.get("Username") or "").split("@")[0],
        "name": user.get("Name"),
        "email": user.get("Email"),
        "email_verified": True,
        "given_name": user.get("FirstName"),
        "family_name": user.get("LastName"),
        "zoneinfo": user.get("TimeZoneSidKey"),
        "photos": {"picture": f"{base}/profilephoto/005/F", "thumbnail": f"{base}/profilephoto/005/T"},
        "profile": f"{base}/{user_id}",
        "picture": f"{base}/profilephoto/005/F",
        "address": {},
        "is_salesforce_integration_user": False,
        "urls": urls,
        "active": True,
        "user_type": str(user.get("UserType") or "Standard").upper(),
        "language": user.get("LanguageLocaleKey"),
        "locale": user.get("LocaleSidKey"),
        "utcOffset": _utc_offset_ms(str(user.get("TimeZoneSidKey") or "GMT")),
        "updated_at": format_datetime(updated if isinstance(updated, datetime) else datetime.now(UTC)),
        "is_app_installed": True,
    }


def _token_session(ctx: RestContext, form_key: str) -> tuple[Any, dict[str, Any]] | Response:
    """(org, user) of the access token the identity service was given (Bearer, `oauth_token` parameter, or the
    form field), or the identity service's plain-text refusal."""
    token = bearer_token(ctx.headers) or ctx.params.get("oauth_token") or bodies.form(ctx.body).get(form_key)
    if not token:
        return _identity_refused("Missing_OAuth_Token")
    try:
        return calls.session_user(ctx.db, token)
    except CallError:
        return _identity_refused("Bad_OAuth_Token")


def get_userinfo(ctx: RestContext) -> Response:
    """GET (or POST) /services/oauth2/userinfo with the access token."""
    found = _token_session(ctx, "access_token")
    if isinstance(found, Response):
        return found
    org, user = found
    return json_response(userinfo_body(ctx.base_url(), org.org_id, user))


def identity_body(base: str, org_id: str, user: dict[str, Any], version: str | None) -> dict[str, Any]:
    """The Identity URL's answer (OAuth docs, "Identity URLs"): the same facts as userinfo, under its
    names."""
    info = userinfo_body(base, org_id, user)
    urls = info["urls"]
    if version:
        # "version" replaces the {version} placeholder in the urls (Identity URLs doc).
        urls = {key: url.replace("{version}", version) for key, url in urls.items()}
    return {
        "id": info["sub"], "asserted_user": True, "user_id": info["user_id"], "organization_id": org_id,
        "username": info["preferred_username"], "nick_name": info["nickname"], "display_name": info["name"],
        "email": info["email"], "email_verified": True, "first_name": info["given_name"],
        "last_name": info["family_name"], "timezone": info["zoneinfo"], "photos": info["photos"],
        "addr_street": None, "addr_city": None, "addr_state": None, "addr_country": None, "addr_zip": None,
        "mobile_phone": None, "mobile_phone_verified": False, "is_lightning_login_user": False,
        "status": {"created_date": None, "body": None}, "urls": urls,
        "active": bool(user.get("IsActive", True)),
        "user_type": info["user_type"], "language": info["language"], "locale": info["locale"],
        "utcOffset": info["utcOffset"], "last_modified_date": info["updated_at"], "is_app_installed": True,
    }


def get_identity(ctx: RestContext, org_id: str, user_id: str) -> Response:
    """GET (or POST) /id/{orgId}/{userId} with the access token (Bearer or oauth_token): the Identity URL
    that the token response's `id` names. Another org's ids, or an unknown user, are 403 Bad_Id."""
    found = _token_session(ctx, "oauth_token")
    if isinstance(found, Response):
        return found
    org, _ = found
    wanted_org, wanted_user = ids.canonical(org_id), ids.canonical(user_id)
    user = calls.org_user(ctx.db, org.org_id,
                          wanted_user) if wanted_user and wanted_org == org.org_id else None
    if user is None:
        return _identity_refused("Bad_Id")
    return json_response(identity_body(ctx.base_url(), org.org_id, user, ctx.params.get("version")))


def post_revoke(ctx: RestContext) -> Response:
    """POST /services/oauth2/revoke token=… (also GET ?token=…): 200 with no body; an unknown token is 400."""
    token = bodies.form(ctx.body).get("token") or ctx.params.get("token")
    if not token:
        return OAuthError("invalid_request", "token is required").response()
    if not calls.revoke(ctx.db, token) and not calls.revoke_refresh_token(ctx.db, token):
        # [UNCONFIRMED] Salesforce documents unsupported_token_type and invalid_token for revoke failures;
        # real orgs are reported to answer an unknown token with this one.
        return OAuthError("unsupported_token_type", "this token type is not supported").response()
    return Response(status_code=200, headers=_NO_STORE)

