"""`sfmock-org.toml`: what an org has that its metadata files do not carry.

Format (every table but [org] may be left out; unknown keys are errors)::

    [org]
    name = "Acme Demo"                        # required: Organization.Name
    lead_default_status = "Open - Not Contacted"  # the Lead Status a new lead gets (default shown)
    require_security_token = true            # password logins need password+token (default true) ...
    trusted_networks = ["127.0.0.0/8"]       # ... except from these Login IP Ranges (CIDR; default none)
    time_zone = "Europe/Paris"               # the org's Default Time Zone (TimeZoneSidKey; default "GMT"):
                                             #   every user's unless the user names one

    [lead_settings]                          # Setup > Lead Settings
    default_owner = "Unassigned_Leads_Queue" # a username or a queue developer name (default: none)
    default_owner_type = "Queue"             # "User" | "Queue"; required with default_owner
    notify_default_owner = false             # "Notify Default Lead Owner" (default false)
    notification_template = "unfiled$public/New_enterprise_lead"  # "folder/DevName" (optional)

    web_to_lead_creator = "admin@acme.example"   # Web-to-Lead "Default Lead Creator" (default: first user)
    web_to_lead_response_template = "unfiled$public/Thanks"  # W2L "Default Response Template" (optional)
    web_to_lead_recaptcha = false            # W2L "Require reCAPTCHA Verification" (default false)

    [case_settings]                          # Setup > Support Settings; the same four keys
    default_owner = "admin@acme.example"
    default_owner_type = "User"
    notify_default_owner = true
    notification_template = "unfiled$public/emailtemplate"
    automated_case_user = "admin@acme.example"   # "Automated Case User" (default: the first user)
    web_to_case_response_template = "unfiled$public/CaseThanks"  # W2C "Default Response Template"
    web_to_case_origin = "Web"               # WebToCaseSettings.caseOrigin (default "Web")
    web_to_case_recaptcha = false            # W2C "Require reCAPTCHA Verification" (default false)
    email_to_case_addresses = ["support@acme.example"]  # Email-to-Case routing addresses (default none)

    [[users]]                                # one table per user
    username = "admin@acme.example"          # required, email-shaped, unique (case-insensitively)
    last_name = "Admin"                      # required
    email = "admin@acme.example"             # required
    first_name = "Ada"                       # optional
    alias = "aadmi"                          # optional, at most 8 characters; default: first initial +
                                             #   the first 4 letters of the last name, lower case
    active = true                            # default true
    profile = "System Administrator"         # default "Standard User"
    password = "sfmock-password"             # optional; without one the user cannot log in
    security_token = "SFMOCKTOKEN"           # optional
    time_zone = "Europe/London"              # TimeZoneSidKey, default: the org's time_zone
    permissions = ["BulkApiHardDelete"]      # system permissions beyond the profile's (default none):
                                             #   BulkApiHardDelete = "Bulk API Hard Delete" (Bulk hardDelete)

    [[case_team_roles]] / [[case_teams]]     # predefined case teams: see app/orgs/case_teams_toml.py

    [[connected_apps]]                       # OAuth clients
    name = "sfmock demo"                     # all four keys required
    client_id = "sfmock-demo-client"
    client_secret = "sfmock-demo-secret"
    run_as = "admin@acme.example"            # the username the client-credentials flow runs as
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sfmock.orgs.bundle import (
    ConnectedAppDef,
    OrgDefinitionError,
    OrgFileSettings,
    OwnerSettings,
    Source,
    UserDef,
    WebSettings,
)

FILE_NAME = "sfmock-org.toml"
_TOP = {"org", "lead_settings", "case_settings", "users", "connected_apps", "case_team_roles", "case_teams"}
# key -> (type, required)
_ORG = {"name": (str, True), "lead_default_status": (str, False), "require_security_token": (bool, False),
        "trusted_networks": (list, False), "time_zone": (str, False)}  # fmt: skip
_OWNER = {"default_owner": (str, False), "default_owner_type": (str, False),
          "notify_default_owner": (bool, False), "notification_template": (str, False)}  # fmt: skip
_LEAD = _OWNER | {"web_to_lead_creator": (str, False), "web_to_lead_response_template": (str, False),
                  "web_to_lead_recaptcha": (bool, False)}
_CASE = _OWNER | {"automated_case_user": (str, False), "web_to_case_response_template": (str, False),
                  "web_to_case_origin": (str, False), "email_to_case_addresses": (list, False),
                  "web_to_case_recaptcha": (bool, False)}
_USER = {"username": (str, True), "last_name": (str, True), "email": (str, True), "first_name": (str, False),
         "alias": (str, False), "active": (bool, False), "profile": (str, False), "password": (str, False),
         "security_token": (str, False), "time_zone": (str, False), "permissions": (list, False)}  # fmt: skip
# The system permissions a user may be given (the name after "Permissions" in Profile/PermissionSet fields).
_PERMISSIONS = ("BulkApiHardDelete",)
_APP = {"name": (str, True), "client_id": (str, True), "client_secret": (str, True), "run_as": (str, True),
        "certificate": (str, False), "refresh_tokens": (bool, False)}
_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_-]+)\s*\]")
_TOML_LINE = re.compile(r"at line (\d+)")


class _Lines:
    """Best-effort line numbers for tables and keys (tomllib reports none for what it parsed)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers = [
            (i + 1, m.group(2)) for i, line in enumerate(self.lines) if (m := _HEADER.match(line))
        ]

    def table(self, name: str, index: int = 0) -> int | None:
        found = [line for line, header in self.headers if header == name]
        return found[index] if index < len(found) else None

    def key(self, table: str, key: str, index: int = 0) -> int | None:
        start = self.table(table, index)
        if start is None:
            return None
        pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
        for number in range(start + 1, len(self.lines) + 1):
            if _HEADER.match(self.lines[number - 1]):
                break
            if pattern.match(self.lines[number - 1]):
                return number
        return start


def read_settings(
    path: Path, rel: str = FILE_NAME
) -> tuple[OrgFileSettings, list[UserDef], list[ConnectedAppDef]]:
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise OrgDefinitionError(f"cannot read file: {exc.strerror}", rel) from exc
    except UnicodeDecodeError as exc:
        raise OrgDefinitionError("not UTF-8 text", rel) from exc
    except RecursionError:
        # tomllib recurses once per nested array or table: a hostile file ends here, not in a 500.
        raise OrgDefinitionError("malformed TOML: nested too deeply", rel) from None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise OrgDefinitionError(
            f"malformed TOML: {exc}", rel, int(found.group(1)) if found else None
        ) from exc
    lines = _Lines(text)
    for key in data:
        if key not in _TOP:
            raise OrgDefinitionError(
                f"unknown table or key {key!r} (expected {', '.join(sorted(_TOP))})", rel
            )
    org = _table(data, "org", _ORG, rel, lines)
    settings = OrgFileSettings(
        name=org["name"],
        lead_default_status=org.get("lead_default_status", "Open - Not Contacted"),
        require_security_token=org.get("require_security_token", True),
        trusted_networks=_networks(
            org.get("trusted_networks", []), Source(rel, lines.key("org", "trusted_networks"))
        ),
        lead=_owner(data, "lead_settings", rel, lines),
        case=_owner(data, "case_settings", rel, lines),
        source=Source(rel, lines.table("org")),
        web=_web(data, rel, lines),
        time_zone=_zone(org.get("time_zone", "GMT"), Source(rel, lines.key("org", "time_zone"))),
    )
    users = [_user(spec, rel, lines, i) for i, spec in enumerate(_array(data, "users", rel))]
    apps = [_app(spec, rel, lines, i) for i, spec in enumerate(_array(data, "connected_apps", rel))]
    return settings, users, apps


def _table(
    data: dict, name: str, keys: dict, rel: str, lines: _Lines, index: int = 0, required: bool = True
) -> dict:
    where = f"[[{name}]] #{index + 1}" if name in ("users", "connected_apps") else f"[{name}]"
    table = data.get(name)
    if table is None:
        if required:
            raise OrgDefinitionError(f"no {where} table", rel)
        return {}
    if not isinstance(table, dict):
        raise OrgDefinitionError(f"{name!r} must be a table", rel, lines.table(name))
    for key, value in table.items():
        if key not in keys:
            raise OrgDefinitionError(
                f"unknown key {key!r} in {where} (expected {', '.join(keys)})",
                rel,
                lines.key(name, key, index),
            )
        kind = keys[key][0]
        ok = isinstance(value, kind) and (kind is not list or all(isinstance(v, str) for v in value))
        if not ok:
            expected = {str: "a string", bool: "true or false", list: "a list of strings"}[kind]
            raise OrgDefinitionError(f"{key} in {where} must be {expected}", rel, lines.key(name, key, index))
    for key, (_, needed) in keys.items():
        if needed and (key not in table or table[key] == ""):
            raise OrgDefinitionError(f"{where} has no {key}", rel, lines.table(name, index))
    return table


def _array(data: dict, name: str, rel: str) -> list[dict]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise OrgDefinitionError(f"{name} must be an array of tables ([[{name}]])", rel)
    return value


def _web(data: dict, rel: str, lines: _Lines) -> WebSettings:
    lead = _table(data, "lead_settings", _LEAD, rel, lines, required=False)
    case = _table(data, "case_settings", _CASE, rel, lines, required=False)
    return WebSettings(
        lead_creator=lead.get("web_to_lead_creator") or None,
        lead_response_template=lead.get("web_to_lead_response_template") or None,
        case_user=case.get("automated_case_user") or None,
        case_response_template=case.get("web_to_case_response_template") or None,
        case_origin=case.get("web_to_case_origin") or "Web",
        email_to_case_addresses=tuple(a.strip().lower() for a in case.get("email_to_case_addresses", ())),
        lead_recaptcha=lead.get("web_to_lead_recaptcha", False),
        case_recaptcha=case.get("web_to_case_recaptcha", False),
        source=Source(rel, lines.table("case_settings") or lines.table("lead_settings")),
    )


def _owner(data: dict, name: str, rel: str, lines: _Lines) -> OwnerSettings:
    table = _table(data, name, _LEAD if name == "lead_settings" else _CASE, rel, lines, required=False)
    owner, kind = table.get("default_owner"), table.get("default_owner_type")
    if kind is not None and kind not in ("User", "Queue"):
        raise OrgDefinitionError(f"default_owner_type in [{name}] must be \"User\" or \"Queue\"", rel,
                                 lines.key(name, "default_owner_type"))  # fmt: skip
    if bool(owner) != bool(kind):
        raise OrgDefinitionError(
            f"[{name}] needs default_owner and default_owner_type together", rel, lines.table(name)
        )
    return OwnerSettings(
        default_owner=owner or None,
        default_owner_type=kind,
        notify_default_owner=table.get("notify_default_owner", False),
        notification_template=table.get("notification_template") or None,
        source=Source(rel, lines.key(name, "default_owner")),
        template_source=Source(rel, lines.key(name, "notification_template")),
    )


def _user(spec: dict[str, Any], rel: str, lines: _Lines, index: int) -> UserDef:
    table = _table({"users": spec}, "users", _USER, rel, lines, index)
    line = lines.table("users", index)
    username, email = table["username"], table["email"]
    if "@" not in username or any(c.isspace() for c in username):
        raise OrgDefinitionError(f"username {username!r} must be in the form of an email address", rel, line)
    if "@" not in email:
        raise OrgDefinitionError(f"email {email!r} of user {username} is no email address", rel, line)
    first, last = table.get("first_name"), table["last_name"]
    # Setup's default alias: the first initial and the first four letters of the last name.
    alias = table.get("alias") or ((first or "")[:1] + last[:4]).lower()
    if len(alias) > 8:
        raise OrgDefinitionError(f"alias {alias!r} of user {username} is longer than 8 characters", rel, line)
    permissions = table.get("permissions", [])
    unknown = [p for p in permissions if p not in _PERMISSIONS]
    if unknown:
        raise OrgDefinitionError(f"unknown permission {unknown[0]!r} of user {username} (known: "
                                 f"{', '.join(_PERMISSIONS)})", rel, lines.key("users", "permissions", index))
    return UserDef(
        username=username,
        last_name=last,
        email=email,
        first_name=first or None,
        alias=alias,
        active=table.get("active", True),
        profile=table.get("profile", "Standard User"),
        password=table.get("password"),
        security_token=table.get("security_token"),
        time_zone=_zone(table["time_zone"], Source(rel, lines.key("users", "time_zone", index)))
        if "time_zone" in table else None,
        permissions=tuple(permissions),
        source=Source(rel, line),
    )


def _app(spec: dict[str, Any], rel: str, lines: _Lines, index: int) -> ConnectedAppDef:
    table = _table({"connected_apps": spec}, "connected_apps", _APP, rel, lines, index)
    certificate = (table.get("certificate") or "").strip() or None
    if certificate is not None:
        from cryptography import x509

        try:
            x509.load_pem_x509_certificate(certificate.encode("ascii"))
        except ValueError as error:
            raise OrgDefinitionError(f"certificate of connected app {table['client_id']} is no PEM X.509 "
                                     f"certificate: {error}", rel,
                                     lines.key("connected_apps", "certificate", index)) from error
    return ConnectedAppDef(table["name"], table["client_id"], table["client_secret"], table["run_as"],
                           Source(rel, lines.table("connected_apps", index)), certificate,
                           table.get("refresh_tokens", True))  # fmt: skip


def _zone(name: str, source: Source) -> str:
    """A TimeZoneSidKey: Salesforce's keys are IANA zone names ("America/Los_Angeles", "Europe/London") or
    "GMT" (Metadata API, CompanySettings / User.TimeZoneSidKey picklist)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise source.error(f"time_zone: unknown time zone {name!r} (an IANA name such as \"Europe/Paris\", "
                           "or \"GMT\")") from None
    return name


def _networks(values: list[str], source: Source) -> tuple[str, ...]:
    out = []
    for value in values:
        try:
            out.append(str(ipaddress.ip_network(value, strict=True)))
        except ValueError as exc:
            raise source.error(f"trusted_networks: {exc}") from exc
    return tuple(out)
