"""Observer access from the local network: the session's current round as the observer page sees
it, and the tokens that bind an observer's browser to one person in one session.

Only a token's sha256 is stored (hashing is the caller's: `hotdash_roleplay.observer.security`),
so a copy of the database does not hand out working tokens. Tokens live in the store so an
observer whose page reconnects after an app restart resumes where they were."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.views import View
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    ObserverToken,
    Person,
    RoleAssignment,
    Round,
    TrainingSession,
)


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

    def join_code(self, session_id: int) -> str:
        with self._store.session() as db:
            code = db.scalar(
                select(TrainingSession.join_code).where(TrainingSession.id == session_id)
            )
        if code is None:
            raise UserError(f"There is no session {session_id}.")
        return code

    def current_round(self, session_id: int) -> ObserverRound | None:
        """The round being played (None when the session has none left). Two small queries:
        this runs on every observer request."""
        with self._store.session() as db:
            index = db.scalar(
                select(TrainingSession.current_round).where(TrainingSession.id == session_id)
            )
            if index is None:
                return None
            rnd = db.scalar(
                select(Round)
                .where(Round.session_id == session_id, Round.index == index)
                .options(selectinload(Round.roles).selectinload(RoleAssignment.person))
            )
            if rnd is None:
                return None
            observers = sorted(a.person.name for a in rnd.roles if a.role == "observer")
            operator = next((a.person.name for a in rnd.roles if a.role == "operator"), None)
            return ObserverRound(
                round_id=rnd.id,
                number=rnd.index + 1,
                scenario_title=str(rnd.scenario.get("title", rnd.scenario_id)),
                operator=operator,
                observers=tuple(observers),
                feedback_open=rnd.feedback_open,
            )

    def store_token(self, session_id: int, name: str, token_hash: str) -> str:
        """Bind a new token (by its hash) to the person called `name`; returns their name as
        stored. The caller has checked that they observe the current round."""
        with self._store.session() as db:
            person = db.scalar(select(Person).where(Person.name_key == _key(name)))
            if person is None:
                raise UserError(f"No person named {name!r}.")
            db.add(ObserverToken(session_id=session_id, person_id=person.id, token_hash=token_hash))
            db.commit()
            return person.name

    def person_for_token(self, session_id: int, token_hash: str) -> str | None:
        """The name a token belongs to, only within its own session."""
        with self._store.session() as db:
            return db.scalar(
                select(Person.name)
                .join(ObserverToken, ObserverToken.person_id == Person.id)
                .where(
                    ObserverToken.token_hash == token_hash, ObserverToken.session_id == session_id
                )
            )

    def joined(self, session_id: int) -> set[str]:
        """Everyone holding a token for this session (joined from a browser at least once)."""
        with self._store.session() as db:
            return set(
                db.scalars(
                    select(Person.name)
                    .join(ObserverToken, ObserverToken.person_id == Person.id)
                    .where(ObserverToken.session_id == session_id)
                    .distinct()
                )
            )


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()
