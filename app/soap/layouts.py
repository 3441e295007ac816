"""SOAP describeLayout (SOAP API "describeLayout()"): the layouts of sfmock.core.layouts, after the checks
only this door makes (a layoutable type, no named layout)."""
from __future__ import annotations

from typing import Any

from sfmock.core import layouts
from sfmock.core.errors import CallError
from sfmock.soap import describe as describing
from sfmock.soap.context import SoapContext


def describe_layout(ctx: SoapContext, sobject: str | None, layout_name: str | None,
                    record_type_ids: list[str] | None) -> dict[str, Any]:
    with ctx.call((sobject or "").strip() or None) as call:
        obj = describing.find(sobject, call.store.schema)
        ctx.note(call, obj.name)
        if not obj.createable:
            # [UNCONFIRMED] code and text: describe says layoutable=false for these objects.
            raise CallError("INVALID_TYPE", f"sObject type '{obj.name}' does not support layouts")
        if layout_name:
            # Named layouts are Salesforce's own (UserAlt on User); sfmock's objects have none
            # (namedLayoutInfos is empty). [UNCONFIRMED] code and text.
            raise CallError("INVALID_TYPE", f"Invalid layout name {layout_name} for {obj.name}")
        return layouts.describe_layout(obj, call.org.org_id, record_type_ids)
