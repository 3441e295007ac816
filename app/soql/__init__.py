"""The SOQL engine shared by the REST and SOAP doors: parse (soql.lark), resolve against the schema registry,
translate to SQLAlchemy Core with bound parameters, run and page."""

from sfmock.soql.engine import QueryPage, QueryRecord, clamp_batch, query_more, run_query
from sfmock.soql.parser import parse

__all__ = ["QueryPage", "QueryRecord", "clamp_batch", "parse", "query_more", "run_query"]
