"""Running an assignment rule: validating its entries and finding the first entry a record matches."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from sfmock.core.formula import Formula, FormulaContext, FormulaError, compile_formula
from sfmock.core.rules import boolean_filter
from sfmock.core.rules.criteria import check_item, matches
from sfmock.core.rules.model import AssignmentRule, RuleDefinitionError, RuleEntry
from sfmock.core.schema.model import SObjectDef

ASSIGNEE_TYPES = ("User", "Queue")


@lru_cache(maxsize=1024)
def _parsed(text: str, item_count: int) -> boolean_filter.Expr:
    # Rules are evaluated for every saved record; the filter text of an entry never changes once loaded.
    return boolean_filter.parse(text, item_count)


@lru_cache(maxsize=1024)
def compiled(text: str, sobject: SObjectDef, prior_allowed: bool = True) -> Formula:
    """The checked formula of an entry; ISNEW/ISCHANGED/PRIORVALUE only where the rule kind allows them.
    `sobject` is the org's own object (its custom fields included); parent objects are looked up through the
    formula's schema port (sfmock.core.formula.fields)."""
    return compile_formula(text, sobject, prior_allowed=prior_allowed)


def _has_filter(entry: RuleEntry) -> bool:
    # An empty <booleanFilter/> in a file means no filter logic: the items are ANDed.
    return entry.boolean_filter is not None and entry.boolean_filter.strip() != ""


def _where(entry: RuleEntry, rule: AssignmentRule) -> str:
    return f"entry {entry.order} of rule {rule.name}"


def _validate_entry(entry: RuleEntry, rule: AssignmentRule, sobject: SObjectDef, prior_allowed: bool) -> None:
    where = _where(entry, rule)
    if entry.formula is not None and entry.criteria:
        # Metadata API (RuleEntry): "Specify either formula or criteriaItems, but not both".
        raise RuleDefinitionError(f"an entry has either a formula or criteria items, not both ({where})")
    if entry.formula is not None:
        try:
            compiled(entry.formula, sobject, prior_allowed)
        except FormulaError as exc:
            raise RuleDefinitionError(f"{exc} ({where})") from None
    if _has_filter(entry) and not entry.criteria:
        raise RuleDefinitionError(f"filter logic without criteria items ({where})")
    for number, item in enumerate(entry.criteria, start=1):
        try:
            check_item(item, sobject)
        except RuleDefinitionError as exc:
            raise RuleDefinitionError(f"{exc} (criteria item {number}, {where})") from None
    if _has_filter(entry):
        try:
            _parsed(entry.boolean_filter or "", len(entry.criteria))
        except RuleDefinitionError as exc:
            raise RuleDefinitionError(f"{exc} (filter logic '{entry.boolean_filter}', {where})") from None
    # An entry without assignedTo is "Do Not Reassign Owner" (salesforce-rules-mail-web.md §4).
    if entry.assigned_to is not None:
        if entry.assigned_to_type not in ASSIGNEE_TYPES:
            raise RuleDefinitionError(f"assignedToType must be User or Queue, not {entry.assigned_to_type!r} "
                                      f"({where})")
        if not entry.assignee_id:
            raise RuleDefinitionError(f"assignee {entry.assigned_to!r} was not resolved to an id ({where})")


def validate_rule(rule: AssignmentRule, sobject: SObjectDef, *, prior_allowed: bool = True) -> None:
    """Raises RuleDefinitionError, naming the entry, unless every entry of `rule` can run on `sobject`.
    `prior_allowed`: ISNEW/ISCHANGED/PRIORVALUE are allowed (assignment rules) or not (auto-response
    rules)."""
    if rule.sobject_type.lower() != sobject.name.lower():
        raise RuleDefinitionError(f"rule {rule.name} is for {rule.sobject_type}, not {sobject.name}")
    for entry in rule.entries:
        _validate_entry(entry, rule, sobject, prior_allowed)


def entry_matches(entry: RuleEntry, record: dict[str, Any], sobject: SObjectDef,
                  context: FormulaContext | None = None) -> bool:
    """Whether `record` meets the entry: a formula that is TRUE; no criteria = everything; no filter logic =
    all items (AND)."""
    if entry.formula is not None:
        return compiled(entry.formula, sobject).matches(context or FormulaContext(record))
    if not entry.criteria:
        return True
    results = [matches(item, record, sobject) for item in entry.criteria]
    if _has_filter(entry):
        return _parsed(entry.boolean_filter or "", len(results)).evaluate(results)
    return all(results)


def first_match(rule: AssignmentRule, record: dict[str, Any], sobject: SObjectDef,
                context: FormulaContext | None = None) -> RuleEntry | None:
    """The first entry, by `order`, that `record` matches (Help "Set Up Assignment Rules": evaluation stops
    there), or None. The entry may have no assignee: "Do Not Reassign Owner" keeps the current owner."""
    for entry in sorted(rule.entries, key=lambda e: e.order):
        if entry_matches(entry, record, sobject, context):
            return entry
    return None
