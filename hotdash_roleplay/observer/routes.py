"""The observer API's handlers. Each request is checked in the same order: who (token), which
round (open, and they observe it), then the body; a refusal is a 4xx with a short `error`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from hotdash_roleplay.checklist import Mark, submission_problems
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import name_key
from hotdash_roleplay.observer import security
from hotdash_roleplay.observer.api_models import (
    ChecklistBody,
    ClaimBody,
    ClaimRequest,
    CriterionBody,
    DraftRequest,
    ErrorBody,
    JoinBody,
    JoinRequest,
    ListRuleBody,
    MeBody,
    SubmissionBody,
    SubmitRequest,
)
from hotdash_roleplay.observer.batching import Batcher
from hotdash_roleplay.observer.cards import note_body
from hotdash_roleplay.observer.events import EventHub
from hotdash_roleplay.services.feedback import ChangedElsewhere, FeedbackSave
from hotdash_roleplay.services.observer_access import (
    TOKEN_LIFETIME,
    Claim,
    FilledInApp,
    NameTaken,
    ObserverRound,
)
from hotdash_roleplay.status import FilledIn
from hotdash_roleplay.validation import describe

if TYPE_CHECKING:
    from hotdash_roleplay.services import Services
    from hotdash_roleplay.services.feedback import SubmissionView
    from hotdash_roleplay.services.live import LiveSession
    from hotdash_roleplay.services.views import RoundView

log = logging.getLogger(__name__)

CLOSED = "Feedback for this round is closed."
NOT_JOINED = "Join first: enter the code shown on the projector."
NOT_OBSERVER = "You are not an observer in this round."
NOT_ON_ROSTER = "That name is not on this session's roster."
FINISHED = "This session has finished. Thank you!"
WRONG_CODE = "That code is not right. Check the code on the projector."
LOCKED = "Too many wrong codes. Wait a minute, then try again."
COOKIE_MAX_AGE = int(TOKEN_LIFETIME.total_seconds())  # the token expires in the store too
# The round as observers see it is cached this long (the host also invalidates it on every
# change of the live session). Writes are checked against the store by the feedback service,
# so a stale "open" can never let a write in after feedback closed.
ROUND_TTL = 1.0
MAX_CACHED_TOKENS = 1000

# kind ("joined" | "draft" | "submitted" | "decision" | "note"), person's name: after each
# change, for the console.
ChangeListener = Callable[[str, str], None]
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def refuse(status: int, error: str, **extra: object) -> web.Response:
    body = ErrorBody.model_validate({"error": error, **extra}).model_dump(mode="json")
    # Only the fields said (not exclude_defaults: it would also strip the nested submission).
    said = {key: value for key, value in body.items() if value not in (None, [])}
    return web.json_response({"error": error, **said}, status=status)


def closed() -> web.Response:
    return refuse(409, CLOSED, reason="closed")


def finished() -> web.Response:
    return refuse(409, FINISHED, reason="finished")


class Refusal(Exception):
    """Raised by the checks below; the handler wrapper turns it into its 4xx answer."""

    def __init__(self, response: web.Response) -> None:
        self.response = response


async def parse(request: web.Request, model: type[M]) -> M:
    raw = await request.read()  # beyond client_max_size aiohttp raises 413 here
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as exc:
        if exc.errors()[0]["type"] == "json_invalid":
            raise Refusal(refuse(400, "The request body is not valid JSON.")) from None
        reason = f"Invalid request: {describe(exc, limit=1, whole='body')}"[:200]
        raise Refusal(refuse(422, reason)) from None


class ObserverApi:
    def __init__(
        self,
        services: Services,
        live: LiveSession,
        throttle: security.Throttle,
        on_change: ChangeListener | None = None,
        hub: EventHub | None = None,
    ) -> None:
        self._services = services
        self._live = live
        self._session_id = live.session_id
        self._access = services.observer_access
        self._code = live.detail.join_code  # fixed when the session is made: no store read
        self.hub = hub or EventHub()  # the open pages' event streams
        self._throttle = throttle
        self._on_change = on_change
        self._checklist = self._checklist_body()
        self._round: tuple[float, ObserverRound | None] | None = None
        # One load of the round at a time: a burst of requests missing the cache all wait on it.
        self._round_load: asyncio.Future[ObserverRound | None] | None = None
        # Feedback saves queue here; one writer drains them into one transaction per batch.
        self._saves: Batcher[FeedbackSave, SubmissionView] = Batcher(
            lambda saves: self._db(services.feedback.save_many, saves)
        )
        # token hash -> its claim; emptied by `invalidate` (a release, a session change).
        self._tokens: dict[str, Claim] = {}
        # Round id -> its checklists' pre-fill from the observers' notes, run once per round.
        self._prefills: dict[int, asyncio.Future[None]] = {}

    def invalidate(self) -> None:
        """Forget the cached round and tokens: the trainer released a name (its old token must
        stop working at once), or the session changed. Open pages hear of it."""
        self.invalidate_round()
        self._tokens.clear()
        self.hub.publish()

    def invalidate_round(self) -> None:
        self._round = None
        self._round_load = None  # a load in flight may have read the old state: not cached

    async def _db(self, fn: Callable[..., R], *args: object) -> R:
        # The app's one store worker, in arrival order: a burst of observers never stalls the
        # Qt loop the server shares; handlers stay on the loop.
        return await self._services.worker.run(partial(fn, *args))

    @property
    def join_code(self) -> str:
        return self._code

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/api/join", self.join),
            web.post("/api/claim", self.claim),
            web.get("/api/me", self.me),
            web.put("/api/draft", self.draft),
            web.post("/api/submit", self.submit),
        ]

    # -- handlers -----------------------------------------------------------------------------

    async def join(self, request: web.Request) -> web.Response:
        try:
            data = await parse(request, JoinRequest)
            self._check_code(request, data.code)
            self._session_open()
        except Refusal as refusal:
            return refusal.response
        rnd = self._live.round
        body = JoinBody(
            round=rnd.number if rnd else None,
            observers=list(rnd.observers) if rnd else [],
            people=self._roster(),
        )
        return web.json_response(body.model_dump())

    async def claim(self, request: web.Request) -> web.Response:
        try:
            data = await parse(request, ClaimRequest)
            self._check_code(request, data.code)
            rnd = self._session_open()
            name = _member(data.name, tuple(self._roster()))
            if name is None:
                raise Refusal(refuse(403, NOT_ON_ROSTER))
        except Refusal as refusal:
            return refusal.response
        holder = await self._who(request)
        if holder == name:
            return web.json_response(ClaimBody(name=name).model_dump())  # already theirs here
        # A device that held another name gives it up with this claim.
        held = self._token_hash(request) if holder is not None else None
        token, token_hash = security.new_token()
        try:
            claim = await self._db(
                self._access.claim, self._session_id, rnd.id, name, token_hash, held
            )
        except NameTaken as exc:
            return refuse(409, str(exc), reason="taken")
        except FilledInApp as exc:
            return refuse(409, str(exc), reason="in_app")
        if held is not None:
            self._tokens.pop(held, None)
        self._remember(token_hash, claim)
        name = claim.name
        response = web.json_response(ClaimBody(name=name).model_dump())
        response.set_cookie(
            security.COOKIE_NAME,
            token,
            max_age=COOKIE_MAX_AGE,
            path="/",
            httponly=True,
            samesite="Strict",
        )
        self._changed("joined", name)
        return response

    async def me(self, request: web.Request) -> web.Response:
        try:
            name, rnd = await self._observer(request)
        except Refusal as refusal:
            return refusal.response
        await self._prefilled(rnd.round_id)  # their notes first, so the first load shows them
        view = await self._db(self._services.feedback.get, rnd.round_id, name)
        notes = await self._db(self._services.notes.notes, rnd.round_id, name)
        body = MeBody(
            name=name,
            round=rnd.number,
            scenario_title=rnd.scenario_title,
            operator=rnd.operator,
            feedback_open=rnd.feedback_open,
            checklist=self._checklist,
            submission=self._submission(view),
            notes=[note_body(n) for n in notes],
        )
        return web.json_response(body.model_dump(mode="json"))

    async def draft(self, request: web.Request) -> web.Response:
        try:
            name, rnd = await self._observer(request)
            data = await parse(request, DraftRequest)
            view = await self._guarded(
                FeedbackSave(
                    rnd.round_id, name, data.answers, seen=data.version, source=FilledIn.BROWSER
                )
            )
        except Refusal as refusal:
            return refusal.response
        self._changed(view.status, name)
        return web.json_response(self._submission(view).model_dump(mode="json"))

    async def submit(self, request: web.Request) -> web.Response:
        feedback = self._services.feedback
        try:
            name, rnd = await self._observer(request)
            data = await parse(request, SubmitRequest)
            answers, seen = data.answers, data.version
            if answers is None:  # submit what is stored, as stored now
                stored = await self._db(feedback.get, rnd.round_id, name)
                answers, seen = stored.answers, stored.version
            missing = submission_problems(answers, feedback.checklist)
            if missing:  # keep what they have as a draft, and say what is missing
                kept = await self._guarded(
                    FeedbackSave(rnd.round_id, name, answers, seen=seen, source=FilledIn.BROWSER)
                )
                self._changed(kept.status, name)
                return refuse(
                    422,
                    "Not submitted yet: some items are missing.",
                    missing=missing,
                    submission=self._submission(kept),
                )
            # Saved and submitted in one save, group-committed with whatever else is queued.
            view = await self._guarded(
                FeedbackSave(rnd.round_id, name, answers, True, seen, FilledIn.BROWSER)
            )
        except Refusal as refusal:
            return refusal.response
        self._changed(view.status, name)
        return web.json_response(self._submission(view).model_dump(mode="json"))

    # -- checks -------------------------------------------------------------------------------

    def _check_code(self, request: web.Request, code: str) -> None:
        client = request.remote or "?"
        wait = self._throttle.retry_after(client)
        if wait > 0:
            raise Refusal(_locked(wait))
        if not security.code_matches(code, self._code):
            wait = self._throttle.failed(client)
            raise Refusal(_locked(wait) if wait > 0 else refuse(403, WRONG_CODE))
        self._throttle.succeeded(client)

    @staticmethod
    def _token_hash(request: web.Request) -> str | None:
        token = request.cookies.get(security.COOKIE_NAME)
        if token is None or not security.plausible_token(token):
            return None
        return security.hash_token(token)

    async def _who(self, request: web.Request) -> str | None:
        """The name the request's token holds now (expired, released or unknown: None)."""
        token_hash = self._token_hash(request)
        if token_hash is None:
            return None
        claim = self._tokens.get(token_hash)
        if claim is None:
            claim = await self._db(self._access.person_for_token, self._session_id, token_hash)
            if claim is None:
                return None
            self._remember(token_hash, claim)
        if claim.expired():
            self._tokens.pop(token_hash, None)
            return None
        return claim.name

    def _remember(self, token_hash: str, claim: Claim) -> None:
        if len(self._tokens) >= MAX_CACHED_TOKENS:
            self._tokens.clear()
        self._tokens[token_hash] = claim

    async def _current_round(self) -> ObserverRound | None:
        now = time.monotonic()
        if self._round is not None and now - self._round[0] < ROUND_TTL:
            return self._round[1]
        load = self._round_load
        if load is None:
            load = asyncio.ensure_future(self._db(self._access.current_round, self._session_id))
            load.add_done_callback(partial(self._round_loaded, now))
            self._round_load = load
        return await asyncio.shield(load)  # one waiter giving up does not cancel the others

    def _round_loaded(self, began: float, load: asyncio.Future[ObserverRound | None]) -> None:
        if self._round_load is not load:  # invalidated while loading: do not cache
            return
        self._round_load = None
        if not load.cancelled() and load.exception() is None:
            self._round = (began, load.result())

    def _session_open(self) -> RoundView:
        """The round being played, or 409 `finished` once the session is over."""
        rnd = self._live.round
        if rnd is None or self._live.finished:
            raise Refusal(finished())
        return rnd

    def _roster(self) -> list[str]:
        """Everyone who may claim a name: the session's participants who have not left."""
        detail = self._live.detail
        return [p for p in detail.participants if p not in detail.departed]

    def prefill_soon(self, round_id: int) -> asyncio.Future[None]:
        """Pre-fill the round's checklists from the observers' notes, once per round (feedback
        must be open); the console hears whose checklist changed."""
        task = self._prefills.get(round_id)
        if task is None:
            task = self._prefills[round_id] = asyncio.ensure_future(self._prefill(round_id))
        return task

    async def _prefill(self, round_id: int) -> None:
        try:
            names = await self._db(self._services.notes.prefill, round_id)
        except Exception:  # the checklist still opens, only without the notes
            log.exception("Pre-filling the checklists from the notes failed")
            return
        for name in names:
            self._changed("draft", name)

    async def _prefilled(self, round_id: int) -> None:
        await asyncio.shield(self.prefill_soon(round_id))

    async def _open_round(self) -> ObserverRound:
        rnd = await self._current_round()
        if rnd is None or not rnd.feedback_open:
            raise Refusal(closed())
        return rnd

    async def _observer(self, request: web.Request) -> tuple[str, ObserverRound]:
        """The token's person and the open round they observe, or the right refusal."""
        name = await self._who(request)
        if name is None:
            raise Refusal(refuse(401, NOT_JOINED))
        rnd = await self._open_round()
        if _member(name, rnd.observers) is None:
            raise Refusal(refuse(403, NOT_OBSERVER))
        return name, rnd

    async def _save(self, save: FeedbackSave) -> SubmissionView:
        """Queue a save and wait for its own result. Group commit: fifty observers submitting
        at once cost a transaction or two instead of fifty."""
        return await self._saves.write(save)

    async def _guarded(self, save: FeedbackSave) -> SubmissionView:
        """Save through the group-committing writer; refusals become 409 (closed meanwhile,
        or changed on another device since the page's version) or 422."""
        try:
            return await self._save(save)
        except ChangedElsewhere as exc:
            raise Refusal(
                refuse(409, str(exc), reason="changed", submission=self._submission(exc.current))
            ) from None
        except UserError as exc:
            self.invalidate()
            rnd = await self._current_round()
            if rnd is None or not rnd.feedback_open:
                raise Refusal(closed()) from None
            raise Refusal(refuse(422, str(exc)[:300])) from None

    # -- bodies -------------------------------------------------------------------------------

    def _checklist_body(self) -> ChecklistBody:
        checklist = self._services.checklist

        def rule(r: object) -> ListRuleBody:
            return ListRuleBody.model_validate(r, from_attributes=True)

        return ChecklistBody(
            criteria=[
                CriterionBody(key=c.key, name=c.name, question=c.question)
                for c in checklist.criteria
            ],
            went_well=rule(checklist.went_well),
            could_improve=rule(checklist.could_improve),
            marks=[{"value": m.value, "label": m.label} for m in Mark],
        )

    def _submission(self, view: SubmissionView) -> SubmissionBody:
        return SubmissionBody(
            status=view.status,
            answers=view.answers,
            updated_at=view.updated_at.isoformat() if view.updated_at else None,
            submitted_at=view.submitted_at.isoformat() if view.submitted_at else None,
            problems=submission_problems(view.answers, self._services.checklist),
            version=view.version,
        )

    def _changed(self, kind: str, name: str) -> None:
        if self._on_change is None:
            return
        try:
            self._on_change(kind, name)
        except Exception:  # a broken listener must not fail the observer's request
            log.exception("Observer change listener failed")


def _member(name: str, observers: tuple[str, ...]) -> str | None:
    key = name_key(name)
    return next((o for o in observers if name_key(o) == key), None)


def _locked(wait: float) -> web.Response:
    seconds = max(1, round(wait))
    response = refuse(429, LOCKED, retry_after=seconds)
    response.headers["Retry-After"] = str(seconds)
    return response
