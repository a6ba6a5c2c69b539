"""The projector window: what the room sees in each phase, and nothing it may not see yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from tests.conftest import FakeClock
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from ui.console.console_screen import ConsoleScreen
from ui.console.projector import ProjectorWindow
from ui.join_panel import UNAVAILABLE
from ui.observer_host import ObserverHost

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]
REPO = Path(__file__).resolve().parents[2]
SCENARIO = "conflicting-request"  # has an AI confidence and an expert decision


def start(services: Services, fake_clock: FakeClock) -> Any:
    services.now, services.wall = fake_clock.now, fake_clock.wall
    plan = next(p.id for p in services.sessions.plans if p.id.startswith("module4"))
    detail = services.sessions.create_session(plan, PEOPLE, scenario_ids=[SCENARIO])
    return services.live(detail.id)


def every_text(projector: ProjectorWindow) -> str:
    """All label text, shown or hidden: a secret must not even sit in a hidden label."""
    return "\n".join(label.text() for label in projector.findChildren(QLabel))


def shot(projector: ProjectorWindow, screens: Path, name: str) -> None:
    settle()
    assert projector.grab().save(str(screens / f"{name}.png"))


def make_projector(qtbot: QtBot, services: Services, live: LiveSession) -> ProjectorWindow:
    # No asyncio loop here: the host never serves, as when the page cannot be served.
    projector = ProjectorWindow(
        services.worker, services.sessions, live, ObserverHost(services, live)
    )
    qtbot.addWidget(projector)
    projector.show()
    projector.resize(1280, 720)
    qtbot.waitExposed(projector)
    qtbot.waitUntil(lambda: projector.observers.rows_known)  # read on the store worker
    settle_store(qtbot, projector)  # and the round's scenario
    return projector


def reread_statuses(qtbot: QtBot, projector: ProjectorWindow) -> None:
    """As the console does after a save, the server after a request: who submitted is read
    again on the store worker, and shown once it lands."""
    shown: list[bool] = []
    projector.observers.refresh_in_background(lambda: shown.append(True))
    qtbot.waitUntil(lambda: bool(shown))


def answers(services: Services) -> ChecklistAnswers:
    return ChecklistAnswers(
        marks={key: Mark.MET for key in services.checklist.keys},
        notes={"accuracy": "PRIVATE NOTE about Ann"},
        went_well=["PRIVATE checked the order", "PRIVATE named the conflict"],
        could_improve=["PRIVATE ask sooner"],
    )


def test_each_phase_shows_its_content_and_no_secret_early(
    qtbot: QtBot, services: Services, fake_clock: FakeClock, screens: Path
) -> None:
    live = start(services, fake_clock)
    projector = make_projector(qtbot, services, live)
    scenario = services.library.get(SCENARIO)
    secrets = [scenario.expert.rationale, scenario.expert.approach, "Expert decision"]
    rnd = live.round
    assert rnd is not None

    def secret_free() -> None:
        text = every_text(projector)
        for secret in secrets:
            assert secret not in text
        assert "PRIVATE" not in text

    # Brief: title, setup, roles; no timer.
    assert projector.title_label.text() == scenario.title
    assert scenario.setup[0] in projector.body_label.text()
    assert f"Operator: {rnd.operator}" in projector.extra_label.text()
    assert not projector.timer_label.isVisible()
    secret_free()
    live.toggle()
    shot(projector, screens, "projector-1-brief")

    # Role-play: the customer's words, the AI draft with its confidence, the timer.
    live.next_phase()
    fake_clock.advance(65)
    projector._tick()
    assert scenario.customer_message in projector.body_label.text()
    assert scenario.ai_draft.text in projector.extra_label.text()
    assert "AI draft (confidence 72%)" in projector.extra_label.text()
    assert projector.timer_label.isVisible()
    assert projector.timer_label.text() == "06:55"
    secret_free()
    shot(projector, screens, "projector-2-roleplay")

    # Decision: the timer, warning in words as well as colour.
    live.next_phase()
    fake_clock.advance(95)
    projector._tick()
    assert projector.title_label.text() == "Decision"
    assert projector.timer_label.text() == "00:25"
    assert projector.state_label.text() == "⚠ Warning — 0:25 left"
    assert projector.timer_label.property("tone") == "warning"
    services.decisions.record(rnd.id, "approve", seconds_to_decide=100)
    secret_free()
    shot(projector, screens, "projector-3-decision")

    # Observer feedback: the join area and how many checklists are in, never what they say.
    # Not served (no event loop here): a short text instead of an empty address and QR.
    live.next_phase()
    join = projector.join_panel
    assert join.isVisible() and not join.joinable
    assert join.notice_label.text() == UNAVAILABLE
    assert not join.qr_label.isVisible() and not join.code_label.isVisible()
    assert join.count_label.text() == "Checklists in: 0 of 1"
    observer = rnd.observers[0]
    services.feedback.save_draft(rnd.id, observer, answers(services))
    reread_statuses(qtbot, projector)
    assert join.count_label.text() == "Checklists in: 0 of 1"  # a draft is not in
    services.feedback.submit(rnd.id, observer)
    reread_statuses(qtbot, projector)
    assert join.count_label.text() == "Checklists in: 1 of 1"
    secret_free()
    shot(projector, screens, "projector-4-feedback")

    # Debrief: one question at a time; the expert decision only once revealed.
    live.next_phase()
    assert not join.isVisible()
    questions = scenario.debrief_questions
    assert projector.body_label.text() == f"Question 1 of {len(questions)}\n{questions[0]}"
    live.set_debrief_question(1)
    assert projector.body_label.text() == f"Question 2 of {len(questions)}\n{questions[1]}"
    secret_free()
    shot(projector, screens, "projector-5-debrief")
    live.reveal_expert()
    text = every_text(projector)
    assert scenario.expert.rationale in text
    assert scenario.expert.approach in text
    assert "PRIVATE" not in text
    shot(projector, screens, "projector-6-debrief-revealed")

    # The round ends: the next one is announced, and its brief hides its expert again.
    live.next_phase()
    assert projector.title_label.text() == f"Round {rnd.number} complete"
    assert "Next: round 2" in projector.body_label.text()
    live.next_round()
    assert projector.title_label.text() == scenario.title
    secret_free()


def test_full_screen_text_sized_from_the_screen(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start(services, fake_clock)
    live.toggle()
    live.next_phase()
    projector = ProjectorWindow(
        services.worker, services.sessions, live, ObserverHost(services, live)
    )
    qtbot.addWidget(projector)
    screen = QGuiApplication.primaryScreen()
    projector.show_on(screen, full_screen=True)
    qtbot.waitExposed(projector)
    settle_store(qtbot, projector)
    assert projector.isFullScreen()
    assert projector.geometry() == screen.geometry()
    height = screen.geometry().height()
    projector.timer_label.ensurePolished()
    assert projector.timer_label.font().pixelSize() >= height / 5
    assert projector.timer_label.sizeHint().height() >= height / 5
    # Long text shrinks; the timer keeps its size.
    assert projector.sizes["projectorTimer"] >= height / 5


def test_console_drives_the_projector_with_f11(
    qtbot: QtBot, services: Services, fake_clock: FakeClock
) -> None:
    live = start(services, fake_clock)
    console = ConsoleScreen(services, live)
    qtbot.addWidget(console)
    console.show()
    qtbot.waitExposed(console)
    console.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is console)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F11)
    projector = console.projector
    assert projector is not None and projector.isVisible() and projector.isFullScreen()
    assert projector.target_screen is console.chosen_screen()
    # It follows the console live: no explicit refresh.
    qtbot.mouseClick(console.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(console.skip_button, Qt.MouseButton.LeftButton)
    assert projector.timer_label.isVisible()
    assert projector.header_label.text() == "Round 1 of 4 · Role-play"
    console.toggle_projector()  # F11 again: windowed
    assert projector.isVisible() and not projector.isFullScreen()
    # Keys pressed on the projector window reach the session too.
    projector.command.emit("next")
    assert live.view().phase_key == "decision"
    console.hide_projector()
    assert not projector.isVisible()
    console.close()
    assert console.projector is None


TWO_SCREENS = {
    "screens": [
        {
            "name": "Laptop",
            "x": 0,
            "y": 0,
            "width": 1366,
            "height": 768,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
        {
            "name": "Projector",
            "x": 1366,
            "y": 0,
            "width": 1920,
            "height": 1080,
            "logicalDpi": 96,
            "logicalBaseDpi": 96,
            "dpr": 1,
        },
    ]
}

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    from hotdash_roleplay.services import open_services
    from ui.console.console_screen import ConsoleScreen

    app = QApplication([])
    services = open_services(data_dir=Path(sys.argv[1]))
    detail = services.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"])
    console = ConsoleScreen(services, services.live(detail.id))
    console.show()
    out = {"chosen": console.chosen_screen().name()}
    console.toggle_projector()
    app.processEvents()
    projector = console.projector
    out["on"] = [projector.screen().name(), projector.geometry().getRect(),
                 projector.isFullScreen()]
    projector.grab().save(sys.argv[2])
    gone = projector.screen()
    app.screenRemoved.emit(gone)  # the projector cable is pulled
    app.processEvents()
    out["after"] = [projector.screen().name(), projector.geometry().getRect(),
                    projector.isFullScreen(), projector.isVisible()]
    print(json.dumps(out))
    console.close()
    services.close()
    """
)


def test_two_screens_and_unplugging_the_projector(tmp_path: Path, screens: Path) -> None:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps(TWO_SCREENS))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", PYTHONPATH=str(REPO))
    env.pop("HOTDASH_DB_URL", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SCRIPT,
            str(tmp_path / "data"),
            str(screens / "projector-1080p.png"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["chosen"] == "Projector"  # the screen that is not the laptop's, by default
    assert out["on"] == ["Projector", [1366, 0, 1920, 1080], True]
    assert out["after"] == ["Laptop", [0, 0, 1366, 768], True, True]
