"""Assignment rules as the Metadata API's AssignmentRules type describes them (RuleEntry, FilterItem)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CriteriaItem:
    """FilterItem: `field` is an API name on the rule's object ("Country"; "Lead.Country" is accepted)."""

    field: str
    operation: str
    value: str | None = None
    value_field: str | None = None


@dataclass(frozen=True)
class RuleEntry:
    order: int
    criteria: tuple[CriteriaItem, ...] = ()
    boolean_filter: str | None = None
    formula: str | None = None
    # As in metadata: a username (User) or a queue DeveloperName (Queue); None = "Do Not Reassign Owner".
    assigned_to: str | None = None
    assigned_to_type: str | None = None
    # The 18-char Id of the User or Group that assigned_to names, resolved when the rule is loaded.
    assignee_id: str | None = None
    # As in metadata, "folder/DeveloperName"; template_id resolved when the rule is loaded.
    template: str | None = None
    template_id: str | None = None
    team: tuple[str, ...] = ()
    override_existing_teams: bool = False
    notify_cc_recipients: bool = False
    # Auto-response entries only (meta_autoresponserules): who the mail is from and where replies go.
    sender_name: str | None = None
    sender_email: str | None = None
    reply_to_email: str | None = None


@dataclass(frozen=True)
class AssignmentRule:
    id: str
    name: str
    sobject_type: str
    active: bool
    entries: tuple[RuleEntry, ...] = field(default_factory=tuple)


class RuleDefinitionError(ValueError):
    """A rule that cannot be saved (bad booleanFilter, unknown field, unsupported formula...)."""
