"""Rule entries to and from the JSON kept in assignment_rule_entries.definition and
auto_response_rules.entries."""
from __future__ import annotations

import dataclasses
import json

from sfmock.core.rules.model import CriteriaItem, RuleEntry


def encode_entry(entry: RuleEntry) -> str:
    return json.dumps(dataclasses.asdict(entry), sort_keys=True)


def decode_entry(text: str) -> RuleEntry:
    data = json.loads(text)
    data["criteria"] = tuple(CriteriaItem(**item) for item in data.get("criteria", ()))
    data["team"] = tuple(data.get("team", ()))
    return RuleEntry(**data)


def encode_entries(entries: tuple[RuleEntry, ...]) -> str:
    return json.dumps([json.loads(encode_entry(e)) for e in entries])


def decode_entries(text: str) -> tuple[RuleEntry, ...]:
    return tuple(decode_entry(json.dumps(item)) for item in json.loads(text))
