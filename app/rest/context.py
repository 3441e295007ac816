"""One REST request as the handlers see it: the raw request, its body, the app's settings and database, and
the unit of work (sfmock.calls.api_call) opened for its session."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request

from sfmock import calls
from sfmock.core.options import Assignment
from sfmock.persistence import journal as journal_rows
from sfmock.rest.errors import invalid_session
from sfmock.rest.headers import auto_assign, bearer_token
from sfmock.rest.subrequests import SHARED_CALL


@dataclass
class RestContext:
    request: Request
    settings: Any
    db: Any
    body: bytes = b""
    # The API version of the path ("59.0"), when the resource is versioned.
    version: str = ""
    # (current, limit) of the org's daily API requests once a call is open: sent as Sforce-Limit-Info.
    usage: tuple[int, int] | None = None

    @property
    def headers(self) -> Any:
        return self.request.headers

    @property
    def params(self) -> Any:
        return self.request.query_params

    @property
    def data_path(self) -> str:
        """/services/data/vNN.N: the prefix of every URL Salesforce hands back (attributes.url,
        nextRecordsUrl)."""
        return f"/services/data/v{self.version}"

    def base_url(self) -> str:
        """The instance URL: settings.public_url, else this request's scheme and Host."""
        public = getattr(self.settings, "public_url", None)
        if public:
            return str(public).rstrip("/")
        host = self.request.headers.get("host") or f"{self.request.url.hostname}:{self.request.url.port}"
        return f"{self.request.url.scheme}://{host}"

    def _writes(self, operation: str) -> bool:
        """A named operation writes when it is one of the writes; an unnamed call (the Bulk 2.0 door's) when
        its HTTP method changes something."""
        if operation:
            return operation in calls.WRITES
        return self.request.method in ("POST", "PUT", "PATCH", "DELETE")

    @contextmanager
    def call(self, operation: str = "", sobject: str | None = None) -> Iterator[Any]:
        """The API call for the Bearer token: commits when the block ends normally, rolls back otherwise.
        A missing or unknown token is 401 INVALID_SESSION_ID (simple-salesforce re-logs in on exactly that).

        `operation` (with its object) names the call in the request journal (/_sfmock/orgs/{id}/journal)
        before the block runs, so that a call failing inside it is journaled too, with its error code
        (sfmock.calls.api_call); the block adds the per-record results (`call.journal.note_results`) and,
        for writes that assign, the parsed Sforce-Auto-Assign (`self.assignment(call)`). REST has no
        EmailHeader, so `email` stays empty."""
        shared = self.request.scope.get(SHARED_CALL)
        if shared is not None:
            # A subrequest of /composite or /composite/graph: inside the composite call's own transaction, in
            # a savepoint so that a failed subrequest leaves nothing behind; its journal entry is the
            # composite's.
            self.usage = tuple(shared.usage)
            with shared.store.savepoint():
                yield replace(shared, journal=journal_rows.JournalEntry(door="rest"))
            return
        token = bearer_token(self.request.headers)
        if token is None:
            raise invalid_session()
        with calls.api_call(self.db, token, api="rest", link_base=self.base_url(),
                            request_limit=self.settings.api_request_limit, write=self._writes(operation),
                            operation=operation, sobject=sobject) as call:
            self.usage = call.usage
            if operation:
                call.journal.operation, call.journal.sobject = operation, sobject
            yield call

    def assignment(self, call: Any, *, update: bool = False) -> Assignment:
        """Sforce-Auto-Assign parsed (sfmock.rest.headers.auto_assign), and the decision noted in the call's
        journal entry: what the core was asked to do, not the header as sent (the entry's `headers` has
        that)."""
        option = auto_assign(self.headers, update=update)
        call.journal.note_assignment(option)
        return option
