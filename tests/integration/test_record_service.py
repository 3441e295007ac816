"""The record service on a real database with the demo org: owners, defaults, validation, outbox rows."""
from __future__ import annotations

import pytest

from sfmock.calls import api_call, login
from sfmock.core.errors import CallError
from sfmock.core.options import ACTIVE_RULE, NO_ASSIGNMENT, Assignment
from sfmock.core.results import RecordInput
from sfmock.persistence.outbox import list_mail
from tests.conftest import DemoDb

PASSWORD = "sfmock-passwordSFMOCKTOKEN"


def _session(demo: DemoDb) -> str:
    return login(demo.db, "admin@acme.example", PASSWORD, caller_ip="127.0.0.1").session_id


def _mail(demo: DemoDb) -> list[tuple[str, str, str]]:
    with demo.db.session() as s:
        return [(m["recipient"], m["record_id"], m["reason"]) for m in list_mail(s)]


def _create(demo: DemoDb, sobject: str, values: dict, **options):
    with api_call(demo.db, _session(demo), api="soap") as call:
        result = call.service.create([RecordInput(sobject, values)], **options)[0]
        row = call.store.get(sobject, result.id) if result.id else None
    return result, row


LEAD = {"LastName": "Smith", "Company": "Acme"}


@pytest.mark.parametrize(("values", "queue"), [
    ({"Country": "India", "AnnualRevenue": "20000000"}, "Enterprise_India_Queue"),
    ({"Country": "india", "AnnualRevenue": "5000"}, "India_SMB_Queue"),  # criteria are case-insensitive
    ({"Country": "India"}, "India_SMB_Queue"),  # a blank revenue is no match for greaterThan
    ({"LeadSource": "Web", "Industry": "Healthcare"}, "Healthcare_AE_Round_Robin"),
    ({"LeadSource": "Web", "Industry": "Banking"}, "Unassigned_Leads_Queue"),  # the catch-all
])
def test_the_active_lead_rule_routes(app_db: DemoDb, values: dict, queue: str) -> None:
    result, row = _create(app_db, "Lead", LEAD | values, assignment=ACTIVE_RULE)
    assert result.success, result.errors
    assert row["OwnerId"] == app_db.org.queue_ids[queue]
    assert _mail(app_db) == []  # assigned silently: nobody asked for the notification


def test_notification_rows_for_a_queue_with_send_to_members(app_db: DemoDb) -> None:
    result, _row = _create(app_db, "Lead", LEAD | {"Country": "India", "AnnualRevenue": 2e7},
                          assignment=ACTIVE_RULE, notify_owner=True)
    with app_db.db.session() as s:
        mail = list_mail(s)
    assert [m["recipient"] for m in mail] == ["enterprise-india@acme.example", "priya.rep@acme.example",
                                              "raj.rep@acme.example"]
    assert {m["record_id"] for m in mail} == {result.id}
    assert {(m["reason"], m["api"], m["record_type"], m["template_name"]) for m in mail} == {
        ("assignment", "soap", "Lead", "New enterprise lead")}
    assert all("Smith" in m["subject"] and "Acme" in m["subject"] for m in mail)


def test_no_rule_runs_without_the_option(app_db: DemoDb) -> None:
    _result, row = _create(app_db, "Lead", LEAD | {"Country": "India"}, assignment=NO_ASSIGNMENT,
                          notify_owner=True)
    assert row["OwnerId"] == app_db.org.user_ids["admin@acme.example"]
    assert _mail(app_db) == []


def test_defaults_and_computed_fields(app_db: DemoDb) -> None:
    _, lead = _create(app_db, "Lead", LEAD | {"FirstName": "Jo"})
    assert (lead["Name"], lead["Status"], lead["IsConverted"], lead["IsDeleted"]) == (
        "Jo Smith", "Open - Not Contacted", False, False)
    assert lead["CreatedById"] == lead["LastModifiedById"] == app_db.org.user_ids["admin@acme.example"]
    _, first = _create(app_db, "Case", {"Subject": "a"})
    _, second = _create(app_db, "Case", {"Subject": "b"})
    assert (first["Status"], first["CaseNumber"], second["CaseNumber"]) == ("New", "00001000", "00001001")


def test_case_rule_and_default_case_owner(app_db: DemoDb) -> None:
    _, escalated = _create(app_db, "Case", {"Subject": "x", "IsEscalated": "true"}, assignment=ACTIVE_RULE,
                           notify_owner=True)
    assert escalated["OwnerId"] == app_db.org.user_ids["testuser@org.com"]
    assert [m[0] for m in _mail(app_db)] == ["testUser@org.com"]


def test_a_named_rule_runs_even_when_inactive(app_db: DemoDb) -> None:
    rule_id = app_db.org.rule_ids["Case/Another samplerule"]
    _, case = _create(app_db, "Case", {"Subject": "x", "IsEscalated": False},
                      assignment=Assignment.by_rule(rule_id))
    assert case["OwnerId"] == app_db.org.user_ids["otheruser@org.com"]
    # samplerule's only entry wants IsEscalated True: no match, so the Default Case Owner (admin) gets it.
    _, other = _create(app_db, "Case", {"Subject": "y"},
                       assignment=Assignment.by_rule(app_db.org.rule_ids["Case/samplerule"]),
                       notify_owner=True)
    assert other["OwnerId"] == app_db.org.user_ids["admin@acme.example"]
    assert [(m[0], m[2]) for m in _mail(app_db)] == [("admin@acme.example", "default_owner")]


@pytest.mark.parametrize(("assignment", "code"), [
    (Assignment.by_rule("01Qbad"), "MALFORMED_ID"),
    (Assignment.by_rule("00Q001000000001"), "MALFORMED_ID"),
])
def test_malformed_rule_id_fails_the_call(app_db: DemoDb, assignment: Assignment, code: str) -> None:
    with pytest.raises(CallError) as caught:
        _create(app_db, "Lead", LEAD, assignment=assignment)
    assert caught.value.code == code


def test_a_rule_for_another_object_is_invalid(app_db: DemoDb) -> None:
    lead_rule = app_db.org.rule_ids["Lead/Standard Routing"]
    result, _ = _create(app_db, "Case", {"Subject": "x"}, assignment=Assignment.by_rule(lead_rule))
    assert [e.code for e in result.errors] == ["INVALID_ASSIGNMENT_RULE"]


@pytest.mark.parametrize(("values", "code", "fields"), [
    ({"Company": "Acme"}, "REQUIRED_FIELD_MISSING", ["LastName"]),
    ({}, "REQUIRED_FIELD_MISSING", ["LastName", "Company"]),
    (LEAD | {"Foo__c": "x"}, "INVALID_FIELD", ["Foo__c"]),
    (LEAD | {"Name": "x"}, "INVALID_FIELD_FOR_INSERT_UPDATE", ["Name"]),
    (LEAD | {"LastName": "x" * 81}, "STRING_TOO_LONG", ["LastName"]),
    (LEAD | {"Email": "nope"}, "INVALID_EMAIL_ADDRESS", ["Email"]),
    (LEAD | {"OwnerId": "005001000000999"}, "INVALID_CROSS_REFERENCE_KEY", ["OwnerId"]),
    (LEAD | {"OwnerId": "nonsense"}, "MALFORMED_ID", ["OwnerId"]),
])
def test_validation_errors(app_db: DemoDb, values: dict, code: str, fields: list[str]) -> None:
    result, row = _create(app_db, "Lead", values)
    assert (result.success, row) == (False, None)
    assert [(e.code, e.fields) for e in result.errors] == [(code, fields)]


def test_required_field_message(app_db: DemoDb) -> None:
    result, _ = _create(app_db, "Lead", {"Company": "Acme"})
    assert result.errors[0].message == "Required fields are missing: [LastName]"


def test_owner_must_be_a_queue_of_the_object(app_db: DemoDb) -> None:
    case_queue = app_db.org.queue_ids["Support_Queue"]
    result, _ = _create(app_db, "Lead", LEAD | {"OwnerId": case_queue})
    assert [e.code for e in result.errors] == ["INVALID_CROSS_REFERENCE_KEY"]
    _ok, lead = _create(app_db, "Lead", LEAD | {"OwnerId": app_db.org.queue_ids["India_SMB_Queue"]})
    assert lead["OwnerId"] == app_db.org.queue_ids["India_SMB_Queue"]


def test_more_than_200_records_fail_the_call(app_db: DemoDb) -> None:
    with api_call(app_db.db, _session(app_db), api="soap") as call, pytest.raises(CallError) as caught:
        call.service.create([RecordInput("Lead", LEAD)] * 201)
    assert caught.value.code == "EXCEEDED_ID_LIMIT"


def test_update_reruns_the_rule_and_delete_hides_the_record(app_db: DemoDb) -> None:
    result, _ = _create(app_db, "Lead", LEAD)
    with api_call(app_db.db, _session(app_db), api="rest") as call:
        [updated] = call.service.update([RecordInput("Lead", {"Country": "India"}, id=result.id)],
                                        assignment=ACTIVE_RULE)
        assert updated.success
        assert call.store.get("Lead", result.id)["OwnerId"] == app_db.org.queue_ids["India_SMB_Queue"]
        [deleted] = call.service.delete([result.id])
        assert deleted.success and call.store.get("Lead", result.id) is None
        [again] = call.service.delete([result.id])
        assert [e.code for e in again.errors] == ["ENTITY_IS_DELETED"]


def test_upsert_by_email(app_db: DemoDb) -> None:
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [first] = call.service.upsert("Email", [RecordInput("Lead", LEAD | {"Email": "u@x.example"})])
        [second] = call.service.upsert("email",
                                       [RecordInput("Lead", {"Email": "u@x.example", "Title": "CEO"})])
    assert (first.created, second.created, first.id) == (True, False, second.id)


def test_update_without_an_id_and_create_without_a_type(app_db: DemoDb) -> None:
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [missing] = call.service.update([RecordInput("Lead", {"Title": "x"})])
        assert [(e.code, e.message) for e in missing.errors] == [("MISSING_ARGUMENT",
                                                                  "Id not specified in an update call")]
        with pytest.raises(CallError) as caught:
            call.service.create([RecordInput("", LEAD)])
        assert (caught.value.code, caught.value.message) == ("INVALID_TYPE",
                                                             "Must send a concrete entity type.")


def test_retrieve_takes_up_to_2000_ids(app_db: DemoDb) -> None:
    result, _ = _create(app_db, "Lead", LEAD)
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        rows = call.service.retrieve("Lead", [result.id] * 2000, ["LastName"])
        assert len(rows) == 2000 and rows[0] == {"Id": result.id, "LastName": "Smith"}
        with pytest.raises(CallError) as caught:
            call.service.retrieve("Lead", [result.id] * 2001, ["LastName"])
        assert caught.value.code == "EXCEEDED_ID_LIMIT"


@pytest.mark.parametrize("username", ["testUser@org.com", "TESTUSER@ORG.COM"])
def test_usernames_are_unique_whatever_their_case(app_db: DemoDb, username: str) -> None:
    result, row = _create(app_db, "User", {"Username": username, "LastName": "Again", "Email": "a@b.example"})
    assert (row, [(e.code, e.fields) for e in result.errors]) == (None,
                                                                  [("DUPLICATE_USERNAME", ["Username"])])
    assert result.errors[0].message.startswith("Duplicate Username.<br>The username already exists")


def test_a_username_taken_in_another_org_is_refused(app_db: DemoDb) -> None:
    from sfmock.orgs.demo import DEMO_ORG_PATH
    from sfmock.orgs.install import install
    from sfmock.orgs.metadata import load_org_folder

    with app_db.db.session() as s:
        other = install(s, load_org_folder(DEMO_ORG_PATH), unique_logins=True)
    taken = other.usernames["admin@acme.example"]
    result, _ = _create(app_db, "User", {"Username": taken, "LastName": "X", "Email": "x@y.example"})
    assert [e.code for e in result.errors] == ["DUPLICATE_USERNAME"]
    fine, row = _create(app_db, "User", {"Username": "new.person@acme.example", "LastName": "New",
                                         "Email": "new@acme.example"})
    assert fine.success and row["Name"] == "New" and row["IsActive"] is True


def test_users_are_deactivated_not_deleted(app_db: DemoDb) -> None:
    user = app_db.org.user_ids["priya.rep@acme.example"]
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [deleted] = call.service.delete([user])
        assert [e.code for e in deleted.errors] == ["INVALID_TYPE_FOR_OPERATION"]
        [updated] = call.service.update([RecordInput("User", {"IsActive": "false"}, id=user)])
        assert updated.success and call.store.get("User", user)["IsActive"] is False


@pytest.mark.parametrize(("username", "message"), [
    # KB 000383178 (named by a Case assignment rule) and KB 000384586 (the Default Case Owner).
    ("otheruser@org.com",
     "You cannot deactivate this user. You cannot deactivate a user who is receiving cases or "
                          "notifications as part of your case assignment/escalation rules."),
    ("admin@acme.example",
     "You cannot deactivate this user. You cannot deactivate a user who is the default owner "
                           "of cases."),
])
def test_a_user_the_routing_needs_cannot_be_deactivated(app_db: DemoDb, username: str, message: str) -> None:
    user = app_db.org.user_ids[username]
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [refused] = call.service.update([RecordInput("User", {"IsActive": "false"}, id=user)])
        assert [(e.code, e.message, list(e.fields)) for e in refused.errors] == [
            ("FIELD_INTEGRITY_EXCEPTION", message, ["IsActive"])]
        assert call.store.get("User", user)["IsActive"] is True


def test_the_only_active_member_of_a_routed_queue_without_email_cannot_be_deactivated(app_db: DemoDb) -> None:
    """Healthcare_AE_Round_Robin (a Lead rule entry's queue, no queue email: its members are mailed) has Hana
    and Priya. Either may go while the other stays; the last one is the queue's only route (KB 000383178)."""
    hana, priya = (app_db.org.user_ids[u] for u in ("hana.ae@acme.example", "priya.rep@acme.example"))
    with api_call(app_db.db, _session(app_db), api="soap") as call:
        [gone] = call.service.update([RecordInput("User", {"IsActive": "false"}, id=hana)])
        [refused] = call.service.update([RecordInput("User", {"IsActive": "false"}, id=priya)])
        assert gone.success and call.store.get("User", hana)["IsActive"] is False
        assert [(e.code, e.message, list(e.fields)) for e in refused.errors] == [(
            "FIELD_INTEGRITY_EXCEPTION", "You cannot deactivate this user. You cannot deactivate a user who "
            "is receiving leads or notifications as part of your lead assignment/escalation rules.",
            ["IsActive"])]
        assert call.store.get("User", priya)["IsActive"] is True
        # With a queue email the queue's address is mailed: its last member is no longer its only route.
        queue = app_db.org.queue_ids["Healthcare_AE_Round_Robin"]
        call.store.update("Group", queue, {"Email": "healthcare@acme.example"})
        [fine] = call.service.update([RecordInput("User", {"IsActive": "false"}, id=priya)])
        assert fine.success


def test_a_rule_sees_the_case_number_on_create(app_db: DemoDb) -> None:
    """`Case.CaseNumber notEqual` (no value) is "always true" in real rule files: it must match on create."""
    import dataclasses

    import sqlalchemy as sa

    from sfmock.core.rules.model import CriteriaItem
    from sfmock.persistence.rule_codec import decode_entry, encode_entry
    from sfmock.persistence.tables import assignment_rule_entries as t

    rule_id = app_db.org.rule_ids["Case/Support Routing"]
    with app_db.db.session() as s:
        first = s.execute(sa.select(t.c.definition).where(t.c.rule_id == rule_id,
                                                          t.c.position == 0)).scalar_one()
        entry = dataclasses.replace(decode_entry(first),
                                    criteria=(CriteriaItem("Case.CaseNumber", "notEqual"),))
        s.execute(sa.update(t).where(t.c.rule_id == rule_id,
                                     t.c.position == 0).values(definition=encode_entry(entry)))
    _, case = _create(app_db, "Case", {"Subject": "any"}, assignment=ACTIVE_RULE)
    assert case["OwnerId"] == app_db.org.user_ids["testuser@org.com"]


def test_records_a_door_refused_fail_in_place_and_undo_the_rest_with_all_or_none(app_db: DemoDb) -> None:
    from sfmock.core.errors import RecordError

    refused = RecordError("MISSING_ARGUMENT", "Id not specified in an update call")
    with api_call(app_db.db, _session(app_db), api="rest") as call:
        results = call.service.create([RecordInput("Lead", LEAD), refused], all_or_none=True)
        leads = call.store.find("Lead", {"LastName": "Smith"})
    assert [(r.success, r.errors[0].code) for r in results] == [
        (False, "ALL_OR_NONE_OPERATION_ROLLED_BACK"), (False, "MISSING_ARGUMENT")]
    assert leads == []
    with api_call(app_db.db, _session(app_db), api="rest") as call:
        with pytest.raises(CallError) as caught:
            call.service.create([refused] * 201)
    assert caught.value.code == "EXCEEDED_ID_LIMIT"


def test_live_row_tells_missing_from_deleted(app_db: DemoDb) -> None:
    result, _ = _create(app_db, "Lead", LEAD)
    with api_call(app_db.db, _session(app_db), api="rest") as call:
        call.service.delete([result.id])
        with pytest.raises(Exception) as deleted:
            call.service.live_row("Lead", result.id)
        with pytest.raises(CallError) as missing:
            call.service.live_row("Lead", "00Q000000000000AAA")
    assert deleted.value.code == "ENTITY_IS_DELETED" and missing.value.code == "NOT_FOUND"
