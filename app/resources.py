"""Where the top-level folders the server reads at run time are: `migrations/` and `wsdl/` in a checkout, or
their copies inside the installed package (setup.py copies them into `app/_bundled/` when it builds a
wheel)."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    bundled = _PACKAGE / "_bundled" / name
    return bundled if bundled.is_dir() else _PACKAGE.parent / name
