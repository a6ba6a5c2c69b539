"""Observer access from the local network: the session's current round as the observer page sees
it, and the tokens that bind an observer's browser to one person in one session.

Only a token's sha256 is stored (hashing is the caller's: `hotdash_roleplay.observer.security`),
so a copy of the database does not hand out working tokens. Tokens live in the store so an
observer whose page reconnects after an app restart resumes where they were."""

from __future__ import annotations

from sqlalchemy import insert, select

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
        """The round being played (None when the session has none left). One column query,
        a row per role: this runs whenever the server's short round cache misses."""
        stmt = (
            select(
                Round.id,
                Round.index,
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
        observers = sorted(r.name for r in rows if r.role == "observer")
        operator = next((r.name for r in rows if r.role == "operator"), None)
        return ObserverRound(
            round_id=first.id,
            number=first.index + 1,
            scenario_title=first.scenario_title or first.scenario_id,
            operator=operator,
            observers=tuple(observers),
            feedback_open=first.feedback_open,
        )

    def store_token(self, session_id: int, name: str, token_hash: str) -> str:
        """Bind a new token (by its hash) to the person called `name`; returns their name as
        stored. The caller has checked that they observe the current round. Core statements:
        a roomful of observers claims at once."""
        with self._store.engine.begin() as conn:
            person = conn.execute(
                select(Person.id, Person.name).where(Person.name_key == _key(name))
            ).first()
            if person is None:
                raise UserError(f"No person named {name!r}.")
            conn.execute(
                insert(ObserverToken.__table__).values(
                    session_id=session_id, person_id=person.id, token_hash=token_hash
                )
            )
            return str(person.name)

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
