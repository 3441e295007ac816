"""lark's parse tree of a SOQL or SOSL statement -> ast nodes (sfmock.soql.parser parses, this builds), with
the checks the grammar alone cannot make (escapes, literals, clause rules), and the language's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark import Token

from sfmock.core.errors import QueryError
from sfmock.soql import ast
from sfmock.soql.diagnostics import (
    error_position,
    keyword_position,
    malformed,
    unexpected,
)
from sfmock.soql.literals import Literals
from sfmock.soql.literals import at as _at
from sfmock.soql.literals import whole as _whole

# Every function SOQL knows (SOQL reference: "Aggregate Functions", "Date Functions", "FIELDS()",
# "toLabel()", "FORMAT()", "convertTimezone()", "convertCurrency()", "GROUP BY ROLLUP/CUBE", "GROUPING()").
AGGREGATES = frozenset({"COUNT", "COUNT_DISTINCT", "SUM", "AVG", "MIN", "MAX"})
DATE_FUNCTIONS = frozenset(
    {
        "CALENDAR_MONTH", "CALENDAR_QUARTER", "CALENDAR_YEAR", "DAY_IN_MONTH", "DAY_IN_WEEK", "DAY_IN_YEAR",
        "DAY_ONLY", "FISCAL_MONTH", "FISCAL_QUARTER", "FISCAL_YEAR", "HOUR_IN_DAY", "WEEK_IN_MONTH",
        "WEEK_IN_YEAR",
    }
)
FUNCTIONS = AGGREGATES | DATE_FUNCTIONS | frozenset(
    {"GROUPING", "FIELDS", "TOLABEL", "FORMAT", "CONVERTTIMEZONE", "CONVERTCURRENCY", "ROLLUP", "CUBE"}
)
# USING SCOPE values (SOQL reference, "USING SCOPE").
SCOPES = frozenset(
    {"delegated", "everything", "mine", "mine_and_my_groups", "my_territory", "my_team_territory", "team"}
)
MAX_OFFSET = 2000  # SOQL reference, "OFFSET": "The maximum offset is 2,000 rows."
_WITH_FILTERS = frozenset({"SECURITY_ENFORCED", "USER_MODE", "SYSTEM_MODE"})


def _tagged(children: list, tag: str) -> list:
    return [c[1] for c in children if isinstance(c, tuple) and len(c) == 2 and c[0] == tag]


def _keyword_comparison(op: str, value_at: int) -> Callable[[Any, list], ast.Comparison]:
    """A Transformer method for a comparison written with keywords (LIKE, IN, NOT IN, INCLUDES, EXCLUDES)."""
    def build(self: Any, children: list) -> ast.Comparison:
        return ast.Comparison(children[0], op, children[value_at], children[0].at)

    return build


class Builder(Literals):
    """Turns lark's parse tree into ast nodes; checks what the grammar alone cannot (escapes, literals)."""

    # --- query and clauses ---------------------------------------------------------------------------
    def start(self, children: list) -> ast.Query:
        return children[0]

    def sosl(self, children: list) -> ast.Search:
        term = children[1]
        scope = _tagged(children, "in")
        objects = _tagged(children, "returning")
        limit = _tagged(children, "limit")
        return ast.Search(
            text=self.text,
            term=term[1:-1],
            scope=scope[0] if scope else "ALL",
            objects=tuple(objects[0]) if objects else (),
            limit=limit[0] if limit else None,
        )

    def sosl_in(self, children: list) -> tuple:
        group, fields = children[1], children[2]
        if group.upper() not in ("ALL", "NAME", "EMAIL", "PHONE", "SIDEBAR"):
            raise self._unexpected(group)
        if fields.upper() != "FIELDS":
            raise self._unexpected(fields)
        return ("in", group.upper())

    def sosl_returning(self, children: list) -> tuple:
        return ("returning", [c for c in children if isinstance(c, ast.SearchObject)])

    def sosl_object(self, children: list) -> ast.SearchObject:
        name = children[0]
        rest = children[1:]
        select = rest[0] if rest and isinstance(rest[0], list) else []
        where = _tagged(rest, "where")
        order = _tagged(rest, "order")
        limit = _tagged(rest, "limit")
        offset = _tagged(rest, "offset")
        return ast.SearchObject(
            name=str(name), at=_at(name), select=tuple(select), where=where[0] if where else None,
            order_by=tuple(order[0]) if order else (), limit=limit[0] if limit else None,
            offset=offset[0] if offset else None,
        )

    def sosl_with(self, children: list) -> tuple:
        # WITH DIVISION / DATA CATEGORY / NETWORK / SNIPPET / SPELL_CORRECTION / METADATA / HIGHLIGHT …:
        # accepted and ignored (none of them changes which records sfmock finds).
        return ("with", str(children[1]).upper())

    def query(self, children: list) -> ast.Query:
        select = children[1]
        name = children[3]
        clauses = children[4:]
        where = _tagged(clauses, "where")
        order = _tagged(clauses, "order")
        limit = _tagged(clauses, "limit")
        offset = _tagged(clauses, "offset")
        for_ = _tagged(clauses, "for")
        with_ = _tagged(clauses, "with")
        group = _tagged(clauses, "group")
        having = _tagged(clauses, "having")
        scope = _tagged(clauses, "scope")
        update = _tagged(clauses, "update")
        group_by, group_at, group_kind = group[0] if group else ((), None, None)
        if having and not group:
            # [UNCONFIRMED text] Salesforce refuses HAVING without GROUP BY (SOQL reference, "HAVING").
            at = keyword_position(self.text, "HAVING")
            raise malformed(self.text, at, "HAVING clause requires GROUP BY")
        if not group and not any(isinstance(i, ast.CallItem) and i.call.name in AGGREGATES for i in select):
            # Only an aggregate query names its columns: elsewhere a word after a field is a syntax error
            # ("SELECT Id FROMM Lead" -> unexpected token: 'FROMM').
            for item in select:
                if isinstance(item, ast.FieldItem) and item.alias_at is not None and item.alias is not None:
                    raise unexpected(self.text, error_position(self.text, item.alias_at.offset), item.alias)
        return ast.Query(
            text=self.text,
            select=tuple(select),
            sobject=str(name),
            sobject_at=_at(name),
            where=where[0] if where else None,
            order_by=tuple(order[0]) if order else (),
            limit=limit[0] if limit else None,
            offset=offset[0] if offset else None,
            for_=tuple(for_[0]) if for_ else (),
            with_=with_[0] if with_ else None,
            group_by=group_by,
            group_at=group_at,
            group_kind=group_kind,
            having=having[0] if having else None,
            scope=scope[0] if scope else None,
            update=tuple(update[0]) if update else (),
        )

    def select_list(self, children: list) -> list:
        return children

    def field_item(self, children: list) -> ast.FieldItem:
        if len(children) > 1:
            return ast.FieldItem(children[0], str(children[1]), _at(children[1]))
        return ast.FieldItem(children[0])

    def call_item(self, children: list) -> ast.CallItem:
        return ast.CallItem(children[0], str(children[1]) if len(children) > 1 else None)

    def call(self, children: list) -> ast.Call:
        name = children[0]
        if name.upper() not in FUNCTIONS:
            # [UNCONFIRMED text] an unknown function name is refused where it stands.
            raise self._unexpected(name)
        return ast.Call(name.upper(), tuple(children[1:]), _at(name))

    def subquery(self, children: list) -> ast.SubqueryItem:
        query = children[0]
        return ast.SubqueryItem(query, query.sobject_at)

    def typeof(self, children: list) -> ast.TypeofItem:
        whens = tuple(c[1] for c in children if isinstance(c, tuple) and c[0] == "when")
        otherwise = next((c[1] for c in children if isinstance(c, tuple) and c[0] == "else"), ())
        return ast.TypeofItem(str(children[1]), whens, otherwise, _at(children[1]))

    def typeof_when(self, children: list) -> tuple:
        return ("when", (str(children[1]), tuple(children[3:])))

    def typeof_else(self, children: list) -> tuple:
        return ("else", tuple(children[1:]))

    def using_clause(self, children: list) -> tuple:
        if children[1].upper() != "SCOPE":
            raise self._unexpected(children[1])
        if children[2].lower() not in SCOPES:
            raise self._unexpected(children[2])
        return ("scope", children[2].lower())

    def group_clause(self, children: list) -> tuple:
        items = tuple(children[1:])
        kind = None
        if len(items) == 1 and isinstance(items[0], ast.Call) and items[0].name in ("ROLLUP", "CUBE"):
            kind, items = items[0].name, items[0].args
        for item in items:
            if isinstance(item, ast.Call) and item.name in ("ROLLUP", "CUBE"):
                raise self._unexpected_at(item.at, item.name)
        return ("group", (items, _at(children[0]), kind))

    def _unexpected_at(self, at: ast.Position, shown: str) -> QueryError:
        return unexpected(self.text, at, shown)

    def having_clause(self, children: list) -> tuple:
        return ("having", children[1])

    def update_clause(self, children: list) -> tuple:
        names = [str(t).upper() for t in children[1:]]
        for token in children[1:]:
            if token.upper() not in ("TRACKING", "VIEWSTAT"):
                raise self._unexpected(token)
        return ("update", names)

    def count_rows(self, children: list) -> ast.CountItem:
        return ast.CountItem(None, None, _at(children[0]))

    def count_field(self, children: list) -> ast.CountItem:
        alias = str(children[2]) if len(children) > 2 else None
        return ast.CountItem(children[1], alias, _at(children[0]))

    def field_path(self, children: list) -> ast.FieldPath:
        return ast.FieldPath(tuple(str(t) for t in children), _at(children[0]))

    def with_clause(self, children: list) -> tuple:
        if children[1].upper() not in _WITH_FILTERS:
            raise self._unexpected(children[1])
        return ("with", children[1].upper())

    def where_clause(self, children: list) -> tuple:
        return ("where", children[1])

    def order_clause(self, children: list) -> tuple:
        return ("order", [c for c in children if isinstance(c, ast.OrderItem)])

    def order_item(self, children: list) -> ast.OrderItem:
        desc = _tagged(children[1:], "desc")
        nulls = _tagged(children[1:], "nulls_first")
        return ast.OrderItem(children[0], bool(desc and desc[0]), nulls[0] if nulls else None)

    def direction(self, children: list) -> tuple:
        return ("desc", children[0].type == "DESC")

    def nulls(self, children: list) -> tuple:
        return ("nulls_first", children[1].type == "FIRST")

    def _count(self, token: Token) -> int:
        if not token.isdigit():
            raise self._unexpected(token)
        return _whole(token)

    def limit_clause(self, children: list) -> tuple:
        return ("limit", self._count(children[1]))

    def offset_clause(self, children: list) -> tuple:
        offset = self._count(children[1])
        if offset > MAX_OFFSET:
            # SOQL reference, "OFFSET": more than 2,000 fails with NUMBER_OUTSIDE_VALID_RANGE.
            raise QueryError(
                "NUMBER_OUTSIDE_VALID_RANGE",
                f"Maximum SOQL offset allowed is {MAX_OFFSET}",
                children[1].line,
                children[1].column,
            )
        return ("offset", offset)

    def for_clause(self, children: list) -> tuple:
        for token in children[1:]:
            if token.type == "UPDATE":
                # FOR UPDATE locks rows in Apex; the API refuses it.
                raise malformed(self.text, _at(token), "FOR UPDATE not allowed in this context")
        return ("for", [t.type for t in children[1:]])

    # --- conditions ----------------------------------------------------------------------------------
    def and_chain(self, children: list) -> ast.And:
        return ast.And(tuple(c for c in children if not isinstance(c, Token)))

    def or_chain(self, children: list) -> ast.Or:
        return ast.Or(tuple(c for c in children if not isinstance(c, Token)))

    def negation(self, children: list) -> ast.Not:
        return ast.Not(children[1])

    def compare(self, children: list) -> ast.Comparison:
        path, op, value = children
        return ast.Comparison(path, "!=" if op == "<>" else str(op), value, path.at)

    # `path KEYWORD... value`: the operator, and where the value stands after the keyword tokens (NOT IN has
    # two).
    like = _keyword_comparison("LIKE", 2)
    semi_join = in_list = _keyword_comparison("IN", 2)
    anti_join = not_in_list = _keyword_comparison("NOT IN", 3)
    includes = _keyword_comparison("INCLUDES", 2)
    excludes = _keyword_comparison("EXCLUDES", 2)

    def value_list(self, children: list) -> tuple:
        return tuple(children)
