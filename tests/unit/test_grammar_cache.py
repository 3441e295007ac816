"""The SOQL parser's lark cache: in the user's own folder only, and a damaged file is rebuilt, not trusted."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from lark import Lark

from sfmock.soql import grammar_cache, parser


def test_cache_file_is_in_a_private_folder_of_the_users_cache(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    found = grammar_cache.cache_file()
    assert isinstance(found, str) and Path(found).parent == tmp_path / "sfmock"
    assert (tmp_path / "sfmock").stat().st_mode & 0o077 == 0


def test_no_cache_in_a_folder_others_can_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sfmock").mkdir()
    os.chmod(tmp_path / "sfmock", 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert grammar_cache.cache_file() is False


def test_no_cache_where_the_folder_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    assert grammar_cache.cache_file() is False


def test_a_damaged_cache_file_is_rebuilt_and_the_parser_works(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = Path(str(grammar_cache.cache_file()))
    path.write_bytes(b"not lark's cache\n\x80garbage")
    parser._lark.cache_clear()
    try:
        built = parser.warm()
        assert isinstance(built, Lark)
        assert built.parse("SELECT Id FROM Lead", start="start") is not None
        assert path.read_bytes() != b"not lark's cache\n\x80garbage"  # rewritten by the rebuild
        parser._lark.cache_clear()
        assert parser.warm().parse("SELECT Name FROM Account", start="start") is not None  # from the file
    finally:
        parser._lark.cache_clear()
