"""One unit of work per API call, the same for both doors: authenticate, open the org's store, build the
record service, commit (or roll back on any error)."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.core.auth import INVALID_LOGIN, check_login
from app.core import faults
from app.core.errors import CallError, RecordError, SalesforceError
from app.core.faults import ConnectionDrop, FaultRule, LockedRows
from app.core.org import OrgSettings
from app.core.records import RecordService
from app.logs import note_call, request_headers
from app.persistence import faults as fault_rows
from app.persistence import journal as journal_rows
from app.persistence import logins, sequences
from app.persistence import sessions as session_rows
from app.persistence.db import Database
from app.persistence.orgs import open_org
from app.persistence.store import SqlStore
from app.settings import get_settings

log = logging.getLogger("sfmock")

# SOAP fault text for a bad SessionHeader (Partner API; CumulusCI fixture); REST says "Session expired or invalid".
INVALID_SESSION = "Invalid Session ID found in SessionHeader: Illegal Session"


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


def _seconds(session_seconds: int | None) -> int:
    return session_seconds if session_seconds is not None else get_settings().session_seconds


def login(db: Database, username: str, password: str, *, caller_ip: str | None,
          session_seconds: int | None = None) -> LoginOutcome:
    """Username (case-insensitive, unique across orgs) and password + security token."""
    with db.session() as sql:
        found = logins.find_user(sql, username)
        if found is None:
            raise CallError("INVALID_LOGIN", INVALID_LOGIN)
        org_id, user = found
        store = open_org(sql, org_id)
        check_login(user, password or "", store.org if store else None, caller_ip)
        token = session_rows.open_session(sql, org_id, user["Id"], _seconds(session_seconds))
        return LoginOutcome(token, store.org, user)


def open_session(db: Database, org_id: str, user_id: str, *, session_seconds: int | None = None) -> str:
    with db.session() as sql:
        return session_rows.open_session(sql, org_id, user_id, _seconds(session_seconds))


def revoke(db: Database, token: str) -> bool:
    with db.session() as sql:
        return session_rows.revoke_session(sql, token)


def logout(db: Database, session_id: str) -> None:
    revoke(db, session_id)


def session_user(db: Database, token: str) -> tuple[OrgSettings, dict[str, Any]]:
    with db.session() as sql:
        store, user = _authenticate(sql, token)
        return store.org, user


def org_user(db: Database, org_id: str, user_id: str) -> dict[str, Any] | None:
    """A user of the org (active or not), or None."""
    with db.session() as sql:
        store = open_org(sql, org_id)
        return store.get("User", user_id) if store else None


def connected_app(db: Database, client_id: str) -> dict[str, Any] | None:
    """The connected app (client_id, org_id, name, client_secret, run_as_user_id), or None."""
    with db.session() as sql:
        return logins.find_connected_app(sql, client_id)


def _authenticate(sql: Session, token: str | None) -> tuple[SqlStore, dict[str, Any]]:
    found = session_rows.find_session(sql, token or "")
    store = open_org(sql, found[0]) if found else None
    user = store.get("User", found[1]) if store and found else None
    if store is None or user is None or not user.get("IsActive"):
        raise CallError("INVALID_SESSION_ID", INVALID_SESSION)
    return store, user


@contextmanager
def api_call(db: Database, session_id: str | None, *, api: str, link_base: str = "",
             request_limit: int | None = None, operation: str = "", sobject: str | None = None) -> Iterator[ApiCall]:
    """Commits when the block ends normally; any exception rolls back everything the call wrote. A call over
    the org's daily API request limit fails with REQUEST_LIMIT_EXCEEDED (SOAP fault, REST 403). A fault rule
    armed on the org (app.core.faults) that takes the call is spent, journalled and applied first."""
    limit = request_limit if request_limit is not None else get_settings().api_request_limit
    entry = journal_rows.JournalEntry(door=api, operation=operation, headers=request_headers())
    org_id = user_id = None
    try:
        with db.session() as sql:
            store, user = _authenticate(sql, session_id)
            org_id, user_id = store.org.org_id, user["Id"]
            note_call(org=org_id, door=api, operation=operation)
            rule = fault_rows.find(sql, org_id, api, operation, sobject) if operation else None
            if rule is None:
                with _work(sql, store, user, session_id, api, link_base, limit, entry) as call:
                    yield call
        if rule is not None:
            # Spent and applied outside the call's transaction (SQLite's BEGIN IMMEDIATE holds the write lock):
            # the latency never blocks other writers, and the spent count stays spent whatever the call does.
            entry.sobject = sobject
            error = _inject(db, org_id, rule, entry)
            with db.session() as sql:
                store, user = _authenticate(sql, session_id)
                with _work(sql, store, user, session_id, api, link_base, limit, entry) as call:
                    if isinstance(error, RecordError):
                        call.service = LockedRows(call.service, error)  # type: ignore[assignment]
                    yield call
    except Exception as error:
        if org_id is not None and entry.operation:
            entry.error = error.code if isinstance(error, SalesforceError) else (
                None if isinstance(error, ConnectionDrop) else "UNKNOWN_EXCEPTION")
            with db.session() as sql:
                _journal(sql, org_id, user_id, entry)
        raise


@contextmanager
def _work(sql: Session, store: SqlStore, user: dict[str, Any], session_id: str | None, api: str, link_base: str,
          limit: int, entry: journal_rows.JournalEntry) -> Iterator[ApiCall]:
    org_id, user_id = store.org.org_id, user["Id"]
    current = sequences.bump(sql, org_id, "api_requests")
    if current > limit:
        # Text from Salesforce's API limits doc ("TotalRequests Limit exceeded.").
        raise CallError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
    service = RecordService(store, user_id=user_id, api=api, link_base=link_base)
    yield ApiCall(sql, store, store.org, user, session_id or "", service, (current, limit), entry)
    _journal(sql, org_id, user_id, entry)


def _inject(db: Database, org_id: str, rule: FaultRule, entry: journal_rows.JournalEntry) -> SalesforceError | None:
    """Spends the rule and applies it: its delay, then its error raised (a call failure, a dropped connection)
    or returned (a record failure for the writes to report per record). None when only latency was asked,
    or when another call spent the rule's last hit first."""
    with db.session() as sql:
        if not fault_rows.consume(sql, rule):
            return None
        if rule.kind == "INVALID_SESSION_ID":
            fault_rows.expire_sessions(sql, org_id)
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


def _journal(sql: Session, org_id: str, user_id: str | None, entry: journal_rows.JournalEntry) -> None:
    """The journal never decides a call's fate: a row it cannot write is logged and left out."""
    try:
        with sql.begin_nested():
            journal_rows.write(sql, org_id, user_id, entry)
    except SQLAlchemyError:
        log.exception("sfmock: could not write the journal entry for %s %s", entry.door, entry.operation)
