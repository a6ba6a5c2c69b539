"""The projector: a second top-level window the room reads from the back.

It shows only what the room may see in each phase: never observers' feedback (only how many
checklists are in) and never the expert decision before the trainer reveals it in the debrief.
Text sizes follow the window's height, so full-screen on a projector they follow the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from hotdash_roleplay.clock import Status, Tone
from hotdash_roleplay.plans import PhaseKey
from hotdash_roleplay.played import rounds_played_text
from hotdash_roleplay.room_screen import role_names, room_screen
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.room import ProjectorPlacement
from hotdash_roleplay.services.sessions import SessionService
from hotdash_roleplay.services.views import RoundView
from hotdash_roleplay.services.worker import StoreWorker
from ui.console import follow
from ui.console.round_scenario import RoundScenario
from ui.join_panel import JoinPanel
from ui.observer_host import ObserverHost
from ui.widgets.labels import text_label
from ui.widgets.style import set_style_property

REPAINT_MS = 200
TIMER_PHASES = (PhaseKey.ROLEPLAY, PhaseKey.DECISION)
JOIN_SHARE = 0.45  # of the height, for the join screen shown beside the Brief's text
# High contrast whatever the app theme: white on black, tones with words as well as colour.
STYLE = """
#projector { background: #000000; }
#projector QLabel { color: #ffffff; background: transparent; }
#projector QLabel[muted="true"] { color: #d8d8d8; }
#projector QLabel#projectorTimer[tone="warning"],
#projector QLabel#projectorState[tone="warning"] { color: #ffd54f; }
#projector QLabel#projectorTimer[tone="overtime"],
#projector QLabel#projectorState[tone="overtime"] { color: #ff8a80; }
"""
STATE_MARKS = {Tone.NORMAL: "", Tone.WARNING: "⚠ ", Tone.OVERTIME: ""}


def _text_height(text: str, pixels: int, width: int) -> int:
    font = QFont()
    font.setPixelSize(max(12, pixels))
    flags = int(Qt.TextFlag.TextWordWrap)
    return QFontMetrics(font).boundingRect(QRect(0, 0, width, 100_000), flags, text).height()


class ProjectorWindow(QWidget):
    command = Signal(str)  # toggle / next / plus / minus: the console runs them
    # The trainer changed it with its own keys or closed it: a ProjectorPlacement, or None.
    placement_changed = Signal(object)

    def __init__(
        self,
        worker: StoreWorker,
        sessions: SessionService,
        live: LiveSession,
        observers: ObserverHost,
        parent: QWidget | None = None,
    ):
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("projector")
        self.setWindowTitle("HotDash Role-Play — projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self._live = live
        self._scenario = RoundScenario(worker, sessions, live, self, self.refresh)
        self._target: QScreen | None = None
        self.observers = observers  # the console's host; the projector never starts a server
        self._show_timer = False
        self._shown_phase: tuple[int, bool] | None = None  # the phase whose texts are shown
        self.sizes: dict[str, int] = {}

        self.header_label = text_label("", self, name="projectorHeader", muted=True)
        self.title_label = text_label("", self, name="projectorTitle")
        self.body_label = text_label("", self, name="projectorBody")
        self.extra_label = text_label("", self, name="projectorExtra")
        self.timer_label = text_label("", self, name="projectorTimer")
        self.timer_label.setWordWrap(False)
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label = text_label("", self, name="projectorState")
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The first round's Brief and the observer feedback phase: address, QR, code (and in
        # feedback the count; it follows the host's signals, so submissions show up at once).
        self.join_panel = JoinPanel(observers, self)
        self.join_panel.hide()
        layout = QVBoxLayout(self)
        # Long text shrinks to fit (see _shrink_to_fit); it must never grow the window.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._layout = layout
        for label in (self.header_label, self.title_label, self.body_label, self.extra_label):
            layout.addWidget(label)
        layout.addWidget(self.join_panel, 1)
        layout.addStretch(1)
        self._spacer_index = layout.count() - 1
        layout.addWidget(self.timer_label)
        layout.addWidget(self.state_label)
        self._add_keys()

        # Everything it shows comes from memory (the live session, the round's scenario once
        # read on the store worker): a change never waits on the store.
        follow(live, self, self._clock_changed, (Change.CLOCK,))
        others = (Change.ROUND, Change.PEOPLE, Change.DECISION, Change.DEBRIEF, Change.FEEDBACK)
        follow(live, self, self.refresh, others)
        observers.serving_changed.connect(self.refresh)  # the Brief's join screen comes and goes
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self._on_screen_removed)
        self._repaint = QTimer(self)
        self._repaint.setInterval(REPAINT_MS)
        self._repaint.timeout.connect(self._tick)
        self._repaint.start()
        self.resize(1280, 720)
        self.refresh()

    def _add_keys(self) -> None:
        keys: list[tuple[list[str], object]] = [
            (["F11"], self.toggle_full_screen),
            (["Escape"], self.leave_full_screen),
            (["Space"], lambda: self.command.emit("toggle")),
            (["N"], lambda: self.command.emit("next")),
            (["+", "="], lambda: self.command.emit("plus")),
            (["-"], lambda: self.command.emit("minus")),
        ]
        for sequences, slot in keys:
            action = QAction(self)
            action.setShortcuts([QKeySequence(s) for s in sequences])
            action.triggered.connect(slot)
            self.addAction(action)

    # -- placement ----------------------------------------------------------------------------

    @property
    def target_screen(self) -> QScreen | None:
        return self._target

    def show_on(self, screen: QScreen | None = None, full_screen: bool = True) -> None:
        """Put the window on a screen (default: the main one), full-screen there or windowed."""
        screen = screen or QGuiApplication.primaryScreen()
        self._target = screen
        if self.isFullScreen():
            self.showNormal()  # a full-screen window only moves once it is normal again
        self.setScreen(screen)
        geometry = screen.geometry()
        if full_screen:
            self.setGeometry(geometry)
            self.showFullScreen()
        else:
            size = geometry.size() * 0.6
            self.setGeometry(geometry.x() + 40, geometry.y() + 40, size.width(), size.height())
            self.show()
        self.raise_()
        self._repaint.start()
        self._apply_sizes()

    def placement(self) -> ProjectorPlacement:
        """Where it is now, to reopen it there after a restart."""
        screen = self._target or self.screen()
        return ProjectorPlacement(screen=screen.name(), full_screen=self.isFullScreen())

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.show_on(self._target, full_screen=False)
        else:
            self.show_on(self._target or self.screen(), full_screen=True)
        self.placement_changed.emit(self.placement())

    def leave_full_screen(self) -> None:
        self.showNormal()
        self.placement_changed.emit(self.placement())

    def _on_screen_removed(self, screen: QScreen) -> None:
        """The projector was unplugged: come back to the main screen, as we were."""
        if screen is not self._target and screen is not self.screen():
            return
        primary = QGuiApplication.primaryScreen()
        fallback = primary if primary is not screen else None
        if fallback is None:
            others = [s for s in QGuiApplication.screens() if s is not screen]
            fallback = others[0] if others else None
        if fallback is None:
            return
        if self.isVisible():
            self.show_on(fallback, full_screen=self.isFullScreen())
        else:
            self._target = fallback

    # -- content ------------------------------------------------------------------------------

    def _clock_changed(self) -> None:
        """Within a phase only the timer changes; another phase (or its end) shows other
        texts."""
        view = self._live.view()
        if (view.phase_index, view.status is Status.FINISHED) != self._shown_phase:
            self.refresh()
        else:
            self._tick()

    def refresh(self) -> None:
        """What the room may see in this phase."""
        rnd = self._live.round
        view = self._live.view()
        self._shown_phase = (view.phase_index, view.status is Status.FINISHED)
        detail = self._live.detail
        texts = {"header": "", "title": "", "body": "", "extra": ""}
        show_timer = False
        joining = False
        if rnd is None:
            texts["title"] = "Session complete"
            played = rounds_played_text(detail.rounds_played, detail.round_count)
            texts["body"] = f"{played}. Thank you!"
        elif view.status is Status.FINISHED:
            texts["header"] = f"Round {rnd.number} of {detail.round_count}"
            texts["title"] = f"Round {rnd.number} complete"
            texts["body"] = self._next_round_text(rnd)
        else:
            texts["header"] = f"Round {rnd.number} of {detail.round_count} · {view.phase_title}"
            texts.update(self._phase_texts(rnd, view.phase_key))
            show_timer = view.phase_key in TIMER_PHASES
            # Everyone joins in the first round's Brief (and may later); observers' feedback.
            first_brief = view.phase_key == PhaseKey.BRIEF and rnd.index == 0
            joining = view.phase_key == PhaseKey.FEEDBACK or (
                first_brief and self.observers.serving
            )
            self.join_panel.set_for_everyone(first_brief)
        for key, label in (
            ("header", self.header_label),
            ("title", self.title_label),
            ("body", self.body_label),
            ("extra", self.extra_label),
        ):
            label.setText(texts[key])
            label.setVisible(bool(texts[key]))
        self.join_panel.setVisible(joining)
        if joining:
            self.join_panel.refresh()  # feedback may have been opened or closed by hand
        # The join panel takes the free height; otherwise the spacer keeps the timer low.
        self._layout.setStretch(self._spacer_index, 0 if joining else 1)
        self._show_timer = show_timer
        self.timer_label.setVisible(show_timer)
        self.state_label.setVisible(show_timer)
        self.timer_label.clear()
        self.state_label.clear()
        self._tick()
        self._apply_sizes()

    def _phase_texts(self, rnd: RoundView, phase: str) -> dict[str, str]:
        if phase == PhaseKey.FEEDBACK:
            return {}  # the join panel says it all; never the checklists' content
        scenario = self._scenario.now()
        if scenario is None:  # still being read: the round's title until it lands
            return {"title": rnd.scenario_title}
        screen = room_screen(rnd, scenario, phase)
        return {
            "title": screen.title,
            "body": "\n".join(screen.body),
            "extra": "\n".join(screen.extra),
        }

    def _next_round_text(self, rnd: RoundView) -> str:
        rounds = self._live.detail.rounds
        if rnd.index + 1 >= len(rounds):
            return "That was the last round."
        upcoming = rounds[rnd.index + 1]
        roles = " · ".join(f"{role}: {who}" for role, who in role_names(upcoming))
        return f"Next: round {upcoming.number}\n{roles}"

    def _tick(self) -> None:
        if not self._show_timer:
            return
        view = self._live.view()
        self.timer_label.setText(view.text)
        self.state_label.setText(STATE_MARKS[view.tone] + view.state_label)
        for label in (self.timer_label, self.state_label):
            set_style_property(label, "tone", view.tone.value)

    # -- sizes --------------------------------------------------------------------------------

    def _apply_sizes(self) -> None:
        """Font sizes from the height: the timer takes at least a fifth of it.

        Sizes go into this window's style sheet: an app theme's `QWidget { font-size }` rule
        would override fonts set with setFont."""
        height = max(self.height(), 360)
        margin = height // 24
        self._layout.setContentsMargins(margin, margin, margin, margin)
        sizes = {
            "projectorHeader": height // 26,
            "projectorTitle": height // 13,
            "projectorBody": height // 20,
            "projectorExtra": height // 20,
            "projectorTimer": int(height * 0.22),
            "projectorState": height // 18,
        }
        self._shrink_to_fit(sizes, height, self.width() - 2 * margin)
        rules = [STYLE]
        for name, pixels in sizes.items():
            weight = 700 if name in ("projectorTitle", "projectorTimer") else 400
            size = max(12, pixels)
            rules.append(
                f"#projector QLabel#{name} {{ font-size: {size}px; font-weight: {weight}; }}"
            )
        sheet = "\n".join(rules)
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)
        self.sizes = sizes

    def _shrink_to_fit(self, sizes: dict[str, int], height: int, width: int) -> None:
        """Long scenario text must not push the timer off screen: shrink the text, not the timer."""
        width = max(200, width)
        spacing = max(0, self._layout.spacing())
        fixed = self._layout.contentsMargins().top() * 2
        if self._show_timer:
            fixed += _text_height("00:00", sizes["projectorTimer"], width)
            fixed += _text_height("Running", sizes["projectorState"], width)
        if not self.join_panel.isHidden():  # the Brief's join screen keeps a readable share
            fixed += int(height * JOIN_SHARE)
        texts = {
            "projectorHeader": self.header_label.text(),
            "projectorTitle": self.title_label.text(),
            "projectorBody": self.body_label.text(),
            "projectorExtra": self.extra_label.text(),
        }
        for _ in range(15):
            used = fixed + sum(
                _text_height(text, sizes[name], width) + spacing
                for name, text in texts.items()
                if text
            )
            if used <= height:
                return
            for name in ("projectorTitle", "projectorBody", "projectorExtra"):
                sizes[name] = max(12, int(sizes[name] * 0.88))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_sizes()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._repaint.stop()
        super().closeEvent(event)
        self.placement_changed.emit(None)

    def visible_texts(self) -> list[str]:
        """Every text the room can see now (tests check nothing secret is among them)."""
        return [lbl.text() for lbl in self.findChildren(QLabel) if lbl.isVisible() and lbl.text()]
