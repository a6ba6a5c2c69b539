"""The observer page in a real headless Chromium (Debian's, driven by playwright's Python
package): join, tick, reload and find the draft again, submit; screenshots at laptop and phone
widths go to the artifacts folder's screens/observer-*.png (tests/conftest.py says where)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from hotdash_roleplay.checklist import load_checklist
from hotdash_roleplay.observer.server import ObserverServer
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import Change

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = "Zoë <b>Ødegård</b>"  # a name that must show literally, never as markup
PEOPLE = ["Ann Lee", "Ben Ortiz", "Юлия Смирнова", "Dev Rao", HOSTILE, "Priya Nair"]
CRITERIA = load_checklist().keys  # the eight criteria of Module 4.3

pytestmark = [
    pytest.mark.browser,
    pytest.mark.asyncio(loop_scope="function"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium (/usr/bin/chromium) absent"),
]


def _session_with_hostile_observer(services: Services) -> Any:
    """A session whose first round has HOSTILE among its observers (the seed decides roles)."""
    for seed in range(20):
        detail = services.sessions.create_session("module4-practice", PEOPLE, seed=seed)
        if HOSTILE in detail.rounds[0].observers:
            return detail
    raise AssertionError("no seed puts the test name among round 1's observers")


async def _join(page: Any, url: str, code: str, name: str) -> None:
    await page.goto(url)
    await page.get_by_role("textbox", name="Join code").fill(code)
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_role("radio", name=name, exact=True).check()
    await page.get_by_role("button", name="This is me").click()
    await page.locator("#step-checklist").wait_for(state="visible")


async def _saved(page: Any) -> None:
    # "Saved 10:42:07", not "Not saved: ..." (has_text alone ignores case and matches both)
    await page.locator("#save-status", has_text=re.compile(r"^Saved")).wait_for()


async def test_an_observer_joins_ticks_reloads_and_submits(
    services: Services, artifacts: Path
) -> None:
    from playwright.async_api import async_playwright

    screens = artifacts / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    detail = _session_with_hostile_observer(services)
    live = services.live(detail.id)
    live.set_feedback_open(True)
    rnd = live.round
    assert rnd is not None
    server = ObserverServer(services, live)
    url = await server.start("127.0.0.1")
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            laptop = await browser.new_page(viewport={"width": 1280, "height": 800})
            errors: list[str] = []
            laptop.on("pageerror", lambda exc: errors.append(str(exc)))

            # Join: the code, then the name (shown literally, markup and all).
            await laptop.goto(url)
            await laptop.screenshot(path=str(screens / "observer-join-laptop.png"))
            await laptop.get_by_role("textbox", name="Join code").fill(
                "000000" if detail.join_code != "000000" else "111111"
            )
            await laptop.get_by_role("button", name="Continue").click()
            await laptop.locator("#code-error", has_text="not right").wait_for()
            await laptop.get_by_role("textbox", name="Join code").fill(detail.join_code)
            await laptop.get_by_role("button", name="Continue").click()
            names = laptop.locator("#names label")
            await names.first.wait_for()
            assert await names.all_inner_texts() == list(detail.participants)  # the roster
            assert await laptop.locator("#names b").count() == 0
            await laptop.screenshot(path=str(screens / "observer-names-laptop.png"))
            await laptop.get_by_role("radio", name=HOSTILE, exact=True).check()
            await laptop.get_by_role("button", name="This is me").click()
            await laptop.locator("#step-checklist").wait_for(state="visible")
            assert HOSTILE in await laptop.locator("#context").inner_text()

            # Tick three criteria and write a note: autosaved.
            for key, mark in (
                ("accuracy", "met"),
                ("tone", "not_met"),
                ("efficiency", "not_observed"),
            ):
                await laptop.locator(f"label[for='mark-{key}-{mark}']").click()
            await laptop.get_by_label("Note on Tone (optional)").fill("<i>Curt</i> at the start.")
            await _saved(laptop)
            saved = services.feedback.get(rnd.id, HOSTILE)
            assert saved.status == "draft"
            assert saved.answers.marks["tone"].value == "not_met"
            assert saved.answers.notes["tone"] == "<i>Curt</i> at the start."
            await laptop.screenshot(path=str(screens / "observer-checklist-laptop.png"))

            # A reload resumes the draft from the host.
            await laptop.reload()
            await laptop.locator("#step-checklist").wait_for(state="visible")
            assert await laptop.locator("#mark-tone-not_met").is_checked()
            assert await laptop.locator("#mark-accuracy-met").is_checked()
            assert not await laptop.locator("#mark-clarity-met").is_checked()
            assert await laptop.get_by_label("Note on Tone (optional)").input_value() == (
                "<i>Curt</i> at the start."
            )

            # Submitting too early says what is missing; then complete it and submit.
            await laptop.get_by_role("button", name="Submit checklist").click()
            await laptop.locator("#problems", has_text="Not submitted yet").wait_for()
            assert "5 criteria are not marked" in await laptop.locator("#problems").inner_text()
            for key in CRITERIA:
                if not await laptop.locator(f"input[name='mark-{key}']:checked").count():
                    await laptop.locator(f"label[for='mark-{key}-met']").click()
            await laptop.get_by_label("Example 1", exact=True).fill(
                "Verified the order date first."
            )
            await laptop.get_by_label("Example 2", exact=True).fill(
                "Offered a repair as an option."
            )
            await laptop.get_by_label("Suggestion 1", exact=True).fill(
                "Escalate the refund sooner."
            )
            await _saved(laptop)
            await laptop.get_by_role("button", name="Submit checklist").click()
            await laptop.locator("#status-badge", has_text="Submitted").wait_for()
            statuses = {s.observer: s.status for s in services.feedback.statuses(rnd.id)}
            assert statuses[HOSTILE] == "submitted"
            await laptop.screenshot(
                path=str(screens / "observer-submitted-laptop.png"), full_page=True
            )

            # Another observer on a phone.
            phone_context = await browser.new_context(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
            )
            phone = await phone_context.new_page()
            other = next(n for n in rnd.observers if n != HOSTILE)
            await _join(phone, url, detail.join_code, other)
            await phone.locator("label[for='mark-accuracy-met']").click()
            await phone.locator("label[for='mark-clarity-not_met']").click()
            await _saved(phone)
            await phone.screenshot(path=str(screens / "observer-checklist-phone.png"))
            await phone.screenshot(
                path=str(screens / "observer-checklist-phone-full.png"), full_page=True
            )
            assert services.feedback.get(rnd.id, other).status == "draft"

            # Feedback closes: the checklist gives way to the observer's card (pushed at once).
            live.set_feedback_open(False)
            server.changed(Change.FEEDBACK)
            await phone.locator("#step-room").wait_for(state="visible")
            assert not await phone.locator("#step-checklist").is_visible()
            assert await phone.locator("#room-title").inner_text() == "You are the Observer"
            await phone.screenshot(path=str(screens / "observer-closed-phone.png"))
            assert errors == []
            await browser.close()
    finally:
        await server.stop()


async def test_a_taken_name_and_a_checklist_changed_elsewhere_are_said_plainly(
    services: Services, artifacts: Path
) -> None:
    from playwright.async_api import async_playwright

    from hotdash_roleplay.checklist import ChecklistAnswers, Mark

    screens = artifacts / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    detail = services.sessions.create_session("module4-practice", PEOPLE)
    live = services.live(detail.id)
    live.set_feedback_open(True)
    rnd = live.round
    assert rnd is not None
    name = rnd.observers[0]
    server = ObserverServer(services, live)
    url = await server.start("127.0.0.1")
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            laptop = await browser.new_page(viewport={"width": 1280, "height": 800})
            errors: list[str] = []
            laptop.on("pageerror", lambda exc: errors.append(str(exc)))
            await _join(laptop, url, detail.join_code, name)

            # The same name on a phone: refused in a box that says why and what to do.
            phone_context = await browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
            )
            phone = await phone_context.new_page()
            phone.on("pageerror", lambda exc: errors.append(str(exc)))
            await phone.goto(url)
            await phone.get_by_role("textbox", name="Join code").fill(detail.join_code)
            await phone.get_by_role("button", name="Continue").click()
            await phone.get_by_role("radio", name=name, exact=True).check()
            await phone.get_by_role("button", name="This is me").click()
            refusal = phone.locator("#name-refusal")
            await refusal.wait_for(state="visible")
            assert await phone.locator("#name-refusal-text").inner_text() == (
                f"{name} has already joined on another device. Ask the trainer to release the name."
            )
            assert "already in use" in await phone.locator("#name-refusal-title").inner_text()
            assert await phone.locator("#step-name").is_visible()  # still there, not "closed"
            await phone.screenshot(path=str(screens / "observer-name-taken-phone.png"))

            # The trainer changes the checklist in the app after the laptop loaded it.
            await laptop.locator("label[for='mark-accuracy-met']").click()
            await _saved(laptop)
            seen = services.feedback.get(rnd.id, name).version
            trainer = ChecklistAnswers(marks={"accuracy": Mark.NOT_MET}, notes={"tone": "Trainer"})
            services.feedback.save_draft(rnd.id, name, trainer, seen=seen)
            await laptop.locator("label[for='mark-clarity-met']").click()
            conflict = laptop.locator("#conflict")
            await conflict.wait_for(state="visible")
            assert (
                "on the trainer's computer" in await laptop.locator("#conflict-text").inner_text()
            )
            assert services.feedback.get(rnd.id, name).answers.notes == {"tone": "Trainer"}
            await laptop.screenshot(path=str(screens / "observer-changed-elsewhere-laptop.png"))

            # Keep mine: the page's answers are saved over the version it was shown.
            await laptop.get_by_role("button", name="Keep mine").click()
            await _saved(laptop)
            assert not await conflict.is_visible()
            mine = services.feedback.get(rnd.id, name).answers
            assert mine.marks["clarity"] is Mark.MET and mine.notes == {}

            # Again, and this time take the saved version: the page shows the trainer's answers.
            seen = services.feedback.get(rnd.id, name).version
            services.feedback.save_draft(rnd.id, name, trainer, seen=seen)
            await laptop.get_by_label("Note on Tone (optional)").fill("Mine")
            await conflict.wait_for(state="visible")
            await laptop.get_by_role("button", name="Show the saved version").click()
            assert not await conflict.is_visible()
            assert await laptop.get_by_label("Note on Tone (optional)").input_value() == "Trainer"
            assert await laptop.locator("#mark-accuracy-not_met").is_checked()
            await laptop.get_by_label("Note on Tone (optional)").fill("Trainer, agreed")
            await _saved(laptop)
            assert services.feedback.get(rnd.id, name).answers.notes == {"tone": "Trainer, agreed"}
            assert errors == []
            await browser.close()
    finally:
        await server.stop()
