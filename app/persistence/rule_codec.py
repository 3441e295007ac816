"""Rule entries to and from the JSON kept in assignment_rule_entries.definition."""
from __future__ import annotations

import dataclasses
import json

from app.core.rules.model import CriteriaItem, RuleEntry


def encode_entry(entry: RuleEntry) -> str:
    return json.dumps(dataclasses.asdict(entry), sort_keys=True)


def decode_entry(text: str) -> RuleEntry:
    data = json.loads(text)
    data["criteria"] = tuple(CriteriaItem(**item) for item in data.get("criteria", ()))
    data["team"] = tuple(data.get("team", ()))
    return RuleEntry(**data)
