"""The observer web API through aiohttp's test client: every route and every refusal."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from hotdash_roleplay.observer import security
from hotdash_roleplay.observer.server import API_KEY, MAX_BODY, ObserverServer, create_app
from hotdash_roleplay.paths import RESOURCES
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import Change
from hotdash_roleplay.store.models import ObserverToken

pytestmark = pytest.mark.asyncio(loop_scope="function")

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]
CRITERIA = [
    "accuracy",
    "completeness",
    "tone",
    "clarity",
    "risk_management",
    "creativity",
    "efficiency",
    "policy_application",
]
COMPLETE = {
    "marks": {key: "met" for key in CRITERIA},
    "notes": {"tone": "Warm and calm."},
    "went_well": ["Checked the order date.", "Offered a repair."],
    "could_improve": ["Escalate sooner."],
}


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Room:
    """A live session with feedback open, its app, and a way to open more clients."""

    def __init__(self, services: Services, people: list[str] = PEOPLE) -> None:
        detail = services.sessions.create_session("module4-practice", people)
        self.services = services
        self.session_id = detail.id
        self.code = detail.join_code
        self.live = services.live(detail.id)
        self.live.set_feedback_open(True)
        self.clock = Clock()
        self.changes: list[tuple[str, str]] = []
        self.app = create_app(
            services,
            self.live,
            throttle=security.Throttle(clock=self.clock),
            on_change=lambda kind, name: self.changes.append((kind, name)),
        )

    @property
    def observers(self) -> tuple[str, ...]:
        rnd = self.live.round
        assert rnd is not None
        return rnd.observers

    @property
    def round_id(self) -> int:
        assert self.live.round is not None
        return self.live.round.id

    def wrong_code(self) -> str:
        return f"{(int(self.code) + 1) % 1_000_000:06d}"


@pytest_asyncio.fixture(loop_scope="function")
async def room(services: Services) -> AsyncIterator[Room]:
    yield Room(services)


# What the `connect` fixture gives: open one more test client (one browser) on the room.
Connect = Callable[[], Awaitable[TestClient[Any, Any]]]


@pytest_asyncio.fixture(loop_scope="function")
async def connect(room: Room) -> AsyncIterator[Connect]:
    """Open a test client (its own cookie jar: one browser) on the room's app."""
    server = TestServer(room.app, host="127.0.0.1")
    await server.start_server()
    clients: list[TestClient[Any, Any]] = []

    async def make() -> TestClient[Any, Any]:
        client = TestClient(server, cookie_jar=aiohttp.CookieJar(unsafe=True))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()
    await server.close()


async def joined(connect: Connect, room: Room, name: str) -> TestClient[Any, Any]:
    client = await connect()
    response = await client.post("/api/claim", json={"code": room.code, "name": name})
    assert response.status == 200, await response.text()
    return client


async def answer(response: aiohttp.ClientResponse, status: int) -> dict[str, Any]:
    text = await response.text()
    assert response.status == status, text
    assert response.content_type == "application/json"
    return json.loads(text)


# -- the page -------------------------------------------------------------------------------


async def test_page_and_its_files_are_served_with_strict_headers(connect: Connect) -> None:
    client = await connect()
    page = await client.get("/")
    assert page.status == 200 and page.content_type == "text/html"
    assert "Role-play session" in await page.text()
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    modules = sorted(p.name for p in (RESOURCES / "observer").glob("*.js"))
    assert "observer.js" in modules and len(modules) > 1  # the page's modules, each served
    for name in modules:
        script = await client.get(f"/static/{name}")
        assert script.status == 200 and script.content_type == "text/javascript", name
        assert "innerHTML" not in await script.text(), name  # text goes in as text only
    style = await client.get("/static/observer.css")
    assert style.status == 200 and style.content_type == "text/css"
    for path in ("/static/index.html", "/static/..%2Fchecklist.yaml", "/static/../checklist.yaml"):
        refused = await client.get(path)
        assert refused.status == 404, path
    assert (await answer(await client.get("/nowhere"), 404))["error"]
    assert (await answer(await client.patch("/api/me", json={}), 405))["error"]


async def test_state_says_whether_feedback_is_open_and_names_nobody(
    connect: Connect, room: Room
) -> None:
    client = await connect()
    response = await client.get("/api/state")
    body = await answer(response, 200)
    seq = body.pop("seq")
    assert body == {
        "feedback_open": True,
        "round": 1,
        "round_count": 6,
        "joined": False,
        "name": None,
        "phase": "brief",
        "phase_title": "Brief",
        "status": "ready",
        "finished": False,
    }
    assert response.headers["Cache-Control"] == "no-store"
    room.live.set_feedback_open(False)
    room.app[API_KEY].changed(Change.FEEDBACK)
    closed = await answer(await client.get("/api/state"), 200)
    assert closed["feedback_open"] is False and closed["seq"] > seq


# -- joining --------------------------------------------------------------------------------


async def test_the_right_code_lists_this_rounds_observers_and_a_wrong_one_is_refused(
    connect: Connect, room: Room
) -> None:
    client = await connect()
    body = await answer(await client.post("/api/join", json={"code": room.wrong_code()}), 403)
    assert body["error"].startswith("That code is not right")
    body = await answer(await client.post("/api/join", json={"code": f" {room.code} "}), 200)
    assert body == {"round": 1, "observers": list(room.observers), "people": PEOPLE}


async def test_repeated_wrong_codes_lock_the_client_out_even_for_the_right_code(
    connect: Connect, room: Room
) -> None:
    client = await connect()
    for _ in range(security.MAX_FAILURES - 1):
        await answer(await client.post("/api/join", json={"code": room.wrong_code()}), 403)
    locked = await client.post("/api/join", json={"code": room.wrong_code()})
    body = await answer(locked, 429)
    assert body["retry_after"] == 60 and locked.headers["Retry-After"] == "60"
    # Locked out: the right code, and claiming a name, are refused too.
    await answer(await client.post("/api/join", json={"code": room.code}), 429)
    claim = {"code": room.code, "name": room.observers[0]}
    await answer(await client.post("/api/claim", json=claim), 429)
    room.clock.now += 30
    assert (await answer(await client.post("/api/join", json={"code": room.code}), 429))[
        "retry_after"
    ] == 30
    room.clock.now += 31
    await answer(await client.post("/api/join", json={"code": room.code}), 200)


async def test_claiming_a_name_sets_an_httponly_samesite_token_stored_only_as_a_hash(
    connect: Connect, room: Room
) -> None:
    client = await connect()
    name = room.observers[0]
    response = await client.post("/api/claim", json={"code": room.code, "name": name.upper()})
    assert (await answer(response, 200)) == {"name": name}
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{security.COOKIE_NAME}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    token = response.cookies[security.COOKIE_NAME].value
    assert len(token) >= 40
    with room.services.store.session() as db:
        stored = db.scalars(select(ObserverToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert room.changes == [("joined", name)]
    assert (await answer(await client.get("/api/state"), 200))["joined"] is True


async def test_claim_refuses_a_wrong_code_and_anyone_not_on_the_roster(
    connect: Connect, room: Room
) -> None:
    client = await connect()
    wrong = {"code": room.wrong_code(), "name": room.observers[0]}
    await answer(await client.post("/api/claim", json=wrong), 403)
    body = await answer(
        await client.post("/api/claim", json={"code": room.code, "name": "Nobody"}), 403
    )
    assert body["error"] == "That name is not on this session's roster."
    assert (
        "Set-Cookie"
        not in (await client.post("/api/claim", json={"code": room.code, "name": "Nobody"})).headers
    )


# -- an observer's own checklist ------------------------------------------------------------


async def test_me_without_a_valid_token_is_refused(connect: Connect) -> None:
    client = await connect()
    assert (await answer(await client.get("/api/me"), 401))["error"].startswith("Join first")
    client.session.cookie_jar.update_cookies({security.COOKIE_NAME: "forged-token"})
    await answer(await client.get("/api/me"), 401)
    client.session.cookie_jar.update_cookies({security.COOKIE_NAME: "x" * 5000})
    await answer(await client.put("/api/draft", json={"answers": {}}), 401)


async def test_me_gives_the_checklist_the_round_and_my_draft(connect: Connect, room: Room) -> None:
    name = room.observers[0]
    client = await joined(connect, room, name)
    body = await answer(await client.get("/api/me"), 200)
    assert body["name"] == name and body["round"] == 1
    assert room.live.round is not None
    assert body["operator"] == room.live.round.operator
    assert [c["key"] for c in body["checklist"]["criteria"]] == CRITERIA
    assert body["checklist"]["criteria"][0]["question"] == "Did operator verify all facts?"
    assert (
        body["checklist"]["went_well"]["min_items"],
        body["checklist"]["went_well"]["max_items"],
    ) == (2, 3)
    assert body["submission"]["status"] == "none"
    assert len(body["submission"]["problems"]) == 3


async def test_drafts_autosave_submit_refuses_what_is_missing_then_accepts(
    connect: Connect, room: Room
) -> None:
    name = room.observers[0]
    client = await joined(connect, room, name)
    partial = {"marks": {"tone": "met"}, "went_well": ["Calm."]}
    body = await answer(await client.put("/api/draft", json={"answers": partial}), 200)
    assert body["status"] == "draft" and body["answers"]["marks"] == {"tone": "met"}
    assert room.services.feedback.get(room.round_id, name).answers.went_well == ["Calm."]

    refused = await answer(await client.post("/api/submit", json={"answers": partial}), 422)
    assert refused["error"].startswith("Not submitted yet")
    assert any("7 criteria are not marked" in m for m in refused["missing"])
    assert any("What went well needs at least 2" in m for m in refused["missing"])
    assert any("What could improve needs at least 1" in m for m in refused["missing"])

    body = await answer(await client.post("/api/submit", json={"answers": COMPLETE}), 200)
    assert body["status"] == "submitted" and body["submitted_at"] and body["problems"] == []
    statuses = {s.observer: s.status for s in room.services.feedback.statuses(room.round_id)}
    assert statuses[name] == "submitted"

    # A revision that still meets the rules stays submitted; one that breaks them is a draft.
    revised = {**COMPLETE, "notes": {"tone": "Warm, calm, and quick."}}
    body = await answer(await client.put("/api/draft", json={"answers": revised}), 200)
    assert body["status"] == "submitted"
    broken = {**COMPLETE, "could_improve": []}
    body = await answer(await client.put("/api/draft", json={"answers": broken}), 200)
    assert body["status"] == "draft"
    body = await answer(await client.post("/api/submit", json={}), 422)  # what is saved
    assert body["missing"] == ["What could improve needs at least 1 specific suggestion (0 given)"]
    kinds = [kind for kind, who in room.changes if who == name]
    assert kinds[0] == "joined" and "submitted" in kinds and kinds[-1] == "draft"


async def test_a_token_reads_and_writes_only_its_own_submission(
    connect: Connect, room: Room
) -> None:
    first, second = room.observers[:2]
    a = await joined(connect, room, first)
    b = await joined(connect, room, second)
    secret = {"marks": {"tone": "not_met"}, "notes": {"tone": "Only for the trainer."}}
    await answer(await a.put("/api/draft", json={"answers": secret}), 200)
    mine = await answer(await b.get("/api/me"), 200)
    assert mine["name"] == second and mine["submission"]["status"] == "none"
    assert "Only for the trainer" not in json.dumps(mine)
    # There is no way to name another observer: such a field is refused.
    for body in (
        {"answers": {}, "observer": first},
        {"answers": {}, "round_id": room.round_id},
    ):
        await answer(await b.put("/api/draft", json=body), 422)
    await answer(await b.put("/api/draft", json={"answers": {"marks": {"tone": "met"}}}), 200)
    assert room.services.feedback.get(room.round_id, first).answers.notes == {
        "tone": "Only for the trainer."
    }


async def test_a_token_from_another_session_is_refused(
    services: Services, connect: Connect
) -> None:
    other = Room(services, ["Gus", "Hal", "Ivy", "Jon", "Kim"])
    async with (
        TestServer(other.app, host="127.0.0.1") as server,
        TestClient(server, cookie_jar=aiohttp.CookieJar(unsafe=True)) as elsewhere,
    ):
        claim = {"code": other.code, "name": other.observers[0]}
        response = await elsewhere.post("/api/claim", json=claim)
        token = response.cookies[security.COOKIE_NAME].value
    client = await connect()
    client.session.cookie_jar.update_cookies({security.COOKIE_NAME: token})
    await answer(await client.get("/api/me"), 401)
    await answer(await client.put("/api/draft", json={"answers": {}}), 401)


async def test_in_a_later_round_the_token_only_reaches_that_rounds_own_checklist(
    connect: Connect, room: Room
) -> None:
    name = room.observers[0]
    client = await joined(connect, room, name)
    await answer(await client.put("/api/draft", json={"answers": {"marks": {"tone": "met"}}}), 200)
    first_round = room.round_id
    room.live.next_round()
    room.live.set_feedback_open(True)
    room.app[API_KEY].invalidate()
    response = await client.get("/api/me")
    if name in room.observers:
        body = await answer(response, 200)
        assert body["round"] == 2 and body["submission"]["status"] == "none"
    else:
        assert (await answer(response, 403))["error"] == "You are not an observer in this round."
    assert room.services.feedback.get(first_round, name).answers.marks == {"tone": "met"}


# -- a closed round -------------------------------------------------------------------------


async def test_once_feedback_closes_every_route_says_so(connect: Connect, room: Room) -> None:
    client = await joined(connect, room, room.observers[0])
    await answer(await client.get("/api/me"), 200)  # the open round is now cached
    room.live.set_feedback_open(False)
    # Even with the cached round still saying "open", the store refuses the write.
    body = await answer(await client.put("/api/draft", json={"answers": COMPLETE}), 409)
    assert body == {"error": "Feedback for this round is closed.", "reason": "closed"}
    room.app[API_KEY].invalidate()
    await answer(await client.post("/api/submit", json={"answers": COMPLETE}), 409)
    await answer(await client.get("/api/me"), 409)
    # Joining is for the whole session: a closed feedback does not stop anyone joining.
    await answer(await client.post("/api/join", json={"code": room.code}), 200)
    claim = {"code": room.code, "name": room.observers[1]}
    await answer(await client.post("/api/claim", json=claim), 200)
    assert room.services.feedback.get(room.round_id, room.observers[0]).status == "none"


# -- bad requests ---------------------------------------------------------------------------


async def test_an_oversized_body_is_refused_with_413(connect: Connect, room: Room) -> None:
    client = await joined(connect, room, room.observers[0])
    huge = json.dumps({"answers": {"notes": {"tone": "x" * (MAX_BODY + 10)}}})
    response = await client.put(
        "/api/draft", data=huge, headers={"Content-Type": "application/json"}
    )
    assert (await answer(response, 413))["error"].startswith("The request is too large")
    await answer(await client.get("/api/me"), 200)  # and the server carries on


async def test_malformed_json_unknown_fields_and_over_long_text_are_refused(
    connect: Connect, room: Room
) -> None:
    client = await joined(connect, room, room.observers[0])
    headers = {"Content-Type": "application/json"}
    bad = await client.put("/api/draft", data=b'{"answers": {', headers=headers)
    assert (await answer(bad, 400))["error"] == "The request body is not valid JSON."
    cases = [
        ("/api/join", {"code": room.code, "admin": True}, "admin"),
        ("/api/join", {"code": 123456}, "code"),
        ("/api/join", {}, "code"),
        ("/api/join", {"code": "1" * 50}, "code"),
        ("/api/claim", {"code": room.code, "name": "n" * 500}, "name"),
        ("/api/draft", {"answers": {"marks": {"tone": "great"}}}, "answers.marks.tone"),
        ("/api/draft", {"answers": {"notes": {"tone": "x" * 2001}}}, "answers.notes.tone"),
        ("/api/draft", {"answers": {"went_well": ["a"] * 11}}, "answers.went_well"),
        ("/api/draft", {"answers": {"colour": "red"}}, "answers.colour"),
        ("/api/submit", {"answers": {}, "force": True}, "force"),
    ]
    for path, body, where in cases:
        method = client.put if path == "/api/draft" else client.post
        refused = await answer(await method(path, json=body), 422)
        assert refused["error"].startswith(f"Invalid request: {where}"), (path, refused)
    great = await client.put("/api/draft", json={"answers": {"marks": {"tone": "great"}}})
    assert (await answer(great, 422))["error"] == (
        "Invalid request: answers.marks.tone: unknown tone 'great' "
        "(allowed: met, not_met, not_observed)"
    )  # in words, as every refusal of the app says it
    unknown = await client.put("/api/draft", json={"answers": {"marks": {"charm": "met"}}})
    assert "charm" in (await answer(unknown, 422))["error"]
    # None of it counted as a wrong code.
    await answer(await client.post("/api/join", json={"code": room.code}), 200)


async def test_writes_must_be_same_origin_json(connect: Connect, room: Room) -> None:
    client = await connect()
    form = await client.post("/api/join", data={"code": room.code})
    assert (await answer(form, 415))["error"] == "Send the body as application/json."
    cross = await client.post(
        "/api/join", json={"code": room.code}, headers={"Origin": "http://evil.example"}
    )
    await answer(cross, 403)
    same = await client.post(
        "/api/join",
        json={"code": room.code},
        headers={"Origin": f"http://{client.host}:{client.port}"},
    )
    await answer(same, 200)


async def test_text_comes_back_as_json_data_never_markup(connect: Connect, room: Room) -> None:
    client = await joined(connect, room, room.observers[0])
    hostile = '<script>alert(1)</script> & <img src=x onerror="alert(2)">'
    answers = {"notes": {"tone": hostile}, "went_well": [hostile]}
    response = await client.put("/api/draft", json={"answers": answers})
    body = await answer(response, 200)
    assert body["answers"]["notes"]["tone"] == hostile
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    me = await answer(await client.get("/api/me"), 200)
    assert me["submission"]["answers"]["went_well"] == [hostile]


# -- the server on a real socket ------------------------------------------------------------


async def test_the_server_listens_on_the_chosen_address_and_stops(room: Room) -> None:
    server = ObserverServer(room.services, room.live)
    url = await server.start("127.0.0.1")
    assert url.startswith("http://127.0.0.1:") and server.port and server.port > 0
    assert server.join_code == room.code
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as page:
            assert page.status == 200
        async with http.get(url + "api/state") as state:
            assert (await state.json())["feedback_open"] is True
    await server.stop()
    assert not server.running and server.url is None
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.ClientConnectionError):
            await http.get(url)


# -- security helpers -----------------------------------------------------------------------


async def test_code_check_and_throttle_rules() -> None:
    assert security.code_matches("123456", "123456")
    assert security.code_matches(" 123456 ", "123456")
    assert not security.code_matches("123457", "123456")
    assert not security.code_matches("", "")
    clock = Clock()
    throttle = security.Throttle(max_failures=2, lockout=10, clock=clock)
    assert throttle.failed("a") == 0
    throttle.succeeded("a")  # a right code resets the count
    assert throttle.failed("a") == 0
    assert throttle.failed("a") == 10
    assert throttle.retry_after("b") == 0  # other clients are unaffected
    clock.now += 10
    assert throttle.retry_after("a") == 0
    assert throttle.failed("a") == 0  # a fresh start after serving the lock-out
    token, digest = security.new_token()
    assert digest == security.hash_token(token) and token not in digest
