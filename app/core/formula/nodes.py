"""The formula syntax tree: literals, field references, function calls and operators."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeAlias, TypeVar

# The type of a Call's or an Op's operands: Node as parsed, the checker's Typed tree once fields are resolved.
N = TypeVar("N")


@dataclass(frozen=True)
class Literal:
    value: Any
    type: str  # Text | Number | Boolean | Null


@dataclass(frozen=True)
class Ref:
    """A field path as written (`Owner:User.Email`, `$User.Email`, `Email`), resolved by the checker."""

    path: str
    line: int
    column: int


@dataclass(frozen=True)
class Call(Generic[N]):
    name: str  # upper case: function names are case-insensitive
    args: tuple[N, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Op(Generic[N]):
    """A binary operator (`=`, `&&`, `&`, `+`...) or a unary one (`!`, `neg`, with one operand)."""

    op: str
    args: tuple[N, ...]
    line: int
    column: int


Node: TypeAlias = "Literal | Ref | Call[Node] | Op[Node]"
