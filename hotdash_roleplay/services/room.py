"""What the room relies on across a restart of the app: where the observer page is served (the
address and port the QR code on the wall points at) and where the projector window was."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationError

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.views import View
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import TrainingSession

Port = Annotated[int, Field(ge=1, le=65535)]


class ObserverEndpoint(View):
    """The observer page's address and port, kept for the session's whole life."""

    address: str = Field(min_length=1, max_length=64)
    port: Port | None = None  # None until the page was first served


class ProjectorPlacement(View):
    """The projector window as the trainer left it: on which screen, full-screen or not."""

    screen: str = Field(max_length=200)  # QScreen.name(); empty when the platform names none
    full_screen: bool


class RoomService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def observer_endpoint(self, session_id: int) -> ObserverEndpoint | None:
        with self._store.session() as db:
            row = _session(db.get(TrainingSession, session_id), session_id)
            if not row.observer_address:
                return None
            return ObserverEndpoint(address=row.observer_address, port=row.observer_port)

    def set_observer_endpoint(self, session_id: int, endpoint: ObserverEndpoint) -> None:
        with self._store.session() as db:
            row = _session(db.get(TrainingSession, session_id), session_id)
            row.observer_address = endpoint.address
            row.observer_port = endpoint.port
            db.commit()

    def projector(self, session_id: int) -> ProjectorPlacement | None:
        """Where the projector was, or None when the trainer had closed it."""
        with self._store.session() as db:
            row = _session(db.get(TrainingSession, session_id), session_id)
            if row.projector is None:
                return None
            try:
                return ProjectorPlacement.model_validate(row.projector)
            except ValidationError:
                return None  # written by another version: the trainer opens it again

    def set_projector(self, session_id: int, placement: ProjectorPlacement | None) -> None:
        with self._store.session() as db:
            row = _session(db.get(TrainingSession, session_id), session_id)
            row.projector = placement.model_dump(mode="json") if placement else None
            db.commit()


def _session(row: TrainingSession | None, session_id: int) -> TrainingSession:
    if row is None:
        raise UserError(f"There is no session {session_id}.")
    return row
