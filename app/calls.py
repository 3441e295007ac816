"""One unit of work per API call, the same for both doors: authenticate, open the org's store, build the
record service, commit (or roll back on any error)."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sfmock.core import faults, no_wait
from sfmock.core.auth import INVALID_LOGIN, check_login
from sfmock.core.errors import CallError, RecordError, RecordsLocked, SalesforceError
from sfmock.core.faults import ConnectionDrop, FaultRule, LockedRows
from sfmock.core.org import OrgSettings
from sfmock.core.records import RecordService
from sfmock.logs import note_call, request_headers
from sfmock.persistence import faults as fault_rows
from sfmock.persistence import journal as journal_rows
from sfmock.persistence import logins, oauth_grants
from sfmock.persistence import sessions as session_rows
from sfmock.persistence.db import Database, WriteLocked, savepoint
from sfmock.persistence.org_cache import OrgCache
from sfmock.persistence.orgs import existing_org
from sfmock.persistence.request_meter import RequestMeter
from sfmock.persistence.session_cache import SessionCache
from sfmock.persistence.store import SqlStore
from sfmock.settings import get_settings

log = logging.getLogger("sfmock")

# SOAP fault text for a bad SessionHeader (Partner API; CumulusCI fixture); REST says "Session expired or
# invalid".
INVALID_SESSION = "Invalid Session ID found in SessionHeader: Illegal Session"
# The operations that write (REST's names and SOAP's Body elements); every other call runs as a read. A REST
# /composite or /composite/graph call runs its subrequests in its own transaction, so it writes too.
WRITES = frozenset({"create", "update", "upsert", "delete", "undelete", "emptyRecycleBin", "merge",
                    "convertLead",
                    "logout", "composite", "composite/graph",
                    "deploy", "cancelDeploy"})  # the REST door's Metadata deploy requests


@dataclass
class LoginOutcome:
    session_id: str
    org: OrgSettings
    user: dict[str, Any]


@dataclass
class ApiCall:
    sql: Session
    store: SqlStore
    org: OrgSettings
    user: dict[str, Any]
    session_id: str
    service: RecordService
    usage: tuple[int, int]
    # The door fills this in (operation, object, assignment option, email flags, results); it is written when
    # the call ends, in the call's transaction, or on its own after a failure.
    journal: journal_rows.JournalEntry

    @property
    def time_zone(self) -> str:
        """The zone SOQL's date literals, FORMAT() and convertTimezone() read: the running user's
        (OrgSettings.zone_of)."""
        return self.org.zone_of(self.user)

    @property
    def now(self) -> datetime:
        """The call's "now" (date literals, the record service's stamps): the one clock
        (sfmock.core.clock), which a test may freeze in-process."""
        return self.service.clock()


def _seconds(session_seconds: int | None) -> int:
    return session_seconds if session_seconds is not None else get_settings().session_seconds


def login(db: Database, username: str, password: str, *, caller_ip: str | None,
          session_seconds: int | None = None) -> LoginOutcome:
    """Username (case-insensitive, unique across orgs) and password + security token."""
    with db.read() as sql:
        found = logins.find_user(sql, username)
        if found is None:
            raise CallError("INVALID_LOGIN", INVALID_LOGIN)
        org_id, user = found
        store = existing_org(sql, org_id)  # the org of the user just found
        check_login(user, password or "", store.org, caller_ip)
    return LoginOutcome(open_session(db, org_id, user["Id"], session_seconds=session_seconds), store.org,
                        user)


def open_session(db: Database, org_id: str, user_id: str, *, session_seconds: int | None = None,
                 refresh_token: str | None = None) -> str:
    """A session; an OAuth access token issued with or from `refresh_token` dies with it
    (revoke_refresh_token)."""
    family = oauth_grants.token_hash(refresh_token) if refresh_token else None
    with _locked_as_error(), db.session() as sql:
        return session_rows.open_session(sql, org_id, user_id, _seconds(session_seconds), family)


def revoke(db: Database, token: str) -> bool:
    SessionCache.of(db).forget(token)
    with _locked_as_error(), db.session() as sql:
        return session_rows.revoke_session(sql, token)


def revoke_refresh_token(db: Database, token: str) -> bool:
    """Revokes a refresh token "and all outstanding access tokens issued against that refresh token"
    (Salesforce Developers blog, "Revoking OAuth 2.0 access tokens and refresh tokens"; Mobile SDK guide,
    "Revoking OAuth Tokens": "If a refresh token is included, Salesforce revokes it and any associated access
    tokens")."""
    with _locked_as_error(), db.session() as sql:
        if not oauth_grants.revoke_refresh_token(sql, token):
            return False
        digests = session_rows.revoke_issued_from(sql, oauth_grants.token_hash(token))
    SessionCache.of(db).forget_digests(digests)
    return True


def logout(db: Database, session_id: str) -> None:
    revoke(db, session_id)


def session_user(db: Database, token: str) -> tuple[OrgSettings, dict[str, Any]]:
    with db.read() as sql:
        store, user = _authenticate(db, sql, token)
        return store.org, user


def session_schema(db: Database, token: str) -> tuple[OrgSettings, Any]:
    """The org and its schema (`store.schema`) of a live session (INVALID_SESSION_ID otherwise), without
    counting an API request: what a WSDL download asks."""
    with db.read() as sql:
        store, _ = _authenticate(db, sql, token)
        return store.org, store.schema


def org_user(db: Database, org_id: str, user_id: str) -> dict[str, Any] | None:
    """A user of the org (active or not), or None."""
    with db.read() as sql:
        store = OrgCache.of(db).open(sql, org_id)
        return store.get("User", user_id) if store else None


def connected_app(db: Database, client_id: str) -> dict[str, Any] | None:
    """The connected app (client_id, org_id, name, client_secret, run_as_user_id), or None."""
    with db.read() as sql:
        return logins.find_connected_app(sql, client_id)


@contextmanager
def _locked_as_error(count: int = 1) -> Iterator[None]:
    try:
        yield
    except WriteLocked:
        raise RecordsLocked(count) from None


def _authenticate(db: Database, sql: Session, token: str | None) -> tuple[SqlStore, dict[str, Any]]:
    found = SessionCache.of(db).find(sql, token or "")
    store = OrgCache.of(db).open(sql, found[0]) if found else None
    user = store.get("User", found[1]) if store and found else None
    if store is None or user is None or not user.get("IsActive"):
        raise CallError("INVALID_SESSION_ID", INVALID_SESSION)
    return store, user


@contextmanager
def api_call(db: Database, session_id: str | None, *, api: str, link_base: str = "",
             request_limit: int | None = None, write: bool = True, operation: str = "",
             sobject: str | None = None) -> Iterator[ApiCall]:
    """Commits when the block ends normally; any exception rolls back everything the call wrote. A call over
    the org's daily API request limit fails with REQUEST_LIMIT_EXCEEDED (SOAP fault, REST 403).

    A read call (`write=False`: the doors say so for every operation but the writes) runs in a read
    transaction that never waits for writers, and journals itself afterwards; a write call takes the write
    lock first and answers RecordsLocked (UNABLE_TO_LOCK_ROW) when another writer holds it past the
    database's bounded lock wait, before anything is written. A fault rule armed on the org
    (sfmock.core.faults) that takes the call is spent, journalled and applied first."""
    limit = request_limit if request_limit is not None else get_settings().api_request_limit
    entry = journal_rows.JournalEntry(door=api, operation=operation, headers=request_headers())
    org_id = user_id = None
    cache = OrgCache.of(db)
    try:
        with _locked_as_error(), (db.session() if write else db.read()) as sql:
            store, user = _authenticate(db, sql, session_id)
            org_id, user_id = store.org.org_id, user["Id"]
            note_call(org=org_id, door=api, operation=operation)
            rule = fault_rows.find(store.config.faults, api, operation, sobject) if operation else None
            if rule is None:
                with _work(db, cache, sql, store, user, session_id, api, link_base, limit, entry,
                           write) as call:
                    yield call
            else:
                no_wait.would_wait()  # the rule is spent in a write and may delay: not on the event loop
        if rule is not None:
            # Spent and applied outside the call's transaction (SQLite's BEGIN IMMEDIATE holds the write
            # lock): the latency never blocks other writers, and the spent count stays spent whatever the call
            # does.
            entry.sobject = sobject
            error = _inject(db, org_id, rule, entry)
            with _locked_as_error(), db.session() as sql:
                store, user = _authenticate(db, sql, session_id)
                with _work(db, cache, sql, store, user, session_id, api, link_base, limit, entry,
                           True) as call:
                    if isinstance(error, RecordError):
                        # LockedRows stands in for the RecordService: same methods, writes refused
                        call.service = LockedRows(call.service, error)  # type: ignore[assignment]
                    yield call
        store.pending.hand_over(cache.pool)
        if rule is None and not write and db.is_sqlite and entry.operation:
            _journal_apart(db, org_id, user_id, entry)
    except Exception as error:
        if org_id is not None and entry.operation:
            entry.error = error.code if isinstance(error, SalesforceError) else (
                None if isinstance(error, ConnectionDrop) else "UNKNOWN_EXCEPTION")
            _journal_apart(db, org_id, user_id, entry)
        raise


@contextmanager
def _work(db: Database, cache: OrgCache, sql: Session, store: SqlStore, user: dict[str, Any],
          session_id: str | None, api: str, link_base: str, limit: int, entry: journal_rows.JournalEntry,
          write: bool) -> Iterator[ApiCall]:
    org_id, user_id = store.org.org_id, user["Id"]
    current = _meter(db, cache).count(db, sql, org_id, store.config.version, limit, write=write,
                                      pending=store.pending)
    if current > limit:
        # Text from Salesforce's API limits doc ("TotalRequests Limit exceeded.").
        raise CallError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    service = RecordService(store, user_id=user_id, api=api, link_base=link_base)
    try:
        yield ApiCall(sql, store, store.org, user, session_id or "", service, (current, limit), entry)
    except no_wait.WouldWait:
        _meter(db, cache).give_back(org_id, store.config.version, current)
        raise
    # A PostgreSQL read transaction may insert without waiting for anyone (MVCC): a read's entry is written in
    # it, not in a transaction of its own. A SQLite read would have to take the write lock for it: apart.
    if write or not db.is_sqlite:
        # A failed statement in SQLite undoes only itself ("ABORT ... changes caused by prior SQL statements
        # within the same transaction are preserved and the transaction remains active", sqlite.org/
        # lang_conflict.html); PostgreSQL aborts the whole transaction: only there the entry needs a
        # savepoint.
        _journal(sql, org_id, user_id, entry, guard=not db.is_sqlite)


def _inject(db: Database, org_id: str, rule: FaultRule,
            entry: journal_rows.JournalEntry) -> SalesforceError | None:
    """Spends the rule and applies it: its delay, then its error raised (a call failure, a dropped connection)
    or returned (a record failure for the writes to report per record). None when only latency was asked,
    or when another call spent the rule's last hit first."""
    with db.session() as sql:
        if not fault_rows.consume(sql, org_id, rule):
            return None
        if rule.kind == "INVALID_SESSION_ID":
            fault_rows.expire_sessions(sql, org_id)
            SessionCache.of(db).forget_org(org_id)
    log.info("injected %s (rule %s, delay %s ms) into %s %s", rule.kind, rule.id, rule.delay_ms,
             entry.door, entry.operation)
    entry.fault = rule.kind
    if rule.delay_ms:
        time.sleep(rule.delay_ms / 1000)
    if rule.kind == "DROP_CONNECTION":
        raise ConnectionDrop(f"injected by fault rule {rule.id}")
    error = faults.error_for(rule, entry.operation)
    if error is not None and not isinstance(error, RecordError):
        raise error
    return error


def _meter(db: Database, cache: OrgCache) -> RequestMeter:
    return db.cache("requests", lambda: RequestMeter(cache.pool))


def _journal_apart(db: Database, org_id: str, user_id: str | None, entry: journal_rows.JournalEntry) -> None:
    """A read call's (or a failed call's) entry. SQLite: queued, written by the next write session or a
    moment later, so that the call never takes the write lock (sfmock.persistence.later_writes; the write
    lock keeps them in call order). PostgreSQL: written now (an insert waits for no one; queued there, a
    flush running beside the next call could number it after that call's entry)."""
    if db.is_sqlite:
        journal_rows.write_later(db.later, org_id, user_id, entry)
        return
    try:
        with db.session() as sql:
            _journal(sql, org_id, user_id, entry, guard=False)
    except WriteLocked:
        journal_rows.write_later(db.later, org_id, user_id, entry)


def _journal(sql: Session, org_id: str, user_id: str | None, entry: journal_rows.JournalEntry, *,
             guard: bool) -> None:
    """The journal never decides a call's fate: a row it cannot write is logged and left out. `guard`:
    write in a savepoint, so that a failed row leaves the call's own writes intact (its own transaction
    needs none)."""
    try:
        with savepoint(sql) if guard else nullcontext():
            journal_rows.write(sql, org_id, user_id, entry)
    except SQLAlchemyError:
        log.exception("sfmock: could not write the journal entry for %s %s", entry.door, entry.operation)
