"""Query plans kept per org schema, so that a query sent again is not translated again.

Building a plan (the SQLAlchemy statements of a syntax tree) was about a quarter of a simple query's time on
the REST and SOAP doors, and connectors send the same few statements call after call. A plan depends on the
instant only through the day it falls on in the running user's time zone (date literals are whole days: SOQL
reference, "Date Formats and Date Literals"; TODAY, LAST_N_DAYS:n … are ranges of that zone's days), so that
zone and day are part of its key with the text, the org and queryAll. An org's schema is replaced, never
changed in place, when its configuration changes: its plans go with it."""
from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from typing import Any

from sfmock.core.schema.registry import SchemaRegistry
from sfmock.soql.parser import parse
from sfmock.soql.translate import Plan, build_plan

SIZE = 256  # plans per schema (an org's, or the standard one)

_lock = threading.Lock()
_plans: weakref.WeakKeyDictionary[SchemaRegistry, OrderedDict[tuple[Any, ...], Plan]] = (
    weakref.WeakKeyDictionary())


def plan_for(soql: str, org_id: str, *, include_deleted: bool, now: dt.datetime,
             schema: SchemaRegistry) -> Plan:
    """build_plan(parse(soql), …), or the plan it gave before for the same key. Errors are not kept."""
    key = (soql, org_id, include_deleted, now.tzinfo, now.date())
    with _lock:
        plans = _plans.get(schema)
        if plans is not None and key in plans:
            plans.move_to_end(key)
            return plans[key]
    plan = build_plan(parse(soql), org_id, include_deleted=include_deleted, now=now, schema=schema)
    with _lock:
        plans = _plans.setdefault(schema, OrderedDict())
        plans[key] = plan
        while len(plans) > SIZE:
            plans.popitem(last=False)
    return plan
