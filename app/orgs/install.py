"""Installing an org definition (an OrgBundle read from metadata files) into the database as a new org."""
from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from sfmock.core.auth import hash_password, secret_digest
from sfmock.core.org import OrgSettings
from sfmock.core.schema import registry
from sfmock.core.schema.org_schema import build
from sfmock.orgs.bundle import OrgBundle, OwnerSettings
from sfmock.orgs.objects import SchemaFiles
from sfmock.orgs.schema_spec import spec_of
from sfmock.persistence import schemas
from sfmock.persistence.orgs import create_org, save_settings
from sfmock.persistence.rule_codec import encode_entries, encode_entry
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import (
    assignment_rule_entries,
    auto_response_rules,
    connected_app_oauth,
    connected_apps,
    orgs,
    table_for,
)


@dataclasses.dataclass
class InstalledOrg:
    org_id: str
    name: str
    user_ids: dict[str, str]  # username as written in the files (lower case) -> Id
    usernames: dict[str, str]  # username as written in the files (lower case) -> the login username
    queue_ids: dict[str, str]  # developer name -> Id
    rule_ids: dict[str, str]  # "Lead/Standard Routing" -> Id
    connected_apps: list[dict[str, Any]]


class UsernameTaken(ValueError):
    """Usernames are unique across orgs (as in Salesforce): these are already someone's."""

    def __init__(self, usernames: list[str]) -> None:
        super().__init__(f"username already in use by another org: {', '.join(usernames)} (load with unique "
                         f"logins "
                         "to give this org's users their own suffix)")
        self.usernames = usernames


def existing_usernames(session: Session, usernames: list[str]) -> list[str]:
    users = table_for("User")
    wanted = [u.lower() for u in usernames]
    found = session.execute(sa.select(users.c.Username).where(sa.func.lower(users.c.Username).in_(wanted)))
    return sorted(found.scalars())


def loaded_org(session: Session, bundle: OrgBundle) -> str | None:
    """The id of the org these files were already installed as (same name, holding every one of its users with
    the same usernames), or None."""
    users = table_for("User")
    wanted = {u.username.lower() for u in bundle.users}
    rows = session.execute(sa.select(users.c.org_id, users.c.Username).where(
        sa.func.lower(users.c.Username).in_(wanted))).all()
    holders = {row.org_id for row in rows}
    if len(holders) != 1 or {row.Username.lower() for row in rows} != wanted:
        return None
    [org_id] = holders
    name = session.execute(sa.select(orgs.c.name).where(orgs.c.id == org_id)).scalar_one_or_none()
    return org_id if name == bundle.settings.name else None


class RowWriter:
    """Adds configuration rows (users, queues, rules...) with the system fields an installed org has."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.now = datetime.now(UTC)
        self.creator: str | None = None

    def add(self, sobject: str, fields: dict[str, Any]) -> str:
        obj = registry.require(sobject)
        record_id = self.store.new_ids(obj.key_prefix)[0]
        row = {f.name: f.default for f in obj.fields if f.default is not None}
        row |= {"Id": record_id, "IsDeleted": False, "CreatedDate": self.now, "LastModifiedDate": self.now,
                "SystemModstamp": self.now, "CreatedById": self.creator or record_id,
                "LastModifiedById": self.creator or record_id}
        self.store.insert(sobject, row | fields)
        return record_id


def install(session: Session, bundle: OrgBundle, *, unique_logins: bool = False,
            org_number: int | None = None) -> InstalledOrg:
    """Writes the bundle as a new org. Usernames and client ids are unique across orgs, as in Salesforce; with
    `unique_logins` (several orgs from the same files) they get the org id as a suffix, as scratch-org
    usernames do: admin@acme.example.00d001000000002, sfmock-demo-client-00D001000000002."""
    if not unique_logins:
        taken = existing_usernames(session, [u.username for u in bundle.users])
        if taken:
            raise UsernameTaken(taken)
    s = bundle.settings
    store = create_org(session, OrgSettings(
        org_id="", name=s.name, lead_default_status=s.lead_default_status,
        require_security_token=s.require_security_token, trusted_networks=tuple(s.trusted_networks),
        time_zone=s.time_zone), org_number)
    org15 = store.org.org_id[:15]
    username_suffix, client_suffix = (f".{org15.lower()}", f"-{org15}") if unique_logins else ("", "")
    w = RowWriter(store)
    users: dict[str, str] = {}
    for u in bundle.users:
        username = u.username + username_suffix
        users[u.username.lower()] = w.add("User", {
            "Username": username, "FirstName": u.first_name, "LastName": u.last_name, "Name": u.name,
            "Email": u.email, "Alias": u.alias or (((u.first_name or "")[:1] + u.last_name[:4]).lower()),
            "IsActive": u.active, "ProfileName": u.profile, "TimeZoneSidKey": u.time_zone or s.time_zone,
            "PasswordHash": hash_password(u.password) if u.password else None,
            "SecurityToken": u.security_token,
            "PermissionsBulkApiHardDelete": "BulkApiHardDelete" in u.permissions})
        w.creator = w.creator or users[u.username.lower()]
    queues: dict[str, str] = {}
    for q in bundle.queues:
        queues[q.developer_name] = qid = w.add("Group", {
            "Name": q.name, "DeveloperName": q.developer_name, "Type": "Queue", "Email": q.email,
            "DoesSendEmailToMembers": q.does_send_email_to_members, "OwnerId": w.creator})
        for member in q.members:
            w.add("GroupMember", {"GroupId": qid, "UserOrGroupId": users[member.lower()]})
        for sobject in q.sobject_types:
            w.add("QueueSobject", {"QueueId": qid, "SobjectType": sobject})
    templates: dict[str, str] = {}
    for t in bundle.templates:
        templates[t.reference] = w.add("EmailTemplate", {
            "Name": t.name, "DeveloperName": t.developer_name, "FolderName": t.folder, "Subject": t.subject,
            "Body": t.body, "TemplateType": t.type, "IsActive": t.available})

    roles = {r.name: w.add("CaseTeamRole", {"Name": r.name, "AccessLevel": r.access_level})
             for r in bundle.case_team_roles}
    for team in bundle.case_teams:
        team_id = w.add("CaseTeamTemplate", {"Name": team.name, "Description": team.description})
        for user, role in team.members:
            w.add("CaseTeamTemplateMember", {"TeamTemplateId": team_id, "MemberId": users[user.lower()],
                                             "TeamRoleId": roles[role]})

    def owner_id(name: str | None, kind: str | None) -> str | None:
        if not name:
            return None
        return queues[name] if kind == "Queue" else users[name.lower()]

    def template_id(reference: str | None) -> str | None:
        found = bundle.template(reference) if reference else None
        return templates[found.reference] if found else None

    rule_ids: dict[str, str] = {}
    for r in bundle.rules:
        entries = tuple(dataclasses.replace(
            e, assignee_id=owner_id(e.assigned_to, e.assigned_to_type), template_id=template_id(e.template))
            for e in r.entries)
        if r.kind == "auto-response":
            session.execute(sa.insert(auto_response_rules).values(
                org_id=store.org.org_id, sobject_type=r.object, name=r.full_name, active=r.active,
                entries=encode_entries(entries)))
            continue
        # The rules were checked by validate_bundle (app/orgs/references.py) when the files were read.
        rid = w.add("AssignmentRule", {"Name": r.full_name, "SobjectType": r.object, "Active": r.active})
        rule_ids[f"{r.object}/{r.full_name}"] = rid
        for position, entry in enumerate(entries):
            session.execute(sa.insert(assignment_rule_entries).values(
                org_id=store.org.org_id, rule_id=rid, position=position, definition=encode_entry(entry)))

    def owner_settings(o: OwnerSettings) -> tuple[str | None, bool, str | None]:
        return owner_id(o.default_owner, o.default_owner_type), o.notify_default_owner, \
            template_id(o.notification_template)

    _install_schema(session, w, bundle.schema_files)
    lead, case = owner_settings(s.lead), owner_settings(s.case)
    web, first_user = s.web, next(iter(users.values()), None)
    settings = dataclasses.replace(
        store.org, default_lead_owner_id=lead[0], notify_default_lead_owner=lead[1],
        default_lead_owner_template_id=lead[2], default_case_owner_id=case[0],
        notify_default_case_owner=case[1],
        default_case_owner_template_id=case[2],
        # Without a named creator / Automated Case User, the org's first user plays both (Setup requires one).
        web_to_lead_creator_id=users[web.lead_creator.lower()] if web.lead_creator else first_user,
        web_to_lead_response_template_id=template_id(web.lead_response_template),
        automated_case_user_id=users[web.case_user.lower()] if web.case_user else first_user,
        web_to_case_response_template_id=template_id(web.case_response_template),
        web_to_case_origin=web.case_origin, email_to_case_addresses=web.email_to_case_addresses,
        web_to_lead_recaptcha=web.lead_recaptcha, web_to_case_recaptcha=web.case_recaptcha)
    save_settings(session, settings)
    store.org = settings
    apps = []
    for a in bundle.connected_apps:
        app_row = {"client_id": a.client_id + client_suffix, "org_id": settings.org_id, "name": a.name,
                   "client_secret": a.client_secret, "run_as_user_id": users.get(a.run_as.lower())}
        # The consumer secret is kept as a digest (sfmock.core.auth.secret_digest); the answer still carries
        # it.
        stored = app_row | {"client_secret": secret_digest(a.client_secret)}
        session.execute(sa.insert(connected_apps).values(**stored))
        session.execute(sa.insert(connected_app_oauth).values(
            client_id=app_row["client_id"], certificate=a.certificate, refresh_tokens=a.refresh_tokens))
        apps.append(app_row)
    usernames = {u.username.lower(): u.username + username_suffix for u in bundle.users}
    return InstalledOrg(settings.org_id, settings.name, users, usernames, queues, rule_ids, apps)


def _install_schema(session: Session, w: RowWriter, files: SchemaFiles | None) -> None:
    """The org's record types as RecordType rows, and its schema spec (custom fields in their slots, value
    sets, record types with their ids), from which every later call's schema is built."""
    if files is None:
        return
    type_ids = {(rt.object, rt.developer_name): w.add("RecordType", {
        "Name": rt.label, "DeveloperName": rt.developer_name, "SobjectType": rt.object, "IsActive": rt.active,
        "Description": rt.description}) for rt in files.record_types}
    spec = spec_of(files, lambda sobject, name: type_ids[(sobject, name)])
    schemas.save_spec(session, w.store.org.org_id, spec)
    w.store.schema = build(spec, org_id=w.store.org.org_id)
