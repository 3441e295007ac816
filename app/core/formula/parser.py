"""Formula text into a syntax tree (nodes.py) with the lark grammar in grammar.lark."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError
from lark.tree import Meta

from sfmock.core.formula.errors import FormulaError
from sfmock.core.formula.nodes import Call, Literal, Node, Op, Ref

# Help "Formula Field Limits": 3,900 characters of formula text.
MAX_LENGTH = 3900
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'"}
_KEYWORDS = {"TRUE": Literal(True, "Boolean"), "FALSE": Literal(False, "Boolean"),
             "NULL": Literal(None, "Null")}


def _unquote(text: str) -> str:
    out: list[str] = []
    body = iter(text[1:-1])
    for char in body:
        if char == "\\":
            nxt = next(body, "")
            out.append(_ESCAPES.get(nxt, nxt))
        else:
            out.append(char)
    return "".join(out)


def _where(token: Token) -> tuple[int, int]:
    return token.line or 1, token.column or 1


@v_args(inline=True)
class _Build(Transformer[Token, Node]):
    def number(self, token: Token) -> Literal:
        return Literal(float(token) if "." in token else int(token), "Number")

    def string(self, token: Token) -> Literal:
        return Literal(_unquote(str(token)), "Text")

    def ref(self, token: Token) -> Node:
        keyword = _KEYWORDS.get(str(token).upper())
        return keyword if keyword is not None else Ref(str(token), *_where(token))

    def call(self, name: Token, *args: Node | None) -> Call[Node]:
        if "." in name or ":" in name or name.startswith("$"):
            raise FormulaError(f"Syntax error. Found '{name}'", *_where(name))
        return Call(str(name).upper(), tuple(a for a in args if a is not None), *_where(name))

    def binary(self, left: Node, op: Token, right: Node) -> Op[Node]:
        return Op({"==": "=", "<>": "!="}.get(str(op), str(op)), (left, right), *_where(op))

    # The anonymous operators carry no token: their position is where the expression starts.
    @v_args(inline=True, meta=True)
    def and_op(self, meta: Meta, left: Node, right: Node) -> Op[Node]:
        return Op("&&", (left, right), meta.line, meta.column)

    @v_args(inline=True, meta=True)
    def or_op(self, meta: Meta, left: Node, right: Node) -> Op[Node]:
        return Op("||", (left, right), meta.line, meta.column)

    @v_args(inline=True, meta=True)
    def not_op(self, meta: Meta, operand: Node) -> Op[Node]:
        return Op("!", (operand,), meta.line, meta.column)

    @v_args(inline=True, meta=True)
    def negate(self, meta: Meta, operand: Node) -> Op[Node]:
        return Op("neg", (operand,), meta.line, meta.column)

    @v_args(inline=True, meta=True)
    def pow_op(self, meta: Meta, left: Node, right: Node) -> Op[Node]:
        return Op("^", (left, right), meta.line, meta.column)


@lru_cache(maxsize=1)
def _lark() -> Lark:
    return Lark((Path(__file__).parent / "grammar.lark").read_text(), parser="lalr", propagate_positions=True)


def _syntax_error(exc: UnexpectedInput, text: str) -> FormulaError:
    line, column = exc.line if exc.line > 0 else None, exc.column if exc.column > 0 else None
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        opened = text.count("(") - text.count(")")
        line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1  # the end of the text
        return FormulaError("Syntax error. Missing ')'" if opened > 0 else "Syntax error. Missing expression",
                            line, column)
    if isinstance(exc, UnexpectedCharacters):
        return FormulaError(f"Syntax error. Found '{exc.char}'", line, column)
    found = str(exc.token) if isinstance(exc, UnexpectedToken) else "?"
    if found == ",":
        return FormulaError("Syntax error. Extra ','", line, column)
    if found == ")":
        return FormulaError("Syntax error. Extra ')'", line, column)
    return FormulaError(f"Syntax error. Found '{found}'", line, column)


def parse(text: str | None) -> Node:
    """The syntax tree of `text`; FormulaError with Salesforce's wording if it does not parse."""
    if text is None or not text.strip():
        raise FormulaError("Syntax error. Missing expression")
    if len(text) > MAX_LENGTH:
        # Help "Formula Field Limits" (salesforce-rules-mail-web.md §4): 3,900 characters.
        raise FormulaError(f"Formula is too long ({len(text)} characters). Maximum length is {MAX_LENGTH} "
                           "characters.")
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text) from None
    try:
        return _Build().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, FormulaError):
            raise exc.orig_exc from None
        raise
