"""zeep, from sfmock's WSDL and from Salesforce's own Partner WSDL, on the connector calls: getUpdated /
getDeleted, undelete / emptyRecycleBin, merge, describeTabs, describeLayout; every answer parsed by a strict
client."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sfmock.soap.wsdl import WSDL_PATH
from tests.e2e.test_soap_zeep import REFERENCE_WSDL, Partner

pytestmark = pytest.mark.e2e

WSDLS = [WSDL_PATH] + ([REFERENCE_WSDL] if REFERENCE_WSDL.exists() else [])


@pytest.fixture(params=WSDLS, ids=lambda p: p.name)
def partner(request: pytest.FixtureRequest, fresh_server: Any) -> Partner:
    # Salesforce's own WSDL is v66: its clients talk to 64.0, where login() still exists.
    return Partner(request.param, fresh_server, version="59.0" if request.param == WSDL_PATH else "64.0")


def test_replication_and_recycle_bin(partner: Partner) -> None:
    service, session = partner.service, partner.session
    a, b = (r.id for r in partner.create([partner.sobject("Case", Subject="A"),
                                          partner.sobject("Case", Subject="B")]))
    service.delete([a, b], _soapheaders=session)
    [undone] = service.undelete([a], _soapheaders=session).body.result
    assert undone.success is True and undone.id == a
    [purged] = service.emptyRecycleBin([b], _soapheaders=session).body.result
    assert purged.success is True
    now = datetime.now(UTC)
    updated = service.getUpdated("Case", now - timedelta(hours=1), now + timedelta(hours=1),
                                 _soapheaders=session).body.result
    # this minute is not covered yet
    assert updated.latestDateCovered <= datetime.now(UTC) and updated.ids == []
    deleted = service.getDeleted("Case", now - timedelta(hours=1), now, _soapheaders=session).body.result
    assert deleted.deletedRecords == [] and deleted.earliestDateAvailable < now


def test_merge_and_describe_tabs(partner: Partner) -> None:
    service, session = partner.service, partner.session
    master, loser = (r.id for r in partner.create([partner.sobject("Case", Subject="M"),
                                                   partner.sobject("Case", Subject="L")]))
    master_record = partner.sobject("Case", Subject="Merged")
    master_record.Id = master
    [merged] = service.merge([{"masterRecord": master_record, "recordToMergeIds": [loser]}],
                             _soapheaders=session).body.result
    assert merged.success is True and merged.mergedRecordIds == [loser]
    [tabs] = service.describeTabs(_soapheaders=session).body.result
    assert [t.sobjectName for t in tabs.tabs] == ["Lead", "Case"]


def test_describe_layout(partner: Partner) -> None:
    """A strict client parses the whole DescribeLayoutResult, on sfmock's WSDL and on Salesforce's."""
    result = partner.service.describeLayout("Lead", None, [], _soapheaders=partner.session).body.result
    [layout] = result.layouts
    [detail], [edit] = layout.detailLayoutSections, layout.editLayoutSections
    assert layout.id.startswith("00h") and detail.parentLayoutId == edit.parentLayoutId == layout.id
    fields = [i.layoutComponents[0].value for row in edit.layoutRows for i in row.layoutItems]
    assert {"LastName", "Company", "Country", "OwnerId"} <= set(fields)
    assert [(m.developerName, m.layoutId) for m in result.recordTypeMappings] == [
        ("Partner_Lead", layout.id), ("Master", layout.id)]
    assert result.recordTypeSelectorRequired is False
