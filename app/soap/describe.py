"""describeGlobal, describeSObject(s) from the schema registry, as values for DescribeGlobalResult and
DescribeSObjectResult (element names of the Partner WSDL; the writer puts them in WSDL order)."""
from __future__ import annotations

from typing import Any

from sfmock.core.errors import invalid_type
from sfmock.core.schema import SchemaRegistry, SObjectDef
from sfmock.core.schema.describe import all_objects, describe_facts, global_facts


def find(name: str | None, schema: SchemaRegistry) -> SObjectDef:
    found = schema.get((name or "").strip())
    if found is None:
        raise invalid_type((name or "").strip())
    return found


def global_entry(obj: SObjectDef) -> dict[str, Any]:
    # Partner's DescribeGlobalSObjectResult has these two beyond the shared facts.
    return global_facts(obj) | {"dataTranslationEnabled": None, "idEnabled": True}


def describe_global(schema: SchemaRegistry) -> dict[str, Any]:
    return {"encoding": "UTF-8", "maxBatchSize": 200,
            "sobjects": [global_entry(o) for o in all_objects(schema)]}


def describe(obj: SObjectDef, base_url: str, schema: SchemaRegistry) -> dict[str, Any]:
    return describe_facts(obj, schema) | {
        "dataTranslationEnabled": None, "idEnabled": True,
        "urlDetail": f"{base_url}/{{ID}}", "urlEdit": f"{base_url}/{{ID}}/e",
        "urlNew": f"{base_url}/{obj.key_prefix}/e" if obj.createable else None,
    }
