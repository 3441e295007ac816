"""An org folder sent as a zip archive: extracted with limits into a temporary directory, then loaded."""

from __future__ import annotations

import io
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from sfmock.orgs.bundle import OrgBundle, OrgDefinitionError
from sfmock.orgs.settings_toml import FILE_NAME

MAX_FILES = 2_000
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024


def load_org_zip(data: bytes) -> OrgBundle:
    """The org in a zip archive (sfmock-org.toml at its root, or in its one top-level folder)."""
    from sfmock.orgs.metadata import load_org_folder

    with extracted(data) as root:
        return load_org_folder(_org_root(root))


@contextmanager
def extracted(data: bytes, prefix: str = "sfmock-org-") -> Iterator[Path]:
    """The archive extracted with limits into a temporary directory (removed afterwards)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise OrgDefinitionError(f"not a zip archive: {exc}") from exc
    with archive, tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        root = Path(tmp)
        _extract(archive, root)
        yield root


MAX_DEPTH = 32


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename
    # Archives made on Windows may use backslashes; judge the path as the extraction would see it.
    parts = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise OrgDefinitionError(f"zip entry {name!r} has an absolute path")
    if len(parts.parts) > MAX_DEPTH:
        # Real metadata is about six folders deep; thousands would exhaust the recursive folder walk.
        raise OrgDefinitionError(f"zip entry {name[:200]!r} is nested more than {MAX_DEPTH} folders deep")
    if any(part == ".." for part in parts.parts):
        raise OrgDefinitionError(f"zip entry {name!r} points outside the archive (..)")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise OrgDefinitionError(f"zip entry {name!r} is a symbolic link")
    if info.flag_bits & 0x1:
        raise OrgDefinitionError(f"zip entry {name!r} is encrypted")
    return parts


def _extract(archive: zipfile.ZipFile, root: Path) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_FILES:
        raise OrgDefinitionError(f"the archive holds {len(infos)} entries; at most {MAX_FILES} are accepted")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_BYTES:
        raise OrgDefinitionError(f"the archive expands to {declared} bytes; at most {MAX_BYTES} are accepted")
    checked = [(info, _member_path(info)) for info in infos]  # refuse a bad archive before writing anything
    written = 0
    for info, rel in checked:
        try:
            written += _write(archive, info, root.joinpath(*rel.parts), MAX_BYTES - written)
        except OrgDefinitionError:
            raise
        except (zipfile.BadZipFile, NotImplementedError, EOFError, zlib.error, ValueError, OSError) as exc:
            raise OrgDefinitionError(f"zip entry {info.filename!r} cannot be extracted: {exc}") from exc


def _write(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Extracts one entry, returning the bytes written; refuses to write more than `budget`."""
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    # Sizes in the archive's directory can lie: count what decompression really yields.
    with archive.open(info) as src, open(target, "xb") as dst:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > budget:
                raise OrgDefinitionError(f"the archive expands to more than {MAX_BYTES} bytes")
            dst.write(chunk)
    return written


def _org_root(root: Path) -> Path:
    if (root / FILE_NAME).is_file():
        return root
    tops = [p for p in root.iterdir() if not p.name.startswith(("__MACOSX", "."))]
    if len(tops) == 1 and tops[0].is_dir() and (tops[0] / FILE_NAME).is_file():
        return tops[0]
    raise OrgDefinitionError(f"no {FILE_NAME} at the root of the archive (nor in its one top-level folder)")
