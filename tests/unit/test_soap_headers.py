"""SOAP headers as plain options: nil is absent, booleans take 1/0, only the operation's headers count."""
from __future__ import annotations

import pytest
from lxml import etree

from sfmock.core.options import ACTIVE_RULE, NO_ASSIGNMENT, Assignment
from sfmock.soap import partner_types as t
from sfmock.soap.envelope import parse
from sfmock.soap.headers import EmailOptions, read
from sfmock.soap.service import application

CREATE_HEADERS = application.interface.service_method_map["{urn:partner.soap.sforce.com}create"][0].in_header
DELETE_HEADERS = application.interface.service_method_map["{urn:partner.soap.sforce.com}delete"][0].in_header
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'


def _blocks(header_xml: str) -> dict[str, etree._Element]:
    return parse(f"""<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"
      xmlns:u="urn:partner.soap.sforce.com"
        {XSI}><s:Header>{header_xml}</s:Header><s:Body><u:create/></s:Body></s:Envelope>""".encode()).headers


@pytest.mark.parametrize(("block", "expected"), [
    ("", NO_ASSIGNMENT),
    ("<u:AssignmentRuleHeader><u:useDefaultRule>true</u:useDefaultRule></u:AssignmentRuleHeader>",
     ACTIVE_RULE),
    ("<u:AssignmentRuleHeader><u:useDefaultRule>1</u:useDefaultRule></u:AssignmentRuleHeader>", ACTIVE_RULE),
    ("<u:AssignmentRuleHeader><u:useDefaultRule>0</u:useDefaultRule></u:AssignmentRuleHeader>",
     NO_ASSIGNMENT),
    # zeep sends the unset field as nil: absent, so useDefaultRule decides
    (('<u:AssignmentRuleHeader><u:assignmentRuleId xsi:nil="true"/><u:useDefaultRule>true</u:useDefaultRule>'
      "</u:AssignmentRuleHeader>"), ACTIVE_RULE),
    (("<u:AssignmentRuleHeader><u:assignmentRuleId>01Q001000000001AAA</u:assignmentRuleId>"
      '<u:useDefaultRule xsi:nil="true"/></u:AssignmentRuleHeader>'),
     Assignment.by_rule("01Q001000000001AAA")),
    ('<u:AssignmentRuleHeader xsi:nil="true"/>', NO_ASSIGNMENT),
])
def test_assignment_rule_header(block: str, expected: Assignment) -> None:
    assert read(_blocks(block), CREATE_HEADERS).assignment == expected


def test_email_header_keeps_all_three_flags() -> None:
    headers = read(_blocks("<u:EmailHeader><u:triggerAutoResponseEmail>1</u:triggerAutoResponseEmail>"
                           "<u:triggerOtherEmail>false</u:triggerOtherEmail>"
                           "<u:triggerUserEmail>true</u:triggerUserEmail></u:EmailHeader>"), CREATE_HEADERS)
    assert headers.email == EmailOptions(trigger_user_email=True, trigger_auto_response_email=True,
                                         trigger_other_email=False)
    assert read(_blocks(""), CREATE_HEADERS).email == EmailOptions()


def test_session_all_or_none_and_the_accepted_rest() -> None:
    headers = read(_blocks("<x:SessionHeader "
                           "xmlns:x='urn:other'><x:sessionId>00D!abc</x:sessionId></x:SessionHeader>"
                           "<u:AllOrNoneHeader><u:allOrNone>true</u:allOrNone></u:AllOrNoneHeader>"
                           "<u:CallOptions><u:client>sfmock-test</u:client><u:unknownThing>x</u:unknownThing>"
                           "</u:CallOptions><u:MruHeader><u:updateMru>false</u:updateMru></u:MruHeader>"
                           "<u:DuplicateRuleHeader><u:allowSave>true</u:allowSave></u:DuplicateRuleHeader>"
                           "<u:LocaleOptions><u:language>fr</u:language></u:LocaleOptions>"
                           "<u:StreamingEnabledHeader><u:x>1</u:x></u:StreamingEnabledHeader>"),
                   CREATE_HEADERS)
    assert (headers.session_id, headers.all_or_none, headers.client) == ("00D!abc", True, "sfmock-test")
    assert headers.raw["MruHeader"] == {"updateMru": False}
    assert headers.raw["DuplicateRuleHeader"] == {"allowSave": True}
    assert headers.raw["LocaleOptions"] == {"language": "fr"}
    assert "StreamingEnabledHeader" not in headers.raw  # not declared for create by sfmock: ignored


def test_headers_an_operation_does_not_take_are_ignored() -> None:
    # delete has no AssignmentRuleHeader (Partner WSDL binding), so it cannot ask for a rule.
    block = "<u:AssignmentRuleHeader><u:useDefaultRule>true</u:useDefaultRule></u:AssignmentRuleHeader>"
    assert read(_blocks(block), DELETE_HEADERS).assignment == NO_ASSIGNMENT


def test_query_options_batch_size() -> None:
    method_map = application.interface.service_method_map
    query_headers = method_map["{urn:partner.soap.sforce.com}query"][0].in_header
    headers = read(_blocks("<u:QueryOptions><u:batchSize>250</u:batchSize></u:QueryOptions>"), query_headers)
    assert headers.batch_size == 250
    assert t.QueryOptions in query_headers
