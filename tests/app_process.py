"""The real app in a child process, driven by a script that runs inside it (offscreen Qt).

A driver script is PRELUDE plus its own code ending in `run_app_then(drive)`: `drive()` runs
once the app's main window has its store open, on the app's loop; it talks to the test
through `say()` (one line on stdout), which the test reads with `AppProcess.expect`."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import ui.app
    from ui.main_window import MainWindow

    DATA_DIR = sys.argv[1]
    ARGS = sys.argv[2:]

    def window():
        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def say(*parts):
        print(*parts, flush=True)

    def when(ready, then, every_ms=50):
        # Call then() once ready() is true, asking again every_ms (no sleeping in the loop).
        if ready():
            then()
        else:
            QTimer.singleShot(every_ms, lambda: when(ready, then, every_ms))

    def run_app_then(drive, delay_ms=300):
        make_app = ui.app.make_app

        def patched():
            app = make_app()
            # The store opens in the background: drive once it is open.
            QTimer.singleShot(delay_ms, lambda: when(lambda: window().store_open, drive))
            return app

        ui.app.make_app = patched
        sys.exit(ui.app.run_app(data_dir=DATA_DIR))
    """
)


class AppProcess:
    """`python -c PRELUDE+driver DATA_DIR ARGS...` with its own settings folder."""

    def __init__(self, driver: str, data_dir: Path, *args: object, config_dir: Path) -> None:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_CONFIG_HOME": str(config_dir),  # QSettings: the last session, the network
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-c", PRELUDE + textwrap.dedent(driver), str(data_dir)]
            + [str(a) for a in args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)  # the process closed its output: it ended

    def expect(self, word: str, timeout: float = 30) -> list[str]:
        """The words after `word` on the next line starting with it; fails with the app's
        stderr if the app ends or stays silent first."""
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {word!r} from the app in {timeout} s") from None
            if line is None:
                raise AssertionError(f"the app ended before {word!r}:\n{self.stderr()}")
            parts = line.split()
            if parts and parts[0] == word:
                return parts[1:]

    def wait(self, timeout: float = 30) -> int:
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs, as when the laptop's app crashes."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stderr(self) -> str:
        if self.proc.poll() is None or self.proc.stderr is None:
            return "(still running)"
        return self.proc.stderr.read()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._reader.join(timeout=10)  # it ends at the output's end; close nothing under it
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
