"""Reading request envelopes: every client's shape is understood, hostile XML is refused before it can
hurt."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from sfmock.soap.envelope import MAX_DEPTH, parse
from sfmock.soap.faults import SoapFault

ENV = "http://schemas.xmlsoap.org/soap/envelope/"
CAPTURES = Path(__file__).resolve().parents[2].parent / "shared" / "docs" / "wire-captures"


def _soap_bodies() -> list[tuple[str, str]]:
    out = []
    for file in sorted(CAPTURES.glob("*.jsonl")):
        for n, line in enumerate(file.read_text().splitlines()):
            request = json.loads(line)
            if "/services/Soap/" in request["path"]:
                out.append((f"{file.stem}-{n}", request["body"]))
    return out


@pytest.mark.skipif(not CAPTURES.exists(), reason="../shared/docs/wire-captures is not beside the project")
@pytest.mark.parametrize(("name", "body"), _soap_bodies())
def test_every_captured_client_envelope_is_read(name: str, body: str) -> None:
    envelope = parse(body.encode())
    assert envelope.operation in ("login", "create")
    assert envelope.body is not None
    if envelope.operation == "create":
        assert "SessionHeader" in envelope.headers


def test_headers_and_operation_are_matched_by_local_name() -> None:
    envelope = parse(
        f"""<?xml version="1.0"?><x:Envelope xmlns:x="{ENV}"><x:Header>
        <a:SessionHeader xmlns:a="urn:whatever"><a:sessionId>S</a:sessionId></a:SessionHeader></x:Header>
        <x:Body><!-- a comment --><q:query
          xmlns:q="urn:partner.soap.sforce.com"><q:queryString>SELECT Id FROM Lead
        </q:queryString></q:query></x:Body></x:Envelope>""".encode()
    )
    assert envelope.operation == "query"
    assert envelope.namespace == "urn:partner.soap.sforce.com"
    assert list(envelope.headers) == ["SessionHeader"]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><login
  xmlns="urn:partner.soap.sforce.com">
<username>&lol9;</username><password>p</password></login></s:Body></s:Envelope>"""
XXE = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><login
  xmlns="urn:partner.soap.sforce.com">
<username>&xxe;</username><password>p</password></login></s:Body></s:Envelope>"""
EXTERNAL_DTD = """<?xml version="1.0"?><!DOCTYPE s:Envelope SYSTEM "http://127.0.0.1:9/evil.dtd">
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><logout/></s:Body></s:Envelope>"""
PARAMETER_ENTITY = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><logout/></s:Body></s:Envelope>"""


_LAUGHS_10 = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 11))
FULL_BILLION_LAUGHS = (f'<?xml version="1.0"?><!DOCTYPE r [{_LAUGHS_10}]><s:Envelope xmlns:s="{ENV}"><s:Body>'
                       '<login a="&l10;"><username>&l10;</username></login></s:Body></s:Envelope>')
QUADRATIC = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "{"x" * 100_000}">]><s:Envelope xmlns:s="{ENV}">'
             f'<s:Body><login u="{"&a;" * 10_000}"><username>{"&a;" * 10_000}</username></login></s:Body>'
             "</s:Envelope>")
# A DOCTYPE may follow any amount of comment: it is refused wherever it sits, in any encoding.
LATE_XXE = XXE.replace("<!DOCTYPE", "<!--" + "c" * 10_000 + "--><!DOCTYPE")


@pytest.mark.parametrize("document", [BILLION_LAUGHS.encode(), XXE.encode(), EXTERNAL_DTD.encode(),
                                      PARAMETER_ENTITY.encode(), XXE.encode("utf-16"),
                                      XXE.replace("DOCTYPE", "doctype").encode(),
                                      FULL_BILLION_LAUGHS.encode(), QUADRATIC.encode(), LATE_XXE.encode(),
                                      LATE_XXE.encode("utf-16")],
                         ids=["billion-laughs", "xxe", "external-dtd", "parameter-entity", "utf16-xxe",
                              "lowercase", "billion-laughs-10", "quadratic", "late-xxe", "late-utf16-xxe"])
def test_any_dtd_is_refused_without_reading_or_expanding(document: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(SoapFault) as caught:
        parse(document)
    assert caught.value.faultcode == "soapenv:Client"
    assert "root:" not in caught.value.faultstring and "lol" not in caught.value.faultstring
    assert time.monotonic() - started < 1


def test_markup_declarations_inside_text_are_data() -> None:
    """Only a real DOCTYPE is refused: the same characters in a CDATA section (an HTML email body, say) are a
    field's value."""
    html = '<!DOCTYPE html><!ENTITY x "y"><html/>'
    envelope = parse(f'<s:Envelope xmlns:s="{ENV}"><s:Body><create><Description><![CDATA[{html}]]>'
                     "</Description></create></s:Body></s:Envelope>".encode())
    assert envelope.operation == "create"
    assert envelope.body[0].text == html


def _nested(depth: int) -> bytes:
    inner = "<a>" * depth + "</a>" * depth
    return f'<s:Envelope xmlns:s="{ENV}"><s:Body>{inner}</s:Body></s:Envelope>'.encode()


def test_nesting_is_bounded() -> None:
    assert parse(_nested(MAX_DEPTH - 2)).operation == "a"  # Envelope + Body + 98 levels = 100
    with pytest.raises(SoapFault, match="levels deep"):
        parse(_nested(MAX_DEPTH - 1))
    with pytest.raises(SoapFault):
        parse(_nested(200_000))  # libxml2's own depth limit answers before any Python walk


@pytest.mark.parametrize(("document", "fragment"), [
    (b"", "no SOAP envelope"),
    (b"   \n", "no SOAP envelope"),
    (b"not xml at all", "Unable to parse"),
    (b"<a><b></a>", "Unable to parse"),
    (b'{"json": true}', "Unable to parse"),
    (b"<Envelope><Body><login/></Body></Envelope>", "not a SOAP 1.1 Envelope"),
    (b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><login/></s:Body></s:Envelope>',
     "not a SOAP 1.1 Envelope"),
    (f'<s:Envelope xmlns:s="{ENV}"><s:Header/></s:Envelope>'.encode(), "no Body"),
    (f'<s:Envelope xmlns:s="{ENV}"><s:Body>  </s:Body></s:Envelope>'.encode(), "Body is empty"),
])
def test_malformed_requests_are_client_faults(document: bytes, fragment: str) -> None:
    with pytest.raises(SoapFault) as caught:
        parse(document)
    assert caught.value.faultcode == "soapenv:Client"
    assert fragment in caught.value.faultstring
    assert caught.value.detail is None
