"""A checklist belongs to its observer's device, two devices never overwrite each other, and the
server answers only under its own address: over HTTP against the real aiohttp application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from sqlalchemy import func, select

from hotdash_roleplay.checklist import ChecklistAnswers
from hotdash_roleplay.observer.server import API_KEY, ObserverServer
from hotdash_roleplay.services import Services, observer_access
from hotdash_roleplay.services.feedback import ChangedElsewhere
from hotdash_roleplay.store.models import ObserverToken, Person, utcnow
from tests import test_observer_server as server_tests
from tests.test_observer_server import COMPLETE, Connect, Room, answer, joined

pytestmark = pytest.mark.asyncio(loop_scope="function")
connect = server_tests.connect  # one aiohttp test client per device

PEOPLE = ["Ann Lee", "Ben Okafor", "Cat Ruiz", "Dev Patel", "Eve Stone", "Fay Wu"]
TAKEN = "{} has already joined on another device. Ask the trainer to release the name."


@pytest_asyncio.fixture(loop_scope="function")
async def room(services: Services) -> AsyncIterator[Room]:
    yield Room(services, PEOPLE)


def tokens(room: Room, name: str) -> int:
    """How many token rows the store holds for `name` in this session."""
    with room.services.store.session() as db:
        return int(
            db.scalar(
                select(func.count(ObserverToken.id))
                .join(Person, Person.id == ObserverToken.person_id)
                .where(ObserverToken.session_id == room.session_id, Person.name == name)
            )
            or 0
        )


def release(room: Room, name: str) -> None:
    """What the console's Release does: drop the tokens, tell the running server."""
    room.services.observer_access.release(room.session_id, name)
    room.app[API_KEY].invalidate()


# -- a claimed name stays with its device ------------------------------------------------------


async def test_a_claimed_name_is_refused_on_another_device_until_the_trainer_releases_it(
    connect: Connect, room: Room
) -> None:
    name = "Dev Patel"
    assert name in room.observers
    laptop = await joined(connect, room, name)
    await answer(await laptop.put("/api/draft", json={"answers": COMPLETE, "version": 0}), 200)
    phone = await connect()
    claim = {"code": room.code, "name": name}
    body = await answer(await phone.post("/api/claim", json=claim), 409)
    assert body == {"error": TAKEN.format(name), "reason": "taken"}
    assert "Set-Cookie" not in (await phone.post("/api/claim", json=claim)).headers
    await answer(await laptop.get("/api/me"), 200)  # the first device keeps it

    release(room, name)
    assert tokens(room, name) == 0  # dropped, not merely marked
    await answer(await laptop.get("/api/me"), 401)  # the old token stops at once
    await answer(await phone.post("/api/claim", json=claim), 200)
    me = await answer(await phone.get("/api/me"), 200)
    assert me["submission"]["answers"]["went_well"] == COMPLETE["went_well"]  # the draft moved
    body = await answer(await laptop.post("/api/claim", json=claim), 409)
    assert body["error"] == TAKEN.format(name)


async def test_the_same_device_may_claim_again_and_a_device_picking_another_name_frees_the_first(
    connect: Connect, room: Room
) -> None:
    first, second = room.observers[:2]
    device = await joined(connect, room, first)
    await answer(await device.post("/api/claim", json={"code": room.code, "name": first}), 200)
    assert tokens(room, first) == 1
    await answer(await device.post("/api/claim", json={"code": room.code, "name": second}), 200)
    assert (tokens(room, first), tokens(room, second)) == (0, 1)
    await joined(connect, room, first)  # picked by mistake, now free for its owner


async def test_a_checklist_the_trainer_fills_in_the_console_cannot_be_claimed(
    connect: Connect, room: Room
) -> None:
    name = room.observers[0]
    room.services.feedback.save_draft(room.round_id, name, ChecklistAnswers(went_well=["Calm."]))
    device = await connect()
    body = await answer(
        await device.post("/api/claim", json={"code": room.code, "name": name}), 409
    )
    assert body["reason"] == "in_app" and name in body["error"]
    assert tokens(room, name) == 0
    await joined(connect, room, room.observers[1])  # the others are free


async def test_tokens_expire_after_twelve_hours_and_with_the_finished_session(
    connect: Connect, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = room.observers[:2]
    device = await joined(connect, room, first)
    await answer(await device.get("/api/me"), 200)  # its claim is cached now
    later = utcnow() + timedelta(hours=12, minutes=1)
    monkeypatch.setattr("hotdash_roleplay.services.observer_access.utcnow", lambda: later)
    await answer(await device.get("/api/me"), 401)
    assert first not in room.services.observer_access.joined(room.session_id)
    await joined(connect, room, first)  # an expired claim holds nobody's name
    assert tokens(room, first) == 1  # the expired row went with the new claim
    monkeypatch.undo()

    other = await joined(connect, room, second)
    while room.live.next_round() is not None:  # the trainer plays the session to its end
        pass
    assert room.live.finished
    room.app[API_KEY].invalidate()
    assert (await answer(await other.get("/api/state"), 200))["joined"] is False
    assert room.services.observer_access.joined(room.session_id) == set()


async def test_the_cookie_lives_as_long_as_the_token(connect: Connect, room: Room) -> None:
    device = await connect()
    response = await device.post("/api/claim", json={"code": room.code, "name": room.observers[0]})
    cookie = response.cookies["hd_observer"]
    assert int(cookie["max-age"]) == observer_access.TOKEN_LIFETIME.total_seconds()


# -- no silent overwrite ---------------------------------------------------------------------


async def test_a_browser_save_from_a_stale_version_is_refused_with_what_is_stored(
    connect: Connect, room: Room
) -> None:
    name = room.observers[0]
    device = await joined(connect, room, name)
    seen = (await answer(await device.get("/api/me"), 200))["submission"]["version"]
    assert seen == 0
    saved = await answer(
        await device.put("/api/draft", json={"answers": COMPLETE, "version": 0}), 200
    )
    assert saved["version"] == 1
    # The trainer changes it in the console, from the version they loaded.
    console = ChecklistAnswers(went_well=["The trainer's words."])
    room.services.feedback.save_draft(room.round_id, name, console, seen=1)
    mine = {**COMPLETE, "could_improve": ["Mine, typed meanwhile."]}
    for route, method in (("/api/draft", "put"), ("/api/submit", "post")):
        body = await answer(
            await getattr(device, method)(route, json={"answers": mine, "version": 1}), 409
        )
        assert body["reason"] == "changed" and "(on the trainer's computer)" in body["error"]
        assert body["submission"]["version"] == 2
        assert body["submission"]["answers"] == {
            "marks": {},
            "notes": {},
            "went_well": ["The trainer's words."],
            "could_improve": [],
        }  # whole, as stored, for the page to show
        assert body["submission"]["submitted_at"] is None
    stored = room.services.feedback.get(room.round_id, name)
    assert stored.answers.went_well == ["The trainer's words."] and stored.version == 2
    # Keeping theirs on purpose: saved from the version they were shown.
    kept = await answer(await device.put("/api/draft", json={"answers": mine, "version": 2}), 200)
    assert kept["version"] == 3 and kept["answers"]["could_improve"] == ["Mine, typed meanwhile."]


async def test_the_console_is_refused_when_the_browser_saved_since_it_loaded(
    connect: Connect, room: Room
) -> None:
    name = room.observers[0]
    feedback = room.services.feedback
    loaded = feedback.get(room.round_id, name)
    device = await joined(connect, room, name)
    await answer(await device.put("/api/draft", json={"answers": COMPLETE, "version": 0}), 200)
    with pytest.raises(ChangedElsewhere) as refused:
        feedback.save_draft(room.round_id, name, ChecklistAnswers(), seen=loaded.version)
    assert refused.value.current.answers.went_well == COMPLETE["went_well"]
    assert "changed on another device (in their browser)" in str(refused.value)
    assert feedback.get(room.round_id, name).answers.went_well == COMPLETE["went_well"]
    assert feedback.get(room.round_id, name).filled_in == "browser"


@pytest.mark.parametrize("counts_executemany", [True, False], ids=["executemany", "row-by-row"])
async def test_a_write_landing_between_a_batch_read_and_its_update_is_not_overwritten(
    room: Room, monkeypatch: pytest.MonkeyPatch, counts_executemany: bool
) -> None:
    """The group commit reads versions, then updates WHERE version = what it read: a console
    save in between is kept and the browser's save is told (also on drivers that cannot count
    the rows of an executemany)."""
    from hotdash_roleplay.services.feedback import FeedbackSave, FeedbackService

    dialect = room.services.store.engine.dialect
    monkeypatch.setattr(dialect, "supports_sane_multi_rowcount", counts_executemany)
    feedback = room.services.feedback
    name, other = room.observers[:2]
    feedback.save_draft(room.round_id, name, ChecklistAnswers(went_well=["v1"]), seen=0)
    feedback.save_draft(room.round_id, other, ChecklistAnswers(went_well=["v1"]), seen=0)
    read = FeedbackService._open_observers
    raced: list[bool] = []

    def read_then_console_saves(conn: Any, saves: Any) -> Any:
        found = read(conn, saves)
        if not raced:  # the console commits on its own connection right after the read
            raced.append(True)
            feedback.save_draft(
                room.round_id, name, ChecklistAnswers(went_well=["console"]), seen=1
            )
        return found

    monkeypatch.setattr(FeedbackService, "_open_observers", staticmethod(read_then_console_saves))
    browser = ChecklistAnswers(went_well=["browser"])
    results = feedback.save_many(
        [
            FeedbackSave(room.round_id, name, browser, seen=1, source="browser"),
            FeedbackSave(room.round_id, other, browser, seen=1, source="browser"),
        ]
    )
    assert isinstance(results[0], ChangedElsewhere)
    assert results[0].current.answers.went_well == ["console"]
    assert not isinstance(results[1], Exception) and results[1].version == 2
    assert feedback.get(room.round_id, name).answers.went_well == ["console"]
    assert feedback.get(room.round_id, other).answers.went_well == ["browser"]


# -- the server answers only under its own address ---------------------------------------------


async def test_a_foreign_host_header_is_refused_and_405_says_what_is_allowed(room: Room) -> None:
    server = ObserverServer(room.services, room.live)
    url = await server.start("127.0.0.1")
    try:
        async with aiohttp.ClientSession() as http:
            for host in ("evil.example", f"evil.example:{server.port}", f"localhost:{server.port}"):
                for path in ("", "api/state"):
                    async with http.get(url + path, headers={"Host": host}) as refused:
                        assert refused.status == 421, (host, path)
                        body = await refused.json()
                        assert "address shown on the projector" in body["error"]
            async with http.get(url + "api/state") as fine:
                assert fine.status == 200  # under its own address:port
            async with http.get(url + "api/draft") as wrong:
                assert wrong.status == 405
                assert wrong.headers["Allow"] == "PUT"
                assert (await wrong.json())["error"]
            async with http.post(url + "api/state", json={}) as wrong:
                assert wrong.status == 405
                assert set(wrong.headers["Allow"].split(",")) == {"GET", "HEAD"}
    finally:
        await server.stop()
