"""The trainer's live console: one round at a time, phase by phase, keyboard first.

Time always comes from ``live.view()``; the QTimer here only asks for a repaint. Every action
goes through ``LiveSession``, which shows it at once and saves it on the store worker; each
part of the screen repaints only for the changes it shows, from what is already loaded, so a
key press never waits on the store. Every refusal is shown in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QScreen, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.clock import (
    DRILL_BENCHMARK_SECONDS,
    DRILL_MARKS,
    ClockView,
    Status,
    current_drill_stage,
    format_duration,
)
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.plans import PhaseKey
from hotdash_roleplay.played import rounds_played_text
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.room import ProjectorPlacement
from ui.autosave import flush_typing
from ui.background import gui_thread_caller, report, run_in_background
from ui.console import follow
from ui.console.checklist_panel import ChecklistPanel
from ui.console.decision_panel import DecisionPanel
from ui.console.projector import ProjectorWindow
from ui.console.roles_strip import PeoplePanel, RolesStrip
from ui.console.round_scenario import RoundScenario
from ui.console.scenario_card import ScenarioCard
from ui.console.timeline import Timeline
from ui.console.timer_widget import TimerWidget
from ui.heap import freeze_long_lived
from ui.observer_host import ObserverHost
from ui.observer_status import ObserverStatusWidget
from ui.tables import fit_columns
from ui.widgets.notices import show_notice
from ui.widgets.scroll import scrolled
from ui.widgets.steady import NoticeSlot, fit_texts

REPAINT_MS = 200
MINUTE = 60
# The tab that fits each phase; the console switches to it when the phase begins.
PHASE_TABS: dict[str, str] = {  # by the clock's phase key (a PhaseKey is a str)
    PhaseKey.DECISION: "decision",
    PhaseKey.FEEDBACK: "checklists",
    PhaseKey.DEBRIEF: "debrief",
}
TOGGLE_TEXT = {
    Status.READY: "Start",
    Status.RUNNING: "Pause",
    Status.PAUSED: "Resume",
    Status.FINISHED: "Start",
}
SHOW_PROJECTOR = "Show projector (F11)"
HIDE_PROJECTOR = "Hide projector"


def _debrief_panel(services: Services, live: LiveSession, parent: QWidget) -> QWidget:
    """The debrief panel, written alongside this console (loaded when the console opens)."""
    from ui.console.debrief_panel import DebriefPanel

    return DebriefPanel(
        services.worker, services.sessions, services.feedback, services.debrief, live, parent
    )


def _assessment_panel(
    services: Services, live: LiveSession, decision: DecisionPanel, parent: QWidget
) -> QWidget | None:
    """The assessor's marks, in a certification assessment only; they follow each decision
    recorded."""
    from hotdash_roleplay.plans import PlanMode

    if live.detail.mode != PlanMode.CERTIFICATION:
        return None
    from ui.console.assessment_panel import AssessmentPanel

    panel = AssessmentPanel(services.worker, services.certification, live, parent)
    decision.recorded.connect(lambda _view: panel.refresh())
    return panel


class ConsoleScreen(QWidget):
    """The live session's screen. It holds the services locator because the observer page's
    server (in the core) serves the whole observer API from it; each panel gets only the
    services it calls."""

    back_requested = Signal()

    def __init__(self, services: Services, live: LiveSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("console")
        self._services = services
        self._live = live
        self._round_id: int | None = None
        self._phase_key: str | None = None
        self._confirm_round: int | None = None  # round whose early close was warned about
        self.projector: ProjectorWindow | None = None
        # Serves the observer page while feedback is open. No Qt parent: deleting this console
        # must not delete it while its server is still stopping (see closeEvent).
        self.observers = ObserverHost(services, live)

        # Refused writes are told in the window; the session then shows what is stored.
        live.answer_on(gui_thread_caller(), report)
        self._build()
        self._scenario = RoundScenario(
            services.worker, services.sessions, live, self, self._show_scenario
        )
        follow(live, self, self._on_round, (Change.ROUND, Change.PEOPLE))
        follow(live, self, self._tick, (Change.CLOCK,))
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._fill_screens)
            app.screenRemoved.connect(self._fill_screens)
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._on_round()
        freeze_long_lived()  # its modules and the session, kept while it runs (ui/heap.py)

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setObjectName("consoleHeading")
        self.heading.setProperty("role", "title")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)  # a long session title wraps instead of widening the window
        self.screen_box = QComboBox(self)
        self.screen_box.setObjectName("projectorScreen")
        self.screen_box.setAccessibleName("Projector screen")
        self.screen_box.currentIndexChanged.connect(self._screen_chosen)
        screen_label = QLabel("Projector on:", self)
        screen_label.setBuddy(self.screen_box)
        # One place for Show and Hide: the second click of a pair hides what the first showed.
        self.projector_button = self._button(SHOW_PROJECTOR, "Show the projector full-screen")
        fit_texts(self.projector_button, SHOW_PROJECTOR, HIDE_PROJECTOR)
        self.projector_button.clicked.connect(self.show_or_hide_projector)
        self.exit_button = self._button("Sessions", "Back to the list of sessions")
        self.exit_button.clicked.connect(self.back_requested.emit)
        head = QHBoxLayout()
        head.addWidget(self.heading, 1)
        head.addWidget(screen_label)
        head.addWidget(self.screen_box)
        head.addWidget(self.projector_button)
        head.addWidget(self.exit_button)

        # Its height is kept while hidden: a notice never pushes the controls under the pointer.
        self.message = NoticeSlot(self)
        self.message.setObjectName("consoleMessage")

        self.timer = TimerWidget(self)
        self.drill_label = QLabel(self)
        self.drill_label.setObjectName("drillStage")
        self.drill_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drill_label.setVisible(self._live.detail.drill)
        controls = self._build_controls()
        left = QVBoxLayout()
        left.addWidget(self.timer)
        left.addWidget(self.drill_label)
        left.addLayout(controls)
        self.roles = RolesStrip(self)
        self.timeline = Timeline(self)
        right = QVBoxLayout()
        right.addWidget(self.roles)
        right.addWidget(self.timeline)
        right.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 2)
        top.addLayout(right, 3)

        self.card = ScenarioCard(self)
        self.decision = DecisionPanel(
            self._services.worker,
            self._services.decisions,
            self._services.sessions,
            self._live,
            self,
        )
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("consoleTabs")
        self.tabs.setAccessibleName("Decision, checklists, debrief and people")
        self.checklists = ChecklistPanel(
            self._services.worker, self._services.feedback, self._live, self
        )
        self.observer_status = ObserverStatusWidget(self.observers, self)
        checklist_page = QWidget(self)
        checklist_layout = QVBoxLayout(checklist_page)
        checklist_layout.setContentsMargins(0, 0, 0, 0)
        checklist_layout.addWidget(self.observer_status)
        checklist_layout.addWidget(self.checklists, 1)
        # Browser saves show up live; a form on the same observer reloads instead of saving
        # its stale answers over theirs; saves here update the projector's count.
        self.observers.statuses_changed.connect(self.checklists.refresh)
        self.observers.submissions_changed.connect(self.checklists.reload_observers)
        self.checklists.saved.connect(self.observers.refresh_soon)
        self.debrief = _debrief_panel(self._services, self._live, self)
        self.people = PeoplePanel(self._services.sessions, self._live, self._services.worker, self)
        fit_columns(self.people.table, content_sized=(0,))  # long names elide, rows stay even
        self._tab_index: dict[str, int] = {}
        for key, title, page in (
            ("decision", "Decision", self.decision),
            ("checklists", "Checklists", checklist_page),
            ("debrief", "Debrief", self.debrief),
            ("people", "People", self.people),
        ):
            self._tab_index[key] = self.tabs.addTab(scrolled(page, self), title)
        self.assessment = _assessment_panel(self._services, self._live, self.decision, self)
        if self.assessment is not None:
            self._tab_index["assessment"] = self.tabs.addTab(
                scrolled(self.assessment, self), "Assessment"
            )
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.card)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        self.card.setMinimumWidth(300)
        self.splitter.setSizes([420, 780])

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._fill_screens()

    def _button(self, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        return button

    def _build_controls(self) -> QGridLayout:
        def command(
            text: str, accessible: str, keys: list[str], slot: Callable[[], None]
        ) -> QPushButton:
            action = QAction(accessible, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            # Only while the console (or a child) has focus, so other screens keep their keys.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            hint = f" ({keys[0]})" if keys else ""
            button = self._button(text, accessible + hint)
            button.clicked.connect(action.trigger)
            return button

        self.toggle_button = command("Start", "Start or pause the timer", ["Space"], self.toggle)
        self.toggle_button.setProperty("role", "primary")
        self.minus_button = command(
            "−1 min", "One minute less", ["-"], lambda: self.adjust(-MINUTE)
        )
        self.plus_button = command(
            "+1 min", "One minute more", ["+", "="], lambda: self.adjust(MINUTE)
        )
        self.back_button = command("◀ Back", "Back to the previous phase", [], self.previous_phase)
        self.skip_button = command("Skip ▶", "Skip to the next phase", ["N"], self.next_phase)
        self.next_round_button = command(
            "Next round", "Close this round, go to the next", [], self.next_round
        )
        fullscreen = QAction("Projector full-screen", self)
        fullscreen.setShortcut(QKeySequence("F11"))
        fullscreen.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        fullscreen.triggered.connect(self.toggle_projector)
        self.addAction(fullscreen)
        # Each button as wide as its longest wording, in even columns: a new wording
        # ("Pause", "Finish round") never moves a button.
        fit_texts(self.toggle_button, *(f"{t} (Space)" for t in TOGGLE_TEXT.values()))
        fit_texts(self.skip_button, "Skip ▶ (N)", "Finish round (N)")
        fit_texts(self.next_round_button, "Next round", "Finish session")
        grid = QGridLayout()
        for column in range(4):
            grid.setColumnStretch(column, 1)
        grid.addWidget(self.toggle_button, 0, 0, 1, 2)
        grid.addWidget(self.minus_button, 0, 2)
        grid.addWidget(self.plus_button, 0, 3)
        grid.addWidget(self.back_button, 1, 0)
        grid.addWidget(self.skip_button, 1, 1)
        grid.addWidget(self.next_round_button, 1, 2, 1, 2)
        return grid

    # -- actions ------------------------------------------------------------------------------

    def _run(self, action: Callable[[], object], keep_confirm: bool = False) -> bool:
        """Run a live action; a refusal is shown in the window, never raised."""
        if not keep_confirm:
            self._confirm_round = None
        try:
            action()
        except UserError as exc:
            self.show_message(str(exc), "error")
            return False
        self.message.hide()
        return True

    def toggle(self) -> None:
        self._run(self._live.toggle)

    @property
    def running_phase(self) -> str | None:
        """The title of the phase whose clock is counting, else None (leaving the console
        then asks whether to pause it)."""
        view = self._live.view()
        running = self._live.round is not None and view.status is Status.RUNNING
        return view.phase_title if running else None

    def pause(self) -> None:
        if self.running_phase is not None:
            self.toggle()

    def adjust(self, seconds: int) -> None:
        before = self._live.view().planned_seconds
        if (
            self._run(lambda: self._live.adjust(seconds))
            and self._live.view().planned_seconds == before
        ):
            self.show_message(
                "The phase cannot be shorter than the time already spent in it.", "notice"
            )

    def _undecided(self) -> int | None:
        """The live round's number while it has no recorded decision, else None (as the
        Decision tab has it: loaded with the round, or just recorded)."""
        rnd = self._live.round
        if rnd is None or self.decision.decided:
            return None
        return rnd.number

    def next_phase(self) -> None:
        leaving_decision = self._live.view().phase_key == "decision"
        number = self._undecided()
        if self._run(self._live.next_phase) and leaving_decision and number is not None:
            # Non-blocking: the round goes on, and the Decision tab (and its draft) stays usable.
            self.show_message(
                f"No decision recorded for round {number} yet — record it in the Decision tab.",
                "notice",
            )

    def previous_phase(self) -> None:
        self._run(self._live.previous_phase)

    def next_round(self) -> None:
        rnd = self._live.round
        if rnd is None:
            self.show_message("The session is complete: there is no round left.", "notice")
            return
        view = self._live.view()
        undecided = self._undecided() is not None
        if (view.status is not Status.FINISHED or undecided) and self._confirm_round != rnd.id:
            # One stray click must not end a round mid-phase, nor close it without its decision
            # (the panel follows the live round, so it could not be recorded later): warn in
            # the window and take a second click as the answer.
            self._confirm_round = rnd.id
            parts = []
            if view.status is not Status.FINISHED:
                parts.append(f"Round {rnd.number} is still in {view.phase_title}.")
            if undecided:
                parts.append(
                    f"No decision recorded for round {rnd.number} yet — "
                    "record it in the Decision tab."
                )
            parts.append(f"Press {self.next_round_button.text()} again to close it.")
            self.show_message(" ".join(parts), "notice")
            return
        flush_typing(self)  # queued on the store worker ahead of the round's close
        self._run(self._live.next_round)

    def current_tab(self) -> str:
        index = self.tabs.currentIndex()
        return next(key for key, i in self._tab_index.items() if i == index)

    def show_message(self, text: str, role: str = "error") -> None:
        show_notice(self.message, text, role)

    # -- projector ----------------------------------------------------------------------------

    def chosen_screen(self) -> QScreen | None:
        screen = self.screen_box.currentData()
        return screen if isinstance(screen, QScreen) else QGuiApplication.primaryScreen()

    def _fill_screens(self, *_: object) -> None:
        current = self.screen_box.currentData()
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        self.screen_box.blockSignals(True)
        self.screen_box.clear()
        for screen in screens:
            size = screen.geometry().size()
            main = " (main)" if screen is primary else ""
            self.screen_box.addItem(f"{screen.name()} {size.width()}×{size.height()}{main}", screen)
        # Keep the choice if that screen is still here, else prefer a screen that is not the main.
        keep = screens.index(current) if current in screens else None
        others = [i for i, s in enumerate(screens) if s is not primary]
        self.screen_box.setCurrentIndex(keep if keep is not None else (others or [0])[0])
        self.screen_box.blockSignals(False)

    def _screen_chosen(self, _index: int) -> None:
        if self.projector is not None and self.projector.isVisible():
            self.projector.show_on(self.chosen_screen(), self.projector.isFullScreen())
            self._remember_projector(self.projector.placement())

    def ensure_projector(self) -> ProjectorWindow:
        if self.projector is None:
            services = self._services
            self.projector = ProjectorWindow(
                services.worker, services.sessions, self._live, self.observers
            )
            self.projector.command.connect(self._projector_command)
            self.projector.installEventFilter(self)
            self.projector.placement_changed.connect(self._remember_projector)
        return self.projector

    def toggle_projector(self) -> None:
        """F11: show the projector full-screen on the chosen screen; again: windowed and back."""
        projector = self.ensure_projector()
        if not projector.isVisible():
            projector.show_on(self.chosen_screen(), full_screen=True)
            self._remember_projector(projector.placement())
        else:
            projector.toggle_full_screen()

    def restore_projector(self) -> None:
        """Reopen the projector as the trainer left it in this session (after a restart too):
        on the same screen when it is still there, full-screen if it was."""
        # On the worker, behind a placement still being stored (the console reopened at once).
        read = partial(self._services.room.projector, self._live.session_id)
        run_in_background(self._services.worker, self, read, self._reopen_projector)

    def _reopen_projector(self, placement: ProjectorPlacement | None) -> None:
        if placement is None or self.projector is not None:
            return  # not left open, or the trainer opened it meanwhile
        names = [self.screen_box.itemData(i).name() for i in range(self.screen_box.count())]
        if placement.screen in names:
            self.screen_box.blockSignals(True)
            self.screen_box.setCurrentIndex(names.index(placement.screen))
            self.screen_box.blockSignals(False)
        self.ensure_projector().show_on(self.chosen_screen(), placement.full_screen)

    def _remember_projector(self, placement: ProjectorPlacement | None) -> None:
        remember = partial(self._services.room.set_projector, self._live.session_id, placement)
        run_in_background(self._services.worker, self, remember)

    def hide_projector(self) -> None:
        if self.projector is not None:
            self.projector.close()

    def show_or_hide_projector(self) -> None:
        if self.projector is not None and self.projector.isVisible():
            self.hide_projector()
        else:
            self.toggle_projector()

    def _sync_projector_button(self) -> None:
        shown = self.projector is not None and self.projector.isVisible()
        self.projector_button.setText(HIDE_PROJECTOR if shown else SHOW_PROJECTOR)
        tip = "Close the projector window" if shown else "Show the projector full-screen (F11)"
        self.projector_button.setAccessibleName(tip)
        self.projector_button.setToolTip(tip)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.projector and event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self._sync_projector_button()  # however it was shown or closed
        return super().eventFilter(watched, event)

    def _projector_command(self, name: str) -> None:
        commands: dict[str, Callable[[], None]] = {
            "toggle": self.toggle,
            "next": self.next_phase,
            "plus": lambda: self.adjust(MINUTE),
            "minus": lambda: self.adjust(-MINUTE),
        }
        commands[name]()

    # -- following the session ----------------------------------------------------------------

    def _on_round(self) -> None:
        """Another round, or its people changed: everything but the clock follows."""
        detail = self._live.detail
        rnd = self._live.round
        if rnd is None:
            self.heading.setText(
                f"{detail.title} — complete: "
                f"{rounds_played_text(detail.rounds_played, detail.round_count)}"
            )
        else:
            self.heading.setText(
                f"Round {rnd.number} of {detail.round_count} · {rnd.scenario_title}"
            )
        if rnd is None or rnd.id != self._round_id:
            self._round_id = rnd.id if rnd else None
            self._phase_key = None
            self._show_scenario()
            if rnd is not None:
                self._switch_tab("decision")  # a new round starts on its decision
        self._load_scenarios()
        self.roles.set_round(rnd)
        self.decision.refresh()
        self.people.refresh()
        for button in (
            self.toggle_button,
            self.minus_button,
            self.plus_button,
            self.back_button,
            self.skip_button,
            self.next_round_button,
        ):
            button.setEnabled(rnd is not None)
        last = rnd is not None and rnd.index == detail.round_count - 1
        self.next_round_button.setText("Finish session" if last else "Next round")
        self._tick()

    def _show_scenario(self) -> None:
        self.card.show_round(self._live.round, self._scenario.now())

    def _load_scenarios(self) -> None:
        """Read the rounds' scenarios on the worker now, so the next round shows its card
        (here and on the projector) from memory."""
        sessions = self._services.sessions
        ids = [r.id for r in self._live.detail.rounds]
        run_in_background(
            self._services.worker, self, lambda: [sessions.round_scenario(i) for i in ids]
        )

    def _tick(self) -> None:
        """Every repaint and every clock change: the clock's parts, from memory."""
        if self._live.round is None:
            self.timer.set_done("Session complete")
            self.timeline.hide()
            return
        self.timeline.show()
        view = self._live.view()
        self.timer.set_view(view)
        self.timeline.set_state(view, self._live.summary())
        self.decision.refresh_time()
        self.toggle_button.setText(TOGGLE_TEXT[view.status] + " (Space)")
        self._enable_clock_buttons(view.status is not Status.FINISHED)
        last_phase = view.phase_index == view.phase_count - 1
        self.skip_button.setText(("Finish round" if last_phase else "Skip ▶") + " (N)")
        self._show_drill(view)
        if view.phase_key != self._phase_key and self._live.round is not None:
            self._phase_key = view.phase_key
            if view.status is not Status.READY and view.phase_key in PHASE_TABS:
                self._switch_tab(PHASE_TABS[view.phase_key])

    def _enable_clock_buttons(self, usable: bool) -> None:
        """A finished round's clock cannot start, change or skip: only Back and Next round."""
        buttons = (self.toggle_button, self.minus_button, self.plus_button, self.skip_button)
        if all(b.isEnabled() == usable for b in buttons):
            return
        keep_keys = any(b.hasFocus() for b in buttons)
        for button in buttons:
            button.setEnabled(usable)
        if keep_keys:  # focus stays in the console, on what comes next, so the keys still work
            (self.toggle_button if usable else self.next_round_button).setFocus()

    def _switch_tab(self, key: str) -> None:
        focus = QApplication.focusWidget()
        self.tabs.setCurrentIndex(self._tab_index[key])
        if focus is not None and not focus.isVisible():
            # Qt would hand focus to a field of the new page, where Space types a blank
            # instead of pausing: keep the keyboard on the timer.
            self.toggle_button.setFocus()

    def _show_drill(self, view: ClockView) -> None:
        if not self._live.detail.drill:
            return
        elapsed = self._live.decision_seconds()
        stage = current_drill_stage(elapsed)
        timed = view.phase_key in (PhaseKey.ROLEPLAY, PhaseKey.DECISION)
        if not timed or view.status is Status.READY:
            marks = [format_duration(m) for m in DRILL_MARKS]
            text = (
                f"{DRILL_BENCHMARK_SECONDS}-second drill: marks at {', '.join(marks[:-1])} and "
                f"{marks[-1]} of the role-play"
            )
        elif stage is None:
            text = (
                f"{DRILL_BENCHMARK_SECONDS}-second drill: benchmark passed "
                f"({format_duration(elapsed)})"
            )
        else:
            text = (
                f"Drill stage {stage.index + 1} of {len(DRILL_MARKS)}: {stage.label} "
                f"(until {format_duration(stage.end_seconds)})"
            )
        self.drill_label.setText(text)

    # -- Qt events ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # The shortcuts work while focus is inside the console: start there.
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            self.toggle_button.setFocus()

    async def aclose(self) -> None:
        """Stop the observer server and wait for it (the app quits while the loop still runs)."""
        await self.observers.aclose()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        flush_typing(self)  # the last keys reach the store before it closes
        # On the running loop the server stops cleanly in a task (aclose() awaits the same
        # task); without a loop it stops listening at once.
        self.observers.close_soon()
        if self.projector is not None:
            # Closed with the console, not by the trainer: a restart reopens it.
            self.projector.placement_changed.disconnect(self._remember_projector)
            self.projector.close()

            self.projector.deleteLater()
            self.projector = None
        super().closeEvent(event)
