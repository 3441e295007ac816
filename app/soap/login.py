"""login, logout, getUserInfo and getServerTimestamp: the session side of the Partner API."""
from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from sfmock import calls
from sfmock.core import ids
from sfmock.core.errors import CallError
from sfmock.soap.context import SoapContext

# Salesforce retired SOAP login() from API 65.0 ("SOAP API login() is not available in API versions 65.0 and
# later", Help 005132110). The fault text is the one a WSC client reported on 65.0 (forcedotcom/wsc#363):
# exceptionCode INVALID_OPERATION. [UNCONFIRMED] the fault element (UnexpectedErrorFault chosen).
LOGIN_RETIRED_FROM = 65.0
LOGIN_RETIRED = ("The SOAP Login operation is not available in the API version specified ({version}). "
                 "Refer to the documentation for supported versions.")


def server_url(ctx: SoapContext, org_id: str, kind: str | None = None) -> str:
    """https://host/services/Soap/u/NN.0/<15-char org id> (LoginResult.serverUrl: u for Partner, c for
    Enterprise, the family logged in to; m for metadataServerUrl)."""
    return f"{ctx.base_url}/services/Soap/{kind or ctx.family.path}/{ctx.version}/{org_id[:15]}"


def _profile_id(org_id: str, profile_name: str | None) -> str:
    # The schema keeps only the profile's name; its id is derived, stable per org and name (key prefix 00e).
    number = int.from_bytes(hashlib.sha256((profile_name or "Standard").encode()).digest()[:4], "big") % 62**6
    return ids.make_id("00e", ids.org_number(org_id), number)


def user_info(ctx: SoapContext, org: Any, user: dict[str, Any]) -> dict[str, Any]:
    """GetUserInfoResult with every required element (the writer leaves out those the version lacks)."""
    return {
        "accessibilityMode": False,
        "chatterExternal": False,
        "currencySymbol": "$",
        "orgAttachmentFileSizeLimit": 5242880,
        "orgDefaultCurrencyIsoCode": "USD",
        "orgDefaultCurrencyLocale": "en_US",
        "orgDisallowHtmlAttachments": False,
        "orgHasPersonAccounts": False,
        "organizationId": org.org_id,
        "organizationMultiCurrency": False,
        "organizationName": org.name,
        "profileId": _profile_id(org.org_id, user.get("ProfileName")),
        "roleId": None,
        "sessionSecondsValid": int(getattr(ctx.settings, "session_seconds", 7200)),
        "userDefaultCurrencyIsoCode": None,
        "userEmail": user.get("Email") or "",
        "userFullName": user.get("Name") or " ".join(filter(None, (user.get("FirstName"),
                                                                   user.get("LastName")))),
        "userId": user["Id"],
        "userLanguage": user.get("LanguageLocaleKey") or "en_US",
        "userLocale": user.get("LocaleSidKey") or "en_US",
        "userName": user.get("Username") or "",
        "userTimeZone": user.get("TimeZoneSidKey") or "America/Los_Angeles",
        "userType": user.get("UserType") or "Standard",
        "userUiSkin": "Theme3",
    }


def login(ctx: SoapContext, username: str | None, password: str | None) -> dict[str, Any]:
    if ctx.api_version >= LOGIN_RETIRED_FROM and not getattr(ctx.settings, "soap_login_all_versions", False):
        raise CallError("INVALID_OPERATION", LOGIN_RETIRED.format(version=ctx.version))
    outcome = calls.login(ctx.db, username or "", password or "", caller_ip=ctx.caller_ip,
                          session_seconds=ctx.settings.session_seconds)
    org_id = outcome.org.org_id
    return {
        "metadataServerUrl": server_url(ctx, org_id, "m"),
        "passwordExpired": False,
        "sandbox": False,
        "serverUrl": server_url(ctx, org_id),
        "sessionId": outcome.session_id,
        "userId": outcome.user["Id"],
        "userInfo": user_info(ctx, outcome.org, outcome.user),
    }


def logout(ctx: SoapContext) -> None:
    with ctx.call():
        pass
    calls.logout(ctx.db, ctx.headers.session_id or "")


def get_user_info(ctx: SoapContext) -> dict[str, Any]:
    with ctx.call() as call:
        return user_info(ctx, call.org, call.user)


def get_server_timestamp(ctx: SoapContext) -> dict[str, Any]:
    with ctx.call():
        return {"timestamp": datetime.now(UTC)}
