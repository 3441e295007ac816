"""Salesforce ids: checksum suffix, 15/18-char input, case rules, key prefixes."""
import pytest

from sfmock.core import ids


@pytest.mark.parametrize(("id15", "suffix"), [
    ("a01M00000062mPg", "IAI"), ("001M000000qfPyS", "IAU"), ("a0FE000000D6r3F", "MAR"),
    ("aaaaaaaaaaaaaaa", "AAA"), ("AbCdEfGhIjKlMnO", "VKV"), ("aBcDEfgHIJKLMNO", "025"),
])
def test_suffix_matches_salesforce(id15: str, suffix: str) -> None:
    assert ids.suffix(id15) == suffix
    assert ids.to18(id15) == id15 + suffix


@pytest.mark.parametrize(("given", "expected"), [
    ("001M000000qfPyS", "001M000000qfPySIAU"),  # 15 chars: taken exactly
    ("001M000000qfPySIAU", "001M000000qfPySIAU"),
    ("001m000000QFpYsiau", "001M000000qfPySIAU"),  # 18 chars in any case: the suffix restores the case
    ("001M000000QFPYS", "001M000000QFPYSIA5"),  # another 15-char id (case-sensitive: a different record)
])
def test_canonical(given: str, expected: str) -> None:
    assert ids.canonical(given) == expected


@pytest.mark.parametrize("bad", ["", "001", "001M000000qfPyS1", "001M000000qfPy!", "001M000000qfPySIA9",
                                 "001M000000qfPySIAUX", " 001M000000qfPyS", None])
def test_malformed(bad) -> None:
    assert ids.canonical(bad) is None


@pytest.mark.parametrize("prefix", ["00D", "005", "00G", "00Q", "500", "01Q", "00X", "011"])
def test_made_ids_are_unique_monotonic_and_carry_the_org(prefix: str) -> None:
    made = [ids.make_id(prefix, 7, n) for n in range(1, 300)]
    assert all(len(i) == 18 and i.startswith(prefix) for i in made)
    assert made == sorted(made) and len(set(made)) == len(made)
    assert {ids.org_number(i) for i in made} == {7}
    assert ids.make_id(prefix, 8, 1) != ids.make_id(prefix, 7, 1)
