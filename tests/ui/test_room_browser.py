"""A whole round played on four devices: the operator, the AI System, an observer and the
facilitator each in their own Debian Chromium context (playwright), against the real server
of a real trainer's console on the app's qasync loop.

The console runs on the main thread's qasync loop, as in the app; the browsers are driven with
playwright's sync API on one thread of their own (a thread, because the loop must stay free to
serve the pages), each step awaited from the loop. Screenshots of every card at phone (360 px)
and laptop (1280 px) width go to the artifacts folder's screens/room-*.png."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from hotdash_roleplay.clock import format_duration
from hotdash_roleplay.scenarios import load_library
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.store.models import Person, RoleAssignment
from tests.test_observer_browser import ARGS, CHROMIUM
from tests.ui.qasync_support import run, until
from ui import settings
from ui.console.console_screen import ConsoleScreen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium (/usr/bin/chromium) absent"),
]

PEOPLE = ["Ann Lee", "Ben Ortiz", "Юлия Смирнова", "Zoë <b>Ødegård</b>"]
ROLES = ("operator", "ai_system", "observer", "facilitator")
WIDTHS = {"phone": 360, "laptop": 1280}
STAMPED = re.compile(r"^\d\d:\d\d · ")
T = TypeVar("T")


class Devices:
    """Four browser contexts, one per role, driven from one thread of their own."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="browsers")
        self.pages: dict[str, Any] = {}
        self.errors: list[str] = []

    async def do(self, step: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, step, *args)

    def open(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for role in ROLES:
            context = self._browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(10_000)
            page = context.new_page()
            page.on("pageerror", lambda exc, role=role: self.errors.append(f"{role}: {exc}"))
            self.pages[role] = page

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def shutdown(self) -> None:
        self._thread.shutdown(wait=True)

    def shoot(
        self, folder: Path, name: str, roles: tuple[str, ...] = ROLES, as_role: str = ""
    ) -> None:
        for role in roles:
            page = self.pages[role]
            for width_name, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                shot = folder / f"room-{name}-{as_role or role}-{width_name}.png"
                page.screenshot(path=str(shot), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})


def join(page: Any, url: str, code: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Join code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("radio", name=name, exact=True).check()
    page.get_by_role("button", name="This is me").click()
    page.locator("#step-room").wait_for(state="visible")


def phase_reaches(pages: dict[str, Any], title: str) -> None:
    for page in pages.values():
        page.locator(".badge.phase:visible", has_text=title).wait_for()


def announced(pages: dict[str, Any], title: str) -> None:
    for page in pages.values():
        page.locator("#announce", has_text=title).wait_for(state="attached")


def text_of(page: Any) -> str:
    return str(page.locator("body").inner_text())


def open_console(qtbot: QtBot, services: Services, live: LiveSession) -> ConsoleScreen:
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.resize(1280, 900)
    console.show()
    return console


@pytest.fixture
def devices() -> Iterator[Devices]:
    made = Devices()
    yield made
    made.shutdown()


def test_four_devices_play_a_round_each_seeing_only_their_card(
    qtbot: QtBot, services: Services, screens: Path, devices: Devices
) -> None:
    settings.set_observer_interface("127.0.0.1")
    detail = services.sessions.create_session(
        "module4-practice", PEOPLE, scenario_ids=["gray-area-refund"]
    )
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None and rnd.ai_system and rnd.facilitator and rnd.operator
    names = {
        "operator": rnd.operator,
        "ai_system": rnd.ai_system,
        "observer": rnd.observers[0],
        "facilitator": rnd.facilitator,
    }
    scenario = load_library()[rnd.scenario_id]
    expert = scenario.expert
    assert expert is not None
    pages = devices.pages

    def texts() -> dict[str, str]:
        return {role: text_of(page) for role, page in pages.items()}

    def count(page: Any, selector: str) -> int:
        return int(page.locator(selector).count())

    async def play() -> None:
        console = open_console(qtbot, services, live)  # on the loop, as the app opens it
        host = console.observers
        if not host.serving:
            await until(host.serving_changed, lambda: host.serving)
        url = host.url
        assert url
        await devices.do(devices.open)
        try:
            await steps(url, console)
        finally:
            await devices.do(devices.close)
        await console.aclose()

    async def steps(url: str, console: ConsoleScreen) -> None:
        operator, observer, facilitator = pages["operator"], pages["observer"], pages["facilitator"]
        # Everyone joins in the Brief with the code and their own name.
        for role in ROLES:
            await devices.do(join, pages[role], url, detail.join_code, names[role])
        seen = await devices.do(texts)
        for role in ROLES:  # names are text, never markup
            assert await devices.do(count, pages[role], "main b, header b") == 0
        for role, text in seen.items():
            assert f"You are {names[role]}" in text
            assert expert.approach[:60] not in text and "The expert approach" not in text
        assert scenario.customer_message in seen["operator"]
        assert scenario.ai_draft.text in seen["operator"]
        assert "How to play the AI" not in seen["operator"]
        assert "How to play the AI" in seen["ai_system"]
        assert scenario.ai_draft.text in seen["ai_system"]
        for role in ROLES:  # nobody decides in the Brief
            assert await devices.do(count, pages[role], "form.decide") == 0
        intro = await devices.do(lambda: facilitator.locator("ol.facts li").all_inner_texts())
        assert intro == list(scenario.setup)
        assert "Notes open when the role-play starts" in seen["observer"]
        assert await devices.do(count, observer, "#pad-text:visible") == 0
        await devices.do(devices.shoot, screens, "brief")

        # The trainer starts the role-play: every page follows by itself.
        live.toggle()
        live.next_phase()
        await devices.do(phase_reaches, pages, "Role-play")
        await devices.do(announced, pages, "Role-play")  # said to screen readers too
        assert await devices.do(count, operator, "form.decide") == 1
        for role in ("ai_system", "observer", "facilitator"):
            assert await devices.do(count, pages[role], "form.decide") == 0

        # The observer takes two stamped notes: one tap on what it is about, then type (the
        # tap puts the cursor in the note; Enter adds it). The second one by keyboard alone.
        def take_notes() -> list[str]:
            observer.get_by_role("button", name="Tone", exact=True).click()
            observer.keyboard.type("interrupted the customer")
            observer.keyboard.press("Enter")
            observer.locator("#notes-list li").first.wait_for()
            observer.keyboard.press("Shift+Tab")  # back to the choices: General is the last
            observer.keyboard.press("Enter")
            assert observer.get_by_label("2. Your note on General").is_visible()
            observer.keyboard.type("Good recap at the end")
            observer.keyboard.press("Enter")
            observer.locator("#notes-list li").nth(1).wait_for()
            return list(observer.locator("#notes-list li").all_inner_texts())

        notes = await devices.do(take_notes)
        assert len(notes) == 2 and all(STAMPED.match(n) for n in notes), notes
        assert notes[0].endswith(" · Tone: interrupted the customer")
        assert notes[1].endswith(" · General: Good recap at the end")

        # The operator starts an escalation (choosing by keyboard: the four decisions are one
        # radio group); a reload of both pages mid-round resumes.
        def start_escalation() -> None:
            operator.locator("#decision-approve").focus()
            for _ in range(3):
                operator.keyboard.press("ArrowRight")
            operator.get_by_label("Escalation type (required)").fill("Policy exception")
            operator.get_by_label("Urgency (required)").select_option("standard")

        await devices.do(start_escalation)
        await devices.do(devices.shoot, screens, "roleplay")

        def reload_both() -> tuple[list[str], str, bool]:
            for page in (operator, observer):
                page.reload()
                page.locator("#phase-badge", has_text="Role-play").wait_for()
            return (
                list(observer.locator("#notes-list li").all_inner_texts()),
                operator.get_by_label("Escalation type (required)").input_value(),
                operator.locator("#decision-escalate").is_checked(),
            )

        again, typed, chosen = await devices.do(reload_both)
        assert again == notes and typed == "Policy exception" and chosen

        # Incomplete: the console's own sentence; then complete and record.
        def record_incomplete() -> str:
            operator.get_by_role("button", name="Record my decision").click()
            error = operator.locator("#decide-error")
            error.filter(has_text="still needs").wait_for()
            return str(error.inner_text())

        refusal = await devices.do(record_incomplete)
        assert "Situation summary" in refusal
        assert services.decisions.get(rnd.id) is None

        def record() -> str:
            operator.get_by_label("Situation summary (required)").fill("Return outside window.")
            operator.get_by_label("Customer request (required)").fill("A refund.")
            operator.get_by_label("Recommendation (required)").fill("One-time exception.")
            operator.get_by_role("button", name="Record my decision").click()
            return str(operator.locator(".recorded-at").inner_text())

        arrived = until(console.observers.decision_arrived)
        recorded_at = await devices.do(record)
        await arrived  # the console hears it at once
        stored = services.decisions.get(rnd.id)
        assert stored is not None and stored.decision.value == "escalate"
        assert stored.seconds_to_decide is not None
        taken = format_duration(stored.seconds_to_decide)
        assert recorded_at == f"Recorded at {taken}"
        # The console's Decision tab says who decided where, and their time (read on the
        # store worker, so it may take a moment after the signal).
        at = f"{stored.recorded_at.astimezone():%H:%M}"
        said = f"on their own device at {at} — time to decide {taken}"
        for _ in range(100):
            if said in console.decision.message.text():
                break
            await asyncio.sleep(0.05)
        assert said in console.decision.message.text()
        await devices.do(devices.shoot, screens, "decided", ("operator",))

        # The trainer corrects it, with a reason: the operator's card says so at once.
        services.decisions.correct(
            rnd.id, "approve", reason="Said Approve aloud.", corrected_by="Trainer"
        )
        live.reload(Change.DECISION)  # as the console does after its own changes

        def correction() -> str:
            box = operator.locator(".correction")
            box.wait_for()
            return str(box.inner_text())

        said = await devices.do(correction)
        assert "Corrected by the trainer (Trainer): Escalate → Approve" in said
        assert "Reason: Said Approve aloud." in said
        assert "Recorded at " + taken in await devices.do(text_of, operator)  # their own time

        # Decision, then Observer feedback: the stamped Tone note pre-fills the checklist.
        live.next_phase()
        await devices.do(phase_reaches, pages, "Decision")
        live.next_phase()

        def checklist() -> tuple[str, list[str]]:
            observer.locator("#step-checklist").wait_for(state="visible")
            return (
                observer.get_by_label("Note on Tone (optional)").input_value(),
                list(observer.locator("#timeline-list li").all_inner_texts()),
            )

        tone, timeline = await devices.do(checklist)
        assert re.fullmatch(r"\d\d:\d\d interrupted the customer", tone), tone
        assert timeline == notes
        await devices.do(devices.shoot, screens, "feedback", ("observer",))

        # Debrief: the facilitator leads it question by question; no expert approach anywhere
        # until the trainer reveals it, then on every card.
        live.next_phase()
        await devices.do(phase_reaches, pages, "Debrief")

        def question_shown(number: int) -> None:
            title = facilitator.locator("#question-title")
            title.filter(has_text=f"question {number} of 5").wait_for()

        await devices.do(question_shown, 1)
        live.set_debrief_question(1)
        await devices.do(question_shown, 2)
        assert scenario.debrief_questions[1] in await devices.do(text_of, facilitator)
        for text in (await devices.do(texts)).values():
            assert "The expert approach" not in text
        live.reveal_expert()

        def revealed() -> None:
            for page in pages.values():
                page.locator("#expert-title").wait_for()

        await devices.do(revealed)
        for text in (await devices.do(texts)).values():
            assert "Expert decision: Escalate" in text
        await devices.do(devices.shoot, screens, "debrief")

    run(play, timeout=300)
    assert devices.errors == []


def test_a_device_whose_event_stream_fails_follows_by_polling_to_the_end(
    qtbot: QtBot, services: Services, devices: Devices
) -> None:
    settings.set_observer_interface("127.0.0.1")
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None and rnd.facilitator

    async def play() -> None:
        console = open_console(qtbot, services, live)
        host = console.observers
        if not host.serving:
            await until(host.serving_changed, lambda: host.serving)
        url = host.url
        assert url
        await devices.do(devices.open)
        page = devices.pages["facilitator"]
        try:
            # A network in the way that refuses event streams: the page polls instead.
            await devices.do(lambda: page.route("**/api/events", lambda route: route.abort()))
            await devices.do(join, page, url, detail.join_code, rnd.facilitator)
            live.toggle()
            live.next_phase()
            await devices.do(phase_reaches, {"facilitator": page}, "Role-play")
            # The trainer finishes the session: the page says so, and what was saved is kept.
            while live.round is not None:
                live.next_round()
            heading = "The session is finished"
            await devices.do(lambda: page.get_by_role("heading", name=heading).wait_for())
        finally:
            await devices.do(devices.close)
        await console.aclose()

    run(play, timeout=120)
    assert devices.errors == []


def test_someone_sitting_the_round_out_sees_what_the_room_sees(
    qtbot: QtBot, services: Services, screens: Path, devices: Devices
) -> None:
    settings.set_observer_interface("127.0.0.1")
    detail = services.sessions.create_session("module4-practice", [*PEOPLE, "Priya Nair"])
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None and len(rnd.observers) == 2
    name = rnd.observers[0]
    # No role this round (the app's roles rows for them gone, as for someone in no role).
    with services.store.session() as db:
        person = db.query(Person).filter(Person.name == name).one()
        db.execute(
            delete(RoleAssignment).where(
                RoleAssignment.round_id == rnd.id, RoleAssignment.person_id == person.id
            )
        )
        db.commit()
    live.reload()
    scenario = load_library()[rnd.scenario_id]

    async def play() -> None:
        console = open_console(qtbot, services, live)
        host = console.observers
        if not host.serving:
            await until(host.serving_changed, lambda: host.serving)
        url = host.url
        assert url
        await devices.do(devices.open)
        page = devices.pages["observer"]
        try:
            await devices.do(join, page, url, detail.join_code, name)
            live.toggle()
            live.next_phase()

            def card() -> tuple[str, int]:
                phase_reaches({"observer": page}, "Role-play")
                fields = page.locator("form:visible, textarea:visible, input:visible")
                return text_of(page), fields.count()

            text, inputs = await devices.do(card)
            assert "You sit this round out" in text
            assert scenario.customer_message in text
            # In the projector's words (one wording, hotdash_roleplay/room_screen.py).
            console.toggle_projector()
            projector = console.projector
            assert projector is not None
            shown = [projector.title_label, projector.body_label, projector.extra_label]
            for line in "\n".join(label.text() for label in shown).splitlines():
                assert line in text, line
            assert inputs == 0  # nothing to decide, note or fill in
            assert "How to play the AI" not in text
            await devices.do(devices.shoot, screens, "roleplay", ("observer",), "sitting_out")
        finally:
            await devices.do(devices.close)
        await console.aclose()

    run(play, timeout=120)
    assert devices.errors == []
