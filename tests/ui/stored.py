"""Waiting for the panels' store work: typing written, reads and writes answered."""

from __future__ import annotations

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
