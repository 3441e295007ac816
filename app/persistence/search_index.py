"""SOSL's search index, kept in step with every write by the database itself (triggers or a generated column,
so no write path - REST, SOAP, Bulk, the demo loader, a test's own INSERT - can forget it).

- SQLite: one FTS5 table per searchable object (`search_<table>`, rowid = the record row's rowid, columns
  name / email / phone / other and, on a customizable object, one per short text slot), filled by AFTER
  INSERT / UPDATE / DELETE triggers on the object's table.
- PostgreSQL: a stored generated column `search_vector` per searchable object holding a weighted tsvector
  (A name, B email, C phone, D other; the 'simple' configuration, no stemming), with a GIN index on it. The
  column, not an expression index: GIN keeps no word positions, so a phrase ("wonka example") or a field group
  (IN EMAIL FIELDS, a weight) is rechecked on every candidate row, and with an expression index each recheck
  recomputed the row's whole tsvector (294 ms for 10,000 candidates at 100,000 Leads). A stored vector is
  read, not recomputed, and has statistics, so the planner may also walk the rows in ORDER BY order and stop
  at the LIMIT.

Searchable text comes from the records' text, email and phone fields (SOSL reference, "IN SearchGroup":
ALL FIELDS "Search all searchable fields", EMAIL FIELDS "Search only email fields", PHONE FIELDS "Search only
phone number fields", NAME FIELDS the name fields), custom ones included: every short and long text slot
column of a customizable object (sfmock.core.schema.slots) is indexed, so a custom field is searched as soon
as an org maps it to a slot, whenever that happens (the index never needs rebuilding for a new field).
Which slot is an email or phone field is the org's business, not the table's, so the field groups follow the
org's schema when a search runs (`custom_columns`):
- SQLite: each short text slot (the only kind an email or phone field is stored in) is a column of its own in
  the FTS5 table, and IN EMAIL FIELDS is the column filter {email <the org's email slots>};
- PostgreSQL: the org's email (phone) slots are rechecked beside the stored vector: the row matches the
  search anywhere (the GIN index) and the text of the group's fields, the org's slots included, matches it.
[deviation: a custom lookup's or picklist's value is searched as text.] Punctuation splits words on both
databases (an email "ann@acme.com" is the words ann, acme, com; a phone "(415) 555-0199" the words 415, 555,
0199, for a standard Phone and a custom phone field alike) [deviation: Salesforce's tokenizer is its own].
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
# Short text slots: a custom email or phone field is stored in one (sfmock.core.schema.slots.kind_of).
_STRING_SLOTS = tuple(column for column, kind in all_columns() if kind == "string")
# The SearchGroup a custom field's type puts it in (besides ALL FIELDS).
_CUSTOM_GROUPS = {"email": "email", "phone": "phone"}
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


def fts_columns(obj: SObjectDef, *, per_slot: bool = True) -> dict[str, list[str]]:
    """SQLite's FTS5 columns of an object and the fields each holds: the groups, and (`per_slot`, the layout
    of migration 0018 on) each short text slot on its own, so a search can name the org's email slots."""
    groups = group_fields(obj)
    if not per_slot or obj.name not in CUSTOMIZABLE:
        return groups
    other = [f for f in groups["other"] if f not in _STRING_SLOTS]
    return {**groups, "other": other} | {slot: [slot] for slot in _STRING_SLOTS}


def custom_columns(obj: SObjectDef, group: str | None) -> tuple[str, ...]:
    """The slot columns of the custom fields of `obj` (an org's own schema) that `group` ("email", "phone")
    searches besides the object's standard fields of that type."""
    return tuple(f.column for f in obj.fields
                 if f.custom and f.storage in _STRING_SLOTS and _CUSTOM_GROUPS.get(f.type) == group)


def _concat(fields: list[str] | tuple[str, ...], prefix: str) -> str:
    if not fields:
        return "''"
    return " || ' ' || ".join(f"coalesce({prefix}\"{name}\", '')" for name in fields)


def _pg_words(text: str) -> str:
    """A PostgreSQL tsvector of an SQL text expression, split as the search terms are."""
    return f"to_tsvector('simple'::regconfig, translate(lower({text}), '{_SPLIT}', '{' ' * len(_SPLIT)}'))"


def pg_vector(obj: SObjectDef) -> str:
    """The weighted tsvector of a record (the generated column's expression)."""
    parts = [
        f"setweight({_pg_words(_concat(fields, ''))}, '{_WEIGHTS[group]}')"
        for group, fields in group_fields(obj).items()
        if fields  # a generated column cannot take lower('') (a constant has no collation there)
    ]
    return "(" + " || ".join(parts) + ")"


def install(conn: Any, *, per_slot: bool = True) -> None:
    """Creates the index objects (idempotent) and indexes the rows already there; `per_slot` False makes
    SQLite's FTS5 tables as they were before migration 0018 (its downgrade)."""
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
        groups = fts_columns(obj, per_slot=per_slot)
        names = ", ".join(groups)
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, tokenize = 'unicode61')"
        )
        new = ", ".join(_concat(fields, "new.") for fields in groups.values())
        insert = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.rowid, {new});"
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
        existing = ", ".join(_concat(fields, "") for fields in groups.values())
        conn.exec_driver_sql(f"INSERT INTO {fts} (rowid, {names}) SELECT rowid, {existing} FROM {table}")


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
    conn: Any, obj: SObjectDef, table: sa.Table, fts_query: str, ts_query: str, recheck: str | None = None
) -> sa.ColumnElement[bool]:
    """A condition on `table` (the object's table, unaliased): the record matches the search. `conn`: a
    Connection or a Session. `fts_query` names its FTS5 columns itself (SQLite); `recheck` is the group
    (PostgreSQL, with an unweighted `ts_query`) whose fields, the org's custom ones of `obj` included, must
    hold the match.

    PostgreSQL: a plain `search_vector @@ query` beside the query's own conditions. The stored column has
    statistics, so the planner picks the GIN index for a rare word and a scan in ORDER BY order (stopping at
    the LIMIT) for a common one; matching a row costs a read of its stored vector, never a recomputation. A
    recheck computes the tsvector of the group's few fields only, on the rows the index found."""
    dialect = conn.dialect if hasattr(conn, "dialect") else conn.get_bind().dialect
    if dialect.name == "postgresql":
        vector: sa.ColumnClause[Any] = sa.literal_column(f"{table.name}.{VECTOR}")
        query = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), ts_query)
        found = vector.op("@@")(query)
        if recheck is None:
            return found
        standard = registry.get(obj.name)
        fields = (group_fields(standard)[recheck] if standard else []) + list(custom_columns(obj, recheck))
        words: sa.ColumnClause[Any] = sa.literal_column(_pg_words(_concat(fields, f"{table.name}.")))
        return sa.and_(found, words.op("@@")(query))
    fts = sa.table(f"search_{obj.table}", sa.column("rowid"))
    hits = sa.select(fts.c.rowid).where(sa.literal_column(f"search_{obj.table}").op("MATCH")(fts_query))
    return sa.literal_column(f"{table.name}.rowid").in_(hits)
