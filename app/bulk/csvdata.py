"""Bulk CSV: reading an uploaded batch into rows and writing result files (Bulk API 2.0 "Prepare CSV Files",
Bulk API 1.0 "Data Files")."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sfmock.core.errors import CallError

# Bulk API 2.0 "Create a Job": columnDelimiter names.
DELIMITERS = {"COMMA": ",", "BACKQUOTE": "`", "CARET": "^", "PIPE": "|", "SEMICOLON": ";", "TAB": "\t"}
LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n"}


@dataclass
class CsvBatch:
    header_line: str  # the first line exactly as uploaded (Bulk 2.0 result files repeat it)
    columns: list[str]
    rows: list[dict[str, str]]


def text_of(body: bytes) -> str:
    """UTF-8 (a BOM allowed); anything else is refused, as Salesforce refuses non-UTF-8 uploads."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # [UNCONFIRMED] Salesforce's exact wording; the code is Bulk's ClientInputError.
        raise CallError("ClientInputError", f"Invalid UTF-8 in the CSV data at byte {error.start}") from None


def read(body: bytes, delimiter: str = ",") -> CsvBatch:
    text = text_of(body)
    first_end = text.find("\n")
    header_line = (text if first_end < 0 else text[:first_end]).rstrip("\r")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = [r for r in reader if r != []]
    except csv.Error as error:
        # [UNCONFIRMED] wording; an unterminated quote fails the whole upload.
        raise CallError("ClientInputError",
                        f"Failed to parse CSV: {error} (line {reader.line_num})") from None
    if not records:
        raise CallError("ClientInputError", "Empty CSV file: no header row")
    columns = [c.strip() for c in records[0]]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if len(record) != len(columns):
            # Bulk API 1.0 "CSV" rules: every row has the header's number of fields [UNCONFIRMED wording].
            raise CallError("ClientInputError",
                            f"Failed to parse CSV: line {number} has {len(record)} fields, "
                            f"the header has {len(columns)}")
        rows.append(dict(zip(columns, record, strict=True)))
    return CsvBatch(header_line, columns, rows)


def write(rows: Iterable[Sequence[Any]], *, delimiter: str = ",", line_ending: str = "\n",
          prefix_header: str | None = None) -> str:
    """Every value quoted; `prefix_header` is a raw first line written as is (Bulk 2.0's original header)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_ending, quoting=csv.QUOTE_ALL)
    if prefix_header is not None:
        out.write(prefix_header + line_ending)
    for row in rows:
        writer.writerow(["" if v is None else _text(v) for v in row])
    return out.getvalue()


def quoted(values: Sequence[str], delimiter: str) -> str:
    return delimiter.join(f'"{v}"' for v in values)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def error_text(errors: Sequence[Sequence[Any]]) -> str:
    """A failed row's error as the result files show it: `CODE:message:Field1,Field2 --` (a row without fields
    ends `:--`; Bulk API 2.0 "Get Job Failed Record Results", Bulk API 1.0 batch results)."""
    if not errors:
        return ""
    code, message, fields = errors[0]
    return f"{code}:{message}:{','.join(fields)}{' --' if fields else '--'}"
