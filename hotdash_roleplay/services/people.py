"""People are remembered across sessions so their records accumulate."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.names import clean_name, name_key
from hotdash_roleplay.services.views import PersonView
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import Participant, Person


def get_or_create_person(db: Session, name: str) -> Person:
    """The person of that name (case-insensitive), created on first use."""
    name = clean_name(name)
    person = db.scalar(select(Person).where(Person.name_key == name_key(name)))
    if person is None:
        person = Person(name=name, name_key=name_key(name))
        db.add(person)
        db.flush()
    return person


def find_person(db: Session, ref: str) -> Person:
    """A person by id (as `people list` prints it) or by name."""
    ref = ref.strip()
    person = db.get(Person, int(ref)) if ref.isdigit() else None
    if person is None:
        person = db.scalar(select(Person).where(Person.name_key == name_key(ref)))
    if person is None:
        raise UserError(f"No person named {ref!r}. `hotdash-roleplay people list` shows them.")
    return person


class PeopleService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def list_people(self) -> list[PersonView]:
        with self._store.session() as db:
            counts = (
                select(Participant.person_id, func.count().label("n"))
                .group_by(Participant.person_id)
                .subquery()
            )
            rows = db.execute(
                select(Person.id, Person.name, func.coalesce(counts.c.n, 0))
                .outerjoin(counts, counts.c.person_id == Person.id)
                .order_by(Person.name_key)
            ).all()
            return [PersonView(id=i, name=n, sessions=c) for i, n, c in rows]

    def add_person(self, name: str) -> PersonView:
        with self._store.session() as db:
            person = get_or_create_person(db, name)
            db.commit()
            return PersonView(id=person.id, name=person.name)

    def get(self, ref: str) -> PersonView:
        with self._store.session() as db:
            person = find_person(db, ref)
            return PersonView(id=person.id, name=person.name)
