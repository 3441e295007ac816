"""Builds carry the top-level migrations/ and wsdl/ inside the package (app/_bundled/), so that an installed
sfmock (and its pytest plugin) can migrate and serve its WSDL; everything else is in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("migrations", "wsdl")


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        for name in BUNDLED:
            target = Path(self.build_lib) / "app" / "_bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(__file__).parent / name, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithResources})
