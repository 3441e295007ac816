"""AssignmentRules and AutoResponseRules files (`assignmentRules/Lead.assignmentRules[-meta.xml]`,
`autoResponseRules/Case.autoResponseRules[-meta.xml]`) into RuleDefs.

Element names and cardinalities are the Metadata API v66 WSDL's AssignmentRules / AssignmentRule /
AutoResponseRules / AutoResponseRule / RuleEntry / FilterItem types (shared/reference/metadata-66.wsdl);
Salesforce doc: api_meta meta_assignmentrule.htm, meta_autoresponserules.htm.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree

from sfmock.core.rules.model import CriteriaItem, RuleEntry
from sfmock.orgs.bundle import OrgDefinitionError, RuleDef, Source, error_at
from sfmock.orgs.metadata_xml import MetadataFile

RULE_OBJECTS = ("Lead", "Case")
OPERATIONS = (
    "equals", "notEqual", "lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual",
    "contains", "notContain", "startsWith", "includes", "excludes", "within",
)  # fmt: skip
ASSIGNEE_TYPES = ("User", "Queue")

# folder -> (root element, rule element, the words errors use)
KINDS = {
    "assignmentRules": ("AssignmentRules", "assignmentRule", "assignment"),
    "autoResponseRules": ("AutoResponseRules", "autoResponseRule", "auto-response"),
}
_RULE = frozenset({"fullName", "module", "active", "ruleEntry"})
_FILTER_ITEM = frozenset({"field", "operation", "value", "valueField"})
# Escalation and business hours belong to escalation rules, sender/reply-to to auto-response rules: RuleEntry
# declares them for all three kinds, assignment ignores them.
_IGNORED = frozenset({
    "businessHours", "businessHoursSource", "disableEscalationWhenModified", "escalationAction",
    "escalationStartTime",
})  # fmt: skip
# What each kind of rule may not carry (meta_autoresponserules: an auto-response entry has criteria, template,
# sender and reply-to; meta_assignmentrule: an assignment entry has no sender).
_NOT_IN = {
    "assignment": frozenset({"replyToEmail", "senderEmail", "senderName"}),
    "auto-response": frozenset({"assignedTo", "assignedToType", "team", "overrideExistingTeams"}),
}
_ENTRY = frozenset({
    "assignedTo", "assignedToType", "booleanFilter", "criteriaItems", "formula", "notifyCcRecipients",
    "overrideExistingTeams", "team", "template", "replyToEmail", "senderEmail", "senderName",
}) | _IGNORED  # fmt: skip
_REPEATABLE = frozenset({"criteriaItems", "team", "escalationAction"})


def rules_object(path: Path, folder: str = "assignmentRules") -> str | None:
    """The object a rules file is for: Lead for Lead.assignmentRules(-meta.xml) (or .autoResponseRules in the
    autoResponseRules folder); None for other files."""
    for suffix in (f".{folder}-meta.xml", f".{folder}"):
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return None


def read_rules(path: Path, rel: str, folder: str = "assignmentRules") -> list[RuleDef]:
    root_name, rule_name, kind = KINDS[folder]
    sobject = rules_object(path, folder)
    if sobject not in RULE_OBJECTS:
        raise OrgDefinitionError(
            f"{kind} rules for {sobject!r} are not supported: the file must be named Lead or Case", rel
        )
    doc = MetadataFile(path, rel, root_name)
    rules: list[RuleDef] = []
    container = frozenset({"fullName", "module", rule_name})
    for name, el in doc.children(doc.root, container, f"<{root_name}>"):
        if name == rule_name:
            rules.append(_rule(doc, el, sobject, kind))
    seen: dict[str, RuleDef] = {}
    active: RuleDef | None = None
    for rule in rules:
        if rule.full_name in seen:
            first_source = seen[rule.full_name].source
            first = first_source.line if first_source else None
            raise error_at(rule.source,
                f"a second {sobject} rule named {rule.full_name!r} (first at line {first})"
            )
        seen[rule.full_name] = rule
        # Help "Set Up Assignment Rules" / "Set Up Auto-Response Rules": one active rule per object.
        if rule.active:
            if active is not None:
                raise error_at(rule.source,
                    f"{sobject} rules {active.full_name!r} (line "
                    f"{active.source.line if active.source else None}) and "
                    f"{rule.full_name!r} are both active; only one {sobject} {kind} rule can be active"
                )
            active = rule
    return rules


def _rule(doc: MetadataFile, el: etree._Element, sobject: str, kind: str) -> RuleDef:
    seen: dict[str, etree._Element] = {}
    full_name, active = None, False
    entries: list[RuleEntry] = []
    sources: list[Source] = []
    rule_name = "assignmentRule" if kind == "assignment" else "autoResponseRule"
    for name, child in doc.children(el, _RULE, f"<{rule_name}>"):
        if name == "ruleEntry":
            entries.append(_entry(doc, child, sobject, len(entries) + 1, kind))
            sources.append(doc.at(child))
            continue
        doc.once(seen, name, child)
        if name == "fullName":
            full_name = doc.text(child)
        elif name == "active":
            active = doc.boolean(child)
    if not full_name:
        raise doc.error(el, f"<{rule_name}> has no <fullName>")
    return RuleDef(sobject, full_name, active, tuple(entries), doc.at(el), tuple(sources), kind)


def _entry(doc: MetadataFile, el: etree._Element, sobject: str, order: int, kind: str) -> RuleEntry:
    seen: dict[str, etree._Element] = {}
    values: dict[str, Any] = {}
    criteria: list[CriteriaItem] = []
    teams: list[str] = []
    for name, child in doc.children(el, _ENTRY, "<ruleEntry>"):
        if name not in _REPEATABLE:
            doc.once(seen, name, child)
        if name in _IGNORED:
            continue
        if name in _NOT_IN[kind]:
            raise doc.error(child, f"<{name}> is not allowed in {kind} rule entries")
        if name == "criteriaItems":
            criteria.append(_criteria_item(doc, child))
        elif name == "team":
            if sobject != "Case":
                raise doc.error(child, "<team> (predefined case teams) is only allowed in Case rules")
            teams.append(doc.text(child))
        elif name == "assignedToType":
            values[name] = doc.enum(child, ASSIGNEE_TYPES)
        elif name in ("notifyCcRecipients", "overrideExistingTeams"):
            values[name] = doc.boolean(child)
        else:
            values[name] = doc.text(child) or None
    if "formula" in seen and values.get("formula") is None:
        raise doc.error(seen["formula"], "<formula> is empty")
    # Salesforce: "Specify either formula or criteriaItems, but not both fields" (meta_assignmentrule).
    if criteria and "formula" in seen:
        raise doc.error(el, "<ruleEntry> has both <formula> and <criteriaItems>; specify one or the other")
    if values.get("assignedTo") and not values.get("assignedToType"):
        raise doc.error(
            el, f"<assignedTo>{values['assignedTo']}</assignedTo> needs an <assignedToType> (User or Queue)"
        )
    if values.get("assignedToType") and not values.get("assignedTo"):
        raise doc.error(seen["assignedToType"], "<assignedToType> without <assignedTo>")
    return RuleEntry(
        order=order,
        criteria=tuple(criteria),
        boolean_filter=values.get("booleanFilter"),
        formula=values.get("formula"),
        assigned_to=values.get("assignedTo"),
        assigned_to_type=values.get("assignedToType"),
        template=values.get("template"),
        team=tuple(teams),
        override_existing_teams=bool(values.get("overrideExistingTeams", False)),
        notify_cc_recipients=bool(values.get("notifyCcRecipients", False)),
        sender_name=values.get("senderName"),
        sender_email=values.get("senderEmail"),
        reply_to_email=values.get("replyToEmail"),
    )


def _criteria_item(doc: MetadataFile, el: etree._Element) -> CriteriaItem:
    seen: dict[str, etree._Element] = {}
    values: dict[str, str] = {}
    for name, child in doc.children(el, _FILTER_ITEM, "<criteriaItems>"):
        doc.once(seen, name, child)
        values[name] = doc.enum(child, OPERATIONS) if name == "operation" else doc.text(child)
    for required in ("field", "operation"):
        if not values.get(required):
            raise doc.error(el, f"<criteriaItems> has no <{required}>")
    # An absent or empty <value> means "blank" (equals + no value = the field is blank).
    return CriteriaItem(
        values["field"], values["operation"], values.get("value") or None, values.get("valueField") or None
    )
