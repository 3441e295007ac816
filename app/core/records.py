"""The record service: create, update, upsert, delete and retrieve, with assignment rules and the outbox.

Both doors call it with plain options (which rule runs, whether the new owner is notified); everything a call
writes happens inside the caller's unit of work, each record inside its own savepoint.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from sfmock.core import recycle_bin
from sfmock.core.assignment import check_option, route, rule_for
from sfmock.core.auto_response import AutoResponse, auto_response
from sfmock.core.case_teams import apply_teams
from sfmock.core.clock import now as clock_now
from sfmock.core.errors import CallError, RecordError, SalesforceError, invalid_type
from sfmock.core.notifications import assignment_messages
from sfmock.core.options import NO_ASSIGNMENT, WEB_FORM, Assignment
from sfmock.core.owners import check_deactivation
from sfmock.core.ports import Store
from sfmock.core.record_reads import RecordReads, limit
from sfmock.core.references import check_references, check_unique_username
from sfmock.core.results import RecordInput, SaveResult
from sfmock.core.rules.context import formula_context
from sfmock.core.schema import SObjectDef
from sfmock.core.validation import (
    check_record_type,
    check_required,
    check_unique,
    full_name,
    read_values,
    record_type_defaults,
)

ROLLED_BACK = (
    "Record rolled back because not all records were valid and the request was using AllOrNone header"
)


class _Rollback(Exception):
    """Leaves the all-or-none savepoint so that everything written inside it is undone."""


class RecordService(RecordReads):
    def __init__(self, store: Store, *, user_id: str, api: str, link_base: str = "",
                 clock: Callable[[], datetime] = clock_now) -> None:
        self.store = store
        self.user_id = user_id
        self.api = api
        self.link_base = link_base
        self.clock = clock
        # A call's records share their rule: read it once per call, not once per record.
        self._rules: dict[tuple[str, Assignment], Any] = {}

    # --- writes -------------------------------------------------------------------------------------
    def create(self, records: Sequence[RecordInput | SalesforceError], *,
               assignment: Assignment = NO_ASSIGNMENT,
               notify_owner: bool = False, all_or_none: bool = False, auto_response: bool = False,
               ) -> list[SaveResult]:
        """`auto_response`: run the active auto-response rule (SOAP EmailHeader.triggerAutoResponseEmail)."""
        respond = AutoResponse() if auto_response else None
        return self._write(records, lambda r: self._create_one(r, assignment, notify_owner, respond),
                           all_or_none)

    def submit(self, record: RecordInput, *, response: AutoResponse) -> SaveResult:
        """A Lead or Case arriving by Web-to-Lead, Web-to-Case or Email-to-Case: the active assignment rule
        (or the default owner) with its notification, then the auto-response rule, all automatic (Help "Set Up
        Auto-Response Rules"; salesforce-rules-mail-web.md §1, §7). Raises the record's error, if any."""
        return self._create_one(record, WEB_FORM, True, response)

    def update(self, records: Sequence[RecordInput | SalesforceError], *,
               assignment: Assignment = NO_ASSIGNMENT,
               notify_owner: bool = False, all_or_none: bool = False) -> list[SaveResult]:
        return self._write(records, lambda r: self._update_one(r, assignment, notify_owner), all_or_none)

    def upsert(self, external_id_field: str, records: Sequence[RecordInput], *,
               assignment: Assignment = NO_ASSIGNMENT, notify_owner: bool = False, all_or_none: bool = False,
               update_assignment: Assignment | None = None, auto_response: bool = False) -> list[SaveResult]:
        """`assignment` applies to the records created; `update_assignment` (default: the same) to the ones
        updated, for protocols whose options differ between the two."""
        on_update = assignment if update_assignment is None else update_assignment
        return self._write(
            records, lambda r: self._upsert_one(external_id_field, r, assignment, on_update, notify_owner,
                                                AutoResponse() if auto_response else None), all_or_none)

    def delete(self, record_ids: Sequence[str], *, all_or_none: bool = False) -> list[SaveResult]:
        return self._write([RecordInput(None, id=i) for i in record_ids], self._delete_one, all_or_none)

    def undelete(self, record_ids: Sequence[str], *, all_or_none: bool = False) -> list[SaveResult]:
        return self._write([RecordInput(None, id=i) for i in record_ids],
                           lambda r: recycle_bin.undelete_one(self, r), all_or_none)

    def empty_recycle_bin(self, record_ids: Sequence[str]) -> list[SaveResult]:
        return self._write([RecordInput(None, id=i) for i in record_ids],
                           lambda r: recycle_bin.purge_one(self, r), False)

    def _write(self, records: Sequence[Any], one: Callable[[Any], SaveResult],
               all_or_none: bool) -> list[SaveResult]:
        """`records` may hold errors in place of records a door already refused (no Id on an update, a bad
        JSON value): they count toward the 200-record limit, fail in their place and, with all_or_none, undo
        the others, so that every door (collections, composite, Bulk) shares this one path."""
        limit(len(records))
        for record in records:
            if isinstance(record, SalesforceError):
                continue
            if record.sobject is not None and self.store.schema.get(record.sobject) is None:
                if not record.sobject.strip():
                    # Salesforce's answer to an sObject without a type (Partner API create()).
                    raise CallError("INVALID_TYPE", "Must send a concrete entity type.")
                raise invalid_type(record.sobject)
        results: list[SaveResult] = []
        try:
            # All-or-none wraps the call in one more savepoint, to undo the records that did succeed.
            with self.store.savepoint() if all_or_none else nullcontext(), self.store.batched_inserts():
                for record in records:
                    if isinstance(record, SalesforceError):
                        results.append(SaveResult.failed(record))
                        continue
                    try:
                        with self.store.savepoint():
                            results.append(one(record))
                    except SalesforceError as error:
                        if isinstance(error, CallError):
                            raise
                        results.append(SaveResult.failed(error))
                if all_or_none and not all(r.success for r in results):
                    raise _Rollback
        except _Rollback:
            results = [
                r if not r.success else SaveResult.failed(RecordError("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                                                      ROLLED_BACK))
                for r in results
            ]
        return results

    def _create_one(self, record: RecordInput, assignment: Assignment, notify: bool,
                    respond: AutoResponse | None = None) -> SaveResult:
        sobject = self._sobject(record.sobject)
        if not sobject.createable:
            raise RecordError("INVALID_TYPE_FOR_OPERATION",
                              f"entity type cannot be inserted: {sobject.label}")
        if record.values.get("Id") not in (None, ""):
            raise RecordError("INVALID_FIELD", "The Id field should not be specified in the sobject data.",
                              ["Id"])
        values = read_values(sobject, record.values, record.fields_to_null, creating=True)
        check_references(self.store, sobject, values)
        check_unique_username(self.store, sobject, values, None)
        check_unique(self.store, sobject, values, None)
        row = self._defaults(sobject) | values
        record_type_defaults(sobject, row, values)
        check_record_type(sobject, row, values)
        if not row.get("OwnerId") and sobject.field("OwnerId"):
            row["OwnerId"] = self.user_id
        self._computed(sobject, row)
        check_required(sobject, row)
        row["Id"] = self.store.new_ids(sobject.key_prefix)[0]
        if sobject.name == "Case":
            # CaseNumber is an auto-number; a new org's first case is 00001000 (Salesforce's default format).
            row["CaseNumber"] = f"{999 + self.store.next_number('CaseNumber'):08d}"
        # Assignment runs after the save in Salesforce, so criteria see the Id and CaseNumber (real rule files
        # use `Case.CaseNumber notEqual` as "always true").
        routing = self._assign(self._rule(sobject.name, assignment), row, sobject, assignment)
        self.store.insert(sobject.name, row)
        self._teams(routing, row)
        self._notify(routing, row, sobject, notify)
        if respond is not None:
            self._respond(row, sobject, respond)
        return SaveResult.ok(row["Id"], created=True, routing=routing)

    def _update_one(self, record: RecordInput, assignment: Assignment, notify: bool) -> SaveResult:
        if not record.id:
            raise RecordError("MISSING_ARGUMENT", "Id not specified in an update call", ["Id"])
        record_id = self._parse_id(record.id)
        sobject = self._sobject(record.sobject) if record.sobject else self._sobject_of(record_id)
        existing = self._existing(sobject, record_id)
        if not sobject.updateable:
            raise RecordError("INVALID_TYPE_FOR_OPERATION", f"entity type cannot be updated: {sobject.label}")
        values = read_values(sobject, record.values, record.fields_to_null, creating=False)
        check_references(self.store, sobject, {k: v for k, v in values.items() if v != existing.get(k)})
        check_unique_username(self.store, sobject, values, record_id)
        check_unique(self.store, sobject, values, record_id)
        row = existing | values
        check_record_type(sobject, row, values)
        self._computed(sobject, row)
        check_required(sobject, row)
        if sobject.name == "User" and existing.get("IsActive") and row.get("IsActive") is False:
            check_deactivation(self.store, existing)
        routing = self._assign(self._rule(sobject.name, assignment), row, sobject, assignment, existing)
        changed = {k: v for k, v in row.items() if v != existing.get(k)}
        changed |= self._stamp(modified_only=True)
        self.store.update(sobject.name, record_id, changed)
        self._teams(routing, row)
        self._notify(routing, row, sobject, notify)
        return SaveResult.ok(record_id, created=False, routing=routing)

    def _upsert_one(self, field_name: str, record: RecordInput, assignment: Assignment, on_update: Assignment,
                    notify: bool, respond: AutoResponse | None = None) -> SaveResult:
        sobject = self._sobject(record.sobject)
        field = sobject.field(field_name)
        if field is None or not (field.external_id or field.id_lookup):
            raise CallError("INVALID_FIELD", f"Field name provided, {field_name} is not an External ID or "
                            f"indexed field for {sobject.name}", [field_name])
        if field.name == "Id":
            if not record.values.get("Id") and not record.id:
                return self._create_one(record, assignment, notify, respond)
            values = {k: v for k, v in record.values.items() if k.lower() != "id"}
            target = RecordInput(record.sobject, values, record.fields_to_null,
                                 record.id or record.values["Id"])
            return self._update_one(target, on_update, notify)
        key = next((v for k, v in record.values.items() if k.lower() == field.name.lower()), None)
        if key in (None, ""):
            raise RecordError("MISSING_ARGUMENT", f"{field.name} not specified", [field.name])
        matches = self.external_matches(sobject.name, field.name, key)
        if len(matches) > 1:
            raise RecordError("DUPLICATE_EXTERNAL_ID", f"Duplicate external id specified: {key}",
                              [field.name])
        if not matches:
            return self._create_one(record, assignment, notify, respond)
        return self._update_one(RecordInput(sobject.name, record.values, record.fields_to_null,
                                            matches[0]["Id"]),
                                on_update, notify)

    def _delete_one(self, record: RecordInput) -> SaveResult:
        record_id = self._parse_id(record.id)
        sobject = self._sobject_of(record_id)
        self._existing(sobject, record_id)
        if not sobject.deletable:
            raise RecordError("INVALID_TYPE_FOR_OPERATION", f"entity type cannot be deleted: {sobject.label}")
        self.store.update(sobject.name, record_id, {"IsDeleted": True} | self._stamp(modified_only=True))
        return SaveResult.ok(record_id)

    # --- pieces -------------------------------------------------------------------------------------
    def _stamp(self, *, modified_only: bool = False) -> dict[str, Any]:
        now = self.clock()
        stamp = {"LastModifiedDate": now, "LastModifiedById": self.user_id, "SystemModstamp": now}
        return stamp if modified_only else stamp | {"CreatedDate": now, "CreatedById": self.user_id}

    def _defaults(self, sobject: SObjectDef) -> dict[str, Any]:
        row = {f.name: f.default for f in sobject.fields if f.default is not None}
        if sobject.name == "Lead" and row.get("Status") is None:
            # The org's LeadStatus value set names its default; without one, the org's configured status.
            row["Status"] = self.store.org.lead_default_status
        return row | self._stamp() | {"IsDeleted": False}

    def _computed(self, sobject: SObjectDef, row: dict[str, Any]) -> None:
        if sobject.name in ("Lead", "User", "Contact"):
            row["Name"] = full_name(row)
        if sobject.name == "Case":
            # IsClosed follows Status: the org's CaseStatus values flagged closed (Object Reference, Case).
            row["IsClosed"] = row.get("Status") in self.store.schema.closed

    def _rule(self, sobject: str, assignment: Assignment) -> Any:
        key = (sobject, assignment)
        if key not in self._rules:
            self._rules[key] = rule_for(self.store, sobject, check_option(assignment))
        return self._rules[key]

    def _assign(self, rule: Any, row: dict[str, Any], sobject: SObjectDef, assignment: Assignment,
                prior: dict[str, Any] | None = None) -> Any:
        context = formula_context(self.store, row, user_id=self.user_id, prior=prior, now=self.clock)
        routing = route(self.store, rule, row, sobject, assignment, context)
        if routing is not None and routing.owner_id:
            row["OwnerId"] = routing.owner_id
        return routing

    def _teams(self, routing: Any, row: dict[str, Any]) -> None:
        if routing is not None and routing.teams:
            apply_teams(self.store, row["Id"], routing.teams, routing.override_teams, self._stamp())

    def _notify(self, routing: Any, row: dict[str, Any], sobject: SObjectDef, notify: bool) -> None:
        """Mail goes out only when the caller asked for it (SOAP EmailHeader.triggerUserEmail; KB 000003781)
        and the matched entry (or the default-owner setting) names a template."""
        if not notify or routing is None or not routing.template_id:
            return
        for message in assignment_messages(
            self.store, sobject=sobject.name, record=row, owner_id=row["OwnerId"],
            template_id=routing.template_id,
            reason=routing.reason, api=self.api, link_base=self.link_base,
            sender=self.store.get("User", self.user_id),
        ):
            self.store.add_mail(message)

    def _respond(self, row: dict[str, Any], sobject: SObjectDef, respond: AutoResponse) -> None:
        """The auto-response mail of a new Lead or Case (app/core/auto_response.py)."""
        context = formula_context(self.store, row, user_id=self.user_id, now=self.clock)
        message = auto_response(self.store, sobject=sobject, record=row, api=self.api, context=context,
                                default_template_id=respond.default_template_id, cc=respond.cc,
                                link_base=self.link_base)
        if message is not None:
            self.store.add_mail(message)
