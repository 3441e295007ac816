"""An org definition as read from its files: plain data, nothing resolved to ids yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sfmock.core.rules.model import RuleEntry


class OrgDefinitionError(ValueError):
    """An org folder that cannot be loaded; its message names the file, the line (if any), the problem."""

    def __init__(self, problem: str, file: str | None = None, line: int | None = None) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        where = f"{file}, line {line}" if file and line else (file or "")
        super().__init__(f"{where}: {problem}" if where else problem)


@dataclass(frozen=True)
class Source:
    """Where a definition was read: a path relative to the org folder (posix), and the 1-based line."""

    file: str
    line: int | None = None

    def error(self, problem: str) -> OrgDefinitionError:
        return OrgDefinitionError(problem, self.file, self.line)


def error_at(source: Source | None, problem: str) -> OrgDefinitionError:
    """The error for a definition read at `source` (None: a definition made in code, not read from a file)."""
    return source.error(problem) if source is not None else OrgDefinitionError(problem)


@dataclass(frozen=True)
class OwnerSettings:
    """Lead Settings / Support Settings: the default owner and whether (and with what) it is notified."""

    default_owner: str | None = None  # a username (User) or a queue developer name (Queue)
    default_owner_type: str | None = None  # "User" | "Queue"
    notify_default_owner: bool = False
    notification_template: str | None = None  # "folder/DevName"
    source: Source | None = None  # where default_owner is written
    template_source: Source | None = None  # where notification_template is written


@dataclass(frozen=True)
class WebSettings:
    """Web-to-Lead, Web-to-Case and Email-to-Case setup (Lead Settings / Support Settings; not in Metadata API
    v66 except caseOrigin and the templates, salesforce-rules-mail-web.md §1-2)."""

    lead_creator: str | None = None  # username of the Default Lead Creator (W2L's CreatedBy)
    lead_response_template: str | None = None  # W2L Default Response Template, "folder/DevName"
    case_user: str | None = None  # username of the Automated Case User (CaseSettings.defaultCaseUser)
    case_response_template: str | None = None  # W2C Default Response Template
    case_origin: str = "Web"  # WebToCaseSettings.caseOrigin
    email_to_case_addresses: tuple[str, ...] = ()  # Email-to-Case routing addresses
    lead_recaptcha: bool = False  # W2L "Require reCAPTCHA Verification" (WebToXSettings.webToLeadSpamFilter)
    case_recaptcha: bool = False  # W2C "Require reCAPTCHA Verification" (webToCaseSpamFilter)
    source: Source | None = None


@dataclass(frozen=True)
class OrgFileSettings:
    name: str
    lead_default_status: str = "Open - Not Contacted"
    require_security_token: bool = True
    trusted_networks: tuple[str, ...] = ()
    lead: OwnerSettings = field(default_factory=OwnerSettings)
    case: OwnerSettings = field(default_factory=OwnerSettings)
    source: Source | None = None
    web: WebSettings = field(default_factory=WebSettings)
    time_zone: str = "GMT"  # the org's Default Time Zone (TimeZoneSidKey)

    def owner_settings(self, sobject: str) -> OwnerSettings:
        return self.lead if sobject == "Lead" else self.case


@dataclass(frozen=True)
class UserDef:
    username: str
    last_name: str
    email: str
    first_name: str | None = None
    alias: str | None = None
    active: bool = True
    profile: str = "Standard User"
    password: str | None = None  # clear text as written in sfmock-org.toml; the installer hashes it
    security_token: str | None = None
    time_zone: str | None = None  # TimeZoneSidKey; None: the org's time zone, as Setup defaults a new user's
    permissions: tuple[str, ...] = ()  # system permissions by name, e.g. "BulkApiHardDelete"
    source: Source | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.first_name else self.last_name


@dataclass(frozen=True)
class ConnectedAppDef:
    name: str
    client_id: str
    client_secret: str
    run_as: str  # a username
    source: Source | None = None
    certificate: str | None = None  # PEM, for the JWT bearer flow
    refresh_tokens: bool = True


@dataclass(frozen=True)
class QueueDef:
    developer_name: str  # the file's stem, as Salesforce names queues in metadata
    name: str
    email: str | None = None
    does_send_email_to_members: bool = False
    description: str | None = None
    members: tuple[str, ...] = ()  # usernames
    sobject_types: tuple[str, ...] = ()
    source: Source | None = None
    member_sources: tuple[Source, ...] = ()  # one per member, same order


@dataclass(frozen=True)
class TemplateDef:
    folder: str
    developer_name: str
    name: str
    type: str  # text | html | custom | visualforce
    body: str  # the .email file
    subject: str | None = None
    available: bool = True
    encoding_key: str = "UTF-8"
    style: str = "none"
    description: str | None = None
    text_only: str | None = None
    source: Source | None = None

    @property
    def reference(self) -> str:
        """How rule entries and settings name it: "folder/DevName"."""
        return f"{self.folder}/{self.developer_name}"


@dataclass(frozen=True)
class RuleDef:
    object: str  # "Lead" | "Case", from the file name
    full_name: str
    active: bool
    entries: tuple[RuleEntry, ...] = ()
    source: Source | None = None  # the <assignmentRule> element
    entry_sources: tuple[Source, ...] = ()  # one per entry, same order
    kind: str = "assignment"  # "assignment" | "auto-response"


@dataclass(frozen=True)
class CaseTeamRoleDef:
    name: str
    access_level: str = "Read"  # None | Read | Edit (CaseTeamRole.AccessLevel)
    source: Source | None = None


@dataclass(frozen=True)
class CaseTeamDef:
    """A predefined case team (CaseTeamTemplate) and its members: (username, role name) pairs."""

    name: str
    description: str | None = None
    members: tuple[tuple[str, str], ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class OrgBundle:
    settings: OrgFileSettings
    users: list[UserDef] = field(default_factory=list)
    queues: list[QueueDef] = field(default_factory=list)
    templates: list[TemplateDef] = field(default_factory=list)
    rules: list[RuleDef] = field(default_factory=list)
    connected_apps: list[ConnectedAppDef] = field(default_factory=list)
    # Custom fields, record types and value sets (app/orgs/objects.SchemaFiles); None: the standard schema.
    schema_files: Any = None

    case_team_roles: list[CaseTeamRoleDef] = field(default_factory=list)
    case_teams: list[CaseTeamDef] = field(default_factory=list)

    def user(self, username: str) -> UserDef | None:
        """Usernames are matched case-insensitively, as Salesforce logs users in."""
        low = username.lower()
        return next((u for u in self.users if u.username.lower() == low), None)

    def queue(self, developer_name: str) -> QueueDef | None:
        return next((q for q in self.queues if q.developer_name == developer_name), None)

    def template(self, reference: str) -> TemplateDef | None:
        """A template by "folder/DevName", or by a bare DevName when exactly one template has it
        (EmailTemplate.DeveloperName is unique in an org; Salesforce's own AssignmentRules sample writes
        `<template>emailtemplate</template>`)."""
        if "/" in reference:
            return next((t for t in self.templates if t.reference == reference), None)
        found = [t for t in self.templates if t.developer_name == reference]
        return found[0] if len(found) == 1 else None

    def active_rule(self, sobject: str, kind: str = "assignment") -> RuleDef | None:
        return next((r for r in self.rules if r.object == sobject and r.active and r.kind == kind), None)
