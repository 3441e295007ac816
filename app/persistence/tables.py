"""The database tables: one per sObject, built from the schema registry, plus sfmock's own bookkeeping.

The schema in a database comes only from the Alembic migrations; these Table objects describe it for queries
(and a test checks that the migrations and these tables agree).
"""
from __future__ import annotations

import sqlalchemy as sa

from sfmock.core.schema import SObjectDef, registry
from sfmock.core.schema.slots import CUSTOMIZABLE, INDEXED, STRING_SLOT_LENGTH, all_columns

metadata = sa.MetaData()

_TYPES: dict[str, type[sa.types.TypeEngine]] = {
    "boolean": sa.Boolean,
    "double": sa.Float,
    "currency": sa.Float,
    "percent": sa.Float,
    "int": sa.Integer,
    "date": sa.Date,
    "datetime": sa.DateTime,  # naive, UTC
}


def _column_type(field_type: str, length: int) -> sa.types.TypeEngine:
    if field_type in _TYPES:
        return _TYPES[field_type]()
    if field_type in ("textarea",) or length > 4000:
        return sa.Text()
    return sa.String(max(length, 18))


_SLOT_TYPES: dict[str, sa.types.TypeEngine] = {
    "string": sa.String(STRING_SLOT_LENGTH), "text": sa.Text(), "number": sa.Float(), "boolean": sa.Boolean(),
    "date": sa.Date(), "datetime": sa.DateTime(),
}


def _slots(table: sa.Table) -> None:
    """The custom-field slot columns (app/core/schema/slots.py), each filterable one with a partial index
    that only holds the rows of orgs that use it."""
    for name, kind in all_columns():
        column = sa.Column(name, _SLOT_TYPES[kind], nullable=True)
        table.append_column(column)
        if kind in INDEXED:
            # SOQL compares text case-insensitively (app/soql/filters.py: lower(column) = lower(value), with
            # column IS NOT NULL), so a text slot's index is on lower(column) and its rows that hold a value.
            where = column.is_not(None)
            key = sa.func.lower(column) if kind == "string" else column
            sa.Index(f"ix_{table.name}_{name}", table.c.org_id, key, sqlite_where=where,
                     postgresql_where=where)

# Indexes that keep the queries CI suites run most flat as the table grows (issue 9: `WHERE Company = 'X'`,
# `ORDER BY CreatedDate DESC LIMIT 10`); migration 0004_performance creates them.
_QUERY_INDEXES = {"Lead": ("Company", "CreatedDate"), "Case": ("CreatedDate",)}


def _sobject_table(obj: SObjectDef) -> sa.Table:
    columns = [sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"),
                         nullable=False)]
    for f in obj.fields:
        columns.append(sa.Column(f.name, _column_type(f.type, f.length), primary_key=f.name == "Id"))
    table = sa.Table(obj.table, metadata, *columns)
    if obj.name in CUSTOMIZABLE:
        _slots(table)
    sa.Index(f"ix_{obj.table}_org", table.c.org_id, table.c.Id)
    for name in ("OwnerId", "Username", "DeveloperName", "GroupId", "QueueId", "Email", "SobjectType",
                 "AccountId",
                 "ContactId"):
        if name in table.c:
            sa.Index(f"ix_{obj.table}_{name.lower()}", table.c.org_id, table.c[name])
    for name in _QUERY_INDEXES.get(obj.name, ()):
        column = table.c[name]
        # SOQL compares text case-insensitively, as lower(column) = lower(value) (sfmock.soql.filters), and a
        # query without ORDER BY is ordered by Id: with Id in the index, SQLite picks it over (org_id, Id).
        keys = (sa.func.lower(column), table.c.Id) if isinstance(column.type, sa.String) else (column,)
        sa.Index(f"ix_{obj.table}_{name.lower()}", table.c.org_id, *keys)
    if obj.name == "User":
        # Usernames are unique across all orgs, whatever their case (the core checks first; this is the
        # backstop).
        sa.Index("uq_sobj_user_username_lower", sa.func.lower(table.c.Username), unique=True)
    return table


# An org's own schema (app/core/schema/org_schema.py spec, as JSON): what its metadata adds to the standard
# objects.
org_schemas = sa.Table(
    "org_schemas",
    metadata,
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("definition", sa.Text, nullable=False),
)

orgs = sa.Table(
    "orgs",
    metadata,
    sa.Column("id", sa.String(18), primary_key=True),
    sa.Column("number", sa.Integer, nullable=False, unique=True),
    sa.Column("name", sa.String(80), nullable=False),
    # The org's own settings (sfmock.core.org.OrgSettings), as JSON text.
    sa.Column("settings", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # Bumped by every configuration change (settings, users, queues, rules, templates): the key of each
    # process's cache of the org (sfmock.persistence.org_cache).
    sa.Column("config_version", sa.BigInteger, nullable=False, server_default="0"),
)

# Per-org counters: record numbers per key prefix, CaseNumber, API request count.
sequences = sa.Table(
    "sequences",
    metadata,
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

# The global org counter lives in the row with name "org" of this table.
global_sequences = sa.Table(
    "global_sequences",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

# Rule entries of an AssignmentRule (the sObject row is in sobj_assignmentrule), in order, as JSON.
assignment_rule_entries = sa.Table(
    "assignment_rule_entries",
    metadata,
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("rule_id", sa.String(18), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("definition", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("rule_id", "position"),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token", sa.String(128), primary_key=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", sa.String(18), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
    # The SHA-256 hash (sfmock.persistence.oauth_grants) of the refresh token this access token was issued
    # with or from; revoking that refresh token revokes it (migration 0012).
    sa.Column("refresh_token_hash", sa.String(64), nullable=True),
    sa.Index("ix_sessions_refresh_token", "refresh_token_hash"),
)

connected_apps = sa.Table(
    "connected_apps",
    metadata,
    sa.Column("client_id", sa.String(255), primary_key=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("client_secret", sa.String(255), nullable=False),
    sa.Column("run_as_user_id", sa.String(18), nullable=True),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("recipient", sa.String(255), nullable=False),
    sa.Column("cc", sa.String(1000), nullable=True),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("template_name", sa.String(255), nullable=True),
    sa.Column("record_id", sa.String(18), nullable=False),
    sa.Column("record_type", sa.String(40), nullable=False),
    sa.Column("reason", sa.String(40), nullable=False),
    sa.Column("api", sa.String(10), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    # From and Reply-To as Salesforce sends the mail (migration 0004_rules_mail).
    sa.Column("sender_name", sa.String(255), nullable=True),
    sa.Column("sender_email", sa.String(255), nullable=True),
    sa.Column("reply_to", sa.String(255), nullable=True),

    # SMTP relay (app/relay.py): null = not relayed (relay off), "pending", "sent" or "failed".
    sa.Column("delivery_status", sa.String(20), nullable=True),
    sa.Column("delivery_error", sa.Text, nullable=True),
    sa.Column("delivery_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("delivery_next_at", sa.DateTime, nullable=True),
    sa.Column("delivered_at", sa.DateTime, nullable=True),
    sa.Index("ix_outbox_org", "org_id", "id"),
)

# Auto-response rules (autoResponseRules/Lead|Case.autoResponseRules): no API object, so one row per rule with
# its entries as a JSON list (migration 0004_rules_mail).
auto_response_rules = sa.Table(
    "auto_response_rules",
    metadata,
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sobject_type", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(120), primary_key=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("entries", sa.Text, nullable=False),
)

# Web-to-Lead / Web-to-Case submissions: the rolling 24-hour count behind the daily limits and the shared
# pending queue (status "pending") for what arrives over the limit (KB 000382807).
web_submissions = sa.Table(
    "web_submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("sobject", sa.String(10), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("form", sa.Text, nullable=False),
    sa.Column("record_id", sa.String(18), nullable=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_web_submissions_org", "org_id", "status", "at"),
)

query_cursors = sa.Table(
    "query_cursors",
    metadata,
    sa.Column("id", sa.String(18), primary_key=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("soql", sa.Text, nullable=False),
    sa.Column("include_deleted", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# The request journal: what each API call asked for (door, operation, assignment option, email flags) and got.
journal = sa.Table(
    "journal",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("door", sa.String(10), nullable=False),
    sa.Column("operation", sa.String(40), nullable=False),
    # Text: a call may name several types, and REST's Sforce-Auto-Assign is journalled exactly as sent.
    sa.Column("sobject", sa.Text, nullable=True),
    sa.Column("user_id", sa.String(18), nullable=True),
    sa.Column("assignment", sa.Text, nullable=True),
    # JSON: the email flags that arrived (SOAP EmailHeader), or null.
    sa.Column("email", sa.Text, nullable=True),
    sa.Column("record_count", sa.Integer, nullable=False, default=0),
    # JSON list: one status code per record ("OK" or the first error's code), or the call's fault code.
    sa.Column("results", sa.Text, nullable=False),
    sa.Column("error", sa.String(80), nullable=True),
    # The injected fault (app/persistence/faults.py) that shaped this call, or null.
    sa.Column("fault", sa.String(40), nullable=True),
    # JSON: the ids of the records the call wrote (one per result, null for a failed one), and the HTTP
    # headers as they arrived (credentials masked), for the console's record history and journal.
    sa.Column("record_ids", sa.Text, nullable=True),
    sa.Column("headers", sa.Text, nullable=True),
    # JSON, one per result (or null): what the assignment rule decided when it ran (rule, entry, why, owner;
    # sfmock.core.rules.explain.decision), so the console shows it even after the rule changes.
    sa.Column("assignments", sa.Text, nullable=True),
    sa.Index("ix_journal_org", "org_id", "id"),
)

# OAuth beyond sessions (migration 0004): refresh tokens and authorization codes, kept as SHA-256 hashes, and
# what a connected app adds to its id and secret (the JWT bearer certificate, whether it issues refresh
# tokens).
oauth_refresh_tokens = sa.Table(
    "oauth_refresh_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", sa.String(18), nullable=False),
    sa.Column("client_id", sa.String(255), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)
oauth_codes = sa.Table(
    "oauth_codes",
    metadata,
    sa.Column("code_hash", sa.String(64), primary_key=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", sa.String(18), nullable=False),
    sa.Column("client_id", sa.String(255), nullable=False),
    sa.Column("redirect_uri", sa.Text, nullable=False),
    sa.Column("code_challenge", sa.String(255), nullable=True),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("used", sa.Boolean, nullable=False, default=False),
)
connected_app_oauth = sa.Table(
    "connected_app_oauth",
    metadata,
    sa.Column("client_id", sa.String(255), sa.ForeignKey("connected_apps.client_id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("certificate", sa.Text, nullable=True),
    sa.Column("refresh_tokens", sa.Boolean, nullable=False, default=True),
)

# Fault and latency injection rules per org: which calls (door, operation, sObject; null = any) fail how.
faults = sa.Table(
    "faults",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("door", sa.String(10), nullable=True),
    sa.Column("operation", sa.String(40), nullable=True),
    sa.Column("sobject", sa.String(80), nullable=True),
    # Calls left to hit (null = every matching call); probability in (0, 1] (null = always).
    sa.Column("remaining", sa.Integer, nullable=True),
    sa.Column("probability", sa.Float, nullable=True),
    sa.Column("delay_ms", sa.Integer, nullable=False, server_default="0"),
    sa.Column("hits", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Index("ix_faults_org", "org_id", "id"),
)

# Where `serve --org PATH` loaded an org from, and a digest of its files: a restart reloads the org when they
# changed (app/orgs/sources.py).
org_sources = sa.Table(
    "org_sources",
    metadata,
    sa.Column("org_id", sa.String(18), sa.ForeignKey("orgs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("path", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("loaded_at", sa.DateTime, nullable=False),
)


_SOBJECT_TABLES = {obj.name: _sobject_table(obj) for obj in registry.all()}


def table_for(sobject: str) -> sa.Table:
    """The table of an sObject by its canonical name ("Lead")."""
    return _SOBJECT_TABLES[sobject]


# The Bulk API's tables share this metadata (the migrations test compares all of it).
from sfmock.persistence import bulk_tables, metadata_requests  # noqa: E402, F401
