"""Recipients and messages of assignment notifications (app/core/notifications.py)."""
from __future__ import annotations

import pytest

from sfmock.core.mail import MailMessage
from sfmock.core.notifications import assignment_messages, recipients
from sfmock.core.org import OrgSettings
from tests.unit.fakes import FakeStore

LEAD_ID = "00Q000000000001AAA"


@pytest.fixture
def store() -> FakeStore:
    s = FakeStore(OrgSettings(org_id="00D000000000001AAA", name="Acme Corp"))
    for key, first, last, email, active in [
        ("alice", "Alice", "Able", "alice@example.com", True),
        ("bob", "Bob", "Baker", "bob@example.com", True),
        ("carol", "Carol", "Cole", "carol@example.com", False),
        ("dave", "Dave", "Dunn", "dave@example.com", True),
    ]:
        row = s.add("User", {"Username": f"{key}@acme.test", "FirstName": first, "LastName": last,
                              "Name": f"{first} {last}", "Email": email, "IsActive": active})
        setattr(s, key, row["Id"])
    s.add("EmailTemplate", {"Id": "00X000000000001AAA", "Name": "Leads: New assignment notification (SAMPLE)",
                            "DeveloperName": "LeadsNewassignmentnotificationSAMPLE",
                            "FolderName": "unfiled$public",
                            "Subject": "New lead assigned to you:  {!Lead.Name} from {!Lead.Company}",
                            "Body": "Owner: {!Lead.OwnerFullName}\nOrg: {!Organization.Name}\n{!Lead.Link}"})
    return s


def queue(store: FakeStore, name: str, email: str | None, send_to_members: bool, members: list[str]) -> str:
    gid = store.add("Group", {"Name": name, "DeveloperName": name.replace(" ", "_"), "Type": "Queue",
                              "Email": email, "DoesSendEmailToMembers": send_to_members})["Id"]
    for member in members:
        store.add("GroupMember", {"GroupId": gid, "UserOrGroupId": member})
    return gid


def emails(store: FakeStore, owner_id: str) -> list[str]:
    return [m.recipient for m in assignment_messages(
        store, sobject="Lead", record={"Id": LEAD_ID, "Name": "Ann Lee", "Company": "Acme"},
        owner_id=owner_id, template_id="00X000000000001AAA", reason="assignment", api="soap")]


def test_user_owner_gets_one_complete_message(store: FakeStore) -> None:
    messages = assignment_messages(
        store, sobject="Lead",
        record={"Id": LEAD_ID, "Name": "Ann Lee", "Company": "Acme", "OwnerId": store.bob},
        owner_id=store.alice, template_id="00X000000000001AAA", reason="assignment", api="soap",
        link_base="https://sfmock.test/",
    )
    assert messages == [MailMessage(
        recipient="alice@example.com",
        subject="New lead assigned to you:  Ann Lee from Acme",
        body=f"Owner: Alice Able\nOrg: Acme Corp\nhttps://sfmock.test/{LEAD_ID}",
        template_name="Leads: New assignment notification (SAMPLE)",
        record_id=LEAD_ID, record_type="Lead", reason="assignment", api="soap", cc=None,
    )]


def test_an_inactive_user_owner_is_still_mailed(store: FakeStore) -> None:
    assert emails(store, store.carol) == ["carol@example.com"]


def test_user_name_falls_back_to_first_and_last_name(store: FakeStore) -> None:
    uid = store.add("User", {"FirstName": "Eve", "LastName": "Eng", "Email": "eve@example.com"})["Id"]
    assert recipients(store, uid) == (["eve@example.com"], "Eve Eng")


@pytest.mark.parametrize(
    ("email", "send_to_members", "expected"),
    [
        # the queue email first, then every member
        ("sales@example.com", True, ["sales@example.com", "alice@example.com", "bob@example.com"]),
        # members are not mailed when "Send Email to Members" is off and the queue has an email
        ("sales@example.com", False, ["sales@example.com"]),
        # no queue email: members always
        (None, False, ["alice@example.com", "bob@example.com"]),
        ("", False, ["alice@example.com", "bob@example.com"]),
        (None, True, ["alice@example.com", "bob@example.com"]),
        # the queue email is also a member's: one message only
        ("ALICE@example.com", True, ["ALICE@example.com", "bob@example.com"]),
    ],
)
def test_queue_recipients(
    store: FakeStore, email: str | None, send_to_members: bool, expected: list[str]
) -> None:
    gid = queue(store, "Sales Queue", email, send_to_members, [store.alice, store.bob])
    assert emails(store, gid) == expected


def test_queue_message_names_the_queue_as_owner(store: FakeStore) -> None:
    gid = queue(store, "Sales Queue", "sales@example.com", False, [store.alice])
    [message] = assignment_messages(store, sobject="Lead", record={"Id": LEAD_ID, "Name": "Ann Lee"},
                                    owner_id=gid, template_id="00X000000000001AAA", reason="default_owner",
                                    api="rest")
    assert message.body == f"Owner: Sales Queue\nOrg: Acme Corp\n/{LEAD_ID}"
    assert message.subject == "New lead assigned to you:  Ann Lee from "
    assert (message.reason, message.api, message.record_type) == ("default_owner", "rest", "Lead")


def test_nested_groups_are_expanded_without_looping(store: FakeStore) -> None:
    team = store.add("Group", {"Name": "Team", "Type": "Regular"})["Id"]
    inner = store.add("Group", {"Name": "Inner", "Type": "Regular"})["Id"]
    gid = queue(store, "Sales Queue", None, False, [store.bob, team])
    for member in (store.dave, store.bob, inner, gid):  # bob twice, and a cycle back to the queue
        store.add("GroupMember", {"GroupId": team, "UserOrGroupId": member})
    for member in (store.alice, team):  # a cycle between the two groups
        store.add("GroupMember", {"GroupId": inner, "UserOrGroupId": member})
    assert emails(store, gid) == ["bob@example.com", "dave@example.com", "alice@example.com"]


def test_case_template(store: FakeStore) -> None:
    store.add("EmailTemplate", {
        "Id": "00X000000000002AAA", "Name": "SUPPORT: New assignment notification (SAMPLE)",
        "Subject": "Case # {!Case.CaseNumber}: {!Case.Subject} has been assigned to you.",
        "Body": "{!Case.OwnerFullName} / {!Case.OwnerId} / {!Contact.Name}",
    })
    case_id = "500000000000001AAA"
    [message] = assignment_messages(store, sobject="Case",
                                    record={"Id": case_id, "CaseNumber": "00001001", "Subject": "Broken"},
                                    owner_id=store.dave, template_id="00X000000000002AAA",
                                    reason="assignment",
                                    api="soap", link_base="https://sfmock.test")
    assert message.subject == "Case # 00001001: Broken has been assigned to you."
    assert message.body == f"Dave Dunn / {store.dave} / "
    assert (message.record_id, message.record_type) == (case_id, "Case")
    assert message.recipient == "dave@example.com"


def test_nothing_is_sent_without_template_or_owner(store: FakeStore) -> None:
    assert assignment_messages(store, sobject="Lead", record={"Id": LEAD_ID}, owner_id=store.alice,
                               template_id="00X000000000009AAA", reason="assignment", api="soap") == []
    assert emails(store, "005000000000099AAA") == []
    assert emails(store, "00G000000000099AAA") == []
    regular = store.add("Group", {"Name": "Team", "Type": "Regular", "Email": "team@example.com"})["Id"]
    assert emails(store, regular) == []


def test_empty_queue_without_email_mails_nobody(store: FakeStore) -> None:
    assert emails(store, queue(store, "Empty", None, True, [])) == []


def test_fake_store_savepoint_undoes_only_the_inside(store: FakeStore) -> None:
    outbox = store.outbox
    store.add("Group", {"Name": "Before", "Type": "Regular"})
    with pytest.raises(RuntimeError), store.savepoint():
        store.add("Group", {"Name": "Inside", "Type": "Regular"})
        store.add_mail(MailMessage("a@b.c", "s", "b", None, LEAD_ID, "Lead", "assignment", "soap"))
        raise RuntimeError
    assert [g["Name"] for g in store.find("Group", {"Type": "Regular"})] == ["Before"]
    assert store.outbox is outbox and outbox == []
