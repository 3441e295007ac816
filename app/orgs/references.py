"""Checking an OrgBundle as a whole: every username, queue and template it names exists, and the rules engine
accepts every rule. The checked bundle comes back with template references written "folder/DevName"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sfmock.core import ids
from sfmock.core.rules.engine import validate_rule
from sfmock.core.rules.model import AssignmentRule, RuleDefinitionError, RuleEntry
from sfmock.core.schema import SchemaRegistry
from sfmock.core.schema.model import SObjectDef
from sfmock.core.schema.org_schema import build
from sfmock.orgs.bundle import (
    OrgBundle,
    OrgFileSettings,
    OwnerSettings,
    RuleDef,
    Source,
    WebSettings,
    error_at,
)
from sfmock.orgs.case_teams_toml import check_unique
from sfmock.orgs.lengths import check_lengths
from sfmock.orgs.schema_spec import checked_schema


def validate_bundle(bundle: OrgBundle, schema: SchemaRegistry | None = None) -> OrgBundle:
    """The bundle with template references normalised, or an OrgDefinitionError naming the file and line.
    `schema`: the org's schema when the bundle is a deploy onto an installed org (app/orgs/deploy.py)."""
    check_lengths(bundle)
    _check_users(bundle)
    _check_queues(bundle)
    _check_apps(bundle)
    _check_case_teams(bundle)
    rules = [_check_rule(bundle, rule) for rule in bundle.rules]
    settings = replace(
        bundle.settings,
        lead=_check_owner(bundle, "Lead", bundle.settings.lead),
        case=_check_owner(bundle, "Case", bundle.settings.case),
        web=_check_web(bundle, bundle.settings.web),
    )
    checked = replace(bundle, settings=settings, rules=rules)
    if schema is None:
        schema = checked_schema(bundle.schema_files) if bundle.schema_files is not None else build(None)
    _check_with_engine(checked, schema)
    return checked


def check_rules(rules: list[RuleDef], schema: SchemaRegistry) -> None:
    """The rules engine's checks of the org's installed rules against a changed schema (a deleted field:
    app/orgs/schema_delete.py); their assignees and templates were checked when they were installed."""
    _check_with_engine(OrgBundle(OrgFileSettings(name="check"), [], [], [], list(rules)), schema)


def _check_users(bundle: OrgBundle) -> None:
    seen: dict[str, Source | None] = {}
    for user in bundle.users:
        key = user.username.lower()
        if key in seen:
            first = seen[key]
            raise error_at(user.source, f"user {user.username} is defined twice (first at line "
                                        f"{first.line if first else None})")
        seen[key] = user.source


def _check_apps(bundle: OrgBundle) -> None:
    client_ids: set[str] = set()
    for app in bundle.connected_apps:
        if app.client_id in client_ids:
            raise error_at(app.source, f"connected app client_id {app.client_id!r} is used twice")
        client_ids.add(app.client_id)
        if bundle.user(app.run_as) is None:
            raise error_at(app.source,
                f"connected app {app.name!r}: run_as {app.run_as!r} names no user in [[users]]"
            )


def _check_case_teams(bundle: OrgBundle) -> None:
    check_unique(bundle.case_team_roles, bundle.case_teams)
    roles = {r.name for r in bundle.case_team_roles}
    for team in bundle.case_teams:
        for user, role in team.members:
            if bundle.user(user) is None:
                raise error_at(team.source, f"case team {team.name!r}: member {user!r} names no user in "
                                        f"[[users]]")
            if role not in roles:
                raise error_at(team.source, f"case team {team.name!r}: role {role!r} names no "
                                        f"[[case_team_roles]]")


def _check_queues(bundle: OrgBundle) -> None:
    for queue in bundle.queues:
        for member, source in zip(queue.members, queue.member_sources or [queue.source] * len(queue.members),
                                  strict=False):
            if bundle.user(member) is None:
                raise error_at(source,
                    f"queue {queue.developer_name}: member {member!r} names no user in sfmock-org.toml"
                )


def _assignee_problem(bundle: OrgBundle, sobject: str, name: str, kind: str) -> str | None:
    if kind == "User":
        user = bundle.user(name)
        if user is None:
            return f"user {name!r} does not exist (no such username in sfmock-org.toml)"
        # An org never holds a rule or default owner naming an inactive user: Salesforce refuses to deactivate
        # such a user (KB 000383178, 000384586), so files that describe one are refused instead (the deploy
        # error's wording is UNCONFIRMED).
        return None if user.active else f"user {name!r} is inactive (active = false in sfmock-org.toml)"
    queue = bundle.queue(name)
    if queue is None:
        return f"queue {name!r} does not exist (no queues/{name}.queue file)"
    # A queue owns only the objects listed in its queueSobject elements (Setup > Queues, "Supported Objects").
    if sobject not in queue.sobject_types:
        return f"queue {name!r} does not accept {sobject} records (no <queueSobject> {sobject} in its file)"
    return None


def _template_ref(bundle: OrgBundle, reference: str) -> tuple[str | None, str | None]:
    """(normalised "folder/DevName", None) or (None, problem)."""
    template = bundle.template(reference)
    if template is not None:
        return template.reference, None
    if "/" not in reference and sum(t.developer_name == reference for t in bundle.templates) > 1:
        return None, f"template {reference!r} is ambiguous: several folders hold it; write folder/{reference}"
    path = reference if "/" in reference else f"<folder>/{reference}"
    return None, f"template {reference!r} does not exist (no email/{path}.email-meta.xml)"


def _check_rule(bundle: OrgBundle, rule: RuleDef) -> RuleDef:
    entries: list[RuleEntry] = []
    for entry, source in zip(rule.entries, rule.entry_sources, strict=False):
        if entry.assigned_to:
            problem = _assignee_problem(
                bundle, rule.object, entry.assigned_to, entry.assigned_to_type or "User"
            )
            if problem:
                raise source.error(f"rule {rule.full_name!r} entry {entry.order}: assignedTo: {problem}")
        for team in entry.team:
            if not any(t.name == team for t in bundle.case_teams):
                raise source.error(f"rule {rule.full_name!r} entry {entry.order}: team {team!r} does not "
                                   "exist (no [[case_teams]] of that name in sfmock-org.toml)")
        if entry.template:
            reference, problem = _template_ref(bundle, entry.template)
            if problem:
                raise source.error(f"rule {rule.full_name!r} entry {entry.order}: {problem}")
            entry = replace(entry, template=reference)
        entries.append(entry)
    return replace(rule, entries=tuple(entries))


def _check_owner(bundle: OrgBundle, sobject: str, owner: OwnerSettings) -> OwnerSettings:
    table = "[lead_settings]" if sobject == "Lead" else "[case_settings]"
    if owner.default_owner:
        problem = _assignee_problem(bundle, sobject, owner.default_owner, owner.default_owner_type or "User")
        if problem:
            raise error_at(owner.source, f"{table} default_owner: {problem}")
    if owner.notification_template:
        reference, problem = _template_ref(bundle, owner.notification_template)
        if problem:
            raise error_at(owner.template_source or owner.source, f"{table} notification_template: {problem}")
        owner = replace(owner, notification_template=reference)
    return owner


def _check_web(bundle: OrgBundle, web: WebSettings) -> WebSettings:
    for key, username in (("[lead_settings] web_to_lead_creator", web.lead_creator),
                          ("[case_settings] automated_case_user", web.case_user)):
        if username and bundle.user(username) is None:
            raise error_at(web.source, f"{key}: user {username!r} does not exist (no such username in "
                                   f"sfmock-org.toml)")
    found: dict[str, str | None] = {}
    for key, reference in (("lead_response_template", web.lead_response_template),
                           ("case_response_template", web.case_response_template)):
        found[key] = None
        if reference:
            found[key], problem = _template_ref(bundle, reference)
            if problem:
                raise error_at(web.source, f"{key.replace('_', ' ')}: {problem}")
    for address in web.email_to_case_addresses:
        if "@" not in address:
            raise error_at(web.source, f"email_to_case_addresses: {address!r} is no email address")
    return replace(web, lead_response_template=found["lead_response_template"],
                   case_response_template=found["case_response_template"])


def _check_with_engine(bundle: OrgBundle, schema: SchemaRegistry) -> None:
    """Criteria fields, operations against field types, booleanFilter and formula syntax belong to the rules
    engine; it is asked entry by entry (so the error points at the entry's line), then rule by rule."""
    for number, rule in enumerate(bundle.rules, start=1):
        # The org's own schema: criteria may test its custom fields (Lead.Region__c).
        sobject_def = schema.get(rule.object)
        entries = tuple(_with_placeholder_ids(entry) for entry in rule.entries)
        rule_id = ids.make_id("01Q", 0, number)
        # ISNEW/ISCHANGED/PRIORVALUE belong to assignment rules (Help "ISCHANGED"); an auto-response rule only
        # ever sees a new record.
        prior_allowed = rule.kind == "assignment"
        for entry, source in zip(entries, rule.entry_sources, strict=False):
            one = AssignmentRule(rule_id, rule.full_name, rule.object, rule.active, (entry,))
            _ask(validate_rule, one, sobject_def, source, prior_allowed, schema)
        _ask(
            validate_rule,
            AssignmentRule(rule_id, rule.full_name, rule.object, rule.active, entries),
            sobject_def,
            rule.source,
            prior_allowed,
            schema,
        )


def _with_placeholder_ids(entry: RuleEntry) -> RuleEntry:
    # The real ids exist only once the org is installed; the engine needs only to see that they are set.
    prefix = "00G" if entry.assigned_to_type == "Queue" else "005"
    return replace(
        entry,
        assignee_id=ids.make_id(prefix, 0, 1) if entry.assigned_to else None,
        template_id=ids.make_id("00X", 0, 1) if entry.template else None,
    )


def _ask(validate: Callable, rule: AssignmentRule, sobject_def: SObjectDef | None, source: Source | None,
         prior_allowed: bool, schema: SchemaRegistry) -> None:
    try:
        # The org's own schema, also for the parent objects a formula reaches (Account.Region__c).
        validate(rule, sobject_def, prior_allowed=prior_allowed, schema=schema)
    except RuleDefinitionError as exc:  # its message names the rule and the entry
        raise error_at(source, str(exc)) from exc
