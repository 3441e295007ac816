"""The formula syntax tree: literals, field references, function calls and operators."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
class Call:
    name: str  # upper case: function names are case-insensitive
    args: tuple[Node, ...]
    line: int
    column: int


@dataclass(frozen=True)
class Op:
    """A binary operator (`=`, `&&`, `&`, `+`...) or a unary one (`!`, `neg`, with one operand)."""

    op: str
    args: tuple[Node, ...]
    line: int
    column: int


Node = Literal | Ref | Call | Op
