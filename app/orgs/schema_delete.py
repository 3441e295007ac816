"""deleteMetadata of the org's schema components (app/metadata/component_writes.py): a custom field, and
Salesforce's refusals for what cannot be deleted through the API.

A deleted custom field leaves the org's schema (describe, the Enterprise WSDL, SOQL, every door), but not its
stored values: Salesforce moves it to the object's Deleted Fields, where its data stays for 15 days and the
field can be undeleted (Salesforce Help, "Manage Deleted Custom Fields"). sfmock keeps the field, slot column
included, under the spec's `deleted_fields`: its values stay where they were and its slot is never given to
another field, so a field created later under the same name starts empty, as Salesforce's does. (Undelete
and erase are Setup actions; the API has neither.)
"""
from __future__ import annotations

import json
from typing import Any

from sfmock.core.schema.org_schema import build
from sfmock.orgs.bundle import OrgDefinitionError
from sfmock.orgs.org_state import read_state
from sfmock.orgs.references import check_rules
from sfmock.persistence import schemas
from sfmock.persistence.store import SqlStore

DELETED = "deleted_fields"
# deleteMetadata of a type Salesforce holds but will not delete through the API: (statusCode, message).
# RecordType: "Cannot delete record type through API" (the text destructive deploys get; sfdx-hardis's
# error catalogue); standard value sets and standard objects are part of every org and cannot be deleted
# [UNCONFIRMED: the status codes, and the texts for StandardValueSet and a standard object].
REFUSED = {
    "RecordType": ("INVALID_OPERATION", "Cannot delete record type through API"),
    "StandardValueSet": ("INVALID_OPERATION", "Cannot delete a standard value set: {name}"),
    "CustomObject": ("INVALID_OPERATION", "Cannot delete a standard object: {name}"),
}


def not_found(kind: str, name: str) -> tuple[str, str]:
    return "INVALID_CROSS_REFERENCE_KEY", f"In field: fullName - no {kind} named {name} found"


def delete_custom_field(store: SqlStore, full_name: str) -> tuple[str, str] | None:
    """Deletes one custom field (`Object.Field__c`); None when done, else the DeleteResult's error."""
    sobject, _, name = full_name.partition(".")
    spec: dict[str, Any] = json.loads(json.dumps(schemas.load_spec(store.session, store.org.org_id) or {}))
    fields = spec.get("fields", {}).get(sobject, [])
    found = next((f for f in fields if f["name"].lower() == name.lower()), None)
    if found is None:
        return not_found("CustomField", full_name)
    fields.remove(found)
    spec.setdefault(DELETED, {}).setdefault(sobject, []).append(found)
    for record_type in spec.get("record_types", {}).get(sobject, ()):
        record_type["picklists"] = [p for p in record_type.get("picklists", ()) if p[0] != found["name"]]
    try:
        check_rules(read_state(store).rules, build(spec))
    except OrgDefinitionError as error:
        # Salesforce refuses to delete a field something still uses ("This custom field is referenced
        # elsewhere in salesforce.com.", destructive deploy results) [UNCONFIRMED: the status code].
        return ("FIELD_INTEGRITY_EXCEPTION",
                f"This custom field is referenced elsewhere in salesforce.com. : {error.problem}")
    schemas.save_spec(store.session, store.org.org_id, spec)
    return None
