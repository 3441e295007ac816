"""Predefined case teams in `sfmock-org.toml` (data, not metadata: no Metadata API type exists for them,
salesforce-rules-mail-web.md §5)::

    [[case_team_roles]]                      # CaseTeamRole
    name = "Escalation Manager"              # required
    access_level = "Edit"                    # "None" | "Read" | "Edit" (default "Read")

    [[case_teams]]                           # CaseTeamTemplate, named by rule entries' <team>
    name = "Printer Squad"                   # required
    description = "Everyone who fixes printers"
    [[case_teams.members]]                   # CaseTeamTemplateMember
    user = "samir@initech.example"           # a username from [[users]]
    role = "Escalation Manager"              # a [[case_team_roles]] name
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from sfmock.orgs.bundle import CaseTeamDef, CaseTeamRoleDef, OrgDefinitionError, Source, error_at
from sfmock.orgs.settings_toml import FILE_NAME, _array, _Lines, _table

ACCESS_LEVELS = ("None", "Read", "Edit")
_ROLE = {"name": (str, True), "access_level": (str, False)}
_TEAM = {"name": (str, True), "description": (str, False), "members": (list, False)}
_MEMBER = {"user": (str, True), "role": (str, True)}


def read_case_teams(path: Path, rel: str = FILE_NAME) -> tuple[list[CaseTeamRoleDef], list[CaseTeamDef]]:
    """The file was read and checked by read_settings first; here only the two case-team tables."""
    text = path.read_bytes().decode("utf-8")
    data = tomllib.loads(text)
    lines = _Lines(text)
    roles = []
    for index, spec in enumerate(_array(data, "case_team_roles", rel)):
        table = _table({"case_team_roles": spec}, "case_team_roles", _ROLE, rel, lines, index)
        level = table.get("access_level", "Read")
        source = Source(rel, lines.table("case_team_roles", index))
        if level not in ACCESS_LEVELS:
            raise source.error(f"access_level of case team role {table['name']!r} must be None, Read or Edit")
        roles.append(CaseTeamRoleDef(table["name"], level, source))
    teams = []
    for index, spec in enumerate(_array(data, "case_teams", rel)):
        members_spec = spec.get("members", [])
        table = _table({"case_teams": {k: v for k, v in spec.items() if k != "members"}}, "case_teams", _TEAM,
                       rel,
                       lines, index)
        source = Source(rel, lines.table("case_teams", index))
        if not isinstance(members_spec, list) or not all(isinstance(m, dict) for m in members_spec):
            raise source.error(f"members of case team {table['name']!r} must be [[case_teams.members]] "
                               f"tables")
        members = []
        for member in members_spec:
            unknown = set(member) - set(_MEMBER)
            missing = [k for k in _MEMBER if not isinstance(member.get(k), str) or not member.get(k)]
            if unknown or missing:
                raise source.error(f"each member of case team {table['name']!r} needs user and role "
                                   f"(strings)")
            members.append((member["user"], member["role"]))
        teams.append(CaseTeamDef(table["name"], table.get("description"), tuple(members), source))
    return roles, teams


def check_unique(roles: list[CaseTeamRoleDef], teams: list[CaseTeamDef]) -> None:
    for kind, items in (("case team role", roles), ("case team", teams)):
        seen: set[str] = set()
        for item in items:
            if item.name in seen:
                raise error_at(item.source, f"{kind} {item.name!r} is defined twice")
            seen.add(item.name)


__all__ = ["OrgDefinitionError", "check_unique", "read_case_teams"]
