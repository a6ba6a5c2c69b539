"""The live round's scenario for a window that shows it (the console's card, the projector).

Each round keeps the scenario as it was planned (later edits of the scenario file don't rewrite
history); the session service holds the ones read so far. A window takes it from there at once;
when it is not there yet, it is read on the store worker and the window repaints when it
lands, if that round is still the one under way, so the GUI thread never waits on the store."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QWidget

from hotdash_roleplay.scenarios import Scenario
from hotdash_roleplay.services.live import LiveSession
from hotdash_roleplay.services.sessions import SessionService
from hotdash_roleplay.services.worker import StoreWorker
from ui.autosave import StoreLink
from ui.background import report


class RoundScenario:
    """One window's hold on the live round's scenario."""

    def __init__(
        self,
        worker: StoreWorker,
        sessions: SessionService,
        live: LiveSession,
        owner: QWidget,
        repaint: Callable[[], None],
    ) -> None:
        """`repaint` (a method of the window: held weakly, it never keeps the window alive)
        is called once the current round's scenario has landed."""
        self._sessions = sessions
        self._live = live
        self._repaint = weakref.WeakMethod(repaint)
        self._link = StoreLink(worker, owner)  # its answers go to the owner while it lives
        self._asked: set[int] = set()  # rounds being read: one read each, however many repaints

    def now(self) -> Scenario | None:
        """The current round's scenario if already read, else None (and it is being read)."""
        rnd = self._live.round
        if rnd is None:
            return None
        known = self._sessions.known_scenario(rnd.id)
        if known is None and rnd.id not in self._asked:
            self._asked.add(rnd.id)
            self._link.request(
                partial(self._sessions.round_scenario, rnd.id),
                partial(self._landed, rnd.id),
                partial(self._failed, rnd.id),
            )
        return known

    def _landed(self, round_id: int, _scenario: Scenario) -> None:
        self._asked.discard(round_id)
        rnd, repaint = self._live.round, self._repaint()
        if rnd is not None and rnd.id == round_id and repaint is not None:
            repaint()  # a round gone by meanwhile is not shown

    def _failed(self, round_id: int, exc: BaseException) -> None:
        self._asked.discard(round_id)  # the next repaint asks again
        report(exc)
