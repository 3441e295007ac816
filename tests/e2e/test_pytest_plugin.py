"""The pytest plugin as a connector's suite uses it: the README's example, verbatim, plus isolation."""
from simple_salesforce import Salesforce


def test_lead_is_routed(sfmock_org):
    sf = Salesforce(instance_url=sfmock_org.instance_url, session_id=sfmock_org.access_token(),
                    session=sfmock_org.http_session())
    sf.Lead.create({"LastName": "Rao", "Company": "Acme", "Country": "India"})
    assert sfmock_org.outbox() == []  # REST assigns but never sends the notification


def test_each_test_gets_its_own_org(sfmock_org, sfmock_server):
    other = sfmock_server.create_org()
    try:
        assert other.id != sfmock_org.id and other.username != sfmock_org.username
        sf = Salesforce(instance_url=sfmock_org.instance_url, session_id=sfmock_org.access_token(),
                        session=sfmock_org.http_session())
        created = sf.Lead.create({"LastName": "Rao", "Company": "Acme", "Country": "India"})
        lead = sf.Lead.get(created["id"])
        assert lead["OwnerId"] == sfmock_org.info["queues"]["India_SMB_Queue"]
        theirs = Salesforce(instance_url=other.instance_url, session_id=other.access_token(),
                            session=other.http_session())
        assert theirs.query("SELECT Id FROM Lead")["totalSize"] == 0
        journal = sfmock_org.journal(door="rest")
        assert [(j["operation"], j["sobject"], j["assignment"]) for j in journal][:1] == [
            ("create", "Lead", None)
        ]  # no Sforce-Auto-Assign header arrived
        assert [j["operation"] for j in other.journal()] == ["query"]  # only its own call
    finally:
        other.delete()


def test_the_plugin_server_ignores_the_callers_sfmock_settings(tmp_path, monkeypatch):
    from sfmock.pytest_plugin import start_server, stop_server

    for name, value in {"SFMOCK_ADMIN_API": "false", "SFMOCK_MAX_API_VERSION": "40.0",
                        "SFMOCK_PUBLIC_URL": "http://example.invalid"}.items():
        monkeypatch.setenv(name, value)
    server = start_server(tmp_path)
    try:
        org = server.create_org()
        assert org.info["instance_url"] == server.http_url
        bearer = {"Authorization": f"Bearer {org.access_token()}"}
        limits = org.http_session().get(f"{org.rest_url}/limits", headers=bearer)
        assert limits.status_code == 200 and "DailyApiRequests" in limits.json()
    finally:
        stop_server(server)


def test_the_plugin_server_locks_its_admin_api_with_a_token(sfmock_server, sfmock_org):
    import httpx

    url = f"{sfmock_server.http_url}/_sfmock/orgs/{sfmock_org.id}/outbox"
    assert sfmock_server.admin_token
    refused = httpx.get(url, timeout=30)
    assert refused.status_code == 401 and refused.json()["detail"]["error"] == "unauthorized"
    assert httpx.get(url, headers=sfmock_server.admin_headers(), timeout=30).json() == []
    assert sfmock_org.outbox() == []  # the plugin's own helpers present the token
