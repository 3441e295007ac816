"""A queue an assignment rule entry (active or not) or the Default Lead/Case Owner still routes to is not
deleted: deleteMetadata answers a DeleteResult error, a deploy's destructive change a componentFailure (and,
with rollbackOnError, writes nothing); the queue keeps its members and the rule keeps routing to it. Once
nothing uses it (the rule deployed without the entry, or the deletion in destructiveChangesPost.xml, after
the additions), it goes."""

from __future__ import annotations

import pytest

from sfmock.main import create_app
from sfmock.persistence.orgs import open_org
from tests.conftest import DemoDb
from tests.contract.test_soap_shapes import Soap
from tests.integration.test_metadata_api import MNS, PACKAGE, Metadata
from tests.integration.test_metadata_delete import _delete
from tests.integration.test_metadata_deploy_failures import GOOD_Q
from tests.integration.test_metadata_destructive import _messages, _status, manifest
from tests.integration.test_rest_fixtures import Api, api

__all__ = ["api"]
IN_USE = "This queue is referenced elsewhere in salesforce.com. : "
QUEUE = (f'<Package xmlns="{MNS}"><types><members>Good_Q</members><name>Queue</name></types>'
         "<version>66.0</version></Package>")
INDIA = {"LastName": "Rao", "Company": "Chai Co", "Country": "India"}


@pytest.fixture
def metadata(app_db: DemoDb) -> Metadata:
    return Metadata(Soap(create_app(app_db.settings, app_db.db)))


def _queue(app_db: DemoDb, name: str) -> tuple[str, int, int] | None:
    """(Id, members, supported objects) of the queue, None when the org has none by that name."""
    with app_db.db.read() as sql:
        store = open_org(sql, app_db.org.org_id)
        found = store.find("Group", {"Type": "Queue", "DeveloperName": name})
        if not found:
            return None
        queue_id = found[0]["Id"]
        return (queue_id, len(store.find("GroupMember", {"GroupId": queue_id})),
                len(store.find("QueueSobject", {"QueueId": queue_id})))


def _rules(sobject: str, name: str, active: bool, *routes: tuple[str, str | None]) -> str:
    """One assignment rule: an entry per (queue, Country it routes; None = every record)."""
    entries = "".join(
        f"<ruleEntry><assignedTo>{queue}</assignedTo><assignedToType>Queue</assignedToType>"
        + (f"<criteriaItems><field>{sobject}.{'Country' if sobject == 'Lead' else 'Origin'}</field>"
           f"<operation>equals</operation><value>{value}</value></criteriaItems>" if value else "")
        + "</ruleEntry>"
        for queue, value in routes)
    return (f'<AssignmentRules xmlns="{MNS}"><assignmentRule><fullName>{name}</fullName>'
            f"<active>{'true' if active else 'false'}</active>{entries}</assignmentRule></AssignmentRules>")


def _routed_to_india(api: Api, app_db: DemoDb) -> None:
    """The next REST create (Sforce-Auto-Assign absent = the active rule) still lands in India_SMB_Queue."""
    queue = _queue(app_db, "India_SMB_Queue")
    assert queue is not None
    assert api.record("Lead", api.create("Lead", **INDIA))["OwnerId"] == queue[0]


def test_delete_metadata_refuses_a_queue_a_rule_or_the_default_owner_uses(
        metadata: Metadata, app_db: DemoDb, api: Api) -> None:
    india, unassigned = _queue(app_db, "India_SMB_Queue"), _queue(app_db, "Unassigned_Leads_Queue")
    assert india is not None and india[1] > 0  # members the refusal must leave in place
    assert _delete(metadata, "Queue", "India_SMB_Queue", "Unassigned_Leads_Queue") == [
        ("India_SMB_Queue", "false", "DELETE_FAILED",
         IN_USE + "Lead assignment rule Standard Routing, entry 2"),
        ("Unassigned_Leads_Queue", "false", "DELETE_FAILED",
         IN_USE + "Lead assignment rule Standard Routing, entry 5, Default Lead Owner")]
    assert _queue(app_db, "India_SMB_Queue") == india
    assert _queue(app_db, "Unassigned_Leads_Queue") == unassigned
    _routed_to_india(api, app_db)


def test_an_inactive_rule_entry_holds_its_queue_too(metadata: Metadata, app_db: DemoDb) -> None:
    package = PACKAGE.replace("<members>Lead</members>", "<members>Case</members>")
    deployed = metadata.deploy({"package.xml": package, "assignmentRules/Case.assignmentRules": _rules(
        "Case", "Dormant Cases", False, ("Support_Queue", "Phone"))})
    assert _status(deployed)[:2] == ["Succeeded", "true"]
    assert _delete(metadata, "Queue", "Support_Queue") == [
        ("Support_Queue", "false", "DELETE_FAILED", IN_USE + "Case assignment rule Dormant Cases, entry 1")]
    assert _queue(app_db, "Support_Queue") is not None


def test_a_destructive_deploy_fails_on_a_queue_in_use_and_rolls_back(
        metadata: Metadata, app_db: DemoDb, api: Api) -> None:
    india = _queue(app_db, "India_SMB_Queue")
    failed = metadata.deploy({"package.xml": QUEUE, "queues/Good_Q.queue": GOOD_Q,
                              "destructiveChanges.xml": manifest(Queue=["India_SMB_Queue"])})
    assert _status(failed) == ["Failed", "false", "1", "0"]
    assert _messages(failed, "componentFailures") == [
        ("Queue", "India_SMB_Queue", "destructiveChanges.xml", "false", "Error",
         IN_USE + "Lead assignment rule Standard Routing, entry 2", "false")]
    assert _queue(app_db, "India_SMB_Queue") == india
    assert _queue(app_db, "Good_Q") is None  # rollbackOnError: the addition is not written either
    _routed_to_india(api, app_db)


def test_the_queue_goes_once_nothing_routes_to_it(metadata: Metadata, app_db: DemoDb, api: Api) -> None:
    # Standard Routing without its India SMB (2) and Healthcare (3) entries.
    files = {"package.xml": PACKAGE, "assignmentRules/Lead.assignmentRules": _rules(
        "Lead", "Standard Routing", True, ("EMEA_Leads_Queue", "Spain"), ("Unassigned_Leads_Queue", None))}
    healthcare = manifest(Queue=["Healthcare_AE_Round_Robin"])
    # destructiveChanges.xml is applied before the additions: the stored rule still names the queue.
    pre = metadata.deploy(files | {"destructiveChanges.xml": healthcare})
    assert _status(pre) == ["Failed", "false", "1", "0"]
    assert _messages(pre, "componentFailures") == [
        ("Queue", "Healthcare_AE_Round_Robin", "destructiveChanges.xml", "false", "Error",
         IN_USE + "Lead assignment rule Standard Routing, entry 3", "false")]
    assert _queue(app_db, "Healthcare_AE_Round_Robin") is not None
    _routed_to_india(api, app_db)  # the rule update was rolled back with it
    # destructiveChangesPost.xml comes after them: the deployed rule no longer uses the queue.
    post = metadata.deploy(files | {"destructiveChangesPost.xml": healthcare})
    assert _status(post) == ["Succeeded", "true", "0", "2"]
    assert _queue(app_db, "Healthcare_AE_Round_Robin") is None
    india = _queue(app_db, "India_SMB_Queue")
    assert india is not None
    # No rule routes to India_SMB_Queue any more, but it still owns the Lead routed to it above ("You cannot
    # delete a queue if it ... has any records in it"); once that Lead has a user for owner, it goes.
    assert _delete(metadata, "Queue", "India_SMB_Queue") == [
        ("India_SMB_Queue", "false", "DELETE_FAILED", IN_USE + "1 Lead record")]
    owned = [row["Id"] for row in api.rows("Lead") if row["OwnerId"] == india[0]]
    assert len(owned) == 1
    admin = api.user("admin@acme.example")
    assert api.patch(f"/sobjects/Lead/{owned[0]}", json={"OwnerId": admin}).status_code == 204
    assert _delete(metadata, "Queue", "India_SMB_Queue") == [("India_SMB_Queue", "true", None, None)]
    assert _queue(app_db, "India_SMB_Queue") is None
    with app_db.db.read() as sql:
        assert open_org(sql, app_db.org.org_id).find("GroupMember", {"GroupId": india[0]}) == []
    # The catch-all entry and the Default Lead Owner still hold Unassigned_Leads_Queue.
    assert _delete(metadata, "Queue", "Unassigned_Leads_Queue") == [
        ("Unassigned_Leads_Queue", "false", "DELETE_FAILED",
         IN_USE + "Lead assignment rule Standard Routing, entry 2, Default Lead Owner, 1 Lead record")]
    only_emea = metadata.deploy({"package.xml": PACKAGE, "assignmentRules/Lead.assignmentRules": _rules(
        "Lead", "Standard Routing", True, ("EMEA_Leads_Queue", "Spain"))})
    assert _status(only_emea)[:2] == ["Succeeded", "true"]
    assert _delete(metadata, "Queue", "Unassigned_Leads_Queue") == [
        ("Unassigned_Leads_Queue", "false", "DELETE_FAILED", IN_USE + "Default Lead Owner, 1 Lead record")]


def test_a_queue_that_owns_an_account_is_not_deleted(metadata: Metadata, app_db: DemoDb, api: Api) -> None:
    """A queue may own a record of any object but Lead/Case without a QueueSobject entry: it holds it."""
    files = {"package.xml": QUEUE, "queues/Good_Q.queue": GOOD_Q}
    assert _status(metadata.deploy(files))[:2] == ["Succeeded", "true"]
    good = _queue(app_db, "Good_Q")
    assert good is not None
    account = api.create("Account", Name="Queue-owned", OwnerId=good[0])
    assert _delete(metadata, "Queue", "Good_Q") == [
        ("Good_Q", "false", "DELETE_FAILED", IN_USE + "1 Account record")]
    assert api.record("Account", account)["OwnerId"] == good[0]
    admin = api.user("admin@acme.example")
    assert api.patch(f"/sobjects/Account/{account}", json={"OwnerId": admin}).status_code == 204
    assert _delete(metadata, "Queue", "Good_Q") == [("Good_Q", "true", None, None)]
