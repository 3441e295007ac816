"""A compiled formula: parsed, type-checked against its object, ready to evaluate over records."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sfmock.core.formula.check import Checker, Typed
from sfmock.core.formula.errors import FormulaError
from sfmock.core.formula.evaluate import Evaluator, FormulaContext
from sfmock.core.formula.fields import Schema
from sfmock.core.formula.functions import BOOLEAN, FormulaRuntimeError
from sfmock.core.formula.parser import parse
from sfmock.core.schema.model import SObjectDef
from sfmock.core.schema.registry import registry

__all__ = ["Formula", "FormulaContext", "compile_formula"]


@dataclass(frozen=True)
class Formula:
    text: str
    tree: Typed
    type: str

    def evaluate(self, ctx: FormulaContext) -> Any:
        """The formula's value; FormulaRuntimeError where Salesforce shows #Error!."""
        return Evaluator(ctx).value(self.tree)

    def matches(self, ctx: FormulaContext) -> bool:
        """A rule criterion: TRUE matches; FALSE, null and a formula that errors (#Error!) do not."""
        try:
            return self.evaluate(ctx) is True
        except (FormulaRuntimeError, ArithmeticError, TypeError, ValueError):
            return False


def compile_formula(text: str, root: SObjectDef, *, prior_allowed: bool = True, want: str | None = BOOLEAN,
                    schema: Schema = registry) -> Formula:
    """Parses and checks `text` on `root`; FormulaError (Salesforce's wording, with the position) if invalid.
    Rule criteria want a Boolean: "Formula result is data type (Text), incompatible with expected data type
    (true or false)." is the formula editor's error for anything else."""
    tree, kind = Checker(root, prior_allowed=prior_allowed, schema=schema).check(parse(text))
    if want is not None and kind not in (want, "Null"):
        expected = "true or false" if want == BOOLEAN else want
        raise FormulaError(f"Formula result is data type ({kind}), incompatible with expected data type "
                           f"({expected}).")
    return Formula(text, tree, kind)
