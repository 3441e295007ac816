"""The web-server flow with PKCE in a real headless Chromium (the console test's browser): the login page is
shown for the app, a wrong password shows Salesforce's message, the right one redirects to the callback with
the code and the state, and the code (with its verifier) buys an access token and a refresh token."""
from __future__ import annotations

import base64
import hashlib
import http.server
import secrets
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.e2e.test_console_browser import browser

pytestmark = pytest.mark.e2e
__all__ = ["browser"]

ADMIN, CLIENT_ID = "admin@acme.example", "sfmock-demo-client"


class _Callback(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # the redirect target: a page the browser can show
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<!DOCTYPE html><html><body><h1 id='done'>Authorized</h1></body></html>")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def callback() -> Iterator[str]:
    """A local redirect_uri, as a desktop app's loopback listener (the sf CLI's is localhost:1717)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Callback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/OauthRedirect"
    finally:
        server.shutdown()
        server.server_close()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _log_in(browser: Any, password: str) -> None:
    from selenium.webdriver.common.by import By

    for field, value in (("username", ADMIN), ("password", password)):
        box = browser.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)
    browser.find_element(By.ID, "Login").click()


def _landed(browser: Any) -> str:
    """The callback's URL once the browser shows its page (waiting for the redirect, not timing it)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        [done] = WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.ID, "done"))
    except TimeoutException:
        raise AssertionError(f"no redirect to the callback:\n{browser.page_source}") from None
    assert done.text == "Authorized"
    return browser.current_url


def test_web_server_flow_with_pkce_in_a_browser(browser: Any, fresh_server: Any, callback: str) -> None:
    from selenium.webdriver.common.by import By

    verifier = _b64(secrets.token_bytes(64))
    state = secrets.token_urlsafe(8)
    query = urlencode({"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": callback,
                       "state": state, "scope": "api refresh_token",
                       "code_challenge": _b64(hashlib.sha256(verifier.encode()).digest())})
    browser.get(f"{fresh_server.http_url}/services/oauth2/authorize?{query}")
    assert "sfmock demo is asking for access." in browser.find_element(By.TAG_NAME, "body").text
    _log_in(browser, "wrong")
    from selenium.webdriver.support.ui import WebDriverWait

    [error] = WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CLASS_NAME, "error"))
    assert error.text.startswith("Please check your username and password")
    assert browser.find_element(By.ID, "username").get_attribute("value") == ADMIN
    _log_in(browser, "sfmock-password")
    landed = urlsplit(_landed(browser))
    assert f"{landed.scheme}://{landed.netloc}{landed.path}" == callback
    answer = parse_qs(landed.query)
    assert answer["state"] == [state]
    form = {"grant_type": "authorization_code", "code": answer["code"][0], "client_id": CLIENT_ID,
            "redirect_uri": callback}
    token_url = f"{fresh_server.http_url}/services/oauth2/token"
    wrong = httpx.post(token_url, data=form | {"code_verifier": "not-the-verifier"}, timeout=30)
    assert wrong.json() == {"error": "invalid_grant", "error_description": "invalid code verifier"}
    # A code works once, and a failed exchange uses it up: the browser logs in again for a new one.
    browser.get(f"{fresh_server.http_url}/services/oauth2/authorize?{query}")
    _log_in(browser, "sfmock-password")
    code = parse_qs(urlsplit(_landed(browser)).query)["code"][0]
    tokens = httpx.post(token_url, data=form | {"code": code, "code_verifier": verifier}, timeout=30).json()
    assert tokens["refresh_token"].startswith("5Aep") and tokens["instance_url"] == fresh_server.http_url
    me = httpx.get(f"{fresh_server.http_url}/services/oauth2/userinfo", timeout=30,
                   headers={"Authorization": f"Bearer {tokens['access_token']}"}).json()
    assert me["preferred_username"] == ADMIN
