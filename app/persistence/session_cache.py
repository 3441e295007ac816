"""Sessions looked up at most once a second per process, in front of sfmock.persistence.sessions.

A live session found in the database is remembered for TTL seconds; a revocation or an expiry made anywhere
(another process, the admin API) is therefore seen by every process within TTL. Revocations made through this
process forget the entry at once. Unknown tokens are not remembered."""
from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy.orm import Session

from sfmock.core.auth import secret_digest
from sfmock.persistence import sessions as session_rows

TTL = 1.0


class SessionCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._live: dict[str, tuple[float, tuple[str, str]]] = {}

    @classmethod
    def of(cls, db: Any) -> SessionCache:
        return db.cache("sessions", cls)

    def find(self, session: Session, token: str) -> tuple[str, str] | None:
        """(org id, user id) of a live session, or None."""
        now = time.monotonic()
        hit = self._live.get(token)
        if hit is not None and now - hit[0] < TTL:
            return hit[1]
        found = session_rows.find_session(session, token)
        with self._lock:
            if found is None:
                self._live.pop(token, None)
            else:
                if len(self._live) > 10_000:  # a bound, not a policy: most entries are stale by then
                    self._live = {k: v for k, v in self._live.items() if now - v[0] < TTL}
                self._live[token] = (now, found)
        return found

    def forget(self, token: str) -> None:
        with self._lock:
            self._live.pop(token, None)

    def forget_digests(self, digests: list[str]) -> None:
        """The cached sessions whose stored digests these are (revoked along with their refresh token)."""
        if not digests:
            return
        gone = set(digests)
        with self._lock:
            self._live = {k: v for k, v in self._live.items() if secret_digest(k) not in gone}

    def forget_org(self, org_id: str) -> None:
        """Every cached session of one org (its sessions were expired at once)."""
        with self._lock:
            self._live = {k: v for k, v in self._live.items() if v[1][0] != org_id}
