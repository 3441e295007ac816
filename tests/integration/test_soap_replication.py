"""SOAP getUpdated / getDeleted, undelete and emptyRecycleBin on the demo org."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from lxml import etree

from sfmock.persistence.tables import table_for
from tests.contract.test_soap_shapes import NS, soap
from tests.integration.test_soap_calls import fault_code, results, sobject

__all__ = ["soap"]

NOW = datetime.now(UTC).replace(second=0, microsecond=0)


def _at(minutes_ago: int) -> str:
    return (NOW - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _stamp(app_db, record_id: str, minutes_ago: int) -> None:
    table = table_for("Lead")
    with app_db.db.session() as sql:
        sql.execute(sa.update(table).where(table.c.Id == record_id).values(
            SystemModstamp=(NOW - timedelta(minutes=minutes_ago)).replace(tzinfo=None)))


def _window(operation: str, start: int, end: int, kind: str = "Lead") -> str:
    return (f"<u:{operation}><u:sObjectType>{kind}</u:sObjectType><u:startDate>{_at(start)}</u:startDate>"
            f"<u:endDate>{_at(end)}</u:endDate></u:{operation}>")


def _create(soap, session: str, count: int) -> list[str]:
    body = "".join(sobject("Lead", LastName=f"L{i}", Company="Acme") for i in range(count))
    return [r["id"] for r in results(soap.call(f"<u:create>{body}</u:create>", session))]


def test_get_updated_and_get_deleted(soap, app_db):
    session = soap.login()
    kept, gone = _create(soap, session, 2)
    _stamp(app_db, kept, 30)
    assert results(soap.call(f"<u:delete><u:ids>{gone}</u:ids></u:delete>", session),
                   "delete")[0]["success"] == "true"
    _stamp(app_db, gone, 20)
    updated = etree.fromstring(soap.call(_window("getUpdated", 60, 10), session).content)
    result = updated.find(".//p:getUpdatedResponse/p:result", NS)
    assert [e.text for e in result.findall("p:ids", NS)] == [kept]
    assert result.findtext("p:latestDateCovered", namespaces=NS) == _at(10)
    deleted = etree.fromstring(soap.call(_window("getDeleted", 60, 10), session).content)
    result = deleted.find(".//p:getDeletedResponse/p:result", NS)
    assert [etree.QName(c).localname for c in result] == ["deletedRecords", "earliestDateAvailable",
                                                          "latestDateCovered"]
    record = result.find("p:deletedRecords", NS)
    assert (record.findtext("p:deletedDate", namespaces=NS),
            record.findtext("p:id", namespaces=NS)) == (_at(20), gone)


def test_replication_faults(soap):
    session = soap.login()
    assert fault_code(soap.call(_window("getUpdated", 10, 10), session)) == "sf:INVALID_REPLICATION_DATE"
    assert fault_code(soap.call(_window("getUpdated", 60, 10, "Nope"), session)) == "sf:INVALID_TYPE"


def test_undelete_and_empty_recycle_bin(soap, app_db):
    session = soap.login()
    first, second = _create(soap, session, 2)
    soap.call(f"<u:delete><u:ids>{first}</u:ids><u:ids>{second}</u:ids></u:delete>", session)
    undone = results(soap.call(f"<u:undelete><u:ids>{first}</u:ids></u:undelete>", session), "undelete")
    assert [(r["id"], r["success"]) for r in undone] == [(first, "true")]
    again = results(soap.call(f"<u:undelete><u:ids>{first}</u:ids></u:undelete>", session), "undelete")
    assert again[0]["errors"] == [("UNDELETE_FAILED", "Entity is not in the recycle bin", [])]
    purged = results(soap.call(f"<u:emptyRecycleBin><u:ids>{second}</u:ids></u:emptyRecycleBin>", session),
                     "emptyRecycleBin")
    assert [(r["id"], r["success"]) for r in purged] == [(second, "true")]
    table = table_for("Lead")
    with app_db.db.session() as sql:
        rows = dict(sql.execute(sa.select(table.c.Id, table.c.IsDeleted)).all())
    assert rows == {first: False}
    after = results(soap.call(f"<u:undelete><u:ids>{second}</u:ids></u:undelete>", session), "undelete")
    assert after[0]["errors"][0][0] == "INVALID_CROSS_REFERENCE_KEY"


def test_an_unknown_field_in_create_is_the_invalid_field_fault_and_nothing_is_saved(soap, app_db):
    session = soap.login()
    body = sobject("Lead", LastName="Ok", Company="Acme") + sobject("Lead", LastName="X", Company="Y",
                                                                    Bogus__c="1")
    response = soap.call(f"<u:create>{body}</u:create>", session)
    assert fault_code(response) == "sf:INVALID_FIELD"
    fault = etree.fromstring(response.content)
    assert fault.findtext(".//faultstring") == (
        "INVALID_FIELD: No such column 'Bogus__c' on entity 'Lead'. If you are attempting to use a custom "
        "field, be "
        "sure to append the '__c' after the custom field name. Please reference your WSDL or the describe "
        "call for "
        "the appropriate names.")
    with app_db.db.session() as sql:
        assert sql.execute(sa.select(sa.func.count()).select_from(table_for("Lead"))).scalar() == 0


def _merge(master: str, losers: list[str], **fields: str) -> str:
    values = "".join(f"<o:{k}>{v}</o:{k}>" for k, v in fields.items())
    ids = "".join(f"<u:recordToMergeIds>{i}</u:recordToMergeIds>" for i in losers)
    return (f"<u:merge><u:request><u:masterRecord><o:type>Case</o:type><o:Id>{master}</o:Id>{values}"
            f"</u:masterRecord>{ids}</u:request></u:merge>")


def test_merge_keeps_the_master_deletes_the_others_and_reparents_their_children(soap, app_db):
    session = soap.login()
    body = "".join(sobject("Case", Subject=s) for s in ("Master", "Loser", "Other"))
    master, loser, other = (r["id"] for r in results(soap.call(f"<u:create>{body}</u:create>", session)))
    [child] = [r["id"] for r in results(soap.call(
        f"<u:create>{sobject('Case', Subject='Child', ParentId=loser)}</u:create>", session))]
    response = soap.call(_merge(master, [loser, other], Subject="Merged"), session)
    assert response.status_code == 200, response.text
    result = etree.fromstring(response.content).find(".//p:mergeResponse/p:result", NS)
    assert [etree.QName(c).localname for c in result] == [
        "id", "mergedRecordIds", "mergedRecordIds", "success", "updatedRelatedIds"]
    assert [e.text for e in result.findall("p:mergedRecordIds", NS)] == [loser, other]
    assert [e.text for e in result.findall("p:updatedRelatedIds", NS)] == [child]
    table = table_for("Case")
    with app_db.db.session() as sql:
        rows = {r.Id: r for r in sql.execute(sa.select(table))}
    assert rows[master].Subject == "Merged" and not rows[master].IsDeleted
    assert rows[loser].IsDeleted and rows[other].IsDeleted and rows[child].ParentId == master


def test_merge_failures_are_per_request(soap):
    session = soap.login()
    body = "".join(sobject("Case", Subject=s) for s in ("A", "B", "C", "D"))
    a, b, c, d = (r["id"] for r in results(soap.call(f"<u:create>{body}</u:create>", session)))
    too_many = results(soap.call(_merge(a, [b, c, d]), session), "merge")
    assert too_many[0]["success"] == "false" and too_many[0]["errors"][0][0] == "INVALID_ARGUMENT"
    itself = results(soap.call(_merge(a, [a]), session), "merge")
    assert itself[0]["errors"][0][0] == "INVALID_ID_FIELD"


def test_describe_tabs(soap):
    response = soap.call("<u:describeTabs/>", soap.login())
    assert response.status_code == 200, response.text
    result = etree.fromstring(response.content).find(".//p:describeTabsResponse/p:result", NS)
    assert result.findtext("p:label", namespaces=NS) == "Sales"
    assert [t.findtext("p:sobjectName", namespaces=NS) for t in result.findall("p:tabs",
                                                                               NS)] == ["Lead", "Case"]


def test_convert_lead_creates_the_account_and_contact(soap):
    """Account and Contact are standard objects of the org's schema: convertLead creates them and marks the
    lead converted (sfmock.core.convert)."""
    session = soap.login()
    [lead] = [r["id"] for r in results(soap.call(
        f"<u:create>{sobject('Lead', LastName='Rao', Company='Acme')}</u:create>", session))]
    body = (f"<u:convertLead><u:leadConverts><u:convertedStatus>Closed - Converted</u:convertedStatus>"
            f"<u:doNotCreateOpportunity>true</u:doNotCreateOpportunity><u:leadId>{lead}</u:leadId>"
            "<u:overwriteLeadSource>false</u:overwriteLeadSource><u:sendNotificationEmail>true"
            "</u:sendNotificationEmail></u:leadConverts></u:convertLead>")
    response = soap.call(body, session)
    result = etree.fromstring(response.content).find(".//p:convertLeadResponse/p:result", NS)
    assert result.findtext("p:success", namespaces=NS) == "true", response.text
    assert result.findtext("p:accountId", namespaces=NS)[:3] == "001"
    assert result.findtext("p:contactId", namespaces=NS)[:3] == "003"
