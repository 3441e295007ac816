"""Discovery: the versions list, a version's resource map and the org's limits."""
from __future__ import annotations

from starlette.responses import Response

from sfmock.rest.context import RestContext
from sfmock.rest.responses import json_response
from sfmock.settings import Settings

_SEASONS = ("Winter", "Spring", "Summer")


def release_label(version: str) -> str:
    """Salesforce's release name for an API version: three releases a year since 20.0 = Winter '11, so
    31.0 = Summer '14 and 59.0 = Winter '24 (a Winter release is named after the following year)."""
    step = int(float(version)) - 20
    return f"{_SEASONS[step % 3]} '{(11 + step // 3) % 100:02d}"


def versions(settings: Settings) -> list[dict[str, str]]:
    """GET /services/data/ (no authentication): every version, oldest first."""
    return [
        {"label": release_label(v), "url": f"/services/data/v{v}", "version": v}
        for v in settings.api_versions()
    ]


def get_versions(ctx: RestContext) -> Response:
    # The only REST resource Salesforce serves without a session and without Sforce-Limit-Info.
    return json_response(versions(ctx.settings))


# The resources this emulator serves under /services/data/vNN.N/ (a real org lists many more).
_RESOURCES = ("sobjects", "query", "queryAll", "composite", "limits")


def get_resources(ctx: RestContext) -> Response:
    """GET /services/data/vNN.N/: resource name -> URL."""
    with ctx.call() as call:
        user_id, org_id = call.user["Id"], call.org.org_id
    body = {name: f"{ctx.data_path}/{name}" for name in _RESOURCES}
    body["identity"] = f"{ctx.base_url()}/id/{org_id}/{user_id}"
    return json_response(dict(sorted(body.items())))


def _limit(maximum: int, used: int = 0) -> dict[str, int]:
    return {"Max": maximum, "Remaining": max(maximum - used, 0)}


def get_limits(ctx: RestContext) -> Response:
    """GET …/limits/: the org's limits as {"Name": {"Max", "Remaining"}} (REST API "Limits"). Only the API
    request count is real; the others are Developer Edition's published maxima, untouched."""
    with ctx.call() as call:
        current, limit = call.usage
    body = {
        "ConcurrentAsyncGetReportInstances": _limit(200),
        "ConcurrentSyncReportRuns": _limit(20),
        "DailyApiRequests": _limit(limit, current),
        "DailyAsyncApexExecutions": _limit(250000),
        "DailyBulkApiBatches": _limit(15000),
        "DailyBulkV2QueryFileStorageMB": _limit(976562),
        "DailyBulkV2QueryJobs": _limit(10000),
        "DailyGenericStreamingApiEvents": _limit(10000),
        "DailyStreamingApiEvents": _limit(10000),
        "DailyWorkflowEmails": _limit(1000),
        "DataStorageMB": _limit(5),
        "FileStorageMB": _limit(20),
        "HourlyTimeBasedWorkflow": _limit(50),
        "MassEmail": _limit(10),
        "SingleEmail": _limit(15),
    }
    return json_response(body)
