"""The plain arguments a door passes to the record service: which rule to run, whether to notify."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Assignment:
    """none: no rule runs; active: the object's active rule; rule: the rule with `rule_id`, active or not."""

    mode: Literal["none", "active", "rule"] = "none"
    rule_id: str | None = None
    # With no active rule at all, a Case still goes to the Default Case Owner (the REST door asks for this on
    # create, KB 000395506); without it the owner is left unchanged (API >= 30.0, Apex DmlOptions doc).
    default_owner_without_rule: bool = False
    # Which objects `default_owner_without_rule` covers: REST's quirk is Case-only; web forms (Web-to-Lead FAQ
    # "Who owns new web-generated leads?") give Leads the Default Lead Owner too.
    default_owner_objects: frozenset[str] = frozenset({"Case"})

    @classmethod
    def by_rule(cls, rule_id: str) -> Assignment:
        return cls("rule", rule_id)


NO_ASSIGNMENT = Assignment("none")
ACTIVE_RULE = Assignment("active")
ACTIVE_RULE_OR_DEFAULT_OWNER = Assignment("active", default_owner_without_rule=True)
# Web-to-Lead, Web-to-Case and Email-to-Case run the active rule; with none, the default owner takes the
# record.
WEB_FORM = Assignment("active", default_owner_without_rule=True,
                      default_owner_objects=frozenset({"Lead", "Case"}))
