"""Values in org files longer than the fields they fill: refused with the file and line, before any write
(PostgreSQL would refuse them mid-install; Salesforce's own limits are the registry's field lengths)."""
from __future__ import annotations

from sfmock.core.schema import registry
from sfmock.orgs.bundle import OrgBundle, OrgDefinitionError, Source

# Columns of sfmock's own tables (app/persistence/tables.py) that are not sObject fields.
_CONNECTED_APP_TEXT = 255


def _limit(sobject: str, field: str) -> int:
    found = registry.require(sobject).field(field)
    if found is None:
        raise LookupError(f"sobjects.toml has no {sobject}.{field}")
    return found.length


def _check(value: str | None, limit: int, what: str, source: Source | None, file: str | None = None) -> None:
    if value is not None and len(value) > limit:
        problem = f"{what} is {len(value)} characters long; at most {limit} are allowed"
        raise source.error(problem) if source else OrgDefinitionError(problem, file)


def check_lengths(bundle: OrgBundle) -> None:
    s = bundle.settings
    _check(s.name, _limit("Organization", "Name"), "[org] name", s.source, "sfmock-org.toml")
    for u in bundle.users:
        for field, value in (("Username", u.username), ("LastName", u.last_name), ("FirstName", u.first_name),
                             ("Email", u.email)):
            _check(value, _limit("User", field), f"user {u.username[:80]}: {field}", u.source)
    for a in bundle.connected_apps:
        for what, value in (("name", a.name), ("client_id", a.client_id), ("client_secret", a.client_secret)):
            # Loaded with unique logins, a client id gets "-" and a 15-character org id appended.
            limit = _CONNECTED_APP_TEXT - 16 if what == "client_id" else _CONNECTED_APP_TEXT
            _check(value, limit, f"connected app {what}", a.source)
    for q in bundle.queues:
        for field, value in (("Name", q.name), ("DeveloperName", q.developer_name), ("Email", q.email)):
            _check(value, _limit("Group", field), f"queue {q.developer_name[:80]}: {field}", q.source)
    for t in bundle.templates:
        for field, value in (("Name", t.name), ("DeveloperName", t.developer_name), ("Subject", t.subject),
                             ("FolderName", t.folder)):
            _check(value, _limit("EmailTemplate", field), f"template {t.developer_name[:80]}: {field}",
                   t.source)
    for r in bundle.rules:
        _check(r.full_name, _limit("AssignmentRule", "Name"), "assignment rule fullName", r.source)
