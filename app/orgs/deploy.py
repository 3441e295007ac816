"""A Metadata API deploy onto an installed org: the zip read with the org folder's readers
(app/orgs/package.py), checked against the org as it stands (app/orgs/org_state.py) with the same checks
an org folder gets (app/orgs/references.validate_bundle), then written into the org's configuration in the
caller's transaction.

Every component is checked and each failure reported. With rollbackOnError=true (what the sf CLI and
jsforce send) any failure fails the deploy and nothing is written; with rollbackOnError=false the sound
components are written and the status is SucceededPartial. A deploy that writes bumps the org's
configuration version, so the very next call routes with what was deployed.
"""
from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from sfmock.core import ids
from sfmock.core.schema.org_schema import build
from sfmock.orgs import destructive
from sfmock.orgs.bundle import OrgBundle, OrgDefinitionError, OrgFileSettings, RuleDef
from sfmock.orgs.deploy_outcome import DeployMessage, DeployOutcome
from sfmock.orgs.install import RowWriter
from sfmock.orgs.org_state import OrgState, read_state
from sfmock.orgs.package import Component, Package, PackageError, PackageTree, failure_file, opened
from sfmock.orgs.references import validate_bundle
from sfmock.orgs.schema_merge import merged_spec
from sfmock.persistence import schemas
from sfmock.persistence.org_cache import bump_version
from sfmock.persistence.rule_codec import encode_entries, encode_entry
from sfmock.persistence.store import SqlStore
from sfmock.persistence.tables import assignment_rule_entries, auto_response_rules

__all__ = ["DeployMessage", "DeployOutcome", "deploy"]

# Members package.xml names are looked for in the zip under these types (CustomField members live inside
# their object's file). Salesforce's text for a member without its file (seen in Metadata API deploy results).
_NOT_FOUND = ("An object '{name}' of type {kind} was named in package.xml, but was not found in zipped "
              "directory")


def _failure(error: OrgDefinitionError, tree: PackageTree | None) -> DeployMessage:
    top = tree.top if tree else ""
    found = tree.failed(error.file, error.line) if tree else None
    kind, name = (found.type, found.full_name) if found else ("", error.file or "package.xml")
    return DeployMessage(kind, name, failure_file(error, top) or "package.xml", success=False,
                         problem=error.problem, line=error.line)


def deploy(store: SqlStore, data: bytes, *, check_only: bool, user_id: str | None,
           rollback_on_error: bool = True, ignore_warnings: bool = False) -> DeployOutcome:
    """Checks every component of the zip against the org and, unless `check_only`, installs it. With
    `rollback_on_error` (the sf CLI's and jsforce's choice) one failure changes nothing; without it the
    sound components are installed and the failing ones reported (DeployOptions.rollbackOnError: "If
    false, whatever set of actions can be performed without errors are performed, and errors are
    returned for the remaining actions")."""
    try:
        with opened(data) as tree:
            phases, problems = destructive.manifests(tree)
            outcome = DeployOutcome(files=tree.files, size=tree.size)
            if not (phases["pre"] or phases["post"] or problems):
                return _components(store, tree, outcome, check_only, user_id, rollback_on_error)
            outcome.failures += [_failure(e, tree) for e in problems]
            try:
                with store.savepoint():
                    _with_deletions(store, tree, outcome, phases, check_only, user_id, rollback_on_error,
                                    ignore_warnings)
            except _Undone:
                pass  # a validation, or a deploy that rolled back: the savepoint undid its deletions
            return outcome
    except PackageError as error:
        # Salesforce fails a deploy without a manifest with this one message (§4.1, real replies).
        return DeployOutcome(failures=[DeployMessage("", "package.xml", "package.xml", success=False,
                                                     problem=str(error))], size=len(data))


class _Undone(Exception):
    """Raised out of the deploy's savepoint to undo what it wrote."""


def _with_deletions(store: SqlStore, tree: PackageTree, outcome: DeployOutcome,
                    phases: dict[str, list[destructive.Deletion]], check_only: bool, user_id: str | None,
                    rollback_on_error: bool, ignore_warnings: bool) -> None:
    """The Pre deletions, the components, the Post deletions, in the caller's savepoint; raises _Undone when
    nothing may stay (checkOnly, or a failure with rollbackOnError)."""
    deleted, failed = destructive.apply(store, phases["pre"], ignore_warnings=ignore_warnings)
    outcome.failures += failed
    _components(store, tree, outcome, check_only, user_id, rollback_on_error)
    if not (outcome.failures and rollback_on_error):
        more, failed = destructive.apply(store, phases["post"], ignore_warnings=ignore_warnings)
        deleted += more
        outcome.failures += failed
    outcome.sound += len(deleted)
    if outcome.failures and rollback_on_error:
        outcome.successes, outcome.committed = [], False
        raise _Undone
    if deleted:
        if not outcome.successes:
            outcome.successes = [DeployMessage("", "package.xml", tree.manifest_file(), changed=True)]
        outcome.successes += deleted
        outcome.committed = True
    if check_only:
        raise _Undone


def _components(store: SqlStore, tree: PackageTree, outcome: DeployOutcome, check_only: bool,
                user_id: str | None, rollback_on_error: bool) -> DeployOutcome:
    state = read_state(store)
    stored = schemas.load_spec(store.session, store.org.org_id)
    counter = iter(range(1, 10_000))
    dropped: list[Component] = []
    while True:
        try:
            package = tree.read()
            spec = merged_spec(stored, package.schema, lambda _o, _n: ids.make_id("012", 0, next(counter)))
            checked = validate_bundle(_bundle(state, package), build(spec))
            break
        except OrgDefinitionError as error:
            outcome.failures.append(_failure(error, tree))
            found = tree.failed(error.file, error.line)
            if not tree.drop(error.file, error.line):
                return outcome  # a problem no component owns (package.xml): nothing can be deployed
            if found is not None:
                dropped.append(found)
    outcome.failures += _missing_members(package, dropped)
    sound = [_success(c, state, package) for c in package.components]
    sound += _schema_successes(package, stored or {})
    outcome.sound = len(sound)
    if outcome.failures and (rollback_on_error or not package.components):
        return outcome
    outcome.successes = [DeployMessage("", "package.xml", tree.manifest_file(), changed=True), *sound]
    outcome.committed = True
    if not check_only:
        _install(store, state, package, checked.rules, user_id)
    return outcome


def _missing_members(package: Package, dropped: list[Component]) -> list[DeployMessage]:
    """A member package.xml names for a type sfmock reads, without its file in the zip (components that
    failed and were taken out are reported once, as their own failure)."""
    have = {(c.type, c.full_name) for c in package.components + dropped}
    # A folder is named among its type's members (package.xml: <members>Andes</members> for email/Andes).
    have |= {("EmailTemplate", c.full_name) for c in package.components if c.type == "EmailFolder"}
    have |= {("CustomField", f"{f.object}.{f.field.name}") for f in package.schema.fields}
    have |= {("RecordType", f"{r.object}.{r.developer_name}") for r in package.schema.record_types}
    gone = {c.full_name for c in dropped if c.type == "CustomObject"}
    out = []
    for kind, members in package.members.items():
        if kind not in {t for t, _ in have} | {"CustomField", "RecordType", "AssignmentRules", "Queue",
                                               "EmailTemplate", "AutoResponseRules", "StandardValueSet"}:
            continue  # types sfmock keeps nothing of are accepted as they come [deliberate]
        for member in members:
            if member == "*" or (kind, member) in have or member.partition(".")[0] in gone:
                continue
            out.append(DeployMessage(kind, member, package.manifest_file(), success=False,
                                     problem=_NOT_FOUND.format(name=member, kind=kind)))
    return out


def _schema_successes(package: Package, spec: dict) -> list[DeployMessage]:
    """A CustomField / RecordType message for each one an object file carries, as Salesforce lists them."""
    fields = {(o, f["name"]) for o, found in spec.get("fields", {}).items() for f in found}
    types = {(o, r["developer_name"]) for o, found in spec.get("record_types", {}).items() for r in found}
    out = []
    for kind, items, known in (
            ("CustomField", [(f.object, f.field.name, f.source) for f in package.schema.fields], fields),
            ("RecordType", [(r.object, r.developer_name, r.source) for r in package.schema.record_types],
             types)):
        for sobject, name, source in items:
            file_name = failure_file(source.error(""), package.top) if source else ""
            created = (sobject, name) not in known
            out.append(DeployMessage(kind, f"{sobject}.{name}", file_name, created=created,
                                     changed=not created))
    return out


def _success(component: Component, state: OrgState, package: Package) -> DeployMessage:
    known = {
        "AssignmentRules": {r.object for r in state.rules if r.kind == "assignment"},
        "AutoResponseRules": {r.object for r in state.rules if r.kind == "auto-response"},
        "Queue": set(state.queue_ids), "EmailTemplate": set(state.template_ids),
        "EmailFolder": {t.folder for t in state.templates},
    }.get(component.type)
    created = known is not None and component.full_name not in known
    return DeployMessage(component.type, component.full_name, component.file_name, created=created,
                         changed=not created)


def _bundle(state: OrgState, package: Package) -> OrgBundle:
    """The org as it would be after the deploy: deployed queues and templates in place of their namesakes,
    and only the deployed rules (the org's own were checked when they were installed)."""
    queues = {q.developer_name: q for q in state.queues} | {q.developer_name: q for q in package.queues}
    templates = {t.reference: t for t in state.templates} | {t.reference: t for t in package.templates}
    return OrgBundle(OrgFileSettings(name="deploy"), list(state.users), list(queues.values()),
                     list(templates.values()), list(package.rules))


def _install(store: SqlStore, state: OrgState, package: Package, rules: list[RuleDef],
             user_id: str | None) -> None:
    w = RowWriter(store)
    w.creator = user_id
    for q in package.queues:
        values = {"Name": q.name, "Email": q.email, "DoesSendEmailToMembers": q.does_send_email_to_members}
        qid = state.queue_ids.get(q.developer_name)
        if qid is None:
            qid = w.add("Group", values | {"DeveloperName": q.developer_name, "Type": "Queue",
                                           "OwnerId": user_id})
            state.queue_ids[q.developer_name] = qid
        else:
            store.update("Group", qid, values)
            for sobject, key in (("GroupMember", "GroupId"), ("QueueSobject", "QueueId")):
                for row in store.find(sobject, {key: qid}):
                    store.purge(sobject, row["Id"])
        for member in q.members:
            w.add("GroupMember", {"GroupId": qid, "UserOrGroupId": state.user_ids[member.lower()]})
        for sobject in q.sobject_types:
            w.add("QueueSobject", {"QueueId": qid, "SobjectType": sobject})
    for t in package.templates:
        values = {"Name": t.name, "Subject": t.subject, "Body": t.body, "TemplateType": t.type,
                  "IsActive": t.available}
        tid = state.template_ids.get(t.reference)
        if tid is None:
            state.template_ids[t.reference] = w.add("EmailTemplate", values | {
                "DeveloperName": t.developer_name, "FolderName": t.folder})
        else:
            store.update("EmailTemplate", tid, values)
    for rule in rules:
        _install_rule(store, w, state, rule)
    if package.schema.fields or package.schema.record_types or package.schema.standard_value_sets:
        labels = {(rt.object, rt.developer_name): rt.label for rt in package.schema.record_types}
        spec = merged_spec(schemas.load_spec(store.session, store.org.org_id), package.schema,
                           lambda sobject, name: w.add("RecordType", {
                               "Name": labels.get((sobject, name), name), "DeveloperName": name,
                               "SobjectType": sobject, "IsActive": True}))
        schemas.save_spec(store.session, store.org.org_id, spec)
    bump_version(store.session, store.org.org_id)


def _install_rule(store: SqlStore, w: RowWriter, state: OrgState, rule: RuleDef) -> None:
    """Upserts one rule by (object, name); an active one deactivates the object's other rules, as Setup does
    (only one assignment / auto-response rule per object can be active)."""
    entries = tuple(dataclasses.replace(
        e, assignee_id=(state.queue_ids.get(e.assigned_to) if e.assigned_to_type == "Queue"
                        else state.user_ids.get((e.assigned_to or "").lower())) if e.assigned_to else None,
        template_id=state.template_ids.get(e.template) if e.template else None) for e in rule.entries)
    org_id = store.org.org_id
    if rule.kind == "auto-response":
        t = auto_response_rules
        mine = (t.c.org_id == org_id) & (t.c.sobject_type == rule.object)
        if rule.active:
            store.session.execute(sa.update(t).where(mine).values(active=False))
        store.session.execute(sa.delete(t).where(mine & (t.c.name == rule.full_name)))
        store.session.execute(sa.insert(t).values(org_id=org_id, sobject_type=rule.object,
                                                  name=rule.full_name,
                                                  active=rule.active, entries=encode_entries(entries)))
        return
    if rule.active:
        for row in store.find("AssignmentRule", {"SobjectType": rule.object, "Active": True}):
            store.update("AssignmentRule", row["Id"], {"Active": False})
    rid = state.rule_ids.get((rule.object, rule.full_name))
    if rid is None:
        rid = w.add("AssignmentRule", {"Name": rule.full_name, "SobjectType": rule.object,
                                       "Active": rule.active})
        state.rule_ids[(rule.object, rule.full_name)] = rid
    else:
        store.update("AssignmentRule", rid, {"Active": rule.active})
    t = assignment_rule_entries
    store.session.execute(sa.delete(t).where(t.c.rule_id == rid))
    for position, entry in enumerate(entries):
        store.session.execute(sa.insert(t).values(org_id=org_id, rule_id=rid, position=position,
                                                  definition=encode_entry(entry)))
