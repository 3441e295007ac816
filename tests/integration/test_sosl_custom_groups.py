"""SOSL's field groups follow the org's schema: a custom email field is searched IN EMAIL FIELDS (and not IN
PHONE FIELDS), a custom phone field IN PHONE FIELDS, split into words as the standard Phone is, and both IN
ALL FIELDS; run three ways (the engine, REST /search, SOAP search()) on SQLite and PostgreSQL.

SOSL reference, "IN SearchGroup": ALL FIELDS "Search all searchable fields", EMAIL FIELDS "Search only email
fields", NAME FIELDS the name fields, PHONE FIELDS "Search only phone number fields". The records and the
custom fields are zones_org.py's; every expected answer is computed here from those values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from sfmock.core.errors import QueryError
from sfmock.soql.engine import QueryRecord
from sfmock.soql.sosl import run_search
from tests.integration import soql_wire
from tests.integration.zones_org import (
    LEADS,
    OLA,
    ORG,
    OTHER,
    OTHER_CODE,
    OTHER_LEAD,
    PAT,
    SEARCHABLE,
    conn,
    engine,
    schema_of,
    wire,
)

__all__ = ["conn", "engine", "wire"]

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
Search = Callable[[str, str], list[QueryRecord]]  # (sosl, user)
Values = list[str]
Match = Callable[[Values], bool]


@pytest.fixture(params=["engine", "rest", "soap"])
def search(request: pytest.FixtureRequest, engine: sa.Engine) -> Search:
    if request.param == "engine":
        connection = request.getfixturevalue("conn")

        def by_engine(sosl: str, user: str) -> list[QueryRecord]:
            org = ORG if user != OLA else OTHER
            return run_search(connection, org, sosl, now=NOW, schema=schema_of(org))

        return by_engine
    client, soap, tokens = request.getfixturevalue("wire")
    if request.param == "rest":
        return lambda sosl, user: soql_wire.rest_search(client, tokens[user], sosl)
    return lambda sosl, user: soql_wire.soap_search(soap, tokens[user], sosl)


# --- the term, read here as Salesforce documents it ("FIND {SearchQuery}") -------------------------------
def _tokens(value: str) -> list[str]:
    return re.findall(r"[^\W_]+", value.lower())


def word(text: str) -> Match:
    return lambda values: any(text in _tokens(v) for v in values)


def prefix(text: str) -> Match:
    return lambda values: any(t.startswith(text) for v in values for t in _tokens(v))


def phrase(text: str) -> Match:
    wanted = _tokens(text)

    def found(values: Values) -> bool:
        for value in values:
            tokens = _tokens(value)
            if any(tokens[i : i + len(wanted)] == wanted for i in range(len(tokens))):
                return True
        return False

    return found


def both(a: Match, b: Match) -> Match:
    return lambda values: a(values) and b(values)


def either(a: Match, b: Match) -> Match:
    return lambda values: a(values) or b(values)


def but_not(a: Match, b: Match) -> Match:
    return lambda values: a(values) and not b(values)


# The fields of each group, by object (the standard ones as sfmock's index groups them, the org's custom
# ones).
GROUPS = {
    "Lead": {"NAME": ["Name", "LastName", "Company"], "EMAIL": ["Email", "Alt_Email__c"],
             "PHONE": ["Phone", "Mobile_Two__c"]},
    "Contact": {"NAME": ["Name", "LastName"], "EMAIL": ["Email", "Work_Email__c"],
                "PHONE": ["Phone", "Pager__c"]},
}


def _records() -> list[tuple[str, str, dict]]:
    """(object, Id, values) of ORG's records, in SOSL's answer order (RETURNING Lead, Contact; Id order)."""
    searchable = [(obj, rid, {"Name": values["LastName"], **values})
                  for (obj, rid), values in SEARCHABLE.items()]
    plain = [("Lead", r["Id"], r) for r in LEADS]
    return sorted(searchable + plain, key=lambda r: (r[0] != "Lead", r[1]))


def _values(obj: str, values: dict, group: str) -> Values:
    if group == "ALL":
        fields = [f for names in GROUPS[obj].values() for f in names] + ["Nickname__c"]
    else:
        fields = GROUPS[obj][group]
    return [values[f] for f in dict.fromkeys(fields) if isinstance(values.get(f), str)]


TERMS: list[tuple[str, Match]] = [
    ("zephyr1", word("zephyr1")),
    ("zephyr*", prefix("zephyr")),
    ("alt3", word("alt3")),
    ("work2", word("work2")),
    ("std4", word("std4")),
    ("mango1", word("mango1")),
    ("555-1003", phrase("555 1003")),
    ('"415 555 2002"', phrase("415 555 2002")),
    ("(415) 555-1007", both(word("415"), phrase("555 1007"))),
    ("1007", word("1007")),
    ("650.555.1002", phrase("650 555 1002")),
    ("3004", word("3004")),
    ("zephyr2 AND alt*", both(word("zephyr2"), prefix("alt"))),
    ("zephyr0 OR 1001", either(word("zephyr0"), word("1001"))),
    ("zephyr* AND NOT std*", but_not(prefix("zephyr"), prefix("std"))),
    ("seek05", word("seek05")),
    ("hunt2", word("hunt2")),
]


@pytest.mark.parametrize("group", ["ALL", "NAME", "EMAIL", "PHONE"])
@pytest.mark.parametrize(("term", "match"), TERMS, ids=[t for t, _ in TERMS])
def test_custom_email_and_phone_fields_in_their_groups(search: Search, term: str, match: Match,
                                                       group: str) -> None:
    got = [(r.sobject, r.get("Id")) for r in search(f"FIND {{{term}}} IN {group} FIELDS "
                                                    "RETURNING Lead(Id), Contact(Id)", PAT)]
    assert got == [(obj, rid) for obj, rid, values in _records() if match(_values(obj, values, group))]


def test_the_terms_tell_the_groups_apart() -> None:
    """Each custom field's words are found in its own group and not in the other one (else the cases above
    could pass with the groups ignored)."""
    answers = {group: {t: [rid for obj, rid, v in _records() if m(_values(obj, v, group))] for t, m in TERMS}
               for group in ("ALL", "EMAIL", "PHONE")}
    assert answers["EMAIL"]["alt3"] and answers["PHONE"]["alt3"] == []
    assert answers["EMAIL"]["work2"] and answers["PHONE"]["work2"] == []
    assert answers["PHONE"]["555-1003"] and answers["EMAIL"]["555-1003"] == []
    assert answers["PHONE"]["650.555.1002"] and answers["EMAIL"]["650.555.1002"] == []
    assert answers["ALL"]["mango1"] and answers["EMAIL"]["mango1"] == answers["PHONE"]["mango1"] == []


@pytest.mark.parametrize(("group", "found"), [("ALL", True), ("EMAIL", False), ("PHONE", False)])
def test_the_same_slot_is_text_in_an_org_that_maps_it_so(search: Search, group: str, found: bool) -> None:
    """OTHER stores an email address in the slot column ORG's Alt_Email__c uses, as a plain text field: it is
    found IN ALL FIELDS, not IN EMAIL FIELDS (the groups are the org's, not the table's)."""
    term = OTHER_CODE.split("@")[0]
    got = [r.get("Id") for r in search(f"FIND {{{term}}} IN {group} FIELDS RETURNING Lead(Id)", OLA)]
    assert got == ([OTHER_LEAD] if found else [])


def test_a_custom_field_in_returning_and_where(search: Search) -> None:
    """A custom email field is also selected and filtered in RETURNING, read from the org's schema."""
    sosl = ("FIND {zephyr1} IN EMAIL FIELDS RETURNING Lead(Id WHERE Alt_Email__c != null ORDER BY Id)")
    got = [r.get("Id") for r in search(sosl, PAT)]
    expected = [rid for obj, rid, values in _records() if obj == "Lead" and values.get("Alt_Email__c")
                and word("zephyr1")(_values(obj, values, "EMAIL"))]
    assert got == expected != []


def test_an_unknown_group_is_still_refused(search: Search) -> None:
    with pytest.raises(QueryError) as caught:
        search("FIND {zephyr1} IN CUSTOM FIELDS RETURNING Lead(Id)", PAT)
    assert caught.value.code == "MALFORMED_SEARCH"
