"""Login policy: password + security token; the token may be left off only when the org does not require it or
the caller is in one of its trusted networks (Login IP Ranges)."""
from __future__ import annotations

import pytest

from sfmock.core.auth import check_login, hash_password
from sfmock.core.errors import CallError
from sfmock.core.org import OrgSettings

USER = {"IsActive": True, "PasswordHash": hash_password("secret"), "SecurityToken": "TOKEN"}
STRICT = OrgSettings(org_id="00D000000000001AAA", name="Strict")
TRUSTING = OrgSettings(org_id="00D000000000001AAA", name="Office",
                       trusted_networks=("10.1.0.0/16", "::1/128"))
RELAXED = OrgSettings(org_id="00D000000000001AAA", name="Relaxed", require_security_token=False)


@pytest.mark.parametrize(("org", "password", "ip"), [
    (STRICT, "secretTOKEN", None),
    (STRICT, "secretTOKEN", "203.0.113.9"),
    (TRUSTING, "secret", "10.1.2.3"),
    (TRUSTING, "secret", "::1"),
    (TRUSTING, "secretTOKEN", "203.0.113.9"),
    (RELAXED, "secret", None),
    (RELAXED, "secretTOKEN", None),
])
def test_accepted(org: OrgSettings, password: str, ip: str | None) -> None:
    check_login(USER, password, org, ip)


@pytest.mark.parametrize(("user", "org", "password", "ip"), [
    (USER, STRICT, "secret", None),  # token required
    (USER, STRICT, "secret", "10.1.2.3"),  # that network is not trusted by this org
    (USER, TRUSTING, "secret", "10.2.0.1"),
    (USER, TRUSTING, "secret", "not-an-ip"),
    (USER, STRICT, "wrongTOKEN", None),
    (USER, STRICT, "secretWRONG", None),
    (USER, STRICT, "", None),
    (USER | {"IsActive": False}, STRICT, "secretTOKEN", None),
    (None, STRICT, "secretTOKEN", None),
    (USER | {"PasswordHash": None}, RELAXED, "", None),
])
def test_refused_as_invalid_login(user, org: OrgSettings, password: str, ip: str | None) -> None:
    with pytest.raises(CallError) as caught:
        check_login(user, password, org, ip)
    assert (caught.value.code, caught.value.message) == (
        "INVALID_LOGIN", "Invalid username, password, security token; or user locked out.")
