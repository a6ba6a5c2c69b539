"""The main window: start screen, set-up screen and console in one stack, with the menus."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.status import SessionStatus
from ui import settings, theme
from ui.autosave import StoreLink
from ui.background import report
from ui.leave_question import LeaveQuestion
from ui.widgets.enter_key import press_focused_button

if TYPE_CHECKING:
    from hotdash_roleplay.services import Services
    from hotdash_roleplay.services.glance import SessionGlance
    from hotdash_roleplay.services.live import LiveSession
    from ui.console.console_screen import ConsoleScreen
    from ui.session_lease import LeaseKeeper
    from ui.setup.screen import SetupScreen
    from ui.start_screen import StartScreen

APP_TITLE = theme.APPLICATION
OPENING = "Opening the store…"
STATUS_SECONDS = 8


def opening_text(title: str | None) -> str:
    """Said while a session's console opens (its lease and first read on the store worker)."""
    return f"Opening {title}…" if title else "Opening the session…"


class MainWindow(QMainWindow):
    """Built without services first at start-up, so the window shows before the store opens
    (opening it imports SQLAlchemy, checks and migrates the store, off the GUI thread): it says
    so, lists a first glance at the sessions when there is one (`show_glance`), and `attach`
    completes it."""

    closed = Signal()  # the trainer closed the window (Quit, or the window manager): the app ends

    def __init__(self, services: Services | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_TITLE)
        self.resize(1200, 800)
        self.setMinimumSize(900, 620)

        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.opening: QLabel | None = QLabel(OPENING, self)
        self.opening.setProperty("role", "muted")
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.opening)
        self.start: StartScreen | None = None
        self.store_open = False  # until attach()
        self.setup: SetupScreen | None = None
        self.console: ConsoleScreen | None = None
        self.lease: LeaseKeeper | None = None  # keeps the console's session ours
        self.session_id: int | None = None  # the session the console shows
        self.pending_open: int | None = None  # the session whose console is being opened
        self.link: StoreLink | None = None  # the window's own store calls, once attached
        self.last_message: QMessageBox | None = None
        self.leave_question: LeaveQuestion | None = None  # open while the trainer decides
        self._quitting = False

        self._build_menus()
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().showMessage(OPENING)
        if services is not None:
            self.attach(services)

    def prepare_start(self) -> StartScreen:
        """The start screen, built on first need behind the opening line."""
        if self.start is not None:
            return self.start
        from ui.start_screen import StartScreen

        start = StartScreen(self)
        start.new_session_requested.connect(self.show_setup)
        start.open_requested.connect(self.open_console)
        start.export_requested.connect(self.export_session)
        start.peer_review_requested.connect(self.export_peer_review)
        start.import_requested.connect(self.import_session)
        self.stack.addWidget(start)
        self.start = start
        return start

    def _start_screen(self) -> StartScreen:
        """The start screen in place of the opening line."""
        start = self.prepare_start()
        if self.opening is not None:
            self.stack.setCurrentWidget(start)
            self.stack.removeWidget(self.opening)
            self.opening.deleteLater()
            self.opening = None
        return start

    def show_glance(self, sessions: list[SessionGlance]) -> None:
        """The sessions as read before the store is open: to look at while it opens."""
        self._start_screen().show_sessions(sessions)

    def attach(self, services: Services) -> None:
        """The store is open: complete the start screen and enable what needs the store."""
        self.services = services
        self.link = StoreLink(services.worker, self)
        self.store_open = True
        start = self._start_screen()
        start.attach(services)
        # Other apps on a shared store: their new and changed sessions show up here.
        from ui.session_watch import SessionListWatch

        self.watch = SessionListWatch(services.worker, services.sessions, start)
        self.watch.changed.connect(start.refresh)
        for action in self._store_actions:
            action.setEnabled(True)
        self.statusBar().clearMessage()
        self.show_start()

    def resume_last(self) -> None:
        """After a restart (or a crash), reopen the session the console showed, if it is live
        and no session was opened meanwhile."""
        session_id = settings.last_session(self.services.store.url)
        if not session_id or self.console is not None:
            return
        self._open(session_id, only_if_live=True)

    # -- menus ---------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        session = bar.addMenu("&Session")
        self.new_action = self._action(session, "&New session…", QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.show_setup)
        self.home_action = self._action(session, "&Start screen", QKeySequence("Ctrl+H"))
        self.home_action.triggered.connect(self.leave_to_start)
        session.addSeparator()
        # Exports of the session open in the console (the start screen exports the selected one).
        self.debrief_action = self._action(
            session, "Export &debrief report…", QKeySequence("Ctrl+E")
        )
        self.debrief_action.triggered.connect(lambda: self._export_open("debrief"))
        self.data_action = self._action(session, "Export session &data…", None)
        self.data_action.triggered.connect(lambda: self._export_open("data"))
        self.import_action = self._action(session, "&Import session…", QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_session)
        self._store_actions = [
            self.new_action,
            self.home_action,
            self.debrief_action,
            self.data_action,
            self.import_action,
        ]
        for action in self._store_actions:
            action.setEnabled(False)  # until attach(): the store is still opening
        session.addSeparator()
        # Ctrl+Q everywhere: the platform standard has no key for Quit on Windows.
        quit_action = self._action(session, "&Quit", QKeySequence("Ctrl+Q"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.request_quit)
        # Also from the projector: full-screen on a single screen it is the only window in view.
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action = quit_action

        view = bar.addMenu("&View")
        self.dark_action = self._action(view, "&Dark theme", QKeySequence("Ctrl+Shift+D"))
        self.dark_action.setCheckable(True)
        self.dark_action.setChecked(theme.is_dark())
        self.dark_action.toggled.connect(self.set_dark)

        help_menu = bar.addMenu("&Help")
        about = self._action(help_menu, "&About HotDash Role-Play", None)
        about.triggered.connect(self._about)

    def _action(
        self, menu: QMenu, text: str, keys: QKeySequence | QKeySequence.StandardKey | None
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        menu.addAction(action)
        return action

    def _about(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            f"About {APP_TITLE}",
            "Live role-play training for HotDash support operators: rotation, timing, "
            "observer feedback, debrief and records.",
            parent=self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not exec(): see show_error

    # -- exports (ui.export_actions loads reportlab's callers only when first used) ------------

    def export_session(self, session_id: int, kind: str) -> None:
        from ui import export_actions

        if kind == "debrief":
            export_actions.export_debrief(
                self,
                self.services.sessions,
                self.services.reports,
                session_id,
                worker=self.services.worker,
            )
        else:
            export_actions.export_session_data(
                self,
                self.services.sessions,
                self.services.session_data,
                session_id,
                worker=self.services.worker,
            )

    def export_peer_review(self, person: str) -> None:
        from ui import export_actions

        services = self.services
        export_actions.export_peer_review(
            self, services.people, services.reports, person, worker=services.worker
        )

    def import_session(self) -> None:
        from ui import export_actions

        def done(_result: object) -> None:
            if self.console is None and self.start is not None:
                self.start.refresh()

        export_actions.import_session_file(
            self, self.services.session_data, on_done=done, worker=self.services.worker
        )

    def _export_open(self, kind: str) -> None:
        if self.session_id is None:
            self.show_error("Open a session first, or pick one on the start screen.")
            return
        self.export_session(self.session_id, kind)

    # -- theme ---------------------------------------------------------------------------------

    def set_dark(self, dark: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_theme(app, dark)
        settings.set_dark(dark)
        if self.dark_action.isChecked() != dark:
            self.dark_action.setChecked(dark)
        if self.setup is not None:
            self.setup.refresh_colors()

    # -- screens -------------------------------------------------------------------------------

    def show_start(self) -> None:
        assert self.start is not None, "the store is not open yet"
        if self.console is not None:  # the trainer left the session: don't reopen it at start
            settings.forget_last_session(self.services.store.url)
        self._drop_console()
        self.start.refresh(focus=True)
        self.stack.setCurrentWidget(self.start)
        self.setWindowTitle(APP_TITLE)
        self.start.focus_first()

    def _switching(self) -> bool:
        """A session is being created, or a console opened: the window is about to show it, so
        New session and Start screen wait (as the set-up screen holds Cancel meanwhile); a
        fresh set-up screen would drop the one whose session is being stored."""
        creating = self.setup is not None and self.setup.creating
        return creating or self.pending_open is not None

    def show_setup(self) -> None:
        if self._switching():
            return
        if self.setup is not None:
            self.stack.removeWidget(self.setup)
            self.setup.deleteLater()
        from ui.setup.screen import SetupScreen

        # A fresh form each time: a half-typed roster from earlier must not leak into a new one.
        services = self.services
        self.setup = SetupScreen(
            services.sessions, services.people, services.library, self, worker=services.worker
        )
        self.setup.cancelled.connect(self.show_start)
        self.setup.created.connect(self.open_console)
        self.stack.addWidget(self.setup)
        self.stack.setCurrentWidget(self.setup)
        self.setWindowTitle(f"New session — {APP_TITLE}")
        self.setup.focus_first()

    def open_console(self, session_id: int) -> None:
        """Open the session's console: its lease and first read on the store worker (another
        app may have it: HeldElsewhere), the console built here once they are done."""
        self._open(session_id, only_if_live=False)

    def _open(self, session_id: int, only_if_live: bool) -> None:
        """One opening at a time: a request while one is under way is ignored (the status line
        says which session is opening)."""
        if self.pending_open is not None or self.link is None:
            return
        services = self.services

        def take() -> LiveSession | None:
            if only_if_live:  # resuming: only a session still under way, if it still exists
                try:
                    status = services.sessions.get(session_id).status
                except UserError:
                    return None
                if status != SessionStatus.LIVE:
                    return None
            return services.live(session_id)

        try:
            self.link.request(take, self._opened, self._open_failed)
        except RuntimeError:  # the worker has stopped: the app is closing
            return
        self.pending_open = session_id
        title = self.start.title_of(session_id) if self.start is not None else None
        self.statusBar().showMessage(opening_text(title))
        self.setCursor(Qt.CursorShape.BusyCursor)

    def _opening_ended(self) -> None:
        self.pending_open = None
        self.statusBar().clearMessage()
        self.unsetCursor()

    def _open_failed(self, exc: BaseException) -> None:
        self._opening_ended()
        if self._quitting:
            return
        if isinstance(exc, UserError):  # another app has it open, or it is gone
            self.show_error(str(exc))
        else:
            report(exc)

    def _opened(self, live: LiveSession | None) -> None:
        self._opening_ended()
        if live is None:
            return
        session_id = live.session_id
        if self._quitting:  # closed while it opened: the session stays free for other apps
            with suppress(RuntimeError):  # the worker has stopped: closing released it
                self.services.worker.submit(self.services.leases.release, session_id)
            return
        from ui.console.console_screen import ConsoleScreen  # loads only when a session opens
        from ui.session_lease import LeaseKeeper

        # The same session opened again keeps its lease; another one's is released.
        kept = self.lease if self.session_id == session_id else None
        if kept is not None:
            self.lease = None
        self._drop_console()
        if kept is None:
            kept = LeaseKeeper(self.services.worker, self.services.leases, session_id, self)
            kept.lost.connect(self._lease_lost)
        self.lease = kept
        console = ConsoleScreen(self.services, live, self)
        console.back_requested.connect(self.leave_to_start)
        self.console = console
        self.session_id = session_id
        settings.set_last_session(self.services.store.url, session_id)
        self.stack.addWidget(console)
        self.stack.setCurrentWidget(console)
        self.setWindowTitle(f"{live.detail.title} — {APP_TITLE}")
        if self.setup is not None:
            self.stack.removeWidget(self.setup)
            self.setup.deleteLater()
            self.setup = None
        console.restore_projector()

    # -- leaving the console ------------------------------------------------------------------

    def leave_to_start(self) -> None:
        """The trainer leaves the console for the sessions (asked first while a phase runs)."""
        if self._switching():
            return
        self._leave_console(self.show_start, quitting=False)

    def _leave_console(self, then: Callable[[], None], quitting: bool) -> None:
        """A deliberate leave: while a phase runs, ask whether to pause it, then `then()`.
        (A crash or kill asks nothing and stops nothing: the room's clock goes on.)"""
        console = self.console
        phase = console.running_phase if console is not None else None
        if console is None or phase is None:
            then()
            return
        if self.leave_question is not None:
            self.leave_question.close()  # a new request replaces the one left unanswered
        projector = console.projector
        # Asked over the projector when the key was pressed there, or a full-screen projector
        # would hide the question.
        owner = projector if projector is not None and projector.isActiveWindow() else self
        box = LeaveQuestion(owner, phase, quitting)
        self.leave_question = box

        def answered(button: QAbstractButton) -> None:
            if button is box.cancel_button or self.console is not console:
                return
            if button is box.pause_button:
                console.pause()
            then()

        box.buttonClicked.connect(answered)
        box.finished.connect(lambda _result: self._question_closed(box))
        box.open()

    def _question_closed(self, box: LeaveQuestion) -> None:
        if self.leave_question is box:
            self.leave_question = None

    def request_quit(self) -> None:
        """Session → Quit: the trainer leaves (asked first while a phase runs), the app ends."""
        self._leave_console(self._quit_now, quitting=True)

    def _quit_now(self) -> None:
        self._quitting = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit quits: the console closes its projector and stops the observer server, and the
        app ends even if other windows are open. The window manager's close is the trainer's
        Quit (asked first while a phase runs); a close from the program (the system's quit)
        asks nothing."""
        if event.spontaneous() and not self._quitting:
            running = self.console is not None and self.console.running_phase is not None
            if running:
                event.ignore()
                self.request_quit()
                return
        self._quitting = True
        self._drop_console()
        super().closeEvent(event)
        self.closed.emit()

    def _drop_console(self) -> None:
        if self.console is None:
            return
        self.stack.removeWidget(self.console)
        self.console.close()  # lets the console close its projector window
        self.console.deleteLater()
        self.console = None
        self.session_id = None
        if self.lease is not None:  # after the console's last writes: the worker keeps order
            self.lease.release()
            self.lease.deleteLater()
            self.lease = None

    def _lease_lost(self, message: str) -> None:
        """Another app took the session over (this laptop slept past its lease): leave the
        console, whose changes would no longer be saved, and say so."""
        self.show_start()
        self.show_error(message)

    # -- keys --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a focused button presses it, on every screen: one place for all of them."""
        if not press_focused_button(event, self.focusWidget()):
            super().keyPressEvent(event)

    # -- messages ------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """A refusal or failure, shown in the window; the user carries on."""
        self.statusBar().showMessage(message, STATUS_SECONDS * 1000)
        # open(), not exec(): a nested modal loop would stall the asyncio work sharing this loop.
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, message, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_message = box

    def shutdown(self) -> None:
        self._drop_console()
        if hasattr(self, "services"):  # not attached when the store could not be opened
            self.services.close()
