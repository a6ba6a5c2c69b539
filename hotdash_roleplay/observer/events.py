"""Server-sent events: every open page learns of a change of the live session as it happens.

Each change bumps `seq` and wakes every stream; a stream then sends the state as it is now
(several changes in one instant arrive as one event with the last `seq`). A comment line every
`keepalive` seconds tells a silent stream from a dead one. A reconnect simply starts again
from the current state, so nothing needs replaying."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

KEEPALIVE_SECONDS = 15.0
MAX_STREAMS = 200  # a room is at most a dozen people, each with a device or two
RETRY_MS = 2000  # how soon a browser reconnects a dropped stream

StateBytes = Callable[[web.Request], Awaitable[bytes]]  # the state JSON for this request


class EventHub:
    def __init__(self, keepalive: float = KEEPALIVE_SECONDS) -> None:
        self.keepalive = keepalive
        self.seq = 1
        self._wakers: set[asyncio.Event] = set()
        self._closed = False

    @property
    def streams(self) -> int:
        return len(self._wakers)

    def publish(self) -> None:
        """Something a device should see changed: every stream sends the state again."""
        self.seq += 1
        for waker in self._wakers:
            waker.set()

    def close(self) -> None:
        """The server stops: every stream ends now (browsers reconnect when it is back)."""
        self._closed = True
        for waker in self._wakers:
            waker.set()

    async def stream(self, request: web.Request, state: StateBytes) -> web.StreamResponse:
        if self._closed or len(self._wakers) >= MAX_STREAMS:
            raise web.HTTPServiceUnavailable(reason="Too many open pages: try again shortly.")
        waker = asyncio.Event()
        self._wakers.add(waker)
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"}
        )
        try:
            await response.prepare(request)
            await response.write(f"retry: {RETRY_MS}\n\n".encode())
            while not self._closed:
                waker.clear()
                seq = self.seq
                data = await state(request)
                await response.write(
                    b"id: %d\nevent: state\ndata: %s\n\n" % (seq, data.replace(b"\n", b""))
                )
                while not waker.is_set() and not self._closed:
                    try:
                        await asyncio.wait_for(waker.wait(), self.keepalive)
                    except TimeoutError:
                        await response.write(b": keep-alive\n\n")
        except ConnectionResetError:  # the page went away: nothing to answer
            pass
        finally:
            self._wakers.discard(waker)
        return response
