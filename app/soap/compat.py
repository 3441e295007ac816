"""Makes released spyne 2.14.0 importable on Python 3.11-3.13 without import-time warnings.

spyne bundles six 1.14 (`spyne.util.six`), whose meta-path importer has only the legacy
find_module/load_module protocol: Python 3.11 warns (ImportWarning) when it falls back to it and 3.12 removed
the fallback, so `spyne.util.six.moves.*` cannot be imported there. This module installs a PEP 451 finder that
serves `spyne.util.six` and every `spyne.util.six.moves*` module from the real, installed `six` package, and
adds `six.get_function_name` (spyne calls it; six dropped it). It also imports `cgi` once with its deprecation
warning silenced (3.11/3.12 stdlib; the `legacy-cgi` distribution on 3.13, where the stdlib module is gone),
so spyne's own `import cgi` finds it already loaded and pytest's filterwarnings=error stays quiet.

Import this module before anything imports spyne (app/soap/__init__.py does it first).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import operator
import sys
import warnings
from types import ModuleType

import six

_ALIAS = "spyne.util.six"


class _SixLoader(importlib.abc.Loader):
    """Hands out the already-imported real module instead of executing anything."""

    def __init__(self, real_name: str) -> None:
        self.real_name = real_name

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.real_name)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the real module is complete."""


class SixAliasFinder(importlib.abc.MetaPathFinder):
    """Resolves `spyne.util.six[.moves[.x]]` to `six[.moves[.x]]`."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001, ANN201 - importlib's signature
        if fullname != _ALIAS and not fullname.startswith(_ALIAS + "."):
            return None
        real_name = "six" + fullname[len(_ALIAS):]
        return importlib.machinery.ModuleSpec(fullname, _SixLoader(real_name), is_package=True)


def install() -> None:
    """Idempotent: put the finder first on sys.meta_path and patch what spyne needs."""
    if not hasattr(six, "get_function_name"):
        # a name spyne needs that six dropped (and types-six does not declare): patched in
        six.get_function_name = operator.attrgetter("__name__")  # type: ignore[attr-defined]
    # If spyne was imported before this module, its bundled six left a legacy importer behind: drop it.
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__module__ != _ALIAS]
    if not any(isinstance(finder, SixAliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, SixAliasFinder())
    if "cgi" not in sys.modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                importlib.import_module("cgi")
            except ImportError:  # pragma: no cover - 3.13 without legacy-cgi: spyne's import says so
                pass


install()
