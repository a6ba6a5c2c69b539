"""Join-code checks, guessing throttle and observer tokens. Pure (no aiohttp, no storage)."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

COOKIE_NAME = "hd_observer"
TOKEN_BYTES = 32  # token_urlsafe(32): 43 characters, 256 bits
MAX_TOKEN_CHARS = 100  # anything longer is not one of ours: refused before hashing
MAX_FAILURES = 5
LOCKOUT_SECONDS = 60.0
MAX_TRACKED_CLIENTS = 10_000  # bounds memory if someone sprays addresses


def new_token() -> tuple[str, str]:
    """A fresh token for the cookie and the hash to store (only the hash is ever kept)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible_token(token: str | None) -> bool:
    return bool(token) and len(token or "") <= MAX_TOKEN_CHARS


def host_matches(host_header: str | None, address: str, port: int) -> bool:
    """Whether a request's `Host` names the address and port the server listens on. A page
    from another site whose name was re-pointed at this address (DNS rebinding) sends its own
    name here, so it is refused before it can read or write anything."""
    if not host_header:
        return False
    shown = f"[{address}]" if ":" in address else address  # IPv6 in brackets, as in URLs
    return host_header.strip().casefold() == f"{shown}:{port}".casefold()


def code_matches(given: str, expected: str) -> bool:
    """Constant-time comparison, so response timing does not reveal how many digits match."""
    if not expected:
        return False
    return secrets.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))


@dataclass
class _Client:
    failures: int = 0
    locked_until: float = 0.0
    last_seen: float = 0.0


class Throttle:
    """Lock a client (by remote address) out for `lockout` seconds after `max_failures` wrong
    codes in a row. While locked out even the right code is refused, so guessing cannot go on
    in the background. A right code resets the count."""

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        lockout: float = LOCKOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.lockout = lockout
        self._clock = clock
        self._clients: dict[str, _Client] = {}

    def retry_after(self, client: str) -> float:
        """Seconds until `client` may try again; 0 when not locked out."""
        entry = self._clients.get(client)
        if entry is None:
            return 0.0
        return max(0.0, entry.locked_until - self._clock())

    def failed(self, client: str) -> float:
        """Record a wrong code; returns the lock-out now in force (0 if none yet)."""
        now = self._clock()
        entry = self._clients.get(client)
        if entry is None:
            self._prune(now)
            entry = self._clients[client] = _Client()
        if entry.locked_until and entry.locked_until <= now:
            entry.failures, entry.locked_until = 0, 0.0  # served their time: a fresh start
        entry.failures += 1
        entry.last_seen = now
        if entry.failures >= self.max_failures:
            entry.locked_until = now + self.lockout
        return max(0.0, entry.locked_until - now)

    def succeeded(self, client: str) -> None:
        self._clients.pop(client, None)

    def _prune(self, now: float) -> None:
        if len(self._clients) < MAX_TRACKED_CLIENTS:
            return
        stale = [k for k, v in self._clients.items() if v.locked_until <= now]
        for key in stale or sorted(self._clients, key=lambda k: self._clients[k].last_seen)[:1]:
            del self._clients[key]
