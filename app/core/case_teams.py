"""Predefined case teams that a matched Case assignment rule entry names in `<team>`.

Metadata API RuleEntry (meta_assignmentrule): `team` names predefined case teams (CaseTeamTemplate.Name);
`overrideExistingTeams` true resets the case team when the assignment is made, false adds the teams without
replacing the previous ones. Each team is linked by a CaseTeamTemplateRecord (Object Reference: "create one
with ParentId = case, TeamTemplateId = team") and its members appear as CaseTeamMember rows carrying
TeamTemplateId / TeamTemplateMemberId (salesforce-rules-mail-web.md §5).
"""
from __future__ import annotations

from typing import Any

from sfmock.core.ports import Store
from sfmock.core.schema import registry

_RECORD = registry.require("CaseTeamTemplateRecord")
_MEMBER = registry.require("CaseTeamMember")


def _insert(store: Store, sobject: str, prefix: str, values: dict[str, Any], stamp: dict[str, Any]) -> None:
    store.insert(sobject, {"Id": store.new_ids(prefix)[0], "IsDeleted": False, **stamp, **values})


def apply_teams(store: Store, case_id: str, teams: tuple[str, ...], override: bool,
                stamp: dict[str, Any]) -> None:
    """Adds the named teams to the case; with `override`, the case's existing team is removed first."""
    if not teams:
        return
    if override:
        for sobject in ("CaseTeamTemplateRecord", "CaseTeamMember"):
            for row in store.find(sobject, {"ParentId": case_id}):
                store.update(sobject, row["Id"], {"IsDeleted": True})
    linked = {r["TeamTemplateId"] for r in store.find("CaseTeamTemplateRecord", {"ParentId": case_id})}
    members = {r["MemberId"] for r in store.find("CaseTeamMember", {"ParentId": case_id})}
    for name in teams:
        for template in store.find("CaseTeamTemplate", {"Name": name}):
            if template["Id"] in linked:
                continue
            linked.add(template["Id"])
            _insert(store, "CaseTeamTemplateRecord", _RECORD.key_prefix,
                    {"ParentId": case_id, "TeamTemplateId": template["Id"]}, stamp)
            for member in store.find("CaseTeamTemplateMember", {"TeamTemplateId": template["Id"]}):
                if member["MemberId"] in members:
                    continue  # a person is on a case team once
                members.add(member["MemberId"])
                _insert(store, "CaseTeamMember", _MEMBER.key_prefix, {
                    "ParentId": case_id, "MemberId": member["MemberId"], "TeamRoleId": member["TeamRoleId"],
                    "TeamTemplateId": template["Id"], "TeamTemplateMemberId": member["Id"]}, stamp)
