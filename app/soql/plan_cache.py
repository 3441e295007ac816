"""Query plans kept (512 in the process, the least recently used dropped first), so that a query sent again is
not translated again.

Building a plan (the SQLAlchemy statements of a syntax tree) was about a quarter of a simple query's time on
the REST and SOAP doors, and connectors send the same few statements call after call. A plan depends on the
instant only through the day it falls on in the running user's time zone (date literals are whole days: SOQL
reference, "Date Formats and Date Literals"; TODAY, LAST_N_DAYS:n … are ranges of that zone's days), so that
zone and day are part of its key with the schema, the text, the org and queryAll. An org's schema is replaced,
never changed in place, when its configuration changes: the old one's plans go with it."""
from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections import OrderedDict
from typing import Any

from sfmock.core.schema.registry import SchemaRegistry
from sfmock.soql.parser import parse
from sfmock.soql.translate import Plan, build_plan

SIZE = 512  # plans in the whole process, all orgs together
# A statement longer than this is not kept: a plan's SQLAlchemy statements grow with the query (one with an IN
# list of 4,500 values is ~5 MB), and such statements (an ETL's chunked IN lists) rarely repeat.
LONGEST = 4_000

_lock = threading.Lock()
_plans: OrderedDict[tuple[Any, ...], Plan] = OrderedDict()  # by (id of the schema, text, org, ...)
_schemas: weakref.WeakKeyDictionary[SchemaRegistry, int] = weakref.WeakKeyDictionary()
# Ids of schemas gone since: their plans are dropped before the next lookup (a new schema may get the same id;
# it can only exist once the old one is gone, i.e. once its id is here). Appended by a weakref callback,
# which may run at any moment, so it takes no lock.
_gone: list[int] = []


def plan_for(soql: str, org_id: str, *, include_deleted: bool, now: dt.datetime,
             schema: SchemaRegistry) -> Plan:
    """build_plan(parse(soql), …), or the plan it gave before for the same key. Errors are not kept."""
    if len(soql) > LONGEST:
        return build_plan(parse(soql), org_id, include_deleted=include_deleted, now=now, schema=schema)
    key = (id(schema), soql, org_id, include_deleted, now.tzinfo, now.date())
    with _lock:
        _drop_gone()
        found = _plans.get(key)
        if found is not None:
            _plans.move_to_end(key)
            return found
    plan = build_plan(parse(soql), org_id, include_deleted=include_deleted, now=now, schema=schema)
    with _lock:
        _drop_gone()
        if schema not in _schemas:
            _schemas[schema] = id(schema)
            weakref.finalize(schema, _gone.append, id(schema))
        _plans[key] = plan
        while len(_plans) > SIZE:
            _plans.popitem(last=False)
    return plan


def _drop_gone() -> None:
    while _gone:
        schema_id = _gone.pop()
        for key in [k for k in _plans if k[0] == schema_id]:
            del _plans[key]
