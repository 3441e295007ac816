"""Serving wsdl/partner.wsdl (the project's own Partner WSDL), soap:address set to the URL the client used."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from sfmock.resources import resource_dir

WSDL_PATH = resource_dir("wsdl") / "partner.wsdl"
_ADDRESS = re.compile(r'(<soap:address\s+location=)"[^"]*"')


@lru_cache(maxsize=1)
def template(path: Path = WSDL_PATH) -> str:
    """The Partner WSDL's text (also the frame of every generated Enterprise WSDL,
    app/soap/enterprise_wsdl.py)."""
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=256)
def document(location: str) -> bytes:
    """The WSDL with its one soap:address pointing at `location`."""
    text, count = _ADDRESS.subn(lambda m: m.group(1) + quoteattr(location), template(), count=1)
    if count != 1:
        raise RuntimeError(f"{WSDL_PATH} has no soap:address to rewrite")
    return text.encode("utf-8")
