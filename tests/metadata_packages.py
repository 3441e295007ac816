"""Metadata API packages the e2e tests deploy with real clients: a new active Lead rule routing Peru to a new
queue (MDAPI format, as jsforce and simple-salesforce send a zip they were given), and the same rule
naming a queue the org does not have."""
from __future__ import annotations

import base64
import io
import zipfile

MNS = "http://soap.sforce.com/2006/04/metadata"
PERU = {"LastName": "Quispe", "Company": "Inca Textiles", "Country": "Peru"}
PACKAGE = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="{MNS}">\n'
           "    <types><members>Lead</members><name>AssignmentRules</name></types>\n"
           "    <types><members>Peru_Queue</members><name>Queue</name></types>\n"
           "    <version>59.0</version>\n</Package>\n")
PERU_QUEUE = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Queue xmlns="{MNS}">\n    <name>Peru Queue</name>\n'
              "    <queueSobject><sobjectType>Lead</sobjectType></queueSobject>\n</Queue>\n")


def lead_rules(queue: str = "Peru_Queue") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<AssignmentRules xmlns="{MNS}">\n'
            "    <assignmentRule>\n        <fullName>Peru Routing</fullName>\n        <active>true</active>\n"
            "        <ruleEntry>\n"
            f"            <assignedTo>{queue}</assignedTo>\n"
            "            <assignedToType>Queue</assignedToType>\n"
            "            <criteriaItems>\n                <field>Lead.Country</field>\n"
            "                <operation>equals</operation>\n                <value>Peru</value>\n"
            "            </criteriaItems>\n        </ruleEntry>\n    </assignmentRule>\n</AssignmentRules>\n")


def peru_zip(*, queue: str = "Peru_Queue", with_queue: bool = True) -> bytes:
    """`unpackaged/` at the top, as an Ant or Workbench zip."""
    files = {"unpackaged/package.xml": PACKAGE if with_queue else PACKAGE.replace(
        "    <types><members>Peru_Queue</members><name>Queue</name></types>\n", ""),
        "unpackaged/assignmentRules/Lead.assignmentRules": lead_rules(queue)}
    if with_queue:
        files["unpackaged/queues/Peru_Queue.queue"] = PERU_QUEUE
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def peru_zip_base64(**options: object) -> str:
    return base64.b64encode(peru_zip(**options)).decode()  # type: ignore[arg-type]
