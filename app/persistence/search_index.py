"""SOSL's search index, kept in step with every write by the database itself (triggers or an expression index,
so no write path - REST, SOAP, Bulk, the demo loader, a test's own INSERT - can forget it).

- SQLite: one FTS5 table per searchable object (`search_<table>`, rowid = the record row's rowid, columns
  name / email / phone / other), filled by AFTER INSERT / UPDATE / DELETE triggers on the object's table.
- PostgreSQL: one GIN index per searchable object on a weighted tsvector (A name, B email, C phone, D other;
  the 'simple' configuration, no stemming); a search repeats the indexed expression, so PostgreSQL uses it.

Searchable text comes from the records' text, email and phone fields (SOSL reference, "IN SearchGroup":
NAME, EMAIL, PHONE and ALL FIELDS). Punctuation splits words on both databases (an email "ann@acme.com" is the
words ann, acme, com) [deviation: Salesforce's tokenizer is its own]. Custom fields added to an org after the
index was built are not searched [deviation until the schema issue adds per-org fields].
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sfmock.core.schema import SObjectDef, registry

SEARCHABLE = ("Lead", "Case", "User", "Account", "Contact")
GROUPS = ("name", "email", "phone", "other")
_WEIGHTS = dict(zip(GROUPS, "ABCD", strict=True))
# Name fields of each object (SOSL IN NAME FIELDS) [UNCONFIRMED list beyond each object's name field].
_NAMES = frozenset({"Name", "FirstName", "LastName", "Company", "Subject", "CaseNumber", "Username", "Title"})
_TEXT = frozenset({"string", "textarea", "url"})
_SPLIT = "@.-_/()+:;,"


def objects() -> list[SObjectDef]:
    return [obj for obj in (registry.get(n) for n in SEARCHABLE) if obj is not None]


def group_fields(obj: SObjectDef) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {g: [] for g in GROUPS}
    for f in obj.api_fields():
        if f.name in _NAMES or f.name_field:
            out["name"].append(f.name)
        elif f.type == "email":
            out["email"].append(f.name)
        elif f.type == "phone":
            out["phone"].append(f.name)
        elif f.type in _TEXT and f.name != "Id":
            out["other"].append(f.name)
    return out


def _concat(fields: list[str], prefix: str) -> str:
    if not fields:
        return "''"
    return " || ' ' || ".join(f"coalesce({prefix}\"{name}\", '')" for name in fields)


def pg_vector(obj: SObjectDef, qualifier: str = "") -> str:
    """The weighted tsvector of a record (the GIN index's expression; a search must repeat it exactly)."""
    spaces = " " * len(_SPLIT)
    parts = [
        f"setweight(to_tsvector('simple'::regconfig, translate(lower({_concat(fields, qualifier)}), "
        f"'{_SPLIT}', '{spaces}')), '{_WEIGHTS[group]}')"
        for group, fields in group_fields(obj).items()
    ]
    return "(" + " || ".join(parts) + ")"


def install(conn: Any) -> None:
    """Creates the index objects (idempotent) and indexes the rows already there."""
    if conn.dialect.name == "postgresql":
        for obj in objects():
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS ix_search_{obj.table} ON {obj.table} "
                # fastupdate off: a write goes straight into the index, so no search ever scans a long
                # pending list of recent writes (which made a search after a bulk load take seconds).
                f"USING gin ({pg_vector(obj)}) WITH (fastupdate = off)"
            )
        return
    for obj in objects():
        fts, table = f"search_{obj.table}", obj.table
        groups = group_fields(obj)
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({', '.join(GROUPS)}, "
            "tokenize = 'unicode61')"
        )
        new = ", ".join(_concat(groups[g], "new.") for g in GROUPS)
        insert = f"INSERT INTO {fts} (rowid, {', '.join(GROUPS)}) VALUES (new.rowid, {new});"
        remove = f"DELETE FROM {fts} WHERE rowid = old.rowid;"
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE ON {table} BEGIN {remove} {insert} END"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {remove} END"
        )
        conn.exec_driver_sql(f"DELETE FROM {fts}")
        existing = ", ".join(_concat(groups[g], "") for g in GROUPS)
        conn.exec_driver_sql(
            f"INSERT INTO {fts} (rowid, {', '.join(GROUPS)}) SELECT rowid, {existing} FROM {table}"
        )


def uninstall(conn: Any) -> None:
    for obj in objects():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS ix_search_{obj.table}")
            continue
        for suffix in ("ai", "au", "ad"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS search_{obj.table}_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS search_{obj.table}")


def matches(
    conn: Any, obj: SObjectDef, table: sa.Table, org_id: str, fts_query: str, ts_query: str
) -> sa.ColumnElement[bool]:
    """A condition on `table` (the object's table, unaliased): the record is one of the org's that match the
    search. `conn`: a Connection or a Session.

    PostgreSQL: the matching Ids come from a MATERIALIZED CTE, so the GIN index finds them first; left to
    itself the planner may walk the primary key in ORDER BY order and compute every row's tsvector."""
    dialect = conn.dialect if hasattr(conn, "dialect") else conn.get_bind().dialect
    if dialect.name == "postgresql":
        vector: sa.ColumnClause[Any] = sa.literal_column(pg_vector(obj, f"{table.name}."))
        query = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), ts_query)
        found = (
            sa.select(table.c.Id)
            .where(table.c.org_id == org_id, vector.op("@@")(query))
            .cte(f"found_{obj.table}")
            .prefix_with("MATERIALIZED")
        )
        return table.c.Id.in_(sa.select(found.c.Id))
    fts = sa.table(f"search_{obj.table}", sa.column("rowid"))
    hits = sa.select(fts.c.rowid).where(sa.literal_column(f"search_{obj.table}").op("MATCH")(fts_query))
    return sa.literal_column(f"{table.name}.rowid").in_(hits)
