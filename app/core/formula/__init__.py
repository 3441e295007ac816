"""Salesforce's formula language as rule entries use it: a lark grammar, a type checker run when the org
loads, and an evaluator over a record (sfmock.core.formula.compile / evaluate)."""
from sfmock.core.formula.errors import FormulaError
from sfmock.core.formula.program import Formula, FormulaContext, compile_formula

__all__ = ["Formula", "FormulaContext", "FormulaError", "compile_formula"]
