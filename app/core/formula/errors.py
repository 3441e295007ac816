"""The error a formula that cannot be saved raises, with Salesforce's wording and where it went wrong."""
from __future__ import annotations


class FormulaError(ValueError):
    """A formula that does not parse or type-check; `line`/`column` are 1-based within the formula text."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = f" (formula line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.message = message
        self.line = line
        self.column = column
