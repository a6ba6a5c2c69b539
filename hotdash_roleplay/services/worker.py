"""The one thread that does the store's work, in the order it was asked, off the GUI thread.

Every store call the app makes while it runs — the console's clock and autosaves, the observer
server's reads and saves — goes through the same worker, so writes land in the order they were
made (a kill loses nothing already queued that had reached the store) and the Qt loop never
waits on a disk or a network round trip."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

# Typed text (checklist notes, the decision's reply, debrief notes) is written at most this
# often while the trainer types, and once more after the last key: a kill loses at most this
# much typing, and a roomful of keystrokes costs a handful of writes, not one each.
AUTOSAVE_MS = 400

P = ParamSpec("P")
R = TypeVar("R")


class StoreWorker:
    """One thread, first in first out. Thread-safe to submit to from anywhere."""

    def __init__(self) -> None:
        self._here = threading.local()
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="store", initializer=self._mark_worker
        )

    def _mark_worker(self) -> None:
        self._here.worker = True

    def submit(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
        """Queue `fn`; its result (or exception) arrives in the returned future. Asked from
        the worker itself (work that opens a live session, e.g. the demo's), `fn` runs at
        once: queued behind the asker, a wait for it would never end."""
        if not getattr(self._here, "worker", False):
            return self._pool.submit(fn, *args, **kwargs)
        done: Future[R] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed over in the future, as the pool would
            done.set_exception(exc)
        return done

    async def run(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Await `fn` on the worker from a coroutine on the running loop."""
        import asyncio  # here: the app starts the worker before it needs an event loop

        return await asyncio.wrap_future(self.submit(fn, *args, **kwargs))

    def flush(self, timeout: float | None = None) -> None:
        """Wait until everything queued so far has run (before closing the store, in tests)."""
        self.submit(lambda: None).result(timeout)

    def close(self) -> None:
        """Run what is queued, then stop; later submits raise RuntimeError."""
        self._pool.shutdown(wait=True)
