"""An assignment-rule entry's criteria as Setup shows them, and what a routing decided, in words: the console
shows it and the journal records it at the moment the rule ran (the rule may change afterwards)."""
from __future__ import annotations

from typing import Any

from sfmock.core.rules.model import RuleEntry


def criteria_text(entry: RuleEntry) -> str:
    """Numbered criteria items and the filter logic (AND when none), or the formula."""
    if entry.formula is not None:
        return f"formula: {entry.formula}"
    if not entry.criteria:
        return "no criteria (every record)"
    items = [f"({n}) {c.field} {c.operation} {c.value_field or c.value or ''}".rstrip()
             for n, c in enumerate(entry.criteria, start=1)]
    logic = entry.boolean_filter.strip() if entry.boolean_filter and entry.boolean_filter.strip() else \
        " AND ".join(str(n) for n in range(1, len(items) + 1))
    return f"{'; '.join(items)} — logic: {logic}"


def decision(routing: Any) -> dict[str, Any] | None:
    """What a rule run decided for one record (sfmock.core.assignment.Routing), as plain JSON: the rule, the
    entry that matched (None: no entry matched, the Default Owner), why, and the owner it named."""
    if routing is None:
        return None
    entry: RuleEntry | None = routing.entry
    if entry is None:
        why = "no entry matched: Default Owner" if routing.rule_name else "no active rule: Default Owner"
    else:
        why = criteria_text(entry)
    return {"rule": routing.rule_name, "rule_id": routing.rule_id, "entry": entry.order if entry else None,
            "why": why, "assignee_id": routing.owner_id, "template": entry.template if entry else None}
