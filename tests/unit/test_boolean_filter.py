"""Filter logic parsing and evaluation (app/core/rules/boolean_filter.py)."""
from __future__ import annotations

import itertools

import pytest

from sfmock.core.rules.boolean_filter import MIXED_AND_OR, UNREFERENCED, And, Item, Not, Or, parse
from sfmock.core.rules.model import RuleDefinitionError


@pytest.mark.parametrize(
    ("text", "count", "tree"),
    [
        ("1", 1, Item(1)),
        ("1 AND 2", 2, And((Item(1), Item(2)))),
        ("1 and 2 AnD 3", 3, And((Item(1), Item(2), Item(3)))),
        ("1 OR 2 or 3", 3, Or((Item(1), Item(2), Item(3)))),
        ("1 AND (2 OR 3)", 3, And((Item(1), Or((Item(2), Item(3)))))),
        ("(1 OR 2) AND NOT 3", 3, And((Or((Item(1), Item(2))), Not(Item(3))))),
        ("NOT 1 AND 2", 2, And((Not(Item(1)), Item(2)))),
        ("not (1 or 2)", 2, Not(Or((Item(1), Item(2))))),
        ("NOT NOT 1", 1, Not(Not(Item(1)))),
        ("((1))", 1, Item(1)),
        ("(1)AND(2)", 2, And((Item(1), Item(2)))),
        ("  1\tAND\n2  ", 2, And((Item(1), Item(2)))),
        ("1 AND 1 AND 2", 2, And((Item(1), Item(1), Item(2)))),
        ("01 OR 2", 2, Or((Item(1), Item(2)))),
        ("(1 OR 2 OR (6 AND 4)) AND (3 AND 5)", 6,
         And((Or((Item(1), Item(2), And((Item(6), Item(4))))), And((Item(3), Item(5)))))),
    ],
)
def test_parse_builds_the_tree(text: str, count: int, tree: object) -> None:
    assert parse(text, count) == tree


def _truth_table(count: int) -> list[tuple[bool, ...]]:
    return list(itertools.product((False, True), repeat=count))


@pytest.mark.parametrize(
    ("text", "count", "reference"),
    [
        ("1 AND (2 OR 3)", 3, lambda r: r[0] and (r[1] or r[2])),
        ("(1 OR 2) AND NOT 3", 3, lambda r: (r[0] or r[1]) and not r[2]),
        ("1 OR 2 OR 3", 3, lambda r: r[0] or r[1] or r[2]),
        ("NOT (1 AND 2)", 2, lambda r: not (r[0] and r[1])),
        ("1 AND NOT 2 AND NOT 3", 3, lambda r: r[0] and not r[1] and not r[2]),
        ("(1 AND 2) OR (3 AND 4)", 4, lambda r: (r[0] and r[1]) or (r[2] and r[3])),
    ],
)
def test_evaluate_agrees_with_python_on_every_row(text: str, count: int, reference) -> None:
    tree = parse(text, count)
    for row in _truth_table(count):
        assert tree.evaluate(row) is reference(row), row


@pytest.mark.parametrize(
    ("text", "count", "message"),
    [
        ("", 2, "Your filter logic is empty."),
        ("   ", 2, "Your filter logic is empty."),
        ("1 AND 2 OR 3", 3, MIXED_AND_OR),
        ("1 OR 2 AND 3", 3, MIXED_AND_OR),
        ("(1 AND 2 OR 3)", 3, MIXED_AND_OR),
        ("1 AND 2", 3, f"{UNREFERENCED} (not referenced: 3)"),
        ("1", 3, f"{UNREFERENCED} (not referenced: 2, 3)"),
        ("1 AND 4", 3, "The filter logic references an undefined filter: 4 (there are 3 filter conditions)."),
        ("0 OR 1", 1, "The filter logic references an undefined filter: 0 (there are 1 filter conditions)."),
        ("1", 0, "The filter logic references an undefined filter: 1 (there are 0 filter conditions)."),
        ("1 2", 2, "Your filter is missing an operator before '2' at column 3."),
        ("1 (2)", 2, "Your filter is missing an operator before '(' at column 3."),
        ("(1) 2", 2, "Your filter is missing an operator before '2' at column 5."),
        ("(1 AND 2", 2, "Your filter is missing a closing parenthesis."),
        ("((1 AND 2)", 2, "Your filter is missing a closing parenthesis."),
        ("1 AND 2)", 2, "Your filter has an unmatched ')' at column 8."),
        ("(1 2)", 2, "Your filter is missing an operator before '2' at column 4."),
        ("()", 1, "Unexpected ')' at column 2: expected a filter condition number, NOT or '('."),
        ("AND 1", 1, "Unexpected 'AND' at column 1: expected a filter condition number, NOT or '('."),
        ("1 AND", 1, "Your filter logic ends too early: a filter condition number is missing."),
        ("NOT", 1, "Your filter logic ends too early: a filter condition number is missing."),
        ("1 XOR 2", 2, "Check the spelling in your filter logic: unknown term 'XOR' at column 3."),
        ("1AND 2", 2, "Check the spelling in your filter logic: unknown term '1AND' at column 1."),
        ("1 && 2", 2, "Check the spelling in your filter logic: unknown character '&' at column 3."),
        ("1 AND -2", 2, "Check the spelling in your filter logic: unknown character '-' at column 7."),
        ("(" * 5000 + "1" + ")" * 5000, 1, "Your filter logic is nested too deeply."),
    ],
)
def test_parse_refuses(text: str, count: int, message: str) -> None:
    with pytest.raises(RuleDefinitionError) as caught:
        parse(text, count)
    assert str(caught.value) == message


def test_evaluate_reads_one_based_numbers() -> None:
    tree = parse("2 AND NOT 1", 2)
    assert tree.evaluate([False, True]) is True
    assert tree.evaluate([True, True]) is False
