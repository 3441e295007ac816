"""Pointing unmodified Salesforce clients at sfmock: a requests Session for simple-salesforce (and anything
built on requests, zeep included) that trusts sfmock's CA and sends login.salesforce.com / test.salesforce.com
to sfmock.

simple-salesforce builds its login URL as https://{domain}.salesforce.com/services/Soap/u/{version} (its
login.py), so a password login cannot be given another host; the session's adapter sends those two hosts to
sfmock instead, and every later call follows the serverUrl / instance_url sfmock answered with.

    sf = Salesforce(username=..., password=..., security_token=..., session=salesforce_session(url, ca_file))
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

LOGIN_HOSTS = ("https://login.salesforce.com", "https://test.salesforce.com")


class _ToSfmock(HTTPAdapter):
    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        for host in LOGIN_HOSTS:
            if request.url and request.url.startswith(host + "/"):
                request.url = self.base_url + request.url[len(host):]
        return super().send(request, *args, **kwargs)


def salesforce_session(https_url: str, ca_file: str | Path | None = None) -> requests.Session:
    """A Session for clients of sfmock at `https_url` (its HTTPS listener, since simple-salesforce forces
    https://). `ca_file`: sfmock's CA (./var/tls/ca.pem, or GET /_sfmock/ca.pem)."""
    session = requests.Session()
    # REQUESTS_CA_BUNDLE in the environment would override `verify`.
    session.trust_env = False
    if ca_file is not None:
        session.verify = str(ca_file)
    for host in LOGIN_HOSTS:
        session.mount(host + "/", _ToSfmock(https_url))
    return session
