"""zeep as connector teams use it: a client built from a Partner WSDL, logged in, and sObjects in Partner
form."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from lxml import etree
from zeep import Client

BINDING = "{urn:partner.soap.sforce.com}SoapBinding"
ENS = "urn:sobject.partner.soap.sforce.com"


class PartnerClient:
    """Logged in at `login_url`; `service` points at the serverUrl that login returned."""

    def __init__(self, wsdl: str | Path, login_url: str, username: str, password: str) -> None:
        self.client = Client(str(wsdl))
        self.login = self.client.create_service(BINDING, login_url).login(username=username,
                                                                          password=password)
        self.service = self.client.create_service(BINDING, self.login.serverUrl)
        self.session = {"SessionHeader": {"sessionId": self.login.sessionId}}

    def sobject(self, kind: str, **fields: str) -> Any:
        """A Partner sObject: `type`, a nil Id, and each field as an element in the sObject namespace."""
        record = self.client.get_type(f"{{{ENS}}}sObject")(type=kind, Id=None)
        elements = []
        for name, value in fields.items():
            element = etree.Element(f"{{{ENS}}}{name}")
            element.text = value
            elements.append(element)
        record._value_1 = elements
        return record
