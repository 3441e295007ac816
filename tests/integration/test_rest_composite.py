"""Composite resources on the demo org: /composite (references, allOrNone), /composite/batch (haltOnError),
/composite/tree (nested children, all or nothing) and /composite/graph; Sforce-Auto-Assign as on one
create."""
from __future__ import annotations

from sfmock.rest.composite import APOSTROPHE
from tests.integration.test_rest_fixtures import V, api, errors_of

__all__ = ["api"]

LEAD = {"LastName": "Rao", "Company": "Acme"}
INDIA = LEAD | {"Country": "India"}
HALTED = {"errorCode": "PROCESSING_HALTED",
          "message": "The transaction was rolled back since another operation in the same transaction "
                     "failed."}


def _sub(ref: str, method: str, url: str, body=None, **extra) -> dict:
    return {"referenceId": ref, "method": method,
            "url": f"{V}{url}"} | ({"body": body} if body else {}) | extra


def test_composite_chains_references_and_routes_like_a_single_create(api):
    response = api.post("/composite", json={"compositeRequest": [
        _sub("lead", "POST", "/sobjects/Lead", INDIA),
        _sub("read", "GET", "/sobjects/Lead/@{lead.id}?fields=OwnerId,LastName"),
        _sub("edit", "PATCH", "/sobjects/Lead/@{lead.id}", {"Title": "@{read.LastName}"}),
        _sub("q", "GET", "/query?q=SELECT+Id+FROM+Lead"),
        _sub("again", "GET", "/sobjects/Lead/@{q.records[0].Id}?fields=Title"),
    ]})
    assert response.status_code == 200
    entries = response.json()["compositeResponse"]
    assert [(e["referenceId"], e["httpStatusCode"]) for e in entries] == [
        ("lead", 201), ("read", 200), ("edit", 204), ("q", 200), ("again", 200)]
    lead_id = entries[0]["body"]["id"]
    assert entries[0]["body"] == {"id": lead_id, "success": True, "errors": []}
    assert entries[0]["httpHeaders"] == {"Location": f"{V}/sobjects/Lead/{lead_id}"}
    assert entries[1]["body"]["OwnerId"] == api.queue("India_SMB_Queue")  # Sforce-Auto-Assign absent = TRUE
    assert entries[2]["body"] is None and entries[4]["body"]["Title"] == "Rao"
    assert api.outbox() == []  # REST never sends the assignment mail


def test_composite_sub_request_headers_override_the_callers(api):
    response = api.post("/composite", headers={"Sforce-Auto-Assign": "TRUE"}, json={"compositeRequest": [
        _sub("a", "POST", "/sobjects/Lead", INDIA, httpHeaders={"Sforce-Auto-Assign": "FALSE"}),
        _sub("b", "POST", "/sobjects/Lead", INDIA)]})
    a, b = (e["body"]["id"] for e in response.json()["compositeResponse"])
    assert api.record("Lead", a)["OwnerId"] == api.user("admin@acme.example")
    assert api.record("Lead", b)["OwnerId"] == api.queue("India_SMB_Queue")


def test_composite_all_or_none_rolls_back_and_halts_the_others(api):
    response = api.post("/composite", json={"allOrNone": True, "compositeRequest": [
        _sub("ok", "POST", "/sobjects/Lead", LEAD),
        _sub("bad", "POST", "/sobjects/Lead", {"LastName": "NoCompany"}),
        _sub("later", "POST", "/sobjects/Lead", LEAD)]})
    entries = response.json()["compositeResponse"]
    assert response.status_code == 200
    assert [(e["referenceId"], e["httpStatusCode"]) for e in entries] == [("ok", 400), ("bad", 400),
                                                                          ("later", 400)]
    assert entries[0]["body"] == [HALTED] and entries[2]["body"] == [HALTED]
    assert entries[1]["body"] == [{"message": "Required fields are missing: [Company]",
                                   "errorCode": "REQUIRED_FIELD_MISSING", "fields": ["Company"]}]
    assert api.rows("Lead") == []
    [entry] = [j for j in api.client.get(f"/_sfmock/orgs/{api.demo.org.org_id}/journal").json()
               if j["operation"] == "composite"]
    assert entry["results"] == ["PROCESSING_HALTED", "REQUIRED_FIELD_MISSING", "PROCESSING_HALTED"]


def test_composite_without_all_or_none_keeps_what_succeeded_and_fails_dependents(api):
    entries = api.post("/composite", json={"compositeRequest": [
        _sub("bad", "POST", "/sobjects/Lead", {"LastName": "NoCompany"}),
        _sub("dependent", "GET", "/sobjects/Lead/@{bad.id}"),
        _sub("ok", "POST", "/sobjects/Lead", LEAD)]}).json()["compositeResponse"]
    assert [e["httpStatusCode"] for e in entries] == [400, 400, 201]
    assert entries[1]["body"][0]["errorCode"] == "PROCESSING_HALTED"
    assert entries[1]["body"][0]["message"].startswith("Invalid reference specified. No value for bad.id "
                                                       "found in bad.")
    assert [r["LastName"] for r in api.rows("Lead")] == ["Rao"]


def _limit_exceeded(message: str) -> dict:
    """The one entry Salesforce answers a composite over its limits with (a real org's capture, cited in
    sfmock.rest.composite)."""
    return {"compositeResponse": [{"body": [{"errorCode": "LIMIT_EXCEEDED", "message": message}],
                                   "httpHeaders": {}, "httpStatusCode": 400, "referenceId": None}]}


def test_composite_limits_and_malformed_requests(api):
    over = api.post("/composite", json={"compositeRequest": [
        _sub(f"r{i}", "POST", "/sobjects/Lead", LEAD) for i in range(26)]})
    assert (over.status_code, over.json()) == (200, _limit_exceeded(
        f"The request can{APOSTROPHE}t contain more than 25 operations."))
    tooling = api.post("/composite", json={"compositeRequest": [
        _sub("t", "GET", "/tooling/query?q=SELECT+Id+FROM+ApexClass")]})
    assert tooling.status_code == 400 and errors_of(tooling)[0][0] == "INVALID_REQUEST"
    lower = api.post("/composite", json={"compositeRequest": [_sub("r", "post", "/sobjects/Lead", LEAD)]})
    assert lower.status_code == 400 and errors_of(lower)[0][0] == "INVALID_REQUEST"
    auth = api.post("/composite", json={"compositeRequest": [
        _sub("r", "GET", "/limits", httpHeaders={"Authorization": "Bearer x"})]})
    assert auth.status_code == 400 and errors_of(auth)[0][0] == "INVALID_REQUEST"
    assert api.post("/composite", json={"compositeRequest": [_sub("r", "GET", "/limits")]},
                    token="nope").status_code == 401
    assert api.rows("Lead") == []


def test_composite_takes_five_collections_or_queries_and_refuses_the_sixth(api):
    collection = {"allOrNone": False, "records": [{"attributes": {"type": "Lead"}} | LEAD]}
    five = [_sub("c1", "POST", "/composite/sobjects", collection),
            _sub("q1", "GET", "/query?q=SELECT+Id+FROM+Lead"),
            _sub("q2", "GET", "/queryAll?q=SELECT+Id+FROM+Lead"),
            _sub("q3", "GET", "/query/?q=SELECT+Id+FROM+Lead"),
            _sub("c2", "POST", "/composite/sobjects", collection)]
    ones = [_sub(f"l{i}", "POST", "/sobjects/Lead", LEAD) for i in range(3)]
    ok = api.post("/composite", json={"compositeRequest": five + ones})
    assert [e["httpStatusCode"] for e in ok.json()["compositeResponse"]] == [200] * 5 + [201] * 3
    assert len(api.rows("Lead")) == 5
    sixth = _sub("q4", "GET", "/query?q=SELECT+Id+FROM+Lead")
    refused = api.post("/composite", json={"compositeRequest": [*five, *ones, sixth]})
    assert (refused.status_code, refused.json()) == (200, _limit_exceeded(
        f"The request can{APOSTROPHE}t contain more than 5 sObject Collections or query operations."))
    assert len(api.rows("Lead")) == 5  # nothing of the refused request ran


def test_batch_runs_each_subrequest_on_its_own_and_halts_on_error(api):
    body = {"haltOnError": True, "batchRequests": [
        {"method": "POST", "url": "v59.0/sobjects/Lead", "richInput": INDIA},
        {"method": "POST", "url": "v59.0/sobjects/Lead", "richInput": {"LastName": "NoCompany"}},
        {"method": "GET", "url": "v59.0/limits"}]}
    response = api.post("/composite/batch", json=body)
    assert response.status_code == 200
    out = response.json()
    assert out["hasErrors"] is True
    assert [r["statusCode"] for r in out["results"]] == [201, 400, 412]
    assert out["results"][2]["result"][0]["errorCode"] == "BATCH_PROCESSING_HALTED"
    [lead] = api.rows("Lead")  # the first subrequest was its own transaction: kept
    assert lead["OwnerId"] == api.queue("India_SMB_Queue")
    assert api.post("/services/data/v33.0/composite/batch", json=body).status_code == 404


def test_tree_creates_parents_and_children_in_order(api):
    records = [{"attributes": {"type": "Case", "referenceId": "parent"}, "Subject": "Parent",
                "Cases": {"records": [
                    {"attributes": {"type": "Case", "referenceId": "child1"}, "Subject": "Child 1"},
                    {"attributes": {"type": "Case", "referenceId": "child2"}, "Subject": "Child 2"}]}},
               {"attributes": {"type": "Case", "referenceId": "other"}, "Subject": "Other"}]
    response = api.post("/composite/tree/Case", json={"records": records})
    assert response.status_code == 201, response.text
    out = response.json()
    assert out["hasErrors"] is False
    assert [r["referenceId"] for r in out["results"]] == ["parent", "child1", "child2", "other"]
    ids = {r["referenceId"]: r["id"] for r in out["results"]}
    rows = {r["Id"]: r for r in api.rows("Case")}
    assert rows[ids["child1"]]["ParentId"] == ids["parent"] and rows[ids["other"]]["ParentId"] is None


def test_tree_is_all_or_nothing_and_names_only_the_failed_records(api):
    records = [{"attributes": {"type": "Lead", "referenceId": "ref1"}} | LEAD,
               {"attributes": {"type": "Lead", "referenceId": "ref2"}, "LastName": "X", "Company": "Y",
                "Email": "123"}]
    response = api.post("/composite/tree/Lead", json={"records": records})
    assert response.status_code == 400
    assert response.json() == {"hasErrors": True, "results": [{"referenceId": "ref2", "errors": [
        {"statusCode": "INVALID_EMAIL_ADDRESS", "message": "Email: invalid email address: 123",
         "fields": ["Email"]}]}]}
    assert api.rows("Lead") == []


def test_tree_limit_and_bad_shapes(api):
    many = [{"attributes": {"type": "Lead", "referenceId": f"r{i}"}} | LEAD for i in range(201)]
    over = api.post("/composite/tree/Lead", json={"records": many})
    assert over.status_code == 400 and errors_of(over)[0][0] == "EXCEEDED_ID_LIMIT"
    no_ref = api.post("/composite/tree/Lead", json={"records": [{"attributes": {"type": "Lead"}} | LEAD]})
    assert no_ref.status_code == 400 and errors_of(no_ref)[0][0] == "INVALID_INPUT"
    assert api.post("/composite/tree/Nope", json={"records": []}).status_code == 404
    assert api.rows("Lead") == []


def test_graph_keeps_good_graphs_and_undoes_failed_ones(api):
    body = {"graphs": [
        {"graphId": "g1", "compositeRequest": [_sub("a", "POST", "/sobjects/Lead", LEAD),
                                               _sub("b", "GET", "/sobjects/Lead/@{a.id}?fields=LastName")]},
        {"graphId": "g2", "compositeRequest": [_sub("c", "POST", "/sobjects/Lead", LEAD),
                                               _sub("d", "POST", "/sobjects/Lead",
                                                    {"LastName": "NoCompany"})]}]}
    out = api.post("/composite/graph", json=body).json()["graphs"]
    assert [(g["graphId"], g["isSuccessful"]) for g in out] == [("g1", True), ("g2", False)]
    assert [e["httpStatusCode"] for e in out[1]["graphResponse"]["compositeResponse"]] == [400, 400]
    assert len(api.rows("Lead")) == 1


def _lead_graph(graph_id: str, *, fail: bool = False) -> dict:
    body = {"LastName": "NoCompany"} if fail else LEAD
    return {"graphId": graph_id, "compositeRequest": [_sub(f"{graph_id}a", "POST", "/sobjects/Lead", body)]}


def test_graph_halts_the_graphs_after_more_than_14_failed_ones(api):
    """Composite Graph Limits: "if the number of graph failures exceeds the maximum limit of 14, processing is
    halted for the remaining graphs ... the status for the remaining graphs is shown as PROCESSING_HALTED"."""
    graphs = [_lead_graph(f"f{i}", fail=True) for i in range(15)] + [_lead_graph("late")]
    out = api.post("/composite/graph", json={"graphs": graphs}).json()["graphs"]
    assert [g["isSuccessful"] for g in out] == [False] * 16
    failed = out[14]["graphResponse"]["compositeResponse"][0]["body"][0]["errorCode"]
    assert failed == "REQUIRED_FIELD_MISSING"
    [halted] = out[15]["graphResponse"]["compositeResponse"]
    assert (halted["body"][0]["errorCode"], halted["referenceId"]) == ("PROCESSING_HALTED", "latea")
    assert api.rows("Lead") == []
    fourteen = [_lead_graph(f"f{i}", fail=True) for i in range(14)] + [_lead_graph("late")]
    out = api.post("/composite/graph", json={"graphs": fourteen}).json()["graphs"]
    assert out[14]["isSuccessful"] is True and len(api.rows("Lead")) == 1


def test_graph_limits_refuse_the_whole_payload(api):
    too_many = api.post("/composite/graph", json={"graphs": [_lead_graph(f"g{i}") for i in range(76)]})
    assert too_many.status_code == 400 and errors_of(too_many)[0][0] == "LIMIT_EXCEEDED"
    nodes = [{"graphId": f"g{n}", "compositeRequest": [_sub(f"n{n}x{i}", "POST", "/sobjects/Lead", LEAD)
                                                      for i in range(101)]} for n in range(5)]
    over_nodes = api.post("/composite/graph", json={"graphs": nodes})
    assert over_nodes.status_code == 400 and errors_of(over_nodes)[0][0] == "LIMIT_EXCEEDED"
    # 16 API versions of the same POST: 16 different nodes.
    kinds = [{"graphId": f"k{v}", "compositeRequest": [
        {"method": "POST", "referenceId": f"k{v}", "body": LEAD,
         "url": f"/services/data/v{v}.0/sobjects/Lead"}]} for v in range(50, 66)]
    over_kinds = api.post("/composite/graph", json={"graphs": kinds})
    assert over_kinds.status_code == 400 and "15 different nodes" in errors_of(over_kinds)[0][1]
    # Each node reads the record the one before it gave (a POST's result has `id`, a GET's `Id`).
    chain = [_sub("r0", "POST", "/sobjects/Lead", LEAD), _sub("r1", "GET", "/sobjects/Lead/@{r0.id}")] + [
        _sub(f"r{i}", "GET", f"/sobjects/Lead/@{{r{i - 1}.Id}}") for i in range(2, 16)]
    deep = api.post("/composite/graph", json={"graphs": [{"graphId": "deep", "compositeRequest": chain}]})
    assert deep.status_code == 400 and "deeper than 15" in errors_of(deep)[0][1]
    assert api.rows("Lead") == []
    fifteen = {"graphs": [{"graphId": "ok", "compositeRequest": chain[:15]}]}
    assert api.post("/composite/graph", json=fifteen).json()["graphs"][0]["isSuccessful"] is True
