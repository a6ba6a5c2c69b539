"""Helpers for tests that run the app's qasync loop with the observer server on it.

Signals are awaited through futures (never qtbot.waitSignal inside the loop: it would
hang the run; docs/architecture.md, "One event loop")."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
import qasync
from PySide6.QtCore import SignalInstance

from hotdash_roleplay.checklist import load_checklist

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]  # three observers a round
COMPLETE: dict[str, Any] = {
    "marks": dict.fromkeys(load_checklist().keys, "met"),
    "went_well": ["Checked the order date.", "Offered a repair."],
    "could_improve": ["Escalate sooner."],
}


def run(scenario: Callable[[], Coroutine[Any, Any, None]], timeout: float = 30) -> None:
    """The scenario on a qasync loop, as the app runs (asyncio.Runner on Python 3.11)."""
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        runner.run(asyncio.wait_for(scenario(), timeout))


def until(signal: SignalInstance, check: Callable[[], bool] = lambda: True) -> asyncio.Future[None]:
    """A future resolved the first time `signal` fires with `check()` true."""
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def slot(*_: object) -> None:
        if not future.done() and check():
            future.set_result(None)

    signal.connect(slot)
    future.add_done_callback(lambda _: signal.disconnect(slot))
    return future


def http() -> aiohttp.ClientSession:
    """An observer's browser: keeps its cookie (the token) for the loopback address."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
