"""The whole room over HTTP against the real aiohttp server: join once and follow the session,
events after every change, each role's card (and what it must not hold), the operator's own
decision, observers' notes on the role-play clock and the checklist they pre-fill, refusals."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import delete

from hotdash_roleplay.observer import events, security
from hotdash_roleplay.observer.cards import AI_GUIDANCE
from hotdash_roleplay.observer.server import API_KEY, ObserverServer, create_app
from hotdash_roleplay.services import Services
from hotdash_roleplay.status import DecisionSource
from hotdash_roleplay.store.models import Person, RoleAssignment
from tests.conftest import FakeClock
from tests.test_observer_server import COMPLETE, answer

pytestmark = pytest.mark.asyncio(loop_scope="function")

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]
SCENARIOS = ["conflicting-request", "suspected-fraud"]  # the first has an expert decision
ESCALATION = {
    "type": "Policy exception",
    "urgency": "high",
    "situation_summary": "Customer wants a refund outside the window.",
    "customer_request": "Refund.",
    "recommendation": "Offer store credit.",
}


class Room:
    """A live session on a fake clock, its room app, and the live changes wired to it as the
    app's ObserverHost wires them."""

    def __init__(self, services: Services, clock: FakeClock) -> None:
        services.now, services.wall = clock.now, clock.wall
        detail = services.sessions.create_session(
            "module4-practice", PEOPLE, scenario_ids=SCENARIOS
        )
        self.services = services
        self.clock = clock
        self.code = detail.join_code
        self.live = services.live(detail.id)
        self.changes: list[tuple[str, str]] = []
        self.app = create_app(
            services,
            self.live,
            throttle=security.Throttle(clock=clock.now),
            on_change=lambda kind, name: self.changes.append((kind, name)),
        )
        self.live.subscribe(self.app[API_KEY].changed)

    @property
    def rnd(self) -> Any:
        assert self.live.round is not None
        return self.live.round

    def expert_approach(self) -> str:
        expert = self.services.library[SCENARIOS[0]].expert
        assert expert is not None
        return expert.approach

    def to_roleplay(self) -> None:
        self.live.next_phase()  # Brief -> Role-play
        self.live.toggle()  # the role-play clock runs


Connect = Callable[[], Awaitable[TestClient[Any, Any]]]


@pytest_asyncio.fixture(loop_scope="function")
async def room(services: Services, fake_clock: FakeClock) -> AsyncIterator[Room]:
    yield Room(services, fake_clock)


@pytest_asyncio.fixture(loop_scope="function")
async def connect(room: Room) -> AsyncIterator[Connect]:
    server = TestServer(room.app, host="127.0.0.1")
    await server.start_server()
    clients: list[TestClient[Any, Any]] = []

    async def make() -> TestClient[Any, Any]:
        client = TestClient(server, cookie_jar=aiohttp.CookieJar(unsafe=True))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    room.app[API_KEY].hub.close()  # open event streams end
    for client in clients:
        await client.close()
    await server.close()


async def device(connect: Connect, room: Room, name: str) -> TestClient[Any, Any]:
    client = await connect()
    await answer(await client.post("/api/claim", json={"code": room.code, "name": name}), 200)
    return client


async def card_of(client: TestClient[Any, Any]) -> dict[str, Any]:
    return await answer(await client.get("/api/card"), 200)


async def next_event(response: aiohttp.ClientResponse, timeout: float = 1.0) -> dict[str, Any]:
    """The next event of a stream: its fields, comments under "comment"."""
    fields: dict[str, Any] = {}
    async with asyncio.timeout(timeout):
        while True:
            line = (await response.content.readline()).decode().rstrip("\n")
            if not line:
                if fields:
                    return fields
                continue
            if line.startswith(":"):
                fields["comment"] = line[1:].strip()
                continue
            key, _, value = line.partition(": ")
            fields[key] = json.loads(value) if key == "data" else value


# -- joining once, following the session ------------------------------------------------------


async def test_everyone_joins_once_and_their_card_follows_the_rounds(
    connect: Connect, room: Room
) -> None:
    first = room.rnd
    operator = first.operator
    client = await connect()
    joined = await answer(await client.post("/api/join", json={"code": room.code}), 200)
    assert joined["people"] == PEOPLE and joined["round"] == 1
    # Any name on the roster, whatever their role: here the operator.
    await answer(await client.post("/api/claim", json={"code": room.code, "name": operator}), 200)
    card = await card_of(client)
    assert (card["name"], card["round"], card["role"]) == (operator, 1, "operator")
    assert card["roles"][0] == {"role": "operator", "label": "Operator", "names": [operator]}
    state = await answer(await client.get("/api/state"), 200)
    assert (state["joined"], state["name"], state["phase"]) == (True, operator, "brief")

    room.live.next_round()  # no new claim: the same token reaches their card in round 2
    card = await card_of(client)
    second = room.rnd
    assert card["round"] == 2 and card["scenario_title"] == second.scenario_title
    expected = {
        second.operator: "operator",
        second.ai_system: "ai_system",
        second.facilitator: "facilitator",
    }.get(operator, "observer")
    assert card["role"] == expected != "operator"


# -- events -------------------------------------------------------------------------------------


async def test_the_event_stream_sends_the_state_at_once_and_after_every_change(
    connect: Connect, room: Room
) -> None:
    client = await device(connect, room, room.rnd.observers[0])
    stream = await client.get("/api/events")
    assert stream.status == 200
    assert stream.headers["Content-Type"] == "text/event-stream"
    assert stream.headers["Cache-Control"] == "no-store"
    assert (await next_event(stream)) == {"retry": "2000"}
    first = await next_event(stream)
    assert first["event"] == "state" and first["data"]["phase"] == "brief"
    assert first["data"]["joined"] is True and first["id"] == str(first["data"]["seq"])

    room.live.next_phase()  # the trainer presses N: every device hears within a second
    moved = await next_event(stream, timeout=1.0)
    assert moved["data"]["phase"] == "roleplay" and moved["data"]["seq"] > first["data"]["seq"]
    room.live.toggle()
    assert (await next_event(stream))["data"]["status"] == "running"
    room.live.set_debrief_question(1)
    assert (await next_event(stream))["event"] == "state"

    # Quiet: a keep-alive comment tells a silent stream from a dead one.
    room.app[API_KEY].hub.keepalive = 0.05
    room.app[API_KEY].hub.publish()  # wakes the stream so it picks up the short keep-alive
    await next_event(stream)
    assert (await next_event(stream)) == {"comment": "keep-alive"}
    stream.close()

    # A reconnect resumes from now, whatever it last saw.
    again = await client.get("/api/events", headers={"Last-Event-ID": "1"})
    await next_event(again)
    resumed = await next_event(again)
    assert resumed["data"]["phase"] == "roleplay" and resumed["data"]["status"] == "running"
    again.close()


# -- cards: what each role must see, and must not --------------------------------------------


async def test_each_role_sees_its_own_card_and_nothing_it_must_not(
    connect: Connect, room: Room
) -> None:
    rnd = room.rnd
    scenario = room.services.library[SCENARIOS[0]]
    names = {
        "operator": rnd.operator,
        "ai_system": rnd.ai_system,
        "facilitator": rnd.facilitator,
        "observer": rnd.observers[0],
    }
    clients = {role: await device(connect, room, name) for role, name in names.items()}
    room.to_roleplay()
    cards = {role: await card_of(client) for role, client in clients.items()}
    texts = {role: json.dumps(card) for role, card in cards.items()}
    assert {role: card["role"] for role, card in cards.items()} == {r: r for r in names}

    operator = cards["operator"]["card"]
    assert operator["customer_message"] == scenario.customer_message
    assert operator["ai_draft"] == scenario.ai_draft.text
    assert [d["value"] for d in operator["decisions"]] == [
        "approve",
        "edit_approve",
        "reject",
        "escalate",
    ]
    escalate = operator["templates"]["escalate"]["fields"]
    urgency = next(f for f in escalate if f["key"] == "urgency")
    assert [o["label"] for o in urgency["options"]] == [
        "Urgent: 15 min",
        "High: 2 hrs",
        "Standard: 4 hrs",
    ]
    assert operator["can_decide"] is True and operator["decision"] is None
    ai = cards["ai_system"]["card"]
    assert ai["ai_draft"] == scenario.ai_draft.text and ai["setup_facts"] == scenario.setup
    assert ai["guidance"].startswith(AI_GUIDANCE)
    observer = cards["observer"]["card"]
    assert observer["can_note"] is True and len(observer["criteria"]) == 8
    assert cards["facilitator"]["card"]["introduction"] == scenario.setup

    for role, text in texts.items():
        assert scenario.expert is not None
        assert scenario.expert.approach[:60] not in text, role  # nobody before the reveal
        assert scenario.expert.rationale[:60] not in text, role
        assert cards[role]["expert"] is None
        if role != "ai_system":
            assert AI_GUIDANCE[:40] not in text, role  # the AI's guidance: the AI only
        if role != "operator":
            assert '"templates"' not in text and '"can_decide"' not in text, role
            assert scenario.customer_message not in text, role

    # The debrief: the facilitator leads it, and the reveal reaches every card.
    for _ in range(3):
        room.live.next_phase()
    facilitator = (await card_of(clients["facilitator"]))["card"]
    assert facilitator["debrief"]["question"] == scenario.debrief_questions[0]
    assert facilitator["debrief"]["questions"] == scenario.debrief_questions
    assert room.expert_approach()[:60] not in json.dumps(facilitator)
    room.live.reveal_expert()
    for client in clients.values():
        revealed = await card_of(client)
        assert revealed["expert"]["approach"] == scenario.expert.approach


async def test_someone_without_a_role_this_round_sees_only_what_the_room_sees(
    connect: Connect, room: Room
) -> None:
    name = room.rnd.observers[0]
    client = await device(connect, room, name)
    # Sit them out of this round: their role row goes (as for someone who arrives late).
    with room.services.store.session() as db:
        person = db.query(Person).filter(Person.name == name).one()
        db.execute(
            delete(RoleAssignment).where(
                RoleAssignment.round_id == room.rnd.id, RoleAssignment.person_id == person.id
            )
        )
        db.commit()
    room.live.reload()
    card = await card_of(client)
    assert card["role"] == "sitting_out" and card["role_label"] == "Not playing this round"
    scenario = room.services.library[SCENARIOS[0]]
    assert card["card"]["room"]["title"] == scenario.title
    room.to_roleplay()
    lines = (await card_of(client))["card"]["room"]["lines"]
    assert lines[0] == f"“{scenario.customer_message}”"
    await answer(await client.post("/api/notes", json={"criterion": "tone", "text": "x"}), 403)
    for _ in range(3):
        room.live.next_phase()  # the Debrief: the question on the projector, no more
    debrief = await card_of(client)
    questions = scenario.debrief_questions
    assert debrief["card"]["room"]["lines"] == [f"Question 1 of {len(questions)}", questions[0]]
    assert debrief["expert"] is None and room.expert_approach()[:60] not in json.dumps(debrief)


# -- the operator's own decision ---------------------------------------------------------------


async def test_the_operators_decision_lands_in_the_store_with_their_own_time_and_once(
    connect: Connect, room: Room
) -> None:
    rnd = room.rnd
    operator = await device(connect, room, rnd.operator)
    observer = await device(connect, room, rnd.observers[0])
    decide = {"decision": "escalate", "escalation": ESCALATION}
    early = await answer(await operator.post("/api/decision", json=decide), 409)
    assert early["reason"] == "phase"  # in the Brief: not yet
    room.to_roleplay()
    room.clock.advance(83.4)
    await answer(await observer.post("/api/decision", json=decide), 403)
    incomplete = {"decision": "escalate", "escalation": {"type": "Policy exception"}}
    refused = await answer(await operator.post("/api/decision", json=incomplete), 422)
    assert refused["error"].startswith("The escalation note still needs: Situation summary")
    nothing = await answer(await operator.post("/api/decision", json={}), 422)
    assert nothing["error"] == "Choose one of the four decisions first."
    unknown = {"decision": "escalate", "escalation": {**ESCALATION, "mood": "calm"}}
    assert (
        "mood" in (await answer(await operator.post("/api/decision", json=unknown), 422))["error"]
    )
    assert room.services.decisions.get(rnd.id) is None

    body = await answer(await operator.post("/api/decision", json=decide), 200)
    assert (body["decision"], body["seconds"], body["time_text"], body["source"]) == (
        "escalate",
        pytest.approx(83.4),
        "1:23",
        "device",
    )
    stored = room.services.decisions.get(rnd.id)
    assert stored is not None
    assert (stored.seconds_to_decide, stored.source) == (pytest.approx(83.4), DecisionSource.DEVICE)
    assert stored.escalation_note and stored.escalation_note["urgency"] == "high"
    assert ("decision", rnd.operator) in room.changes  # the console hears at once
    card = (await card_of(operator))["card"]
    assert card["can_decide"] is False and card["decision"]["label"] == "Escalate"
    assert "matched" not in json.dumps(card)  # whether it matched the expert: no device
    again = await answer(await operator.post("/api/decision", json={"decision": "approve"}), 409)
    assert again["reason"] == "decided"

    room.services.decisions.correct(
        rnd.id, "approve", reason="Tapped the wrong button", corrected_by="Tia"
    )
    corrected = (await card_of(operator))["card"]["decision"]
    assert corrected["decision"] == "approve" and corrected["seconds"] == pytest.approx(83.4)
    assert corrected["correction"]["reason"] == "Tapped the wrong button"
    assert corrected["correction"]["previous"] == {"value": "escalate", "label": "Escalate"}


# -- observers' notes --------------------------------------------------------------------------


async def test_notes_are_stamped_with_the_roleplay_clock_and_prefill_the_checklist(
    connect: Connect, room: Room
) -> None:
    rnd = room.rnd
    name = rnd.observers[0]
    client = await device(connect, room, name)
    operator = await device(connect, room, rnd.operator)
    note = {"criterion": "tone", "text": "interrupted the customer"}
    early = await answer(await client.post("/api/notes", json=note), 409)
    assert early["reason"] == "phase"
    room.to_roleplay()
    room.clock.advance(100.0)
    room.live.toggle()  # paused: paused time is not counted
    room.clock.advance(600.0)
    room.live.toggle()
    room.clock.advance(33.5)
    added = await answer(await client.post("/api/notes", json=note), 201)
    assert (added["stamp"], added["criterion_name"], added["at_seconds"]) == (
        "02:13",
        "Tone",
        pytest.approx(133.5),
    )
    room.clock.advance(10.0)
    general = {"criterion": "general", "text": "asked about the receipt"}
    assert (await answer(await client.post("/api/notes", json=general), 201))["stamp"] == "02:23"
    await answer(await operator.post("/api/notes", json=note), 403)
    for bad in (
        {"criterion": "charm", "text": "x"},
        {"criterion": "tone", "text": "   "},
        {"criterion": "tone", "text": "x" * 501},
        {"criterion": "tone", "text": "x", "at_seconds": 1},
    ):
        await answer(await client.post("/api/notes", json=bad), 422)
    listed = await answer(await client.get("/api/notes"), 200)
    assert [n["text"] for n in listed["notes"]] == [note["text"], general["text"]]
    assert [n["text"] for n in (await card_of(client))["card"]["notes"]] == [
        note["text"],
        general["text"],
    ]

    room.live.next_phase()  # Decision
    room.live.next_phase()  # Observer feedback: the checklist opens, pre-filled
    me = await answer(await client.get("/api/me"), 200)
    assert me["submission"]["answers"]["notes"] == {"tone": "02:13 interrupted the customer"}
    assert [n["criterion"] for n in me["notes"]] == ["tone", "general"]
    assert ("draft", name) in room.changes  # the console's form learns it changed
    late = await answer(await client.post("/api/notes", json=note), 409)
    assert late["reason"] == "phase"
    # The checklist works as before, from the pre-filled version.
    version = me["submission"]["version"]
    saved = await client.post("/api/submit", json={"answers": COMPLETE, "version": version})
    await answer(saved, 200)


# -- refusals ----------------------------------------------------------------------------------


async def test_without_a_token_or_after_the_session_every_room_route_refuses(
    connect: Connect, room: Room
) -> None:
    stranger = await connect()
    for method, path in (
        ("GET", "/api/card"),
        ("GET", "/api/notes"),
        ("POST", "/api/notes"),
        ("POST", "/api/decision"),
    ):
        body = {"criterion": "tone", "text": "x"} if path == "/api/notes" else {}
        response = await stranger.request(method, path, json=body if method == "POST" else None)
        assert (await answer(response, 401))["error"].startswith("Join first"), path
    name = room.rnd.observers[0]
    client = await device(connect, room, name)
    await card_of(client)
    room.services.observer_access.release(room.live.session_id, name)
    room.app[API_KEY].invalidate()  # what the console's Release does
    await answer(await client.get("/api/card"), 401)

    client = await device(connect, room, name)
    while room.live.round is not None:
        room.live.next_round()
    assert (await answer(await client.get("/api/state"), 200))["finished"] is True
    for response in (
        await client.post("/api/join", json={"code": room.code}),
        await client.post("/api/claim", json={"code": room.code, "name": name}),
    ):
        assert (await answer(response, 409))["reason"] == "finished"
    await answer(await client.get("/api/card"), 401)  # the token ended with the session


async def test_the_room_routes_keep_the_host_check_and_limit_open_streams(
    room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = ObserverServer(room.services, room.live)
    url = await server.start("127.0.0.1")
    try:
        async with aiohttp.ClientSession() as http:
            for path in ("api/card", "api/events", "api/notes"):
                async with http.get(url + path, headers={"Host": f"localhost:{server.port}"}) as r:
                    assert r.status == 421, path
            monkeypatch.setattr(events, "MAX_STREAMS", 1)
            async with http.get(url + "api/events") as stream:
                assert stream.status == 200
                async with http.get(url + "api/events") as second:
                    assert second.status == 503
                    assert (await second.json())["error"].startswith("Too many open pages")
    finally:
        await server.stop()


async def test_notes_arriving_together_share_one_transaction(
    connect: Connect, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, *others = room.rnd.observers
    clients = [await device(connect, room, name) for name in (first, *others)]
    room.to_roleplay()
    room.clock.advance(42.0)
    batches: list[list[str]] = []
    add_many = room.services.notes.add_many

    def slow_first(adds: Any) -> Any:
        batches.append(sorted(a.observer for a in adds))
        if len(batches) == 1:
            time.sleep(0.2)  # the store is busy with the first note: the others queue
        return add_many(adds)

    monkeypatch.setattr(room.services.notes, "add_many", slow_first)
    note = {"criterion": "tone", "text": "calm"}
    busy = asyncio.ensure_future(clients[0].post("/api/notes", json=note))
    while not batches:
        await asyncio.sleep(0.01)
    responses = await asyncio.gather(
        *(c.post("/api/notes", json=note) for c in clients[1:]),
        clients[0].post("/api/notes", json={"criterion": "charm", "text": "x"}),
    )
    assert (await busy).status == 201
    assert [r.status for r in responses] == [201] * len(others) + [422]
    # The notes that arrived while the first was written: one transaction, each its outcome.
    assert batches == [[first], sorted([*others, first])]
    stamps = [n.stamp for n in room.services.notes.notes(room.rnd.id)]
    assert stamps == ["00:42"] * (1 + len(others))
