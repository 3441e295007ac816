"""Loading an org definition: Salesforce metadata files found below a folder, plus its sfmock-org.toml.

The metadata may be in SFDX source format
(`force-app/main/default/assignmentRules/Lead.assignmentRules-meta.xml`, `.../queues/X.queue-meta.xml`,
`.../email/<folder>/<Dev>.email` + `<Dev>.email-meta.xml`) or in Metadata API format
(`src/assignmentRules/Lead.assignmentRules`, `src/queues/X.queue`, the same email files), anywhere below the
folder: every directory named assignmentRules, queues or email is read (hidden directories and
node_modules are skipped), wherever sfdx-project.json's packageDirectories point. `sfmock-org.toml` sits at
the folder's root; its format is documented in app/orgs/settings_toml.py.

    load_org_folder(path) -> OrgBundle      # read + validate_bundle; raises OrgDefinitionError
    load_org_zip(data) -> OrgBundle         # the same from a zip archive (app/orgs/archive.py)
    read_org_folder(path) -> OrgBundle      # read only: each file on its own, no cross-references checked
    validate_bundle(bundle) -> OrgBundle    # cross-references + the rules engine; templates normalised
"""

from __future__ import annotations

import os
from pathlib import Path

from sfmock.orgs.bundle import OrgBundle, OrgDefinitionError, QueueDef, RuleDef, Source, TemplateDef
from sfmock.orgs.case_teams_toml import read_case_teams
from sfmock.orgs.objects import SchemaFiles, read_schema
from sfmock.orgs.queues_xml import queue_name, read_queue
from sfmock.orgs.references import validate_bundle
from sfmock.orgs.rules_xml import KINDS, read_rules, rules_object
from sfmock.orgs.settings_toml import FILE_NAME, read_settings
from sfmock.orgs.templates_xml import BODY_SUFFIX, META_SUFFIX, read_template

__all__ = ["OrgDefinitionError", "load_org_folder", "load_org_zip", "read_org_folder", "validate_bundle"]

_SKIPPED_DIRS = {"node_modules", "__pycache__"}
_METADATA_DIRS = ("assignmentRules", "autoResponseRules", "queues", "email", "objects", "standardValueSets",
                  "globalValueSets")


def load_org_folder(path: str | os.PathLike[str]) -> OrgBundle:
    """The org defined in `path`, checked; an OrgDefinitionError (and no bundle) when anything is wrong."""
    return validate_bundle(read_org_folder(path))


def load_org_zip(data: bytes) -> OrgBundle:
    from sfmock.orgs.archive import load_org_zip as load

    return load(data)


def read_org_folder(path: str | os.PathLike[str]) -> OrgBundle:
    root = Path(path)
    if not root.is_dir():
        raise OrgDefinitionError(f"org folder {str(root)!r} does not exist or is no directory")
    toml = root / FILE_NAME
    if not toml.is_file():
        raise OrgDefinitionError(f"no {FILE_NAME} at the root of the org folder", FILE_NAME)
    settings, users, apps = read_settings(toml)
    roles, teams = read_case_teams(toml)
    rules, queues, templates, schema_files = read_components(root)
    return OrgBundle(settings, users, queues, templates, rules, apps, schema_files, roles, teams)


def read_components(root: Path) -> tuple[list[RuleDef], list[QueueDef], list[TemplateDef], SchemaFiles]:
    """The metadata files below `root` (no sfmock-org.toml): what an org folder and a Metadata API deploy
    (app/orgs/deploy.py) both hold. Source paths are relative to `root`."""
    found = _metadata_dirs(root)
    rules = _read_rules(root, found["assignmentRules"]) + _read_rules(root, found["autoResponseRules"],
                                                                      "autoResponseRules")
    return rules, _read_queues(root, found["queues"]), _read_templates(root, found["email"]), \
        read_schema(root, found)


def _file(source: Source | None) -> str | None:
    return source.file if source is not None else None


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _metadata_dirs(root: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {name: [] for name in _METADATA_DIRS}
    for current, dirs, _ in os.walk(root):  # symlinked directories are not followed
        keep = []
        for name in sorted(dirs):
            if name.startswith(".") or name in _SKIPPED_DIRS:
                continue
            if name in found:
                found[name].append(Path(current) / name)
            else:
                keep.append(name)
        dirs[:] = keep
    return found


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


def _unexpected(root: Path, path: Path, expected: str) -> OrgDefinitionError:
    return OrgDefinitionError(
        f"unexpected file in {path.parent.name}/: expected {expected}", _rel(root, path)
    )


def _read_rules(root: Path, dirs: list[Path], folder: str = "assignmentRules") -> list[RuleDef]:
    rules: list[RuleDef] = []
    files: dict[str, str] = {}
    for directory in dirs:
        for path in _files(directory):
            sobject = rules_object(path, folder)
            if sobject is None:
                raise _unexpected(root, path, f"<Object>.{folder} or <Object>.{folder}-meta.xml")
            rel = _rel(root, path)
            if sobject in files:
                kind = KINDS[folder][2]
                raise OrgDefinitionError(f"{sobject} {kind} rules are defined twice, also in "
                                         f"{files[sobject]}", rel)
            files[sobject] = rel
            rules.extend(read_rules(path, rel, folder))
    return rules


def _read_queues(root: Path, dirs: list[Path]) -> list[QueueDef]:
    queues: dict[str, QueueDef] = {}
    for directory in dirs:
        for path in _files(directory):
            name = queue_name(path)
            if name is None:
                raise _unexpected(root, path, "<DeveloperName>.queue or <DeveloperName>.queue-meta.xml")
            rel = _rel(root, path)
            if name in queues:
                raise OrgDefinitionError(
                    f"queue {name} is defined twice, also in {_file(queues[name].source)}", rel
                )
            queues[name] = read_queue(path, rel)
    return list(queues.values())


def _read_templates(root: Path, dirs: list[Path]) -> list[TemplateDef]:
    templates: dict[str, TemplateDef] = {}
    for directory in dirs:
        # Files directly in email/ define folders (X.emailFolder-meta.xml, X-meta.xml): nothing to read.
        for folder in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")):
            files = _files(folder)
            names = {p.name for p in files}
            for path in files:
                if path.name.endswith(META_SUFFIX):
                    body = path.with_name(path.name[: -len(META_SUFFIX)] + BODY_SUFFIX)
                    if body.name not in names:
                        raise OrgDefinitionError(
                            f"email template has no body file {body.name}", _rel(root, path)
                        )
                    template = read_template(path, _rel(root, path), body, _rel(root, body))
                    if template.reference in templates:
                        first = _file(templates[template.reference].source)
                        raise OrgDefinitionError(
                            f"email template {template.reference} is defined twice, also in {first}",
                            _rel(root, path),
                        )
                    templates[template.reference] = template
                elif path.name.endswith(BODY_SUFFIX):
                    if path.name + "-meta.xml" not in names:
                        raise OrgDefinitionError(
                            f"email template body has no {path.name}-meta.xml", _rel(root, path)
                        )
                else:
                    raise _unexpected(root, path, "<DevName>.email and <DevName>.email-meta.xml")
    return list(templates.values())
