"""The OAuth grants that go beyond a password: refresh token, JWT bearer and authorization code (web-server
flow, with PKCE), plus token introspection. Each answers like Salesforce's token endpoint: 200 with the token
body, or 400 {"error", "error_description"}.

Sources: Salesforce Help "OAuth 2.0 Refresh Token Flow", "OAuth 2.0 JWT Bearer Flow for Server-to-Server
Integration", "OAuth 2.0 Web Server Flow for Web App Integration", "Proof Key for Code Exchange (PKCE)",
"OAuth 2.0 Token Introspection"; @salesforce/core (authInfo.js, webOAuthServer.js) for what the sf CLI sends.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import Response

from sfmock.core.errors import CallError
from sfmock.persistence import logins, oauth_grants
from sfmock.persistence.orgs import open_org
from sfmock.rest.context import RestContext
from sfmock.rest.oauth import NO_STORE, OAuthError, check_secret, token_body
from sfmock.rest.responses import json_response

# The sf CLI's own connected app: present in every org, no secret (a public client, PKCE in the web flow).
PLATFORM_CLI = "PlatformCLI"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# Audiences Salesforce accepts for the JWT bearer flow; sfmock's own URL too (the CLI's SF_AUDIENCE_URL, or
# its first attempt, which uses the instance URL as the audience).
_AUDIENCES = ("https://login.salesforce.com", "https://test.salesforce.com", "https://login.database.com")
SCOPE = "refresh_token api web"


# --- connected apps -----------------------------------------------------------------------------------
def connected_app(db: Any, client_id: str) -> dict[str, Any]:
    """The app (with its OAuth policy) or invalid_client_id; PlatformCLI is every org's public client."""
    if client_id == PLATFORM_CLI:
        return {"client_id": PLATFORM_CLI, "org_id": None, "client_secret": "", "certificate": None,
                "refresh_tokens": True}
    with db.session() as sql:
        found = logins.find_connected_app(sql, client_id) if client_id else None
        if found is None:
            raise OAuthError("invalid_client_id", "client identifier invalid")
        return found | oauth_grants.policy(sql, client_id)


def _active_user(db: Any, org_id: str, user_id: str) -> dict[str, Any]:
    with db.session() as sql:
        store = open_org(sql, org_id)
        user = store.get("User", user_id) if store else None
    if user is None or not user.get("IsActive"):
        raise OAuthError("invalid_grant", "inactive user")
    return user


def _session(ctx: RestContext, org_id: str, user_id: str, refresh_token: str | None) -> str:
    from sfmock import calls

    return calls.open_session(ctx.db, org_id, user_id, session_seconds=ctx.settings.session_seconds,
                              refresh_token=refresh_token)


def _answer(ctx: RestContext, app: dict[str, Any], org_id: str, user_id: str, *, refresh: bool,
            issued_from: str | None = None) -> Response:
    """The token response; with `refresh`, a new refresh token too. The access token belongs to the refresh
    token it comes with (or `issued_from`, the one presented): revoking that one revokes it."""
    extra = {"scope": SCOPE}
    family = issued_from
    if refresh and app.get("refresh_tokens", True):
        with ctx.db.session() as sql:
            family = oauth_grants.issue_refresh_token(sql, org_id, user_id, app["client_id"])
        extra = {"refresh_token": family} | extra
    body = token_body(access_token=_session(ctx, org_id, user_id, family), base_url=ctx.base_url(),
                      org_id=org_id,
                      # These flows need not present the secret: the signature is keyed with it as kept.
                      user_id=user_id, client_secret=str(app.get("client_secret") or ""), extra=extra)
    return json_response(body, 200, NO_STORE)


# --- refresh token ------------------------------------------------------------------------------------
def refresh_grant(ctx: RestContext, form: dict[str, str]) -> Response:
    """grant_type=refresh_token: a new access token; no new refresh token (no rotation), as Salesforce
    does."""
    app = connected_app(ctx.db, form.get("client_id", ""))
    check_secret(app, form.get("client_secret"), required=False)
    with ctx.db.session() as sql:
        grant = oauth_grants.find_refresh_token(sql, form.get("refresh_token", ""))
    if grant is None or grant["client_id"] != app["client_id"]:
        # [UNCONFIRMED] description; invalid_grant is the documented error.
        raise OAuthError("invalid_grant", "expired access/refresh token")
    _active_user(ctx.db, grant["org_id"], grant["user_id"])
    return _answer(ctx, app, grant["org_id"], grant["user_id"], refresh=False,
                   issued_from=form.get("refresh_token"))


# --- JWT bearer ---------------------------------------------------------------------------------------
def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _verify_rs256(certificate: str, signed: bytes, signature: bytes) -> bool:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = x509.load_pem_x509_certificate(certificate.encode("ascii")).public_key()
    if not isinstance(key, rsa.RSAPublicKey):  # RS256 is RSA: a DSA or EC certificate verifies nothing
        return False
    try:
        key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, TypeError, ValueError):
        return False
    return True


def _claims(assertion: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    try:
        head, payload, signature = assertion.split(".")
        header, claims = json.loads(_b64(head)), json.loads(_b64(payload))
        raw_signature = _b64(signature)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_grant", "invalid assertion") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise OAuthError("invalid_grant", "invalid assertion")
    return header, claims, f"{head}.{payload}".encode("ascii"), raw_signature


def jwt_grant(ctx: RestContext, form: dict[str, str]) -> Response:
    """grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT {iss, sub, aud, exp}>."""
    header, claims, signed, signature = _claims(form.get("assertion", ""))
    if header.get("alg") != "RS256":
        raise OAuthError("invalid_grant", "invalid assertion")
    app = connected_app(ctx.db, str(claims.get("iss", "")))
    audience = str(claims.get("aud", "")).rstrip("/")
    # sfmock's own host under any path counts as its login URL (simple-salesforce builds
    # https://{domain}.salesforce.com from the domain it is given).
    if audience not in _AUDIENCES and urlsplit(audience).netloc != urlsplit(ctx.base_url()).netloc:
        raise OAuthError("invalid_grant", "audience is invalid")
    # The sf CLI sends exp in milliseconds (Date.now() + 300): a huge exp is no error, only a past one is;
    # simple-salesforce sends it as a string of seconds.
    try:
        expires = float(claims.get("exp", ""))  # absent: "" is a ValueError, as an unreadable exp
    except (TypeError, ValueError):
        expires = 0.0
    if expires < time.time():
        raise OAuthError("invalid_grant", "expired authorization code")  # [UNCONFIRMED] description
    if not app.get("certificate") or not _verify_rs256(app["certificate"], signed, signature):
        raise OAuthError("invalid_grant", "invalid assertion")
    with ctx.db.session() as sql:
        found = logins.find_user(sql, str(claims.get("sub", "")))
    if found is None or found[0] != app["org_id"]:
        # What Salesforce answers when the subject may not use this app (forrest #278).
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")
    org_id, user = found
    _active_user(ctx.db, org_id, user["Id"])
    return _answer(ctx, app, org_id, user["Id"], refresh=False)


# --- authorization code (web-server flow) -------------------------------------------------------------
def pkce_challenge(verifier: str) -> str:
    """base64url(SHA-256(verifier)), unpadded (RFC 7636 S256; the sf CLI sends no code_challenge_method)."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).decode().rstrip("=")


def code_grant(ctx: RestContext, form: dict[str, str]) -> Response:
    """grant_type=authorization_code: code, client_id, redirect_uri, code_verifier (PKCE) and/or
    client_secret."""
    app = connected_app(ctx.db, form.get("client_id", ""))
    with ctx.db.session() as sql:
        grant = oauth_grants.take_code(sql, form.get("code", ""))
    if grant is None or grant["client_id"] != app["client_id"]:
        raise OAuthError("invalid_grant", "invalid authorization code")
    if grant["redirect_uri"] != form.get("redirect_uri", ""):
        raise OAuthError("invalid_grant", "redirect_uri must match configuration")
    verifier = form.get("code_verifier")
    if grant["code_challenge"]:
        if not verifier or not hmac.compare_digest(pkce_challenge(verifier), grant["code_challenge"]):
            raise OAuthError("invalid_grant", "invalid code verifier")
        check_secret(app, form.get("client_secret"), required=False)
    else:
        # Without PKCE only a confidential client with its secret may exchange a code.
        check_secret(app, form.get("client_secret"), required=app["client_id"] != PLATFORM_CLI)
    _active_user(ctx.db, grant["org_id"], grant["user_id"])
    return _answer(ctx, app, grant["org_id"], grant["user_id"], refresh=True)


# --- introspection ------------------------------------------------------------------------------------
def post_introspect(ctx: RestContext) -> Response:
    """POST /services/oauth2/introspect token, token_type_hint, client_id, client_secret: {"active", …}."""
    from sfmock import calls
    from sfmock.rest import bodies

    form = bodies.form(ctx.body)
    try:
        app = connected_app(ctx.db, form.get("client_id", ""))
        check_secret(app, form.get("client_secret"), required=app["client_id"] != PLATFORM_CLI)
    except OAuthError as error:
        return error.response()
    token = form.get("token", "")
    base = ctx.base_url()
    try:
        org, user = calls.session_user(ctx.db, token)
        kind, org_id = "access_token", org.org_id
    except CallError:
        with ctx.db.session() as sql:
            grant = oauth_grants.find_refresh_token(sql, token)
        if grant is None:
            return json_response({"active": False}, 200, NO_STORE)
        kind, org_id = "refresh_token", grant["org_id"]
        user = calls.org_user(ctx.db, org_id, grant["user_id"]) or {}
    return json_response({"active": True,
                          "scope": SCOPE.replace("refresh_token ", "") if kind == "access_token"
                          else SCOPE, "client_id": app["client_id"], "username": user.get("Username"),
                          "sub": f"{base}/id/{org_id}/{user.get('Id')}", "token_type": kind}, 200, NO_STORE)
