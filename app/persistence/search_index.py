"""SOSL's search index, kept in step with every write by the database itself (triggers or a generated column,
so no write path - REST, SOAP, Bulk, the demo loader, a test's own INSERT - can forget it).

- SQLite: one FTS5 table per searchable object (`search_<table>`, rowid = the record row's rowid, columns
  name / email / phone / other), filled by AFTER INSERT / UPDATE / DELETE triggers on the object's table.
- PostgreSQL: a stored generated column `search_vector` per searchable object holding a weighted tsvector
  (A name, B email, C phone, D other; the 'simple' configuration, no stemming), with a GIN index on it. The
  column, not an expression index: GIN keeps no word positions, so a phrase ("wonka example") or a field group
  (IN EMAIL FIELDS, a weight) is rechecked on every candidate row, and with an expression index each recheck
  recomputed the row's whole tsvector (294 ms for 10,000 candidates at 100,000 Leads). A stored vector is
  read, not recomputed, and has statistics, so the planner may also walk the rows in ORDER BY order and stop
  at the LIMIT.

Searchable text comes from the records' text, email and phone fields (SOSL reference, "IN SearchGroup":
NAME, EMAIL, PHONE and ALL FIELDS), custom ones included: every short and long text slot column of a
customizable object (sfmock.core.schema.slots) is in the "other" group, so a custom field is searched as soon
as an org maps it to a slot, whenever that happens (the index never needs rebuilding for a new field).
[deviation: a custom field is searched IN ALL FIELDS only, not IN EMAIL/PHONE FIELDS by its type, and a
custom lookup's or picklist's value is searched as text.] Punctuation splits words on both databases (an email
"ann@acme.com" is the words ann, acme, com) [deviation: Salesforce's tokenizer is its own].
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from sfmock.core.schema import SObjectDef, registry
from sfmock.core.schema.slots import CUSTOMIZABLE, all_columns

SEARCHABLE = ("Lead", "Case", "User", "Account", "Contact")
GROUPS = ("name", "email", "phone", "other")
_WEIGHTS = dict(zip(GROUPS, "ABCD", strict=True))
# Name fields of each object (SOSL IN NAME FIELDS) [UNCONFIRMED list beyond each object's name field].
_NAMES = frozenset({"Name", "FirstName", "LastName", "Company", "Subject", "CaseNumber", "Username", "Title"})
_TEXT = frozenset({"string", "textarea", "url"})
_SPLIT = "@.-_/()+:;,"
_TEXT_SLOTS = ("string", "text")
VECTOR = "search_vector"  # PostgreSQL's stored tsvector column


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
    if obj.name in CUSTOMIZABLE:
        out["other"] += [column for column, kind in all_columns() if kind in _TEXT_SLOTS]
    return out


def _concat(fields: list[str], prefix: str) -> str:
    if not fields:
        return "''"
    return " || ' ' || ".join(f"coalesce({prefix}\"{name}\", '')" for name in fields)


def pg_vector(obj: SObjectDef) -> str:
    """The weighted tsvector of a record (the generated column's expression)."""
    spaces = " " * len(_SPLIT)
    parts = [
        f"setweight(to_tsvector('simple'::regconfig, translate(lower({_concat(fields, '')}), "
        f"'{_SPLIT}', '{spaces}')), '{_WEIGHTS[group]}')"
        for group, fields in group_fields(obj).items()
        if fields  # a generated column cannot take lower('') (a constant has no collation there)
    ]
    return "(" + " || ".join(parts) + ")"


def install(conn: Any) -> None:
    """Creates the index objects (idempotent) and indexes the rows already there."""
    if conn.dialect.name == "postgresql":
        for obj in objects():
            table = obj.table
            conn.exec_driver_sql(
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {VECTOR} tsvector "
                f"GENERATED ALWAYS AS {pg_vector(obj)} STORED"
            )
            conn.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS ix_search_{table} ON {table} USING gin ({VECTOR}) "
                # fastupdate off: a write goes straight into the index, so no search ever scans a long
                # pending list of recent writes (which made a search after a bulk load take seconds).
                "WITH (fastupdate = off)"
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
            conn.exec_driver_sql(f"ALTER TABLE {obj.table} DROP COLUMN IF EXISTS {VECTOR}")
            continue
        for suffix in ("ai", "au", "ad"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS search_{obj.table}_{suffix}")
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS search_{obj.table}")


def matches(
    conn: Any, obj: SObjectDef, table: sa.Table, org_id: str, fts_query: str, ts_query: str
) -> sa.ColumnElement[bool]:
    """A condition on `table` (the object's table, unaliased): the record is one of the org's that match the
    search. `conn`: a Connection or a Session.

    PostgreSQL: a plain `search_vector @@ query` beside the query's own conditions. The stored column has
    statistics, so the planner picks the GIN index for a rare word and a scan in ORDER BY order (stopping at
    the LIMIT) for a common one; matching a row costs a read of its stored vector, never a recomputation."""
    dialect = conn.dialect if hasattr(conn, "dialect") else conn.get_bind().dialect
    if dialect.name == "postgresql":
        vector: sa.ColumnClause[Any] = sa.literal_column(f"{table.name}.{VECTOR}")
        query = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), ts_query)
        return vector.op("@@")(query)
    fts = sa.table(f"search_{obj.table}", sa.column("rowid"))
    hits = sa.select(fts.c.rowid).where(sa.literal_column(f"search_{obj.table}").op("MATCH")(fts_query))
    return sa.literal_column(f"{table.name}.rowid").in_(hits)
