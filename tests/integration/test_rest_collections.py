"""sObject Collections on the demo org: create, update, delete, retrieve; allOrNone; the 200-record limit."""
from __future__ import annotations

import pytest

from sfmock.core.ids import to18
from tests.integration.test_rest_fixtures import V, api, errors_of

__all__ = ["api"]

C = "/composite/sobjects"
ROLLED_BACK = {"statusCode": "ALL_OR_NONE_OPERATION_ROLLED_BACK",
               "message": "Record rolled back because not all records were valid and the request was using "
                          "AllOrNone header", "fields": []}
MISSING_COMPANY = {"statusCode": "REQUIRED_FIELD_MISSING",
                   "message": "Required fields are missing: [Company]",
                   "fields": ["Company"]}


def _lead(name: str, **extra) -> dict:
    return {"attributes": {"type": "Lead"}, "LastName": name, "Company": "Acme"} | extra


def test_create_mixed_types_in_order(api):
    records = [_lead("A"), {"attributes": {"type": "Case"}, "Subject": "Help"}, _lead("B")]
    response = api.post(C, json={"allOrNone": False, "records": records})
    assert response.status_code == 200
    results = response.json()
    assert [r["id"][:3] for r in results] == ["00Q", "500", "00Q"]
    assert all(r == {"id": r["id"], "success": True, "errors": []} for r in results)
    assert [api.record("Lead", results[i]["id"])["LastName"] for i in (0, 2)] == ["A", "B"]


def test_partial_success_without_all_or_none(api):
    records = [_lead("A"), {"attributes": {"type": "Lead"}, "LastName": "NoCompany"}, _lead("C")]
    results = api.post(C, json={"records": records}).json()  # allOrNone defaults to false
    assert [r["success"] for r in results] == [True, False, True]
    assert results[1] == {"success": False, "errors": [MISSING_COMPANY]}  # statusCode, not errorCode; no id
    assert sorted(r["LastName"] for r in api.rows("Lead")) == ["A", "C"]


def test_all_or_none_writes_nothing(api):
    records = [_lead("A"), {"attributes": {"type": "Lead"}, "LastName": "NoCompany"}, _lead("C")]
    results = api.post(C, json={"allOrNone": True, "records": records}).json()
    assert results == [{"success": False, "errors": [ROLLED_BACK]},
                       {"success": False, "errors": [MISSING_COMPANY]},
                       {"success": False, "errors": [ROLLED_BACK]}]
    assert api.rows("Lead") == []


def test_limit_is_200_records(api):
    exactly = api.post(C, json={"records": [_lead(f"L{i}") for i in range(200)]})
    assert exactly.status_code == 200 and all(r["success"] for r in exactly.json())
    over = api.post(C, json={"records": [_lead(f"M{i}") for i in range(201)]})
    assert over.status_code == 400
    assert errors_of(over) == [("EXCEEDED_ID_LIMIT",
                                "record limit reached. cannot submit more than 200 records into this call")]
    assert len(api.rows("Lead")) == 200


@pytest.mark.parametrize(("body", "code"), [
    ({"records": [{"LastName": "NoType", "Company": "A"}]}, "INVALID_TYPE"),
    ({"records": [{"attributes": {"type": "Leed"}, "LastName": "A"}]}, "INVALID_TYPE"),
    ({"records": "nope"}, "JSON_PARSER_ERROR"),
    ({"allOrNone": "maybe", "records": []}, "JSON_PARSER_ERROR"),
])
def test_malformed_collection_requests_are_400(api, body, code):
    response = api.post(C, json=body)
    assert response.status_code == 400 and errors_of(response)[0][0] == code
    assert api.rows("Lead") == []


def test_update(api):
    ids = [r["id"] for r in api.post(C, json={"records": [_lead("A"), _lead("B")]}).json()]
    records = [{"attributes": {"type": "Lead"}, "id": ids[0], "Title": "One"},
               {"attributes": {"type": "Lead"}, "Id": ids[1], "Title": "Two"}]
    results = api.patch(C, json={"records": records}).json()
    assert results == [{"id": ids[0], "success": True, "errors": []},
                       {"id": ids[1], "success": True, "errors": []}]
    assert [api.record("Lead", i)["Title"] for i in ids] == ["One", "Two"]


def test_update_all_or_none_changes_nothing(api):
    ids = [r["id"] for r in api.post(C, json={"records": [_lead("A"), _lead("B")]}).json()]
    records = [{"attributes": {"type": "Lead"}, "id": ids[0], "Title": "Changed"},
               {"attributes": {"type": "Lead"}, "id": ids[1], "Company": None},
               {"attributes": {"type": "Lead"}, "Title": "no id"}]
    results = api.patch(C, json={"allOrNone": True, "records": records}).json()
    assert results[0] == {"id": ids[0], "success": False, "errors": [ROLLED_BACK]}
    assert results[1] == {"success": False, "errors": [MISSING_COMPANY]}
    assert results[2]["success"] is False and results[2]["errors"][0]["statusCode"] == "MISSING_ARGUMENT"
    assert [r["Title"] for r in api.rows("Lead")] == [None, None]
    partial = api.patch(C, json={"records": records}).json()
    assert [r["success"] for r in partial] == [True, False, False]
    assert api.record("Lead", ids[0])["Title"] == "Changed"


def test_delete_with_and_without_all_or_none(api):
    ids = [r["id"] for r in api.post(C, json={"records": [_lead("A"), _lead("B")]}).json()]
    missing = to18("00Q00000000zzzz")
    held = api.delete(C, params={"ids": f"{ids[0]},{missing}", "allOrNone": "true"}).json()
    # As a real org answers (jsforce#1067): the rolled-back record keeps its id, the failing one has none.
    assert held[0] == {"id": ids[0], "success": False, "errors": [ROLLED_BACK]}
    assert held[1]["success"] is False and "id" not in held[1]
    assert len(api.rows("Lead")) == 2
    done = api.delete(C, params={"ids": f"{ids[0]},{missing},{ids[1]}"}).json()
    assert [r["success"] for r in done] == [True, False, True]
    assert done[0] == {"id": ids[0], "success": True, "errors": []}
    assert api.rows("Lead") == []
    assert api.delete(C).status_code == 400


def test_retrieve_by_get_and_post(api):
    ids = [r["id"] for r in api.post(C,
                                     json={"records": [_lead("A", Email="a@x.example"), _lead("B")]}).json()]
    missing = to18("00Q00000000zzzz")
    got = api.get(f"{C}/Lead", params={"ids": f"{ids[0]},{missing},{ids[1]}", "fields": "LastName,Email"})
    assert got.status_code == 200
    body = got.json()
    assert body[0] == {"attributes": {"type": "Lead", "url": f"{V}/sobjects/Lead/{ids[0]}"}, "Id": ids[0],
                       "LastName": "A", "Email": "a@x.example"}
    assert body[1] is None and body[2]["LastName"] == "B"
    posted = api.post(f"{C}/Lead", json={"ids": [ids[1]], "fields": ["LastName"]})
    assert posted.status_code == 200 and posted.json()[0]["LastName"] == "B"
    assert api.get(f"{C}/Lead", params={"ids": ids[0]}).status_code == 400  # fields are required
    bad_field = api.get(f"{C}/Lead", params={"ids": ids[0], "fields": "Nope"})
    assert bad_field.status_code == 400 and errors_of(bad_field)[0][0] == "INVALID_FIELD"


def test_collections_exist_from_api_42(api):
    old = api.post("/services/data/v41.0/composite/sobjects", json={"records": [_lead("A")]})
    assert old.status_code == 404 and errors_of(old)[0][0] == "NOT_FOUND"
    assert api.post("/services/data/v42.0/composite/sobjects",
                    json={"records": [_lead("A")]}).status_code == 200
    assert len(api.rows("Lead")) == 1


def test_retrieve_asks_the_core_once_for_up_to_2000_ids(api, monkeypatch):
    """RecordService.retrieve takes up to 2,000 ids in one call: the door does not cut them into chunks."""
    from sfmock.core.records import RecordService

    ids = [r["id"] for r in api.post(C, json={"records": [_lead(f"L{i}") for i in range(3)]}).json()]
    asked: list[int] = []
    original = RecordService.retrieve

    def counting(self, sobject, record_ids, fields):
        asked.append(len(record_ids))
        return original(self, sobject, record_ids, fields)

    monkeypatch.setattr(RecordService, "retrieve", counting)
    wanted = ids + [to18(f"00Q00000000{i:04d}") for i in range(447)]
    response = api.post(f"{C}/Lead", json={"ids": wanted, "fields": ["LastName"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body) == 450 and [r["LastName"] for r in body[:3]] == ["L0", "L1", "L2"]
    assert all(r is None for r in body[3:])
    assert asked == [450]
    over = api.post(f"{C}/Lead", json={"ids": wanted * 5, "fields": ["LastName"]})
    assert over.status_code == 400
    assert errors_of(over) == [("EXCEEDED_ID_LIMIT",
                                "record limit reached. cannot submit more than 2000 records into this call")]
