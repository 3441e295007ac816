"""The two SOAP API families the door serves from one code path: Partner (`/services/Soap/u`, loosely typed
sObjects) and Enterprise (`/services/Soap/c`, one typed complexType per object). A family is a value passed
down to the dispatcher, the writer, the sObject reader/writer and the faults, never a module global.

Namespaces: Partner WSDL v66 (`/work/shared/reference/partner-66.wsdl`); Enterprise: a real org's enterprise
WSDL (salesforce-bulk-enterprise-metadata.md §1: tns urn:enterprise.soap.sforce.com, ens
urn:sobject.enterprise.soap.sforce.com, fns urn:fault.enterprise.soap.sforce.com).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    # The letter of its endpoint: /services/Soap/u/… (Partner), /services/Soap/c/… (Enterprise).
    path: str
    tns: str
    ens: str
    fns: str
    # Enterprise records carry their object as xsi:type (no sf:type element, nulls and unselected Id omitted).
    typed: bool


PARTNER = Family("partner", "u", "urn:partner.soap.sforce.com", "urn:sobject.partner.soap.sforce.com",
                 "urn:fault.partner.soap.sforce.com", typed=False)
ENTERPRISE = Family("enterprise", "c", "urn:enterprise.soap.sforce.com",
                    "urn:sobject.enterprise.soap.sforce.com", "urn:fault.enterprise.soap.sforce.com",
                    typed=True)
FAMILIES = (PARTNER, ENTERPRISE)
