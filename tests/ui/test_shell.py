"""The app shell as a trainer meets it: start screen, new-session set-up, theme, start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.rotation import check_rotation
from hotdash_roleplay.services import Services, open_services
from tests.ui.app_run import driving
from tests.ui.layout import settle, shown_window
from tests.ui.stored import settle_store
from tests.ui.window_console import console_opened, console_shown, resumed
from ui import settings, theme
from ui.main_window import MainWindow
from ui.setup.rules import WARN
from ui.setup.screen import SetupScreen

PLAN = "module4-practice"
FOUR = ["Ann Lee", "Ben Okafor", "Cat Novak", "Dev Patel"]


def shoot(widget: QWidget, screens: Path, name: str) -> None:
    settle()
    assert widget.grab().save(str(screens / f"{name}.png"))


def both_themes(window: MainWindow, screens: Path, name: str) -> None:
    shoot(window, screens, f"{name}-light")
    window.set_dark(True)
    shoot(window, screens, f"{name}-dark")
    window.set_dark(False)


def make_sessions(services: Services) -> dict[str, int]:
    """One planned, one live (clock started, round 2) and one finished session."""
    create = services.sessions.create_session
    planned = create(PLAN, FOUR, title="Tuesday practice", trainer="Mia")
    live = create(
        PLAN,
        ["Zoë Adams", "Priya Nair", "Marcus Reed", "Noah Kim", "Yuki Sato"],
        title="Team North",
    )
    session = services.live(live.id)
    session.toggle()
    session.next_round()
    session.toggle()
    done = create(PLAN, FOUR, title="Last week")
    finished = services.live(done.id)
    while finished.round is not None:  # every round played: its clock started
        finished.toggle()
        finished.next_round()
    return {"planned": planned.id, "live": live.id, "finished": done.id}


def setup_screen(qtbot: QtBot, window: MainWindow) -> SetupScreen:
    qtbot.mouseClick(window.start.new_button, Qt.MouseButton.LeftButton)
    assert window.setup is not None
    assert window.stack.currentWidget() is window.setup
    return window.setup


def type_names(qtbot: QtBot, setup: SetupScreen, text: str) -> None:
    edit = setup.roster.name_edit
    edit.setFocus()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


# -- start screen --------------------------------------------------------------------------------


def test_start_screen_when_empty(main_window: MainWindow, screens: Path) -> None:
    start = main_window.start
    assert main_window.stack.currentWidget() is start
    assert start.in_progress.empty.isVisible()
    assert start.past.empty.isVisible()
    assert start.people.empty.isVisible()
    assert not start.in_progress.button.isVisible()
    both_themes(main_window, screens, "start-empty")


def test_start_screen_lists_sessions_people_and_resumes(
    qtbot: QtBot, services: Services, screens: Path
) -> None:
    ids = make_sessions(services)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 860)
    window.show()
    settle_store(qtbot, window)  # listed from the store
    start = window.start

    # The running session is offered first, ready to resume; finished ones are listed apart.
    assert start.in_progress.session_ids() == [ids["live"], ids["planned"]]
    assert start.past.session_ids() == [ids["finished"]]
    first = start.in_progress.tree.topLevelItem(0)
    assert first.text(0) == "Team North"
    assert first.text(1) == "Round 2 of 5"  # five people: five rounds
    assert start.in_progress.button.text() == "Resume"

    # People with their record in brief.
    names = [start.people.list.item(i).text() for i in range(start.people.list.count())]
    assert any(n.startswith("Ann Lee") and "2 sessions" in n for n in names)
    row = next(i for i, n in enumerate(names) if n.startswith("Ann Lee"))
    start.people.list.setCurrentRow(row)
    assert "Rounds played: Operator 1" in start.people.summary.text()
    both_themes(window, screens, "start-sessions")

    with qtbot.waitSignal(start.open_requested) as opened:
        qtbot.mouseClick(start.in_progress.button, Qt.MouseButton.LeftButton)
    assert opened.args == [ids["live"]]

    start.in_progress.select(ids["planned"])
    with qtbot.waitSignal(start.open_requested) as opened:
        qtbot.keyClick(start.in_progress.tree, Qt.Key.Key_Return)
    assert opened.args == [ids["planned"]]


def test_resume_opens_the_console_and_back_returns(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    ids = make_sessions(services)
    main_window.show_start()
    settle_store(qtbot, main_window)  # the sessions listed
    start = main_window.start
    qtbot.mouseClick(start.in_progress.button, Qt.MouseButton.LeftButton)
    console = console_shown(qtbot, main_window, ids["live"])
    assert main_window.session_id == ids["live"]
    assert main_window.windowTitle().startswith("Team North")

    console.back_requested.emit()
    question = main_window.leave_question  # its clock runs: pause it before leaving?
    assert question is not None
    question.keep_button.click()
    assert main_window.stack.currentWidget() is main_window.start
    assert main_window.console is None
    assert main_window.windowTitle() == theme.APPLICATION


def test_unknown_session_is_a_message_in_the_window(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.open_console(9999)
    qtbot.waitUntil(lambda: main_window.last_message is not None)
    assert main_window.pending_open is None and main_window.console is None
    assert main_window.stack.currentWidget() is main_window.start
    assert main_window.last_message is not None
    assert "9999" in main_window.last_message.text()


# -- set-up --------------------------------------------------------------------------------------


def test_setup_plan_roster_rotation_swap_regenerate(
    qtbot: QtBot, main_window: MainWindow, services: Services, screens: Path
) -> None:
    setup = setup_screen(qtbot, main_window)
    plans = setup.plan_panel
    plans.combo.setCurrentIndex(plans.combo.findData(PLAN))
    assert plans.plan.id == PLAN
    assert setup.placeholder.isVisible()  # no rotation before there are people
    type_names(qtbot, setup, ", ".join(FOUR))
    assert setup.roster.names() == FOUR

    # Four people: a Latin square, every rule kept, shown as rounds × roles.
    table = setup.table
    assert table.rowCount() == 4
    assert [table.horizontalHeaderItem(c).text() for c in range(1, 4)] == [
        "Operator",
        "AI System",
        "Facilitator",
    ]
    assert sorted(table.item(r, 1).text() for r in range(4)) == sorted(FOUR)
    assert setup.violations == []
    assert setup.rules.text().startswith("✓")
    shoot(main_window, screens, "setup-rotation-light")
    shoot(setup.scroll_area.widget(), screens, "setup-full-light")

    # Swap round 2's operator with round 1's operator: they would operate twice in a row.
    first_op = setup.rounds[0].operator
    table.selectRow(1)
    assert setup.swap_round.currentIndex() == 1
    second_op = setup.rounds[1].operator
    setup.swap_a.setCurrentIndex(setup.swap_a.findData(second_op))
    setup.swap_b.setCurrentIndex(setup.swap_b.findData(first_op))
    qtbot.mouseClick(setup.swap_button, Qt.MouseButton.LeftButton)
    assert setup.rounds[1].operator == first_op
    assert setup.violations
    assert setup.rules.text().startswith(WARN)
    assert (
        "consecutive" in setup.rules.text()
        or "in a row" in setup.rules.text()
        or any(v.rule == "consecutive_role" for v in setup.violations)
    )
    flagged = table.item(1, 1)
    assert flagged.text() == f"{WARN} {first_op}"  # marked by a sign, not colour alone
    assert flagged.toolTip()
    shoot(main_window, screens, "setup-violation-light")
    main_window.set_dark(True)
    shoot(main_window, screens, "setup-violation-dark")
    shoot(setup.scroll_area.widget(), screens, "setup-full-violation-dark")
    main_window.set_dark(False)

    # Regenerate: another seed, hand swaps gone, rules kept again.
    qtbot.mouseClick(setup.regenerate_button, Qt.MouseButton.LeftButton)
    assert setup.seed == 1
    assert setup.violations == []
    assert check_rotation(setup.rounds, FOUR) == []
    main_window.set_dark(True)
    shoot(main_window, screens, "setup-rotation-dark")
    main_window.set_dark(False)


def test_setup_create_stores_session_with_edited_rotation(
    qtbot: QtBot, main_window: MainWindow, services: Services
) -> None:
    setup = setup_screen(qtbot, main_window)
    setup.plan_panel.combo.setCurrentIndex(setup.plan_panel.combo.findData(PLAN))
    type_names(qtbot, setup, ", ".join(FOUR))
    setup.plan_panel.title_edit.setText("Thursday cohort")
    qtbot.keyClicks(setup.plan_panel.trainer_edit, "Mia Trainer")
    setup.swap_round.setCurrentIndex(2)
    setup.swap_a.setCurrentIndex(0)
    setup.swap_b.setCurrentIndex(1)
    qtbot.mouseClick(setup.swap_button, Qt.MouseButton.LeftButton)
    edited = list(setup.rounds)
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    # The store creates it in the background; meanwhile Create cannot be pressed again.
    assert not setup.create_button.isEnabled() and setup.create_button.text() == "Creating…"
    qtbot.waitUntil(lambda: main_window.console is not None)

    stored = services.sessions.list_sessions()
    assert [s.title for s in stored] == ["Thursday cohort"]
    detail = services.sessions.get(stored[0].id)
    assert detail.trainer == "Mia Trainer"
    assert [(r.operator, r.ai_system) for r in detail.rounds] == [
        (r.operator, r.ai_system) for r in edited
    ]
    console_shown(qtbot, main_window, detail.id)
    assert "Thursday cohort" in main_window.windowTitle()


def test_roster_too_small_too_large_or_duplicate_is_refused(
    qtbot: QtBot, main_window: MainWindow, services: Services
) -> None:
    setup = setup_screen(qtbot, main_window)
    setup.plan_panel.combo.setCurrentIndex(setup.plan_panel.combo.findData(PLAN))
    roster = setup.roster

    type_names(qtbot, setup, "Ann, Ben")
    assert setup.placeholder.text() == "Add at least 3 participants (2 so far)."
    qtbot.mouseClick(setup.create_button, Qt.MouseButton.LeftButton)
    assert roster.message.isVisible()  # under the list it is about
    assert roster.message.text() == "Add at least 3 participants (2 so far)."
    assert services.sessions.list_sessions() == []

    type_names(qtbot, setup, "ann")
    assert roster.message.isVisible()
    assert roster.message.text() == "ann is already on the list."
    assert roster.names() == ["Ann", "Ben"]
    assert roster.name_edit.text() == "ann"  # kept for the trainer to correct

    roster.name_edit.clear()
    roster.name_edit.setText("\u202eevil")  # pasted: a bidi override reverses text on screen
    qtbot.keyClick(roster.name_edit, Qt.Key.Key_Return)
    assert "invisible control characters" in roster.message.text()
    assert roster.names() == ["Ann", "Ben"]

    roster.name_edit.clear()
    type_names(qtbot, setup, ", ".join(f"P{i}" for i in range(3, 14)))  # 11 more: 13 in all
    assert len(roster.names()) == 12
    assert "at most 12 participants; P13 was not added" in roster.message.text()
    assert setup.table.rowCount() == 12

    roster.list.setCurrentRow(0)
    roster.list.setFocus()
    qtbot.keyClick(roster.list, Qt.Key.Key_Delete)
    assert roster.names()[0] == "Ben"


def test_remembered_people_can_be_picked(
    qtbot: QtBot, services: Services, main_window: MainWindow
) -> None:
    services.people.add_person("Priya Nair")
    setup = setup_screen(qtbot, main_window)
    known = setup.roster.known
    qtbot.waitUntil(lambda: known.findText("Priya Nair") > 0)  # read in the background
    known.setCurrentIndex(known.findText("Priya Nair"))
    qtbot.mouseClick(setup.roster.add_known_button, Qt.MouseButton.LeftButton)
    assert setup.roster.names() == ["Priya Nair"]
    assert known.findText("Priya Nair") == -1  # not offered twice


def test_three_people_leave_facilitation_to_the_trainer(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    setup = setup_screen(qtbot, main_window)
    setup.plan_panel.combo.setCurrentIndex(setup.plan_panel.combo.findData(PLAN))
    type_names(qtbot, setup, "Ann, Ben, Cat")
    assert {setup.table.item(r, 3).text() for r in range(setup.table.rowCount())} == {"Trainer"}


def test_cancel_returns_to_start(qtbot: QtBot, main_window: MainWindow) -> None:
    setup = setup_screen(qtbot, main_window)
    qtbot.mouseClick(setup.cancel_button, Qt.MouseButton.LeftButton)
    assert main_window.stack.currentWidget() is main_window.start


# -- theme and start-up ---------------------------------------------------------------------------


def test_theme_switch_persists(main_window: MainWindow, isolated_settings: Path) -> None:
    assert not theme.is_dark()
    main_window.dark_action.trigger()
    assert theme.is_dark()
    assert settings.dark()
    # A fresh read, as the next start does, sees a real bool (not the string "true").
    assert (
        QSettings(
            QSettings.Format.IniFormat,
            QSettings.Scope.UserScope,
            theme.ORGANIZATION,
            theme.APPLICATION,
        ).value(settings.DARK, type=bool)
        is True
    )
    main_window.dark_action.trigger()
    assert not theme.is_dark()
    assert settings.dark() is False


def test_demo_opens_straight_into_a_session_on_the_qasync_loop(
    monkeypatch: pytest.MonkeyPatch, screens: Path
) -> None:
    import asyncio
    import sys

    import qasync

    from ui import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its own
    seen: dict[str, object] = {}

    def look() -> None:
        window = shown_window()
        if window.console is None:  # it opens in the loop's first turn
            drive.after(50, look)
            return
        seen["loop"] = type(asyncio.get_event_loop())

        seen["console"] = window.stack.currentWidget() is window.console
        seen["title"] = window.windowTitle()
        QApplication.quit()

    with driving(60_000) as drive:
        drive.after(300, look)
        assert app_module.run_app(demo=True) == 0
    assert seen["loop"] is qasync.QEventLoop
    assert seen["console"] is True
    assert "HotDash Role-Play" in str(seen["title"])


def test_store_that_cannot_open_is_a_message_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ui import app as app_module

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = app_module.run_app(db_url=None, data_dir=blocker / "data", demo=False)
    assert code == 1
    assert shown and "cannot start" in shown[0]


def test_a_restarted_app_reopens_the_live_session_it_showed(
    qtbot: QtBot, services: Services, main_window: MainWindow, tmp_path: Path
) -> None:

    sid = services.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
    services.live(sid).toggle()  # the session is under way
    console_opened(qtbot, main_window, sid)
    main_window.shutdown()  # the app quits (or dies) with the console open

    restarted = open_services(data_dir=tmp_path / "data")  # the same store, a new app
    try:
        again = MainWindow(restarted)
        qtbot.addWidget(again)
        assert resumed(qtbot, again) is not None
        assert again.session_id == sid and again.stack.currentWidget() is again.console

        again.show_start()  # the trainer went back to the start screen: no reopening next time
        third = MainWindow(restarted)
        qtbot.addWidget(third)
        assert resumed(qtbot, third) is None
        assert third.session_id is None
    finally:
        restarted.close()
