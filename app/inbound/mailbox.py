"""Reading an RFC 822 message into the core's InboundMail, and delivering it to the org that routes its
address."""
from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

from sfmock.core.email_to_case import InboundMail, is_routed, receive_mail
from sfmock.core.records import RecordService
from sfmock.persistence.db import Database
from sfmock.persistence.orgs import list_orgs, open_org

_TAG = re.compile(r"<[^>]+>")


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    # An HTML-only mail: the Case's Description holds its text (Email-to-Case saves a text version).
    return _TAG.sub("", content) if part.get_content_type() == "text/html" else content


def parse(raw: bytes) -> InboundMail:
    message = message_from_bytes(raw, policy=policy.default)
    name, address = parseaddr(str(message.get("From", "")))
    return InboundMail(
        from_address=address, from_name=name or None,
        to=tuple(a for _, a in getaddresses([str(v) for v in message.get_all("To", [])]) if a),
        cc=tuple(a for _, a in getaddresses([str(v) for v in message.get_all("Cc", [])]) if a),
        subject=str(message.get("Subject", "")), body=_text(message).strip(),
    )


def deliver(db: Database, org_id: str, mail: InboundMail, *, link_base: str = "") -> dict[str, object]:
    """One unit of work: the mail received by the org (run as its Automated Case User)."""
    with db.session() as sql:
        store = open_org(sql, org_id)
        if store is None:
            return {"caseId": None, "threaded": False, "routed": False}
        if not is_routed(store.org.email_to_case_addresses, mail):
            return {"caseId": None, "threaded": False, "routed": False}
        service = RecordService(store, user_id=store.org.automated_case_user_id or "", api="email",
                                link_base=link_base)
        case_id, threaded = receive_mail(service, mail)
        return {"caseId": case_id, "threaded": threaded, "routed": True}


def org_for(db: Database, address: str) -> str | None:
    """The org whose Email-to-Case routing addresses include `address`."""
    with db.session() as sql:
        for row in list_orgs(sql):
            store = open_org(sql, row["id"])
            if store is not None and address.lower() in store.org.email_to_case_addresses:
                return row["id"]
    return None
