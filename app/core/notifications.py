"""Who is mailed when a record is assigned to a user or a queue, and the rendered messages."""
from __future__ import annotations

from typing import Any

from sfmock.core.mail import MailMessage
from sfmock.core.ports import Store
from sfmock.core.schema import registry
from sfmock.core.templates import merge_context, render

USER_PREFIX = registry.require("User").key_prefix
GROUP_PREFIX = registry.require("Group").key_prefix


def _user_name(user: dict[str, Any]) -> str:
    name = user.get("Name")
    if name:
        return str(name)
    return " ".join(str(p) for p in (user.get("FirstName"), user.get("LastName")) if p)


def member_users(store: Store, group_id: str, seen_groups: set[str] | None = None) -> list[dict[str, Any]]:
    """The users in a group, nested groups expanded depth-first (each group once: no loops)."""
    seen_groups = set() if seen_groups is None else seen_groups
    if group_id in seen_groups:
        return []
    seen_groups.add(group_id)
    users: list[dict[str, Any]] = []
    for member in store.find("GroupMember", {"GroupId": group_id}):
        member_id = member.get("UserOrGroupId") or ""
        if member_id.startswith(USER_PREFIX):
            user = store.get("User", member_id)
            if user is not None:
                users.append(user)
        elif member_id.startswith(GROUP_PREFIX):
            # A public group inside a queue; Role groups have no GroupMember rows here, so they add nobody.
            users.extend(member_users(store, member_id, seen_groups))
    return users


def _member_emails(store: Store, group_id: str) -> list[str]:
    # Inactive users are mailed too: whether Salesforce skips them is UNCONFIRMED
    # (salesforce-rules-mail-web.md §7), so we do not invent a filter.
    return [str(user["Email"]) for user in member_users(store, group_id) if user.get("Email")]


def recipients(store: Store, owner_id: str) -> tuple[list[str], str]:
    """(addresses to mail, the owner's display name) for a new owner that is a User or a Queue."""
    if owner_id.startswith(USER_PREFIX):
        user = store.get("User", owner_id)
        if user is None:
            return [], ""
        # Inactive owners are mailed as well (UNCONFIRMED either way, salesforce-rules-mail-web.md §7).
        return ([str(user["Email"])] if user.get("Email") else []), _user_name(user)
    group = store.get("Group", owner_id)
    if group is None or group.get("Type") != "Queue":
        return [], ""
    # Help (salesforce-api.md §4.1): the queue email is mailed; its members too when "Send Email to Members"
    # is set, and always when the queue has no email address.
    found: list[str] = []
    queue_email = group.get("Email")
    if queue_email:
        found.append(str(queue_email))
    if group.get("DoesSendEmailToMembers") or not queue_email:
        found.extend(_member_emails(store, owner_id))
    return _unique(found), str(group.get("Name") or "")


def _unique(addresses: list[str]) -> list[str]:
    # One message per address; addresses compare case-insensitively, the first spelling is kept.
    seen: set[str] = set()
    out: list[str] = []
    for address in addresses:
        key = address.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(address.strip())
    return out


def owner_name(store: Store, owner_id: str | None) -> str:
    """The display name of a User or Queue owner ("" when unknown)."""
    if not owner_id:
        return ""
    if owner_id.startswith(USER_PREFIX):
        user = store.get("User", owner_id)
        return _user_name(user) if user else ""
    group = store.get("Group", owner_id)
    return str(group.get("Name") or "") if group else ""


def render_template(store: Store, sobject: str, record: dict[str, Any], template_id: str, *,
                    link_base: str = "") -> tuple[str | None, str, str] | None:
    """(template name, subject, body) of a template merged with `record`; None when the template is gone."""
    template = store.get("EmailTemplate", template_id)
    if template is None:
        return None
    record_id = str(record.get("Id") or "")
    context = merge_context(
        sobject, record, owner_name=owner_name(store, record.get("OwnerId")), org_name=store.org.name,
        link=f"{link_base.rstrip('/')}/{record_id}",
    )
    return template.get("Name"), render(template.get("Subject"),
                                        context), render(template.get("Body"), context)


def assignment_messages(
    store: Store,
    *,
    sobject: str,
    record: dict[str, Any],
    owner_id: str,
    template_id: str,
    reason: str,
    api: str,
    link_base: str = "",
    sender: dict[str, Any] | None = None,
) -> list[MailMessage]:
    """One message per recipient of the template mail for a record now owned by `owner_id`; [] when the
    template or the owner does not exist (no mail is invented, salesforce-rules-mail-web.md §7).
    `sender`: the User row the mail comes from (the running user; for web forms the Default Lead Creator or
    the Automated Case User). Which address Salesforce uses is UNCONFIRMED (§7); the acting user is our
    reading, and no Reply-To is set."""
    addresses, _ = recipients(store, owner_id)
    if not addresses:
        return []
    # The merge data shows the new owner even if the caller's row still holds the old OwnerId.
    rendered = render_template(store, sobject, {**record, "OwnerId": owner_id}, template_id,
                               link_base=link_base)
    if rendered is None:
        return []
    name, subject, body = rendered
    return [
        MailMessage(
            recipient=address,
            subject=subject,
            body=body,
            template_name=name,
            record_id=str(record.get("Id") or ""),
            record_type=sobject,
            reason=reason,
            api=api,
            cc=None,
            sender_name=_user_name(sender) if sender else None,
            sender_email=str(sender["Email"]) if sender and sender.get("Email") else None,
        )
        for address in addresses
    ]
