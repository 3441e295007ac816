"""Fault rules: which calls they take, and the error each kind makes a call fail with."""
from __future__ import annotations

import pytest

from sfmock.core.errors import CallError, RecordError
from sfmock.core.faults import FaultRule, error_for, parse


@pytest.mark.parametrize(("rule", "call", "taken"), [
    (FaultRule(1, "DELAY"), ("soap", "create", "Lead"), True),
    (FaultRule(1, "DELAY", door="REST"), ("soap", "create", "Lead"), False),
    (FaultRule(1, "DELAY", operation="Create"), ("rest", "create", None), True),
    (FaultRule(1, "DELAY", sobject="lead"), ("soap", "create", "Case,Lead"), True),
    (FaultRule(1, "DELAY", sobject="Lead"), ("soap", "query", None), False),
    (FaultRule(1, "DELAY", remaining=0), ("soap", "create", "Lead"), False),
])
def test_matching(rule: FaultRule, call: tuple, taken: bool) -> None:
    assert rule.matches(*call, roll=0.0) is taken


def test_probability_uses_the_roll() -> None:
    rule = FaultRule(1, "SERVER_UNAVAILABLE", probability=0.25)
    assert rule.matches("rest", "query", None, roll=0.2) and not rule.matches("rest", "query", None,
                                                                              roll=0.25)


def test_errors_per_kind() -> None:
    locked = error_for(FaultRule(1, "UNABLE_TO_LOCK_ROW"), "create")
    assert isinstance(locked,
                      RecordError) and locked.message == "unable to obtain exclusive access to this record"
    assert isinstance(error_for(FaultRule(1, "UNABLE_TO_LOCK_ROW"), "query"), CallError)
    limit = error_for(FaultRule(1, "REQUEST_LIMIT_EXCEEDED"), "query")
    assert (limit.code, limit.message) == ("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    assert error_for(FaultRule(1, "DELAY", delay_ms=5), "query") is None


@pytest.mark.parametrize(("body", "fragment"), [
    ({"kind": "NOPE"}, "kind must be one of"), ({"kind": "DELAY"}, "delay_ms > 0"),
    ({"kind": "DELAY", "delay_ms": -1}, "delay_ms must be"),
    ({"kind": "DELAY", "delay_ms": 1, "door": "x"}, "door"),
    ({"kind": "SERVER_UNAVAILABLE", "count": 0}, "count"),
    ({"kind": "SERVER_UNAVAILABLE", "probability": 2}, "probability"),
    ({"kind": "SERVER_UNAVAILABLE", "when": "now"}, "unknown fault field(s): when"), ([], "JSON object"),
])
def test_parse_refuses_bad_rules(body: object, fragment: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse(body)
    assert fragment in str(raised.value)


def test_parse_normalises() -> None:
    assert parse({"kind": "unable_to_lock_row", "door": "SOAP", "count": 2}) == {
        "kind": "UNABLE_TO_LOCK_ROW", "door": "soap", "operation": None, "sobject": None, "remaining": 2,
        "probability": None, "delay_ms": 0}
