"""App start: QApplication, theme, the store, then the main window on the qasync event loop.

The qasync loop runs from the start because the observer web server (aiohttp) shares it."""

from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.paths import APP_ICON
from ui import settings, theme
from ui.fonts import register_fallback_fonts
from ui.heap import freeze_long_lived
from ui.main_window import MainWindow
from ui.widgets.wheel_guard import install_wheel_guard

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import Future

    from hotdash_roleplay.services import Services
    from hotdash_roleplay.services.glance import SessionGlance
    from hotdash_roleplay.services.worker import StoreWorker

Opened = tuple["Services", int | None, "tempfile.TemporaryDirectory[str] | None"]


def make_app() -> QApplication:
    app = QApplication.instance()
    made = False
    if not isinstance(app, QApplication):
        app = QApplication([*sys.argv[:1], *theme.STYLE_ARGUMENTS])
        made = True
    app.setOrganizationName(theme.ORGANIZATION)
    app.setApplicationName(theme.APPLICATION)
    app.setApplicationDisplayName(theme.APPLICATION)
    app.setWindowIcon(QIcon(str(APP_ICON)))
    register_fallback_fonts(app)
    theme.apply_theme(app, settings.dark(), set_style=not made)
    return app


def open_store(
    db_url: str | None, data_dir: str | Path | None, demo: bool, worker: StoreWorker | None = None
) -> Opened:
    """Open the store (on `worker`, whose thread it runs on, the services' worker from then
    on); with demo, a throwaway one holding the demo session (whose id is returned) that the
    caller removes on exit. Raises UserError when the store cannot be used."""
    from hotdash_roleplay.services import open_services

    scratch = tempfile.TemporaryDirectory(prefix="hotdash-demo-") if demo else None
    try:
        if scratch is not None:
            from hotdash_roleplay.demo import create_demo_session

            services = open_services(None, scratch.name, worker=worker)
            return services, create_demo_session(services), scratch
        return open_services(db_url, data_dir, worker=worker), None, None
    except BaseException:
        if scratch is not None:
            scratch.cleanup()
        raise


def _install_excepthook(window: MainWindow) -> None:
    """A slot that raises must not end the app: UserError is a message in the window; anything
    else is logged and reported briefly, and the app keeps running."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, UserError):
            window.show_error(str(exc))
            return
        failure = window.services.failure(exc)  # damage found late, a full disk: said plainly
        if failure is not None:
            window.show_error(str(failure))
            return
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        window.show_error(f"Something went wrong: {exc}. The app keeps running.")

    sys.excepthook = hook


async def _run(window: MainWindow, session_id: int | None, done: asyncio.Future[int]) -> int:
    """Open the session on the running loop (a console resumed in its feedback phase serves the
    observer page at once, and that server needs the loop), then wait for the quit."""
    if session_id is not None:
        window.open_console(session_id)
    else:
        window.resume_last()
    return await done


async def _stop_serving(window: MainWindow) -> None:
    """Stop the console's observer server while the loop still runs, so its connections close
    cleanly and no task is left pending when the loop closes."""
    from ui.observer_host import wait_all_closed

    aclose = getattr(window.console, "aclose", None)
    if aclose is not None:
        await aclose()
    await wait_all_closed()  # servers of consoles closed earlier, still stopping


async def _open(
    app: QApplication,
    window: MainWindow,
    glance: Future[list[SessionGlance] | None] | None,
    open_on_worker: Callable[[], Future[Opened]],
) -> Opened:
    """While the worker opens the store, the window stays responsive and says it is opening
    the store; a first glance at the sessions is listed before that starts (the opening's
    imports would otherwise compete with building the list for the interpreter)."""
    import asyncio

    if glance is not None:
        sessions = await asyncio.wrap_future(glance)
        if sessions is not None:
            window.show_glance(sessions)
    # Once the first screen is up: while an application-wide event filter is installed, Qt
    # finds the Python type of each object an event reaches, and the first such searches load
    # most of Qt's Python types (some 30 ms), which would delay the list on the screen.
    install_wheel_guard(app)
    return await asyncio.wrap_future(open_on_worker())


def _list_if_read(
    window: MainWindow, glance: Future[list[SessionGlance] | None] | None
) -> Future[list[SessionGlance] | None] | None:
    """The first glance listed if it has been read (then None), else the glance still to come."""
    if glance is None or not glance.done():
        return glance
    if glance.exception() is None and (sessions := glance.result()) is not None:
        window.show_glance(sessions)
    return None


def run_app(
    db_url: str | None = None, data_dir: str | Path | None = None, demo: bool = False
) -> int:
    from hotdash_roleplay.services.glance import first_glance
    from hotdash_roleplay.services.worker import StoreWorker

    # The store's work goes to the one store worker (the services' worker once open), off the
    # GUI thread: a first glance at the sessions at once (one sqlite3 read that does not hold
    # the interpreter), the full open (SQLAlchemy, checks, migrations) once that is listed.
    worker = StoreWorker()
    glance = None if demo else worker.submit(first_glance, db_url, data_dir)
    app = make_app()
    window = MainWindow()
    closed_while_opening: list[bool] = []  # the trainer may quit before the store is open
    window.closed.connect(lambda: closed_while_opening.append(True))
    window.show()
    if glance is not None:
        window.prepare_start()
    # Listed as soon as it is read, never waited for: usually in the window's first paint,
    # else once that paint is done, and at the latest once the loop runs (`_open`).
    glance = _list_if_read(window, glance)
    app.processEvents()
    if glance is not None and _list_if_read(window, glance) is None:
        app.processEvents()
        glance = None
    scratch: tempfile.TemporaryDirectory[str] | None = None
    # Loaded while the worker reads: these imports are a noticeable part of start-up.
    import asyncio

    import qasync

    try:
        # Python 3.11 has no asyncio.run(loop_factory=...); Runner has.
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            loop = runner.get_loop()  # current from here on: the console's server starts on it
            try:
                services, session_id, scratch = runner.run(
                    _open(
                        app,
                        window,
                        glance,
                        lambda: worker.submit(open_store, db_url, data_dir, demo, worker),
                    )
                )
            except UserError as exc:
                worker.close()
                window.close()
                QMessageBox.critical(None, theme.APPLICATION, f"The app cannot start.\n\n{exc}")
                return 1
            if closed_while_opening:
                services.close()
                return 0
            window.attach(services)
            freeze_long_lived()  # the store's modules and the window: kept for the whole run
            _install_excepthook(window)
            # Closing the window ends the app, even with the projector or a dialog still open.
            window.closed.connect(app.quit)
            # Connected before the loop starts, so even a quit in its first turn ends the run.
            quit_: asyncio.Future[int] = loop.create_future()

            def quit_once() -> None:
                if not quit_.done():
                    quit_.set_result(0)

            app.aboutToQuit.connect(quit_once)
            code = runner.run(_run(window, session_id, quit_))
            runner.run(_stop_serving(window))
            return code
    finally:
        window.shutdown()
        if scratch is not None:
            scratch.cleanup()
