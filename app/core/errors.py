"""One error type for the whole core: a Salesforce status code, a message and the fields involved.

The doors only translate it: SOAP into a fault or a SaveResult error, REST into the JSON error array.
"""
from __future__ import annotations

from collections.abc import Sequence


class SalesforceError(Exception):
    """A failure Salesforce reports with a status code (REQUIRED_FIELD_MISSING, MALFORMED_ID, ...)."""

    def __init__(self, code: str, message: str, fields: Sequence[str] = ()) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.fields = list(fields)


class RecordError(SalesforceError):
    """A failure of one record: it goes into that record's result, the call itself succeeds."""


class CallError(SalesforceError):
    """A failure of the whole call: a SOAP fault, a REST error response."""


class QueryError(CallError):
    """A SOQL failure, with the 1-based row and column Salesforce reports."""

    def __init__(self, code: str, message: str, row: int = 1, column: int = 1) -> None:
        super().__init__(code, message)
        self.row = row
        self.column = column


def required_missing(fields: Sequence[str]) -> RecordError:
    return RecordError("REQUIRED_FIELD_MISSING", f"Required fields are missing: [{', '.join(fields)}]",
                       fields)


def invalid_type(sobject: str) -> CallError:
    # Salesforce's text for an unknown sObject type (Partner API, INVALID_TYPE).
    return CallError(
        "INVALID_TYPE",
        f"sObject type '{sobject}' is not supported. If you are attempting to use a custom object, be sure "
        "to append the '__c' after the entity name. Please reference your WSDL or the describe call for the "
        "appropriate names.",
    )



class RecordsLocked(CallError):
    """The call's records could not be locked within the bounded wait (another writer held them). Doors that
    answer per record (SaveResult, REST collections) put `for_records(n)` in every record's result."""

    def __init__(self, count: int = 1) -> None:
        super().__init__("UNABLE_TO_LOCK_ROW", _locked_text(count))

    @staticmethod
    def for_records(count: int) -> RecordError:
        return RecordError("UNABLE_TO_LOCK_ROW", _locked_text(count))


def _locked_text(count: int) -> str:
    # Salesforce's text, as Apex and the APIs report it ("UNABLE_TO_LOCK_ROW, unable to obtain exclusive
    # access to this record or 1 records"; Salesforce Knowledge Article 000229525 on the 10-second lock wait).
    return f"unable to obtain exclusive access to this record or {count} records"
