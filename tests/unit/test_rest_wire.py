"""The REST door's pure pieces: headers, error shapes, value formats, release labels, describe JSON, OAuth
maths."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sfmock.core.errors import CallError, QueryError, RecordError
from sfmock.core.ids import to18
from sfmock.core.options import ACTIVE_RULE, ACTIVE_RULE_OR_DEFAULT_OWNER, NO_ASSIGNMENT, Assignment
from sfmock.core.schema import registry
from sfmock.rest import describe, discovery, headers, oauth
from sfmock.rest.errors import RestError, from_exception, query_message
from sfmock.rest.responses import dumps, format_datetime, json_value
from sfmock.settings import Settings
from sfmock.soql.engine import QueryRecord, clamp_batch


@pytest.mark.parametrize(("raw", "expected"), [
    (None, ACTIVE_RULE_OR_DEFAULT_OWNER),  # absent means TRUE (REST guide, "Assignment Rule Header")
    ("TRUE", ACTIVE_RULE_OR_DEFAULT_OWNER), ("true", ACTIVE_RULE_OR_DEFAULT_OWNER),
    ("True", ACTIVE_RULE_OR_DEFAULT_OWNER), (" tRuE ", ACTIVE_RULE_OR_DEFAULT_OWNER),
    ("FALSE", NO_ASSIGNMENT), ("false", NO_ASSIGNMENT), ("False", NO_ASSIGNMENT),
    ("01Q000000000001", Assignment.by_rule("01Q000000000001")),
    ("01Q000000000001AAA", Assignment.by_rule("01Q000000000001AAA")),
])
def test_auto_assign_header(raw, expected):
    given = {} if raw is None else {"sforce-auto-assign": raw}
    assert headers.auto_assign(given) == expected


@pytest.mark.parametrize("raw", ["yes", "1", "01Q-bad", "01Q0000000000"])
def test_auto_assign_header_refuses_other_values(raw):
    with pytest.raises(CallError) as caught:
        headers.auto_assign({"sforce-auto-assign": raw})
    wire = from_exception(caught.value)
    assert wire.status == 400 and wire.errors[0]["errorCode"] == "MALFORMED_ID"


@pytest.mark.parametrize(("raw", "expected"), [
    # Updates: TRUE reruns the active rule, without KB 000395506's default owner (created Cases only); a rule
    # id applies "for created Case or Lead objects" only, so an update runs no rule.
    (None, ACTIVE_RULE), ("TRUE", ACTIVE_RULE), ("true", ACTIVE_RULE),
    ("FALSE", NO_ASSIGNMENT), ("false", NO_ASSIGNMENT),
    ("01Q000000000001", NO_ASSIGNMENT), (to18("01Q000000000001"), NO_ASSIGNMENT),
])
def test_auto_assign_header_on_update(raw, expected):
    given = {} if raw is None else {"sforce-auto-assign": raw}
    assert headers.auto_assign(given, update=True) == expected


@pytest.mark.parametrize("raw", ["yes", "01Q-bad", "005000000000001AAA"])
def test_auto_assign_header_on_update_still_refuses_malformed_ids(raw):
    with pytest.raises(CallError) as caught:
        headers.auto_assign({"sforce-auto-assign": raw}, update=True)
    assert caught.value.code == "MALFORMED_ID"


@pytest.mark.parametrize("raw",
                         ["batchSize=0", "batchSize=-5", "batchSize=10", "batchSize=199", "batchSize=200",
                                 "batchSize=777", "batchSize=2000", "batchSize=2001", None])
def test_query_batch_size_clamps_like_soap_query_options(raw):
    """One clamp for both doors (sfmock.soql.engine.clamp_batch): Sforce-Query-Options and QueryOptions
    agree."""
    number = int(raw.split("=")[1]) if raw else None
    assert headers.batch_size({} if raw is None else {"sforce-query-options": raw}) == clamp_batch(number)


def test_query_record_url_names_the_engines_url_type(monkeypatch):
    """The url of a query record is the engine's QueryRecord.url_type (one place knows that a "Name" record's
    url names User or Group); an AggregateResult (no id) has no url."""
    from sfmock.rest.query import record_json

    owner = QueryRecord("Name", "005000000000001AAA", [("Name", "Ann")])
    assert record_json(owner, "/d")["attributes"] == {"type": "Name",
                                                      "url": "/d/sobjects/User/005000000000001AAA"}
    assert record_json(QueryRecord("AggregateResult", None, [("expr0", 3)]), "/d") == {
        "attributes": {"type": "AggregateResult"}, "expr0": 3}
    monkeypatch.setattr(QueryRecord, "url_type", property(lambda self: "Elsewhere"))
    assert record_json(owner, "/d")["attributes"]["url"] == "/d/sobjects/Elsewhere/005000000000001AAA"


def test_non_finite_numbers_are_never_written_as_invalid_json():
    """NaN/Infinity are no JSON (RFC 8259 §6): a non-finite float that reached a response is written as
    null."""
    import json

    text = dumps({"AnnualRevenue": float("inf"), "x": [float("-inf"), float("nan"), 1.5],
                  "y": {"z": float("nan")}})
    assert json.loads(text, parse_constant=lambda token: pytest.fail(f"non-JSON token {token}")) == {
        "AnnualRevenue": None, "x": [None, None, 1.5], "y": {"z": None}}
    assert dumps({"a": 1.5, "when": date(2024, 1, 2)}) == b'{"a":1.5,"when":"2024-01-02"}'


@pytest.mark.parametrize("raw", [
    b'{"a":NaN}', b'{"a":Infinity}', b'{"a":-Infinity}', b'[1, {"b": [NaN]}]', b'{"a":1e400}',
    b'{"a":-1E999}',
    b'{"a":' + b"9" * 5000 + b"}",
])
def test_non_finite_or_unreadable_numbers_are_json_parser_errors(raw):
    from sfmock.rest.bodies import parse_json

    with pytest.raises(CallError) as caught:
        parse_json(raw)
    wire = from_exception(caught.value)
    assert wire.status == 400 and wire.errors[0]["errorCode"] == "JSON_PARSER_ERROR"


def test_rest_error_carries_its_code_for_the_journal():
    """A RestError raised inside a call is journaled with its code (sfmock.calls.api_call reads
    SalesforceError.code)."""
    from sfmock.core.errors import SalesforceError

    error = RestError.of("NOT_FOUND", "The requested resource does not exist")
    assert isinstance(error, SalesforceError) and error.code == "NOT_FOUND" and error.status == 404
    assert str(error) == "The requested resource does not exist"


@pytest.mark.parametrize(("raw", "size"), [
    (None, 2000), ("batchSize=500", 500), ("batchSize=10", 200), ("batchSize=5000", 2000),
    ("BATCHSIZE = 300", 300),
])
def test_query_batch_size(raw, size):
    assert headers.batch_size({} if raw is None else {"sforce-query-options": raw}) == size


@pytest.mark.parametrize(("raw", "token"), [
    ("Bearer 00D!abc", "00D!abc"), ("bearer  tok ", "tok"), ("OAuth tok", "tok"),
    ("Basic dTpw", None), ("Bearer", None), ("", None),
])
def test_bearer_token(raw, token):
    assert headers.bearer_token({"authorization": raw} if raw else {}) == token


def test_limit_info_text():
    assert headers.limit_info((18, 5000)) == "api-usage=18/5000"


def test_datetime_format_is_salesforce_json():
    value = datetime(2013, 5, 20, 20, 49, 32, 123456, tzinfo=UTC)
    assert format_datetime(value) == "2013-05-20T20:49:32.123+0000"
    other_zone = value.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert format_datetime(other_zone) == "2013-05-20T20:49:32.123+0000"
    assert json_value(date(2024, 2, 29)) == "2024-02-29"
    assert json_value(12.5) == 12.5 and json_value(None) is None


def test_error_shapes_and_statuses():
    session = from_exception(CallError("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader"))
    assert (session.status, session.errors) == (401, [{"message": "Session expired or invalid",
                                                       "errorCode": "INVALID_SESSION_ID"}])
    limit = from_exception(CallError("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."))
    assert limit.status == 403
    record = from_exception(RecordError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Company]",
                                        ["Company"]))
    assert (record.status, record.errors) == (400, [{"message": "Required fields are missing: [Company]",
                                                     "errorCode": "REQUIRED_FIELD_MISSING",
                                                     "fields": ["Company"]}])
    call = from_exception(CallError("INVALID_TYPE", "sObject type 'Foo' is not supported."))
    assert "fields" not in call.errors[0]


def test_unexpected_exception_hides_the_traceback(caplog):
    error = from_exception(ZeroDivisionError("secret internals"))
    assert error.status == 500 and error.errors[0]["errorCode"] == "UNKNOWN_EXCEPTION"
    assert (
        "secret internals" not in error.errors[0]["message"] and "Traceback" not in error.errors[0]["message"]
    )
    assert "secret internals" in caplog.text  # logged for the operator


def test_malformed_query_message_points_at_the_column():
    error = QueryError("MALFORMED_QUERY", "unexpected token: 'FROMM'", row=1, column=11)
    text = query_message(error, "SELECT Id FROMM Lead")
    assert text == "\nSELECT Id FROMM Lead\n          ^\nERROR at Row:1:Column:11\nunexpected token: 'FROMM'"
    already = QueryError("MALFORMED_QUERY", "\nX\n^\nERROR at Row:1:Column:1\nboom")
    assert query_message(already, "X") == already.message


@pytest.mark.parametrize(("version", "label"), [
    ("20.0", "Winter '11"), ("31.0", "Summer '14"), ("32.0", "Winter '15"), ("33.0", "Spring '15"),
    ("59.0", "Winter '24"), ("60.0", "Spring '24"), ("61.0", "Summer '24"), ("62.0", "Winter '25"),
    ("66.0", "Spring '26"),
])
def test_release_labels(version, label):
    assert discovery.release_label(version) == label


def test_versions_list_shape():
    listed = discovery.versions(Settings(min_api_version=31.0, max_api_version=33.0))
    assert listed == [
        {"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"},
        {"label": "Winter '15", "url": "/services/data/v32.0", "version": "32.0"},
        {"label": "Spring '15", "url": "/services/data/v33.0", "version": "33.0"},
    ]


def test_describe_uses_describe_sobject_result_names():
    body = describe.describe(registry.get("lead"), "/services/data/v59.0", registry)
    assert body["name"] == "Lead" and body["keyPrefix"] == "00Q" and body["labelPlural"] == "Leads"
    fields = {f["name"]: f for f in body["fields"]}
    assert "PasswordHash" not in {f["name"] for f in describe.describe(registry.get("user"), "",
                                                                       registry)["fields"]}
    company = fields["Company"]
    # Required on create = createable, not nillable, not defaulted on create.
    assert (company["createable"], company["nillable"], company["defaultedOnCreate"]) == (True, False, False)
    assert company["type"] == "string" and company["soapType"] == "xsd:string" and company["length"] == 255
    assert company["byteLength"] == 765
    owner = fields["OwnerId"]
    assert owner["referenceTo"] == ["Group", "User"] and owner["relationshipName"] == "Owner"
    assert owner["soapType"] == "tns:ID" and owner["polymorphicForeignKey"] is True
    status = fields["Status"]
    assert status["picklistValues"][0] == {"active": True, "defaultValue": False,
                                           "label": "Open - Not Contacted",
                                           "validFor": None, "value": "Open - Not Contacted"}
    employees = fields["NumberOfEmployees"]
    assert (employees["type"], employees["digits"], employees["precision"]) == ("int", 8, 0)
    assert body["urls"]["describe"] == "/services/data/v59.0/sobjects/Lead/describe"
    assert body["recordTypeInfos"][0]["master"] is True
    wsdl_required = {"aggregatable", "autoNumber", "byteLength", "calculated", "caseSensitive", "createable",
                     "custom", "defaultedOnCreate", "deprecatedAndHidden", "digits", "filterable",
                     "groupable",
                     "idLookup", "label", "length", "name", "nameField", "nillable", "permissionable",
                     "polymorphicForeignKey", "precision", "queryByDistance", "restrictedPicklist", "scale",
                     "searchPrefilterable", "soapType", "sortable", "type", "unique", "updateable"}
    assert wsdl_required <= set(company)


def test_describe_global_lists_every_object():
    body = describe.describe_global("/services/data/v59.0", registry)
    names = [o["name"] for o in body["sobjects"]]
    assert {"Lead", "Case", "User", "Group"} <= set(names)
    assert body["encoding"] == "UTF-8" and body["maxBatchSize"] == 200
    lead = next(o for o in body["sobjects"] if o["name"] == "Lead")
    assert lead["urls"]["sobject"] == "/services/data/v59.0/sobjects/Lead" and lead["keyPrefix"] == "00Q"


def test_token_signature_is_hmac_sha256_of_id_and_issued_at():
    body = oauth.token_body(access_token="00D!x", base_url="https://127.0.0.1:8443",
                            org_id="00D000000000001AAA",
                            user_id="005000000000001AAA", client_secret="s3cret", issued_at="1278448832702")
    assert body["id"] == "https://127.0.0.1:8443/id/00D000000000001AAA/005000000000001AAA"
    expected = base64.b64encode(hmac.new(b"s3cret", (body["id"] + "1278448832702").encode(), hashlib.sha256)
                                .digest()).decode()
    assert body["signature"] == expected
    assert body["token_type"] == "Bearer" and body["instance_url"] == "https://127.0.0.1:8443"
    assert list(body) == ["access_token", "instance_url", "id", "token_type", "issued_at", "signature"]


def test_basic_credentials():
    encoded = base64.b64encode(b"client:se:cret").decode()
    assert oauth.basic_credentials(f"Basic {encoded}") == ("client", "se:cret")
    assert oauth.basic_credentials("Basic !!!") is None
    assert oauth.basic_credentials("Bearer x") is None
