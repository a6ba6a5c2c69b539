"""Store work off the GUI thread: answered on the GUI thread, in order, never to a dead widget."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QWidget

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.worker import StoreWorker
from ui.background import run_in_background


def test_answers_arrive_on_the_gui_thread_in_the_order_asked(qtbot):
    worker = StoreWorker()
    owner = QWidget()
    qtbot.addWidget(owner)
    ran_on: list[str] = []
    answers: list[tuple[int, bool]] = []
    gui = threading.current_thread()

    def work(n: int) -> int:
        ran_on.append(threading.current_thread().name)
        return n

    for n in range(5):
        run_in_background(
            worker,
            owner,
            lambda n=n: work(n),
            lambda value: answers.append((value, threading.current_thread() is gui)),
        )
    qtbot.waitUntil(lambda: len(answers) == 5)
    assert answers == [(n, True) for n in range(5)]
    assert all(name.startswith("store") for name in ran_on)
    worker.close()


def test_a_failure_goes_to_on_error_and_a_deleted_owner_hears_nothing(qtbot):
    worker = StoreWorker()
    owner = QWidget()
    errors: list[BaseException] = []

    def refuse() -> int:
        raise UserError("No.")

    run_in_background(worker, owner, refuse, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert str(errors[0]) == "No."

    gate = threading.Event()
    heard: list[int] = []
    run_in_background(worker, owner, lambda: gate.wait(5) and 1, heard.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    gate.set()
    worker.flush()
    qtbot.wait(50)  # let a queued delivery (if any were made) run
    assert heard == []
    worker.close()


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_work_asked_from_the_worker_itself_runs_at_once_instead_of_waiting_forever() -> None:
    worker = StoreWorker()
    nested = worker.submit(lambda: worker.submit(lambda: 42).result(timeout=5))
    assert nested.result(timeout=10) == 42
    worker.close()


def test_the_worker_holds_nothing_of_the_widget_once_it_has_answered(qtbot):
    """The future stays with the worker's thread until that thread lets go of it: if it held
    the answer's receiver, a window's last reference could be dropped there, and the window
    deleted on the wrong thread."""
    import gc
    import weakref

    worker = StoreWorker()
    owner = QWidget()
    qtbot.addWidget(owner)
    answers: list[int] = []

    class Receiver:
        def take(self, value: int) -> None:
            answers.append(value)

    receiver = Receiver()
    gone = weakref.ref(receiver)
    asked = threading.Event()  # answered once run_in_background has returned, as usual
    future = run_in_background(worker, owner, lambda: asked.wait(5) and 7, receiver.take)
    asked.set()
    qtbot.waitUntil(lambda: answers == [7])
    del receiver
    gc.collect()
    assert future.done() and gone() is None  # the future kept alive, the receiver not
    worker.close()
