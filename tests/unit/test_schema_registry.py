"""The schema registry is data: objects, required fields, defaults, case-insensitive names."""
import pytest

from sfmock.core.schema import registry


@pytest.mark.parametrize(("name", "prefix"), [
    ("Lead", "00Q"), ("Case", "500"), ("User", "005"), ("Group", "00G"), ("GroupMember", "011"),
    ("AssignmentRule", "01Q"), ("EmailTemplate", "00X"), ("Organization", "00D"), ("QueueSobject", "03g"),
])
def test_objects_and_prefixes(name: str, prefix: str) -> None:
    obj = registry.get(name.lower())
    assert obj.name == name and obj.key_prefix == prefix
    assert registry.by_prefix(prefix) is obj
    system = {"Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById",
              "SystemModstamp"}
    assert system <= {f.name for f in obj.fields}


def test_field_names_are_case_insensitive_and_canonical() -> None:
    lead = registry.get("LEAD")
    assert lead.field("lastname").name == "LastName"
    assert lead.relationship("owner").name == "OwnerId"
    assert lead.field("OwnerId").reference_to == ("Group", "User")
    assert registry.get("Case").field("status").default == "New"
    assert registry.get("nope") is None
