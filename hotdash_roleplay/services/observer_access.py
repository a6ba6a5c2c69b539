"""Observer access from the local network: the session's current round as the observer page sees
it, and the tokens that bind an observer's browser to one person in one session.

Only a token's sha256 is stored (hashing is the caller's: `hotdash_roleplay.observer.security`),
so a copy of the database does not hand out working tokens. Tokens live in the store so an
observer whose page reconnects after an app restart resumes where they were.

A name, once claimed, stays with its device: another device is refused until the trainer
releases it (the token rows are deleted) or the token expires, 12 hours after the claim or when
the session finishes."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, insert, select

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import name_key
from hotdash_roleplay.rotation import Role
from hotdash_roleplay.services.views import View
from hotdash_roleplay.status import FilledIn, SessionStatus
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    ObserverToken,
    Person,
    RoleAssignment,
    Round,
    TrainingSession,
    utcnow,
)

TOKEN_LIFETIME = timedelta(hours=12)  # a training day; the cookie lasts as long


class NameTaken(UserError):
    """Another device holds this name's token."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} has already joined on another device. Ask the trainer to release the name."
        )


class FilledInApp(UserError):
    """The trainer fills (or filled) this checklist in the app: no browser may take it."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"The trainer is filling in {name}'s checklist on their computer, "
            "so it cannot be opened here. Ask the trainer."
        )


class Claim(View):
    name: str  # as stored
    expires_at: datetime

    def expired(self) -> bool:
        return self.expires_at <= utcnow()


class ObserverRound(View):
    """What an observer may know of the round being played: nothing beyond the room's view."""

    round_id: int
    number: int  # 1-based
    scenario_title: str
    operator: str | None
    observers: tuple[str, ...]  # sorted by name
    feedback_open: bool


class ObserverAccessService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def current_round(self, session_id: int) -> ObserverRound | None:
        """The round being played (None when the session has none left). One column query,
        a row per role: this runs whenever the server's short round cache misses."""
        stmt = (
            select(
                Round.id,
                Round.index.label("round_index"),  # Row.index is a tuple method
                Round.scenario_title,
                Round.scenario_id,
                Round.feedback_open,
                RoleAssignment.role,
                Person.name,
            )
            .select_from(TrainingSession)
            .join(
                Round,
                (Round.session_id == TrainingSession.id)
                & (Round.index == TrainingSession.current_round),
            )
            .outerjoin(RoleAssignment, RoleAssignment.round_id == Round.id)
            .outerjoin(Person, Person.id == RoleAssignment.person_id)
            .where(TrainingSession.id == session_id)
        )
        with self._store.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        if not rows:
            return None
        first = rows[0]
        observers = sorted(r.name for r in rows if r.role == Role.OBSERVER)
        operator = next((r.name for r in rows if r.role == Role.OPERATOR), None)
        return ObserverRound(
            round_id=first.id,
            number=first.round_index + 1,
            scenario_title=first.scenario_title or first.scenario_id,
            operator=operator,
            observers=tuple(observers),
            feedback_open=first.feedback_open,
        )

    def claim(
        self,
        session_id: int,
        round_id: int,
        name: str,
        token_hash: str,
        replacing: str | None = None,
    ) -> Claim:
        """Bind a new token (by its hash) to the person called `name` for this session, unless
        another device holds their name (`NameTaken`) or the trainer fills their checklist for
        `round_id` in the app (`FilledInApp`). `replacing` is the hash of the token this device
        held, dropped with the claim (a device picking another name frees the first). The
        caller has checked that they observe the current round and claims one at a time."""
        now = utcnow()
        with self._store.engine.begin() as conn:
            person = conn.execute(
                select(Person.id, Person.name).where(Person.name_key == name_key(name))
            ).first()
            if person is None:
                raise UserError(f"No person named {name!r}.")
            conn.execute(  # expired tokens of this session: gone
                delete(ObserverToken).where(ObserverToken.session_id == session_id, ~_live(now))
            )
            held = select(ObserverToken.id).where(
                ObserverToken.session_id == session_id,
                ObserverToken.person_id == person.id,
                _live(now),
            )
            if replacing is not None:
                held = held.where(ObserverToken.token_hash != replacing)
            if conn.execute(held.limit(1)).first() is not None:
                raise NameTaken(person.name)
            filled_in = conn.scalar(
                select(ChecklistSubmission.filled_in).where(
                    ChecklistSubmission.round_id == round_id,
                    ChecklistSubmission.observer_id == person.id,
                )
            )
            if filled_in == FilledIn.CONSOLE:
                raise FilledInApp(person.name)
            if replacing is not None:
                conn.execute(
                    delete(ObserverToken).where(
                        ObserverToken.session_id == session_id,
                        ObserverToken.token_hash == replacing,
                    )
                )
            expires_at = now + TOKEN_LIFETIME
            conn.execute(
                insert(ObserverToken).values(
                    session_id=session_id,
                    person_id=person.id,
                    token_hash=token_hash,
                    created_at=now,
                    expires_at=expires_at,
                )
            )
            return Claim(name=person.name, expires_at=expires_at)

    def release(self, session_id: int, name: str) -> int:
        """The trainer frees `name` for another device: their tokens are deleted, so the old
        device is refused from its next request. Returns how many were dropped."""
        with self._store.engine.begin() as conn:
            person_id = conn.scalar(select(Person.id).where(Person.name_key == name_key(name)))
            if person_id is None:
                raise UserError(f"No person named {name!r}.")
            return conn.execute(
                delete(ObserverToken).where(
                    ObserverToken.session_id == session_id, ObserverToken.person_id == person_id
                )
            ).rowcount

    def person_for_token(self, session_id: int, token_hash: str) -> Claim | None:
        """Whose a token is and until when, only within its own session and while it lives."""
        stmt = (
            select(Person.name, ObserverToken.expires_at)
            .join(ObserverToken, ObserverToken.person_id == Person.id)
            .where(
                ObserverToken.token_hash == token_hash,
                ObserverToken.session_id == session_id,
                _live(utcnow()),
            )
        )
        with self._store.session() as db:
            found = db.execute(stmt).first()
        return None if found is None else Claim(name=found.name, expires_at=found.expires_at)

    def joined(self, session_id: int) -> set[str]:
        """Everyone whose name a device holds now (a live token for this session)."""
        with self._store.session() as db:
            return set(
                db.scalars(
                    select(Person.name)
                    .join(ObserverToken, ObserverToken.person_id == Person.id)
                    .where(ObserverToken.session_id == session_id, _live(utcnow()))
                    .distinct()
                )
            )


def _live(now: datetime) -> ColumnElement[bool]:
    """A token lives until its expiry (none recorded: from before expiry existed, expired)
    and while its session is not finished."""
    finished = select(TrainingSession.id).where(
        TrainingSession.id == ObserverToken.session_id,
        TrainingSession.status == SessionStatus.FINISHED,
    )
    return (ObserverToken.expires_at > now) & ~finished.exists()
