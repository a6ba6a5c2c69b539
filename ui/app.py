"""App start: QApplication, theme, the store, then the main window on the qasync event loop.

The qasync loop runs from the start because the observer web server (aiohttp) shares it."""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType

import qasync
from PySide6.QtWidgets import QApplication, QMessageBox

from hotdash_roleplay.errors import UserError
from ui import theme
from ui.main_window import MainWindow

log = logging.getLogger(__name__)

# Services and the main window are typed loosely here to keep start-up imports small.


def make_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(theme.ORGANIZATION)
    app.setApplicationName(theme.APPLICATION)
    app.setApplicationDisplayName(theme.APPLICATION)
    theme.apply_theme(app, theme.dark_saved())
    return app


def open_window(
    db_url: str | None, data_dir: str | Path | None, demo: bool
) -> tuple[MainWindow, tempfile.TemporaryDirectory[str] | None]:
    """Open the store and build the window; raises UserError when the store cannot be used.
    With demo, the store is a throwaway folder the caller removes on exit."""
    from hotdash_roleplay.services import open_services

    scratch = tempfile.TemporaryDirectory(prefix="hotdash-demo-") if demo else None
    try:
        if scratch is not None:
            from hotdash_roleplay.demo import create_demo_session

            services = open_services(None, scratch.name)
            session_id = create_demo_session(services)
        else:
            services = open_services(db_url, data_dir)
            session_id = None
    except BaseException:
        if scratch is not None:
            scratch.cleanup()
        raise
    window = MainWindow(services)
    if session_id is not None:
        window.open_console(session_id)
    return window, scratch


def _install_excepthook(window: MainWindow) -> None:
    """A slot that raises must not end the app: UserError is a message in the window; anything
    else is logged and reported briefly, and the app keeps running."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, UserError):
            window.show_error(str(exc))
            return
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        window.show_error(f"Something went wrong: {exc}. The app keeps running.")

    sys.excepthook = hook


async def _wait(done: asyncio.Future[int]) -> int:
    return await done


async def _stop_serving(window: MainWindow) -> None:
    """Stop the console's observer server while the loop still runs, so its connections close
    cleanly and no task is left pending when the loop closes."""
    from ui.observer_host import wait_all_closed

    aclose = getattr(window.console, "aclose", None)
    if aclose is not None:
        await aclose()
    await wait_all_closed()  # servers of consoles closed earlier, still stopping


def run_app(
    db_url: str | None = None, data_dir: str | Path | None = None, demo: bool = False
) -> int:
    app = make_app()
    try:
        window, scratch = open_window(db_url, data_dir, demo)
    except UserError as exc:
        QMessageBox.critical(None, theme.APPLICATION, f"The app cannot start.\n\n{exc}")
        return 1
    _install_excepthook(window)
    try:
        # Python 3.11 has no asyncio.run(loop_factory=...); Runner has.
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            # Connected before the loop starts, so even a quit in its first turn ends the run.
            quit_: asyncio.Future[int] = runner.get_loop().create_future()
            app.aboutToQuit.connect(lambda: quit_.done() or quit_.set_result(0))
            window.show()
            code = runner.run(_wait(quit_))
            runner.run(_stop_serving(window))
            return code
    finally:
        window.shutdown()
        if scratch is not None:
            scratch.cleanup()
