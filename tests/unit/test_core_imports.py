"""The core imports nothing of HTTP, XML or SQL: the doors and persistence depend on it, never the reverse."""
import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "app" / "core"
FORBIDDEN = ("fastapi", "starlette", "spyne", "lxml", "sqlalchemy", "alembic", "uvicorn", "httpx",
             "sfmock.persistence",
             "sfmock.soap", "sfmock.rest", "sfmock.soql", "sfmock.orgs", "sfmock.admin", "sfmock.calls")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_no_framework(path: Path) -> None:
    bad = [n for n in _imports(path) if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]
    assert bad == []


def test_the_check_sees_the_core() -> None:
    assert len(list(CORE.rglob("*.py"))) > 10
