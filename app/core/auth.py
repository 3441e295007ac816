"""Login policy: password + security token, trusted networks, and how passwords are kept."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import string
from typing import Any

from sfmock.core.errors import CallError
from sfmock.core.org import OrgSettings

_ITERATIONS = 20_000
# SOAP login fault text (Partner API, LoginFault).
INVALID_LOGIN = "Invalid username, password, security token; or user locked out."
_TOKEN_ALPHABET = string.ascii_letters + string.digits


def hash_password(password: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _ITERATIONS).hex()
    return f"pbkdf2_sha256${_ITERATIONS}${salt}${digest}"


def _password_matches(stored: str | None, password: str) -> bool:
    if not stored or stored.count("$") != 3:
        return False
    _, iterations, salt, digest = stored.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(candidate, digest)


def _trusted(org: OrgSettings, caller_ip: str | None) -> bool:
    if not caller_ip or not org.trusted_networks:
        return False
    try:
        address = ipaddress.ip_address(caller_ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in org.trusted_networks)


def check_login(user: dict[str, Any] | None, password: str, org: OrgSettings | None,
                caller_ip: str | None) -> None:
    """The password is the user's password with the security token appended (SOAP API login() doc); the token
    may be left off when the org does not require it or the caller is in a trusted network."""
    if user is None or org is None or not user.get("IsActive"):
        raise CallError("INVALID_LOGIN", INVALID_LOGIN)
    token = user.get("SecurityToken") or ""
    if token and password.endswith(token) and _password_matches(user.get("PasswordHash"),
                                                                password[: -len(token)]):
        return
    token_optional = not org.require_security_token or _trusted(org, caller_ip)
    if token_optional and _password_matches(user.get("PasswordHash"), password):
        return
    raise CallError("INVALID_LOGIN", INVALID_LOGIN)


def secret_digest(secret: str) -> str:
    """How a bearer secret (session id, OAuth token, connected-app consumer secret) is kept at rest: its
    SHA-256, so that a copied database yields nothing that works. These secrets are long and random (or chosen
    by the org's author for a test org), so one unsalted hash suffices; lookups hash what is presented."""
    return "sha256$" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def secret_matches(stored: str | None, presented: str | None) -> bool:
    return bool(stored and presented) and hmac.compare_digest(secret_digest(presented or ""), stored or "")


def new_session_id(org_id: str) -> str:
    """A session id as Salesforce shapes it: the 15-char org id, "!", then an opaque token."""
    return f"{org_id[:15]}!AQ{''.join(secrets.choice(_TOKEN_ALPHABET) for _ in range(94))}"
