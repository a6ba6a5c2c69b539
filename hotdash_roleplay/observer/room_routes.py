"""The room's routes on top of the checklist's: the session's state and its event stream, each
person's card for the round being played, the operator's decision and observers' notes.

Checked in the same order as the checklist routes: who (token), the session still running,
their role in the round being played, the phase, then the body. The live session (in memory,
on this loop) says the round, phase and clock; the store is read only for what a card holds."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from hotdash_roleplay.checklist import Aggregate
from hotdash_roleplay.decisions import DecisionDraft
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.observer import security
from hotdash_roleplay.observer.batching import Batcher
from hotdash_roleplay.observer.cards import (
    CardFacts,
    card,
    decision_body,
    in_play,
    note_body,
    role_of,
)
from hotdash_roleplay.observer.events import EventHub
from hotdash_roleplay.observer.room_models import NoteRequest, NotesBody, StateBody
from hotdash_roleplay.observer.routes import (
    NOT_JOINED,
    NOT_OBSERVER,
    ChangeListener,
    ObserverApi,
    Refusal,
    parse,
    refuse,
)
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.services.decisions import AlreadyDecided
from hotdash_roleplay.services.live import Change
from hotdash_roleplay.services.room_notes import NoteAdd, NotesFull, NoteView
from hotdash_roleplay.services.views import DecisionView, RoundView

if TYPE_CHECKING:
    from hotdash_roleplay.scenarios import Scenario
    from hotdash_roleplay.services import Services
    from hotdash_roleplay.services.live import LiveSession

log = logging.getLogger(__name__)

NOT_OPERATOR = "You are not the operator in this round."
NOT_ON_ROSTER_NOW = "You are no longer on this session's roster."
NOT_NOW_DECISION = "Decisions are taken during the role-play and decision phases."
NOT_NOW_NOTES = "Notes are taken during the role-play and decision phases."


class RoomApi(ObserverApi):
    """Every participant's routes; the checklist routes come from ObserverApi."""

    def __init__(
        self,
        services: Services,
        live: LiveSession,
        throttle: security.Throttle,
        on_change: ChangeListener | None = None,
        hub: EventHub | None = None,
    ) -> None:
        super().__init__(services, live, throttle, on_change, hub)
        self._scenarios: dict[int, Scenario] = {}  # round id -> the scenario as played
        # Notes arriving together (a roomful of observers tapping) share a transaction.
        self._notes: Batcher[NoteAdd, NoteView] = Batcher(
            lambda adds: self._db(services.notes.add_many, adds)
        )

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/api/state", self.state),
            web.get("/api/events", self.events),
            web.get("/api/card", self.card),
            web.post("/api/decision", self.decision),
            web.post("/api/notes", self.add_note),
            web.get("/api/notes", self.notes),
            *super().routes(),
        ]

    def changed(self, change: Change) -> None:
        """The live session changed (its owner calls this after each change): every open page
        hears of it at once, and a round whose feedback opened gets its checklists
        pre-filled from the notes."""
        self.invalidate_round()
        if change in (Change.PEOPLE, Change.ROUND):
            self._tokens.clear()  # someone left: their token must not reach a card
        rnd = self._live.round
        if rnd is not None and rnd.feedback_open:
            self.prefill_soon(rnd.id)
        self.hub.publish()

    # -- state and events ---------------------------------------------------------------------

    async def state(self, request: web.Request) -> web.Response:
        return web.json_response((await self._state(request)).model_dump())

    async def events(self, request: web.Request) -> web.StreamResponse:
        async def state_bytes(req: web.Request) -> bytes:
            return (await self._state(req)).model_dump_json().encode()

        return await self.hub.stream(request, state_bytes)

    async def _state(self, request: web.Request) -> StateBody:
        live = self._live
        rnd = live.round
        view = live.view() if rnd is not None else None
        name = await self._who(request)
        return StateBody(
            feedback_open=bool(rnd and rnd.feedback_open),
            round=rnd.number if rnd else None,
            round_count=live.detail.round_count,
            joined=name is not None,
            name=name,
            phase=view.phase_key if view else None,
            phase_title=view.phase_title if view else None,
            status=view.status.value if view else None,
            finished=live.finished,
            seq=self.hub.seq,
        )

    # -- the card -----------------------------------------------------------------------------

    async def card(self, request: web.Request) -> web.Response:
        try:
            name, rnd = await self._person(request)
        except Refusal as refusal:
            return refusal.response
        seq, view = self.hub.seq, self._live.view()
        scenario = await self._scenario(rnd)
        role = role_of(name, rnd)
        decision: DecisionView | None = None
        notes: list[NoteView] = []
        summary: Aggregate | None = None
        if role is Role.OPERATOR:
            decision = await self._db(self._services.decisions.get, rnd.id)
        elif role is Role.OBSERVER:
            notes = await self._db(self._services.notes.notes, rnd.id, name)
        elif role is Role.FACILITATOR and view.phase_key == "debrief":
            summary = await self._db(self._services.feedback.summary, rnd.id)
        facts = CardFacts(
            name=name,
            rnd=rnd,
            round_count=self._live.detail.round_count,
            clock=view,
            seq=seq,
            scenario=scenario,
            checklist=self._services.checklist,
            decision=decision,
            notes=tuple(notes),
            summary=summary,
        )
        return web.json_response(card(facts).model_dump(mode="json"))

    # -- the operator's decision --------------------------------------------------------------

    async def decision(self, request: web.Request) -> web.Response:
        # The operator's own time to decide: the round's clock as the decision arrives.
        seconds = self._live.decision_seconds()
        try:
            name, rnd = await self._person(request)
            if role_of(name, rnd) is not Role.OPERATOR:
                raise Refusal(refuse(403, NOT_OPERATOR))
            existing = await self._db(self._services.decisions.get, rnd.id)
            if existing is not None:
                raise Refusal(_decided(existing))
            if not in_play(self._live.view()):
                raise Refusal(refuse(409, NOT_NOW_DECISION, reason="phase"))
            draft = await parse(request, DecisionDraft)
            view = await self._db(
                self._services.decisions.record_from_device, rnd.id, name, draft, seconds
            )
        except Refusal as refusal:
            return refusal.response
        except AlreadyDecided as exc:
            return _decided(exc.current)
        except UserError as exc:
            return refuse(422, str(exc)[:300])
        self._changed("decision", name)
        self.hub.publish()
        return web.json_response(decision_body(view).model_dump(mode="json"))

    # -- observers' notes ---------------------------------------------------------------------

    async def add_note(self, request: web.Request) -> web.Response:
        at_seconds = self._live.decision_seconds()  # the role-play clock as the note arrives
        try:
            name, rnd = await self._observing(request)
            if not in_play(self._live.view()):
                raise Refusal(refuse(409, NOT_NOW_NOTES, reason="phase"))
            data = await parse(request, NoteRequest)
            note = await self._notes.write(
                NoteAdd(rnd.id, name, data.criterion, data.text, at_seconds)
            )
        except Refusal as refusal:
            return refusal.response
        except NotesFull as exc:
            return refuse(409, str(exc), reason="full")
        except UserError as exc:
            return refuse(422, str(exc)[:300])
        self._changed("note", name)
        return web.json_response(note_body(note).model_dump(mode="json"), status=201)

    async def notes(self, request: web.Request) -> web.Response:
        try:
            name, rnd = await self._observing(request)
        except Refusal as refusal:
            return refusal.response
        notes = await self._db(self._services.notes.notes, rnd.id, name)
        body = NotesBody(notes=[note_body(n) for n in notes])
        return web.json_response(body.model_dump(mode="json"))

    # -- checks -------------------------------------------------------------------------------

    async def _person(self, request: web.Request) -> tuple[str, RoundView]:
        """The token's person, on the roster, in the session still running."""
        name = await self._who(request)
        if name is None:
            raise Refusal(refuse(401, NOT_JOINED))
        rnd = self._session_open()
        if name not in self._roster():
            raise Refusal(refuse(403, NOT_ON_ROSTER_NOW))
        return name, rnd

    async def _observing(self, request: web.Request) -> tuple[str, RoundView]:
        name, rnd = await self._person(request)
        if role_of(name, rnd) is not Role.OBSERVER:
            raise Refusal(refuse(403, NOT_OBSERVER))
        return name, rnd

    async def _scenario(self, rnd: RoundView) -> Scenario:
        found = self._scenarios.get(rnd.id)
        if found is None:
            found = await self._db(self._services.sessions.round_scenario, rnd.id)
            self._scenarios[rnd.id] = found
        return found


def _decided(current: DecisionView) -> web.Response:
    return refuse(409, str(AlreadyDecided(current)), reason="decided")
