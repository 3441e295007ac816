"""Where lark keeps the analysed SOQL/SOSL grammar (its LALR tables) between processes.

Building the parser takes about 0.9 s of CPU, loading it from lark's cache about 0.04 s (measured on the
2-core bench machine): every `sfmock serve`, worker process and CLI run would otherwise pay the build, and a
server's start shares its CPU with it. The cache file is a pickle, so it lives only in the user's own cache
folder (never a shared temporary one), in a folder that no one else can write; lark checks the grammar's
and its options' hash stored in the file and rebuilds (rewriting it) when they differ or the file is
unreadable."""
from __future__ import annotations

import os
from pathlib import Path

import lark


def cache_file() -> str | bool:
    """The cache path to hand to Lark(cache=...), or False (no cache) where that folder cannot be had."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sfmock"
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder = base.stat()
    except (OSError, RuntimeError):  # no home folder, or not ours to write
        return False
    if folder.st_uid != os.getuid() or folder.st_mode & 0o022:
        return False
    return str(base / f"soql-grammar-lark-{lark.__version__}.cache")
