"""A deploy's destructive changes (Metadata API Developer Guide, "Deleting Components from an
Organization"): `destructiveChanges.xml`, `destructiveChangesPre.xml` and `destructiveChangesPost.xml` beside
package.xml, in package.xml's format, list components to delete. "By default, deletions are processed before
component additions"; the Pre manifest's before, the Post manifest's after them (API 33.0 and later).

Each member is deleted as deleteMetadata deletes it (app/orgs/component_delete.py). One the org does not
have is a warning, "No CustomField named: Lead.X__c found" (the text destructive deploys report), and "the
items that do exist are deleted": DeployOptions.ignoreWarnings true makes a warning's message a success,
false makes it fail the component like an error (DeployOptions, ignoreWarnings). A refused deletion (a record
type, a field a rule uses) is the component's error.
"""
from __future__ import annotations

from sfmock.orgs import component_delete
from sfmock.orgs.bundle import OrgDefinitionError
from sfmock.orgs.deploy_outcome import DeployMessage
from sfmock.orgs.package import PackageTree, manifest_members
from sfmock.persistence.org_cache import bump_version
from sfmock.persistence.store import SqlStore

# Manifest -> phase ("pre": before the additions, "post": after them).
MANIFESTS = {"destructiveChangesPre.xml": "pre", "destructiveChanges.xml": "pre",
             "destructiveChangesPost.xml": "post"}
Deletion = tuple[str, str, str]  # (manifest file as reported, type, member)


def manifests(tree: PackageTree) -> tuple[dict[str, list[Deletion]], list[OrgDefinitionError]]:
    """The deletions each phase asks for, and the manifests that could not be read."""
    phases: dict[str, list[Deletion]] = {"pre": [], "post": []}
    problems = []
    for name, phase in MANIFESTS.items():
        path = tree.base / name
        if not path.is_file():
            continue
        try:
            members = manifest_members(path, name)
        except OrgDefinitionError as error:
            problems.append(error)
            continue
        reported = f"{tree.top}/{name}" if tree.top else name
        phases[phase] += [(reported, kind, member) for kind, names in members.items() for member in names]
    return phases, problems


def apply(store: SqlStore, deletions: list[Deletion], *, ignore_warnings: bool) \
        -> tuple[list[DeployMessage], list[DeployMessage]]:
    """Deletes each member: (the deleted and warned-but-ignored messages, the failures)."""
    done: list[DeployMessage] = []
    failed: list[DeployMessage] = []
    for file_name, kind, member in deletions:
        refused = component_delete.delete(store, kind, member)
        if refused is None:
            done.append(DeployMessage(kind, member, file_name, deleted=True))
        elif refused[0] == "INVALID_CROSS_REFERENCE_KEY":
            warning = DeployMessage(kind, member, file_name, success=ignore_warnings,
                                    problem=f"No {kind} named: {member} found", problem_type="Warning")
            (done if ignore_warnings else failed).append(warning)
        else:
            failed.append(DeployMessage(kind, member, file_name, success=False, problem=refused[1]))
    if any(m.deleted for m in done):
        bump_version(store.session, store.org.org_id)
    return done, failed
