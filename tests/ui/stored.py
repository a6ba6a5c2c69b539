"""Waiting for the panels' store work: typing written, reads and writes answered."""

from __future__ import annotations

import asyncio
import time

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui.autosave import StoreLink, flush_typing


def idle(*widgets: QWidget) -> bool:
    """Nothing typed waits to be written and nothing asked of the store is still out."""
    return not any(link.busy for w in widgets for link in w.findChildren(StoreLink))


def settle_store(qtbot: QtBot, *widgets: QWidget, flush: bool = True) -> None:
    """Write what is typed now (as if the trainer paused: `flush=False` waits for the
    autosave window instead) and wait until every answer is in."""
    if flush:
        for widget in widgets:
            flush_typing(widget)
    qtbot.waitUntil(lambda: idle(*widgets), timeout=5000)


async def settle_store_async(*widgets: QWidget, flush: bool = True) -> None:
    """`settle_store` inside a test running on the app's qasync loop (where qtbot's waits
    would hang): the loop keeps turning while the answers come in."""
    if flush:
        for widget in widgets:
            flush_typing(widget)
    deadline = time.monotonic() + 5
    while not idle(*widgets):
        assert time.monotonic() < deadline, "the store's answers did not come"
        await asyncio.sleep(0.005)
