"""Hostile or over-long org files are refused with a clear error, never a crash or a half-written org."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from sfmock.orgs.bundle import OrgDefinitionError
from sfmock.orgs.demo import DEMO_ORG_PATH
from sfmock.orgs.metadata import load_org_folder, load_org_zip


def _demo_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "org"
    shutil.copytree(DEMO_ORG_PATH, folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


def test_toml_nested_thousands_deep(tmp_path: Path) -> None:
    folder = _demo_copy(tmp_path)
    toml = folder / "sfmock-org.toml"
    toml.write_text(toml.read_text() + "\n[extra]\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(OrgDefinitionError) as caught:
        load_org_folder(folder)
    assert str(caught.value) == "sfmock-org.toml: malformed TOML: nested too deeply"


def test_zip_entries_nested_too_deep() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("/".join(["a"] * 1500) + "/x.txt", "x")
    with pytest.raises(OrgDefinitionError) as caught:
        load_org_zip(buffer.getvalue())
    assert "nested more than 32 folders deep" in str(caught.value)


@pytest.mark.parametrize(("old", "new", "fragment"), [
    ('name = "Acme Demo"', f'name = "{"A" * 81}"',
     "[org] name is 81 characters long; at most 80 are allowed"),
    ('last_name = "Admin"', f'last_name = "{"x" * 81}"', "LastName is 81 characters long; at most 80"),
    ('client_secret = "sfmock-demo-secret"', f'client_secret = "{"s" * 256}"', "connected app client_secret"),
])
def test_values_longer_than_their_fields(tmp_path: Path, old: str, new: str, fragment: str) -> None:
    folder = _demo_copy(tmp_path)
    toml = folder / "sfmock-org.toml"
    text = toml.read_text()
    assert old in text
    toml.write_text(text.replace(old, new, 1))
    with pytest.raises(OrgDefinitionError) as caught:
        load_org_folder(folder)
    assert str(caught.value).startswith("sfmock-org.toml") and fragment in str(caught.value)


def test_a_queue_name_longer_than_group_name(tmp_path: Path) -> None:
    folder = _demo_copy(tmp_path)
    [queue] = folder.rglob("India_SMB_Queue.queue-meta.xml")
    text = queue.read_text()
    start = text.index("<name>") + len("<name>")
    queue.write_text(text[:start] + "Q" * 41 + text[text.index("</name>"):])
    with pytest.raises(OrgDefinitionError) as caught:
        load_org_folder(folder)
    assert "India_SMB_Queue.queue-meta.xml" in str(caught.value) and "Name is 41 characters long" in str(
        caught.value
    )
