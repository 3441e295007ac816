"""spyne 2.14.0 imports cleanly (warnings as errors) on Python 3.11, 3.12 and 3.13 through app/soap/compat.py.

Each interpreter runs in a subprocess. An interpreter that is not installed is skipped (and says so); one that
is installed but lacks spyne/six/lxml gets a throwaway venv with them (pip, as configured on the machine).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ("3.11", "3.12", "3.13")
PROBE = textwrap.dedent("""
    import sys, warnings
    warnings.simplefilter("error")
    sys.path.insert(0, sys.argv[1])
    import sfmock.soap.compat                      # before spyne, as app/soap/__init__.py does
    import six
    import spyne, spyne.util.six, spyne.util.six.moves.urllib.parse
    from spyne import Application, ServiceBase, rpc, Unicode
    from spyne.protocol.soap import Soap11
    from spyne.server.null import NullServer
    from sfmock.soap import partner_types, describe_types   # our spyne models
    assert spyne.util.six is six, "spyne.util.six must be the real six"
    assert callable(six.get_function_name)

    class Echo(ServiceBase):
        @rpc(Unicode, _returns=Unicode)
        def echo(ctx, text):
            return text.upper()

    app = Application([Echo], "urn:probe", in_protocol=Soap11(), out_protocol=Soap11())
    assert NullServer(app).service.echo("ok") == "OK"
    assert list(partner_types.LoginResult._type_info)[0] == "metadataServerUrl"
    print("spyne-ok", sys.version_info[:2])
""")


def _base_interpreter(version: str) -> str | None:
    found = shutil.which(f"python{version}")
    if found and subprocess.run([found, "-c", "pass"], capture_output=True, check=False).returncode == 0:
        return found
    if shutil.which("pyenv"):
        prefix = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True, check=False)
        candidate = Path(prefix.stdout.strip()) / "bin" / f"python{version}"
        if prefix.returncode == 0 and candidate.exists():
            return str(candidate)
    return None


def _has_deps(python: str) -> bool:
    check = subprocess.run([python, "-c", "import spyne, six, lxml"], capture_output=True, check=False)
    return check.returncode == 0


def _interpreter(version: str, workdir: Path) -> str:
    override = os.environ.get(f"SFMOCK_PYTHON_{version.replace('.', '_')}")
    if override:
        return override
    if sys.version_info[:2] == tuple(map(int, version.split("."))):
        return sys.executable
    base = _base_interpreter(version)
    if base is None:
        pytest.skip(f"Python {version} is not installed here (not on PATH, not known to pyenv)")
    if _has_deps(base):
        return base
    venv = workdir / f"venv{version}"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([base, "-m", "venv", str(venv)], check=True, capture_output=True)
        packages = ["spyne==2.14.0", "six", "lxml"] + (["legacy-cgi"] if version >= "3.13" else [])
        done = subprocess.run([str(python), "-m", "pip", "install", "-q", *packages],
                              capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, (
            f"could not provision Python {version} for the test:\n{done.stderr[-2000:]}"
        )
    return str(python)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("soap-compat")


@pytest.mark.parametrize("version", VERSIONS)
def test_spyne_imports_without_warnings(version: str, workdir: Path) -> None:
    python = _interpreter(version, workdir)
    # The source folder is app/, its import name sfmock (setup.py's package-dir mapping): the probe imports it
    # through a folder holding one link, sfmock -> app.
    linked = workdir / "import-root"
    if not (linked / "sfmock").exists():
        linked.mkdir(exist_ok=True)
        (linked / "sfmock").symlink_to(ROOT / "app", target_is_directory=True)
    run = subprocess.run([python, "-c", PROBE, str(linked)], capture_output=True, text=True, timeout=300,
                         check=False,
                         env={k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"})
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"spyne-ok ({version.split('.')[0]}, {version.split('.')[1]})" in run.stdout


def test_the_finder_serves_six_moves_in_this_process() -> None:
    # compat first, as sfmock.soap does: spyne imported before it warns (an error here) on its old six finder.
    from sfmock.soap import compat  # isort: skip

    import six
    import spyne.util.six.moves.collections_abc as moved

    assert moved is six.moves.collections_abc
    compat.install()  # idempotent: never a second finder
    assert sum(isinstance(f, compat.SixAliasFinder) for f in sys.meta_path) == 1
