"""The SQL a test's store runs on the GUI thread: the UI must run none (docs/architecture.md,
"One event loop"); its store work goes to the store worker."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event

from hotdash_roleplay.services import Services


@dataclass(frozen=True)
class Statement:
    sql: str
    files: tuple[str, ...]  # the Python files on the stack that issued it

    def from_any(self, names: tuple[str, ...]) -> bool:
        return any(f.endswith(names) for f in self.files)


@contextmanager
def gui_thread_statements(services: Services) -> Iterator[list[Statement]]:
    """Every SQL statement the store runs on the GUI thread while the block runs."""
    gui = threading.main_thread()
    seen: list[Statement] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if threading.current_thread() is gui:
            files = tuple(f.filename for f in traceback.extract_stack())
            seen.append(Statement(sql, files))

    engine = services.store.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
