"""Child subqueries run for one page of parents: one statement per subquery (the child query plus
`<parent field> IN (page ids)`), its LIMIT and OFFSET applied per parent as Salesforce does (SOQL reference,
"Relationship Query Limits": a subquery's LIMIT counts the children of each parent record)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sfmock.persistence.tables import table_for
from sfmock.soql.select import Shape, Subquery


def run(conn: Any, shape: Shape, parent_ids: list[str], record: Callable, page: Callable) -> dict[str, dict]:
    """{relationship name: {parent id: page of child records}}; a parent without children is absent."""
    out: dict[str, dict] = {}
    for name, entry in shape.entries:
        if not isinstance(entry, Subquery) or not parent_ids:
            continue
        plan = entry.plan
        reference = table_for(entry.query.sobject).c[entry.parent_field]
        stmt = plan.rows.add_columns(reference.label("p")).where(reference.in_(parent_ids))
        by_parent: dict[str, list] = {}
        for row in conn.execute(stmt).mappings().all():
            by_parent.setdefault(row["p"], []).append(record(plan.shape, row, {}))
        pages = {}
        for parent, records in by_parent.items():
            kept = records[plan.offset :]
            kept = kept if plan.limit is None else kept[: plan.limit]
            if kept:
                pages[parent] = page(kept)
        out[name] = pages
    return out
