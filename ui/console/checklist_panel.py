"""Observers' checklists in the app, and the trainer's summary of them.

One tab per observer of the current round (names come from the round only), each with the eight
criteria, "What went well" and "What could improve"; every change is saved as a draft on the
store worker as it is typed (at most once per autosave window) so nothing typed is lost. A last
tab aggregates the submitted checklists for the trainer. The panel reads the store (on the
worker) only when the round or its people change or an observer's save arrives; feedback
opening or closing and the clock change nothing stored, so they read nothing.

A form saves from the version it loaded; when the observer's browser saved in between, the
feedback service refuses and the form offers Reload or Keep mine (nothing is overwritten unseen).

Theme hooks (resources/theme/base.qss): labels carry the dynamic property `role` (`heading`,
`muted`, `error`, `ok`, `notice`); the feedback state label has `state` ("open"/"closed"), each
observer form has `status` ("none"/"draft"/"submitted"); objectNames start with `checklist`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hotdash_roleplay.checklist import Aggregate
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services.feedback import FeedbackService, ObserverStatus
from hotdash_roleplay.services.live import Change, LiveSession
from hotdash_roleplay.services.views import RoundView
from hotdash_roleplay.services.worker import StoreWorker
from ui.autosave import StoreLink, flush_typing
from ui.background import report
from ui.console import follow
from ui.console.aggregate_view import AggregateView
from ui.console.checklist_words import STATUS_TEXT, when_text
from ui.console.observer_form import ObserverForm
from ui.widgets.keep_space import KeepSpace, keep_space
from ui.widgets.labels import text_label
from ui.widgets.notices import show_notice
from ui.widgets.style import set_role, set_style_property


class ChecklistPanel(QWidget):
    """The console's feedback page: open/close feedback, the observers' forms, the summary."""

    saved = Signal()  # a form here saved or submitted: counts elsewhere (projector) may change

    def __init__(
        self,
        worker: StoreWorker,
        feedback: FeedbackService,
        live: LiveSession,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("checklistPanel")
        self._worker = worker
        self._feedback = feedback
        self._live = live
        self.link = StoreLink(worker, self)
        self._reading_statuses = False
        self._statuses_again = False  # asked for while a read of them was on its way
        self._round: RoundView | None = None
        self.forms: dict[str, ObserverForm] = {}
        self._pages: dict[str, QScrollArea] = {}

        self.heading = text_label(role="heading")
        self.heading.setObjectName("checklistHeading")
        self.feedback_state = text_label()
        self.feedback_state.setObjectName("checklistFeedbackState")
        self.feedback_state.setAccessibleName("Feedback state")
        self.toggle_button = QPushButton()
        self.toggle_button.setObjectName("checklistFeedbackToggle")
        self.toggle_button.clicked.connect(self._toggle_feedback)
        self.statuses = text_label()
        self.statuses.setObjectName("checklistStatuses")
        self.statuses.setAccessibleName("Observers' checklist status")
        self.message = text_label(role="error")
        self.message.setObjectName("checklistPanelMessage")
        self.message.hide()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("checklistTabs")
        self.tabs.setAccessibleName("Observers' checklists and summary")
        self.aggregate = AggregateView()

        top = QHBoxLayout()
        top.addWidget(self.feedback_state, 1)
        top.addWidget(self.toggle_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.statuses)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        keep_space(self, KeepSpace(self))

        follow(live, self, self.refresh, {Change.ROUND, Change.PEOPLE})
        follow(live, self, self._feedback_changed, {Change.FEEDBACK})
        self.refresh()

    # -- reading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        rnd = self._live.round
        if rnd is None:
            self._round = None
            self._rebuild([])
            self.heading.setText("Observer checklists: no round in progress")
            self.feedback_state.setText("")
            self.toggle_button.hide()
            self.statuses.setText("")
            return
        before = self._round
        self._round = rnd
        if before is None or (rnd.id, rnd.observers) != (before.id, before.observers):
            self._rebuild(rnd.observers)
        self.heading.setText(
            f"Observer checklists: round {rnd.number}, operator {rnd.operator or 'not set'}"
        )
        self._show_feedback_state(rnd.feedback_open)
        focus = self.focusWidget()
        for form in self.forms.values():
            # Reload stored answers (a browser may have changed them), except under the cursor
            # and in a form holding refused answers the trainer has not decided on yet.
            if not form.conflicted and (focus is None or not form.isAncestorOf(focus)):
                form.reload()
            form.set_read_only(not rnd.feedback_open)
        self._update_statuses()

    def _feedback_changed(self) -> None:
        """Feedback opened or closed: nothing stored changes with it, so nothing is read."""
        rnd = self._live.round
        if rnd is None or self._round is None or rnd.id != self._round.id:
            self.refresh()
            return
        self._round = rnd
        self._show_feedback_state(rnd.feedback_open)
        for form in self.forms.values():
            form.set_read_only(not rnd.feedback_open)

    def _rebuild(self, observers: Sequence[str]) -> None:
        flush_typing(self.tabs)  # the forms' last keys go to the round they were typed for
        self.tabs.clear()
        for page in self._pages.values():
            page.deleteLater()
        self.forms, self._pages = {}, {}
        for name in observers:
            assert self._round is not None
            form = ObserverForm(self._worker, self._feedback, self._round.id, name)
            form.changed.connect(self._form_changed)
            self.forms[name] = form
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(form)
            self._pages[name] = scroll
            self.tabs.addTab(scroll, name)
        if observers:
            self.tabs.addTab(self.aggregate, "Summary for the trainer")

    def reload_observers(self, names: Sequence[str]) -> None:
        """These observers' answers were written from their own browser: show what is stored,
        even in the form being edited (its own saves were all accepted before theirs, so
        nothing of the trainer's is lost), except a form waiting on Reload / Keep mine."""
        by_name = {n.casefold(): f for n, f in self.forms.items()}
        for name in names:
            form = by_name.get(name.casefold())
            if form is not None and not form.conflicted:
                form.reload(f"Updated from {name}'s browser at {when_text(datetime.now(UTC))}.")
        self._update_statuses()

    def _form_changed(self) -> None:
        self._update_statuses()
        self.saved.emit()

    def _show_feedback_state(self, is_open: bool) -> None:
        self.toggle_button.show()
        if is_open:
            self.feedback_state.setText(
                "Feedback is OPEN: observers can fill in and submit their checklists."
            )
            self.toggle_button.setText("&Close feedback")
            self.toggle_button.setAccessibleName("Close feedback (checklists become read-only)")
        else:
            self.feedback_state.setText("Feedback is CLOSED: checklists are read-only.")
            self.toggle_button.setText("&Open feedback")
            self.toggle_button.setAccessibleName("Open feedback for this round")
        set_style_property(self.feedback_state, "state", "open" if is_open else "closed")
        set_role(self.feedback_state, "ok" if is_open else "notice")

    @property
    def busy(self) -> bool:
        """A read or a write of this panel or one of its forms is still on its way."""
        return self.link.busy or any(f.busy for f in self.forms.values())

    def _update_statuses(self) -> None:
        """Read the observers' statuses and the summary on the worker (one read at a time:
        saves in a row while it is out ask for one more)."""
        if self._round is None:
            return
        if self._reading_statuses:
            self._statuses_again = True
            return
        self._reading_statuses = True
        round_id, feedback = self._round.id, self._feedback

        def read() -> tuple[int, list[ObserverStatus], Aggregate]:
            return round_id, feedback.statuses(round_id), feedback.summary(round_id)

        self.link.request(read, self._show_statuses, self._statuses_failed)

    def _statuses_failed(self, exc: BaseException) -> None:
        self._reading_statuses = False
        self._failed(exc)

    def _show_statuses(self, read: tuple[int, list[ObserverStatus], Aggregate]) -> None:
        round_id, statuses, summary = read
        self._reading_statuses = False
        if self._statuses_again:
            self._statuses_again = False
            self._update_statuses()
        if self._round is None or self._round.id != round_id:
            return
        pairs = [(s.observer, s.status) for s in statuses]
        self.statuses.setText(
            "Checklists: " + " · ".join(f"{name}: {STATUS_TEXT[s]}" for name, s in pairs)
        )
        for name, status in pairs:
            index = self.tabs.indexOf(self._pages[name]) if name in self._pages else -1
            if index >= 0:
                self.tabs.setTabText(index, f"{name}: {STATUS_TEXT[status]}")
        self.aggregate.show_round(summary, pairs)

    # -- writing ------------------------------------------------------------------------------

    def _toggle_feedback(self) -> None:
        """What the forms hold is written first: closing feedback must not refuse it."""
        if self._round is None:
            return
        is_open = self._round.feedback_open
        flush_typing(self)
        self.toggle_button.setEnabled(False)

        def toggle(_: object) -> None:  # the worker has written everything asked before
            self.toggle_button.setEnabled(True)
            self._call(lambda: self._live.set_feedback_open(not is_open))

        self.link.request(lambda: None, toggle)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            show_notice(self.message, str(exc))
        else:
            report(exc)

    def _call(self, action: Callable[[], object]) -> None:
        """A refusal from the core is shown in the panel, never raised into Qt."""
        try:
            action()
        except UserError as exc:
            show_notice(self.message, str(exc))
