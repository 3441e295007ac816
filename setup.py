"""The import package is `sfmock`, its source the top-level app/ folder (setuptools' package-dir mapping), so
that an installed sfmock coexists with a project that has its own `app` package. Builds carry the top-level
migrations/ and wsdl/ inside the package (sfmock/_bundled/), so that an installed sfmock (and its pytest
plugin) can migrate and serve its WSDL; everything else is in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

BUNDLED = ("migrations", "wsdl")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        for name in BUNDLED:
            target = Path(self.build_lib) / "sfmock" / "_bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(__file__).parent / name, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


# Namespace discovery: the data folders (console templates, the demo org's metadata) are packages too, so
# setuptools ships them as such rather than warning that it will stop.
FOUND = find_namespace_packages("app", exclude=["*__pycache__*"])
PACKAGES = ["sfmock", *(f"sfmock.{name}" for name in FOUND)]

setup(cmdclass={"build_py": BuildWithResources}, package_dir={"sfmock": "app"}, packages=PACKAGES)
