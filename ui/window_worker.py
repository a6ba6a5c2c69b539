"""The store worker of the app a widget belongs to, for a caller that was not handed it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from hotdash_roleplay.services.worker import StoreWorker


def worker_of(widget: QWidget) -> StoreWorker:
    """That of the nearest widget up `widget`'s parents holding the app's `services` (the main
    window; a window of its own, such as a certification page, is parented to it)."""
    node: QWidget | None = widget
    while node is not None:
        worker = getattr(getattr(node, "services", None), "worker", None)
        if isinstance(worker, StoreWorker):
            return worker
        node = node.parentWidget()
    raise TypeError(f"{widget!r} is in no window holding the app's services")
