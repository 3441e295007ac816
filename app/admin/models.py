"""The admin API's response models, for its OpenAPI document (/_sfmock/docs). One naming style: snake_case
keys; Salesforce records (rules, queues, users) keep their API field names (Id, DeveloperName, ...), as in the
APIs. Extra keys are allowed, so that a row gaining a column (the outbox's mail kind, sender...) is passed
through."""
from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Login(_Model):
    username: str
    password: str | None
    security_token: str | None
    active: bool | None


class ConnectedApp(_Model):
    client_id: str
    client_secret: str
    name: str


class OrgDescription(_Model):
    id: str
    name: str
    logins: list[Login]
    connected_apps: list[ConnectedApp]
    instance_url: str
    soap_login_url: str
    soap_url: str
    rest_url: str
    token_url: str
    queues: dict[str, str]
    rules: dict[str, str]


class OrgSummary(_Model):
    id: str
    name: str
    created_at: str


class Mail(_Model):
    id: int
    org_id: str
    recipient: str
    cc: str | None
    subject: str
    body: str
    template_name: str | None
    record_id: str
    record_type: str
    reason: str
    api: str
    created_at: str
    delivery_status: str | None = None
    delivery_error: str | None = None
    delivery_attempts: int = 0


class JournalEntry(_Model):
    id: int
    org_id: str
    at: str
    door: str
    operation: str
    sobject: str | None
    user_id: str | None
    assignment: str | None
    email: dict[str, bool] | None
    record_count: int
    results: list[str]
    error: str | None
    fault: str | None = None
    record_ids: list[str | None] = []
    headers: dict[str, str] | None = None
    # Per result, what the assignment rule decided when it ran: rule, rule_id, entry (null: Default Owner),
    # why, assignee_id, template; null where no rule ran.
    assignments: list[dict[str, Any] | None] = []


class FaultRule(_Model):
    id: int
    kind: str
    door: str | None
    operation: str | None
    sobject: str | None
    remaining: int | None
    probability: float | None
    delay_ms: int
    hits: int


class Deleted(_Model):
    deleted: int | bool


def only_filters(request: Request, *allowed: str) -> None:
    """Refuses (400) a query parameter the endpoint does not know, instead of ignoring it and answering every
    row (a misspelt filter must not look like a match)."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise HTTPException(status_code=400, detail={
            "error": "bad_request",
            "message": f"unknown filter(s): {', '.join(unknown)} (known: {', '.join(allowed) or 'none'})"})
