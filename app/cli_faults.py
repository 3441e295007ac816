"""`sfmock fault add|list|clear`: fault and latency injection from the command line (same rules as the admin
API's /_sfmock/orgs/{id}/faults, written straight to the database)."""
from __future__ import annotations

import argparse
import json
from typing import Any


def _org_id(session: Any, raw: str) -> str:
    from sfmock.core import ids
    from sfmock.persistence.orgs import open_org

    found = ids.canonical(raw)
    if found is None or open_org(session, found) is None:
        raise ValueError(f"no org {raw} (see `sfmock org list`)")
    return found


def cmd_add(args: argparse.Namespace) -> int:
    from sfmock.cli import _db, _settings_from
    from sfmock.core.faults import parse
    from sfmock.persistence import faults

    rule = {"kind": args.kind, "door": args.door, "operation": args.operation, "sobject": args.sobject,
            "count": args.count, "probability": args.probability, "delay_ms": args.delay_ms}
    fields = parse({k: v for k, v in rule.items() if v is not None})
    with _db(_settings_from(args)).session() as session:
        print(json.dumps(faults.add(session, _org_id(session, args.org), fields).as_dict()))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from sfmock.cli import _db, _settings_from
    from sfmock.persistence import faults

    with _db(_settings_from(args)).session() as session:
        for rule in faults.list_rules(session, _org_id(session, args.org)):
            print(json.dumps(rule.as_dict()))
    return 0


def cmd_clear(args: argparse.Namespace) -> int:
    from sfmock.cli import _db, _settings_from
    from sfmock.persistence import faults

    with _db(_settings_from(args)).session() as session:
        print(f"sfmock: {faults.clear(session, _org_id(session, args.org), args.id)} fault rule(s) removed")
    return 0


def add_commands(sub: Any, with_db: Any) -> None:
    from sfmock.core.faults import KINDS

    fault = sub.add_parser("fault", help="fault and latency injection per org").add_subparsers(
        dest="fault_command", required=True)
    add = with_db(fault.add_parser("add", help="arm a fault rule on an org"))
    add.add_argument("--org", required=True, help="the org id (see `sfmock org list`)")
    add.add_argument("--kind", required=True, type=str.upper, choices=KINDS, help="how matching calls fail")
    add.add_argument("--door", choices=("soap", "rest"), help="only calls on this door (default: both)")
    add.add_argument("--operation", help="only this operation (create, update, upsert, delete, query, ...)")
    add.add_argument("--sobject", help="only calls on this sObject (Lead, Case, ...)")
    add.add_argument("--count", type=int, help="take this many calls, then stop (default: every call)")
    add.add_argument("--probability", type=float, help="take each matching call with this probability (0-1]")
    add.add_argument("--delay-ms", type=int, help="latency added before the answer (kind DELAY: only that)")
    add.set_defaults(func=cmd_add)
    listing = with_db(fault.add_parser("list", help="the org's fault rules, one JSON object a line"))
    listing.add_argument("--org", required=True, help="the org id")
    listing.set_defaults(func=cmd_list)
    clear = with_db(fault.add_parser("clear", help="disarm the org's fault rules (or one of them)"))
    clear.add_argument("--org", required=True, help="the org id")
    clear.add_argument("--id", type=int, help="only this rule")
    clear.set_defaults(func=cmd_clear)
