"""Bulk API 1.0 concurrency modes as a client sees them, chunk by chunk (worker.run_once with small chunks): a
Parallel job's batches are in progress together, a Serial job's run one after the other in the order added;
and a chunk cut short for a waiting call commits what it applied and the batch resumes after it."""
from __future__ import annotations

import pytest

from sfmock.bulk.worker import SLICE, run_once
from tests.integration.test_bulk1 import _job_xml, _text, _xml
from tests.integration.test_rest_fixtures import api

__all__ = ["api"]

ROWS = b"LastName,Company\nA1,C\nA2,C\nA3,C\nA4,C\n"


def _states(api, job_id: str, batch_ids: list[str]) -> tuple[str, ...]:
    return tuple(_text(_xml(api, "GET", f"/job/{job_id}/batch/{b}"), "state") for b in batch_ids)


@pytest.mark.parametrize(("mode", "trace"), [
    ("Parallel", [("InProgress", "Queued"), ("InProgress", "InProgress"), ("Completed", "InProgress"),
                  ("Completed", "Completed")]),
    ("Serial", [("InProgress", "Queued"), ("Completed", "Queued"), ("Completed", "InProgress"),
                ("Completed", "Completed")]),
])
def test_batches_take_turns_only_in_parallel(api, mode: str, trace: list[tuple[str, str]]) -> None:
    created = _xml(api, "POST", "/job", _job_xml(extra=f"<concurrencyMode>{mode}</concurrencyMode>"))
    job_id = _text(created, "id")
    assert _text(created, "concurrencyMode") == mode
    batch_ids = [_text(_xml(api, "POST", f"/job/{job_id}/batch", ROWS.replace(b"A", p), "text/csv"), "id")
                 for p in (b"B", b"D")]
    seen = []
    while run_once(api.demo.db, chunk=2):
        seen.append(_states(api, job_id, batch_ids))
        if mode == "Parallel" and seen[-1] == ("InProgress", "InProgress"):
            assert _text(_xml(api, "GET", f"/job/{job_id}"), "numberBatchesInProgress") == "2"
    assert seen == trace
    for batch_id, prefix in zip(batch_ids, ("B", "D"), strict=True):
        lines = _xml(api, "GET", f"/job/{job_id}/batch/{batch_id}/result").text.splitlines()[1:]
        names = {r["Id"]: r["LastName"] for r in api.rows("Lead")}
        expected = [f"{prefix}{i}" for i in range(1, 5)]
        assert [names[line.split(",")[0].strip('"')] for line in lines] == expected


def test_a_chunk_ends_early_for_a_waiting_call_and_the_batch_resumes_after_it(api) -> None:
    job_id = _text(_xml(api, "POST", "/job", _job_xml()), "id")
    data = "LastName,Company\n" + "".join(f"E{i},C\n" for i in range(25))
    batch_id = _text(_xml(api, "POST", f"/job/{job_id}/batch", data.encode(), "text/csv"), "id")
    assert run_once(api.demo.db, stop=lambda: True)  # a call is waiting: one slice, then commit
    info = _xml(api, "GET", f"/job/{job_id}/batch/{batch_id}")
    assert (_text(info, "state"), _text(info, "numberRecordsProcessed")) == ("InProgress", str(SLICE))
    assert len([r for r in api.rows("Lead") if r["LastName"].startswith("E")]) == SLICE
    while run_once(api.demo.db):
        pass
    lines = _xml(api, "GET", f"/job/{job_id}/batch/{batch_id}/result").text.splitlines()[1:]
    names = {r["Id"]: r["LastName"] for r in api.rows("Lead")}
    assert [names[line.split(",")[0].strip('"')] for line in lines] == [f"E{i}" for i in range(25)]
    assert len([n for n in names.values() if n.startswith("E")]) == 25
