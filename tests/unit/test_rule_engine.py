"""Validating assignment rules and finding the first matching entry (app/core/rules/engine.py)."""
from __future__ import annotations

import pytest

from sfmock.core import ids
from sfmock.core.rules import boolean_filter, engine
from sfmock.core.rules.boolean_filter import MIXED_AND_OR, UNREFERENCED
from sfmock.core.rules.engine import first_match, validate_rule
from sfmock.core.rules.model import AssignmentRule, CriteriaItem, RuleDefinitionError, RuleEntry
from sfmock.core.schema import registry

LEAD = registry.get("Lead")
CASE = registry.get("Case")
assert LEAD is not None and CASE is not None
ALICE = ids.make_id("005", 1, 10)
QUEUE = ids.make_id("00G", 1, 20)

US = CriteriaItem("Country", "equals", "US,USA")
HOT = CriteriaItem("Rating", "equals", "Hot")
WEB = CriteriaItem("LeadSource", "equals", "Web")


def to_user(order: int, *criteria: CriteriaItem, boolean_filter: str | None = None) -> RuleEntry:
    return RuleEntry(order=order, criteria=criteria, boolean_filter=boolean_filter,
                     assigned_to="alice@example.com", assigned_to_type="User", assignee_id=ALICE)


def to_queue(order: int, *criteria: CriteriaItem, boolean_filter: str | None = None) -> RuleEntry:
    return RuleEntry(order=order, criteria=criteria, boolean_filter=boolean_filter,
                     assigned_to="Sales_Queue", assigned_to_type="Queue", assignee_id=QUEUE)


def rule(*entries: RuleEntry, sobject: str = "Lead") -> AssignmentRule:
    return AssignmentRule(id=ids.make_id("01Q", 1, 1), name="Standard", sobject_type=sobject, active=True,
                          entries=entries)


@pytest.mark.parametrize(
    ("entries", "record", "expected_order"),
    [
        # first match wins, later entries are not consulted
        ((to_user(1, US), to_queue(2)), {"Country": "usa"}, 1),
        ((to_user(1, US), to_queue(2)), {"Country": "France"}, 2),
        ((to_user(1, US), to_queue(2, US)), {"Country": "US"}, 1),
        # entries run by `order`, not by their position in the tuple
        ((to_queue(2), to_user(1, US)), {"Country": "US"}, 1),
        ((to_queue(2), to_user(1, US)), {"Country": "FR"}, 2),
        # nothing matches
        ((to_user(1, US), to_queue(2, HOT)), {"Country": "FR", "Rating": "Cold"}, None),
        ((), {"Country": "US"}, None),
        # criteria without filter logic are ANDed
        ((to_user(1, US, HOT),), {"Country": "US", "Rating": "Hot"}, 1),
        ((to_user(1, US, HOT),), {"Country": "US", "Rating": "Cold"}, None),
        # filter logic
        ((to_user(1, US, HOT, boolean_filter="1 OR 2"),), {"Country": "FR", "Rating": "Hot"}, 1),
        ((to_user(1, US, HOT, WEB, boolean_filter="1 AND (2 OR 3)"),),
         {"Country": "US", "Rating": "Cold", "LeadSource": "Web"}, 1),
        ((to_user(1, US, HOT, WEB, boolean_filter="1 AND (2 OR 3)"),),
         {"Country": "FR", "Rating": "Hot", "LeadSource": "Web"}, None),
        ((to_user(1, US, HOT, boolean_filter="1 AND NOT 2"),), {"Country": "US", "Rating": "Hot"}, None),
        ((to_user(1, US, HOT, boolean_filter="1 AND NOT 2"),), {"Country": "US"}, 1),
        # an empty <booleanFilter/> means no logic: AND
        ((to_user(1, US, HOT, boolean_filter=" "),), {"Country": "US", "Rating": "Cold"}, None),
        # a catch-all entry matches an empty record
        ((to_queue(1),), {}, 1),
    ],
)
def test_first_match(entries: tuple[RuleEntry, ...], record: dict, expected_order: int | None) -> None:
    the_rule = rule(*entries)
    validate_rule(the_rule, LEAD)
    found = first_match(the_rule, record, LEAD)
    assert (found.order if found else None) == expected_order


def test_the_matching_entry_itself_is_returned() -> None:
    user_entry, queue_entry = to_user(1, US), to_queue(2)
    the_rule = rule(user_entry, queue_entry)
    assert first_match(the_rule, {"Country": "US"}, LEAD) is user_entry
    assert first_match(the_rule, {"Country": "FR"}, LEAD) is queue_entry


def test_do_not_reassign_entry_is_returned_as_the_match() -> None:
    keep_owner = RuleEntry(order=1, criteria=(HOT,))  # no assignedTo: "Do Not Reassign Owner"
    the_rule = rule(keep_owner, to_queue(2))
    validate_rule(the_rule, LEAD)
    found = first_match(the_rule, {"Rating": "Hot"}, LEAD)
    assert found is keep_owner
    assert found.assigned_to is None and found.assignee_id is None
    assert first_match(the_rule, {"Rating": "Cold"}, LEAD).order == 2


def test_a_case_rule_runs_on_case() -> None:
    high = CriteriaItem("Case.Priority", "equals", "High")
    the_rule = rule(to_queue(1, high), to_user(2), sobject="Case")
    validate_rule(the_rule, CASE)
    assert first_match(the_rule, {"Priority": "High"}, CASE).order == 1
    assert first_match(the_rule, {"Priority": "Low"}, CASE).order == 2


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ((to_user(1), RuleEntry(order=2, formula="Country = 1", assigned_to="Sales_Queue",
                                assigned_to_type="Queue", assignee_id=QUEUE)),
         "Incorrect parameter type for operator '='. Expected Text, received Number "
         "(formula line 1, column 9) (entry 2 of rule Standard)"),
        ((RuleEntry(order=1, formula="Cuntry = 'US'"),),
         "Field Cuntry does not exist. Check spelling. (formula line 1, column 1) "
         "(entry 1 of rule Standard)"),
        ((RuleEntry(order=1, criteria=(US,), formula="Country = 'US'"),),
         "an entry has either a formula or criteria items, not both (entry 1 of rule Standard)"),
        ((to_user(1, US, HOT, WEB, boolean_filter="1 AND 2 OR 3"),),
         f"{MIXED_AND_OR} (filter logic '1 AND 2 OR 3', entry 1 of rule Standard)"),
        ((to_user(1, US, HOT, WEB, boolean_filter="1 AND 2"),),
         f"{UNREFERENCED} (not referenced: 3) (filter logic '1 AND 2', entry 1 of rule Standard)"),
        ((to_user(1, US), to_user(2, US, boolean_filter="1 OR 2")),
         "The filter logic references an undefined filter: 2 (there are 1 filter conditions). "
         "(filter logic '1 OR 2', entry 2 of rule Standard)"),
        ((to_user(1, US, HOT, boolean_filter="(1 AND 2"),),
         "Your filter is missing a closing parenthesis. (filter logic '(1 AND 2', entry 1 of rule Standard)"),
        ((to_user(1, boolean_filter="1"),), "filter logic without criteria items (entry 1 of rule Standard)"),
        ((to_user(1, US, CriteriaItem("Account.BillingCountry", "equals", "US")),),
         "Unknown field 'Account.BillingCountry' on Lead: related-object fields are not supported in rule "
         "criteria. (criteria item 2, entry 1 of rule Standard)"),
        ((to_user(1, CriteriaItem("AnnualRevenue", "contains", "1")),),
         "Operation 'contains' is not valid for field AnnualRevenue of type currency. "
         "(criteria item 1, entry 1 of rule Standard)"),
        ((RuleEntry(order=1, assigned_to="Sales", assigned_to_type="Role", assignee_id=QUEUE),),
         "assignedToType must be User or Queue, not 'Role' (entry 1 of rule Standard)"),
        ((RuleEntry(order=1, assigned_to="Sales", assignee_id=QUEUE),),
         "assignedToType must be User or Queue, not None (entry 1 of rule Standard)"),
        ((RuleEntry(order=3, assigned_to="bob@example.com", assigned_to_type="User"),),
         "assignee 'bob@example.com' was not resolved to an id (entry 3 of rule Standard)"),
    ],
)
def test_validate_rule_refuses(entries: tuple[RuleEntry, ...], message: str) -> None:
    with pytest.raises(RuleDefinitionError) as caught:
        validate_rule(rule(*entries), LEAD)
    assert str(caught.value) == message


def test_validate_rule_refuses_a_rule_of_another_object() -> None:
    with pytest.raises(RuleDefinitionError) as caught:
        validate_rule(rule(to_user(1), sobject="Case"), LEAD)
    assert str(caught.value) == "rule Standard is for Case, not Lead"


def test_validate_rule_accepts_a_valid_rule() -> None:
    the_rule = rule(
        to_user(1, US, HOT, WEB, boolean_filter="1 AND (2 OR 3)"),
        RuleEntry(order=2, criteria=(CriteriaItem("Lead.CreatedDate", "notEqual"),)),  # "always true" idiom
        to_queue(3),
    )
    assert validate_rule(the_rule, LEAD) is None
    assert first_match(the_rule, {"Country": "FR", "CreatedDate": None}, LEAD).order == 3


def test_first_match_evaluates_formula_entries_in_order() -> None:
    the_rule = rule(to_user(1, US), RuleEntry(order=2, formula="BEGINS(Company, 'Acme')"),
                    RuleEntry(order=3, formula="TRUE"))
    assert first_match(the_rule, {"Country": "US"}, LEAD).order == 1
    assert first_match(the_rule, {"Country": "FR", "Company": "Acme Ltd"}, LEAD).order == 2
    assert first_match(the_rule, {"Country": "FR", "Company": "acme"}, LEAD).order == 3


def test_filter_logic_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, int]] = []
    real_parse = boolean_filter.parse

    def counting_parse(text: str, item_count: int) -> boolean_filter.Expr:
        calls.append((text, item_count))
        return real_parse(text, item_count)

    engine._parsed.cache_clear()
    monkeypatch.setattr(boolean_filter, "parse", counting_parse)
    the_rule = rule(to_user(1, US, HOT, boolean_filter="2 OR 1"))
    validate_rule(the_rule, LEAD)
    for country in ("US", "FR", "DE", "USA"):
        first_match(the_rule, {"Country": country}, LEAD)
    engine._parsed.cache_clear()
    assert calls == [("2 OR 1", 2)]
