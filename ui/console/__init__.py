"""The trainer's live console: timer, phases, scenario card, roles, decision, panels, and the
projector window that shows the room the same live round."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection

import shiboken6
from PySide6.QtWidgets import QWidget

from hotdash_roleplay.services.live import Change, LiveSession


def follow(
    live: LiveSession,
    widget: QWidget,
    method: Callable[[], None],
    kinds: Collection[Change] | None = None,
) -> None:
    """Subscribe a widget's bound method to the live session's changes of the given kinds (all
    when None) without keeping the widget alive.

    The listener holds only weak references and unsubscribes itself once Qt has deleted the
    widget, so a closed window is never called back and is not kept in the listener list."""
    ref = weakref.WeakMethod(method)
    alive = weakref.ref(widget)

    def listener(change: Change) -> None:
        target, owner = ref(), alive()
        if target is None or owner is None or not shiboken6.isValid(owner):
            live.unsubscribe(listener)
        elif kinds is None or change in kinds:
            target()

    live.subscribe(listener)
