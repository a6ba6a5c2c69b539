"""The trainer's debrief of a round: notes per question, takeaways and action items."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.leases import LeaseService
from hotdash_roleplay.services.views import DebriefView
from hotdash_roleplay.status import DebriefKind
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import DebriefItem, Round

MAX_NOTE = 10_000
MAX_ITEMS = 50


class DebriefService:
    """Notes are written only where the session is open (or where nobody has it open): an app
    that lost the session's lease cannot overwrite the notes of the one that took it over."""

    def __init__(self, store: Store, leases: LeaseService) -> None:
        self._store = store
        self._leases = leases

    def get(self, round_id: int) -> DebriefView:
        with self._store.session() as db:
            items = db.scalars(
                select(DebriefItem)
                .where(DebriefItem.round_id == round_id)
                .order_by(DebriefItem.kind, DebriefItem.position)
            ).all()
            return DebriefView(
                question_notes={
                    i.position: i.text for i in items if i.kind == DebriefKind.QUESTION_NOTE
                },
                takeaways=tuple(i.text for i in items if i.kind == DebriefKind.TAKEAWAY),
                actions=tuple(i.text for i in items if i.kind == DebriefKind.ACTION),
            )

    def set_question_note(self, round_id: int, question: int, text: str) -> None:
        """Saved as typed (the console calls it on every change)."""
        _check_text(text)
        with self._store.session() as db:
            self._round(db, round_id)
            item = db.scalar(
                select(DebriefItem).where(
                    DebriefItem.round_id == round_id,
                    DebriefItem.kind == DebriefKind.QUESTION_NOTE,
                    DebriefItem.position == question,
                )
            )
            if item is None:
                db.add(
                    DebriefItem(
                        round_id=round_id,
                        kind=DebriefKind.QUESTION_NOTE,
                        position=question,
                        text=text,
                    )
                )
            else:
                item.text = text
            db.commit()

    def set_takeaways(self, round_id: int, items: Sequence[str]) -> None:
        self._replace(round_id, DebriefKind.TAKEAWAY, items)

    def set_actions(self, round_id: int, items: Sequence[str]) -> None:
        self._replace(round_id, DebriefKind.ACTION, items)

    def _replace(self, round_id: int, kind: DebriefKind, items: Sequence[str]) -> None:
        kept = [i.strip() for i in items if i.strip()]
        if len(kept) > MAX_ITEMS:
            raise UserError(f"At most {MAX_ITEMS} items per list.")
        for text in kept:
            _check_text(text)
        with self._store.session() as db:
            self._round(db, round_id)
            db.execute(
                delete(DebriefItem).where(
                    DebriefItem.round_id == round_id, DebriefItem.kind == kind
                )
            )
            db.add_all(
                DebriefItem(round_id=round_id, kind=kind, position=i, text=t)
                for i, t in enumerate(kept)
            )
            db.commit()

    def _round(self, db: Session, round_id: int) -> Round:
        rnd = db.get(Round, round_id)
        if rnd is None:
            raise UserError(f"There is no round {round_id}.")
        self._leases.refuse_if_elsewhere(db, rnd.session_id)
        return rnd


def _check_text(text: str) -> None:
    if len(text) > MAX_NOTE:
        raise UserError(f"A note can be at most {MAX_NOTE} characters long.")
