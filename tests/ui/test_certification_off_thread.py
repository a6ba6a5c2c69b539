"""The certification page never waits on the store: opening it, awarding the certification and
revoking the certificate with clicks run no SQL on the GUI thread; the button waits, disabled,
while the store worker records it, and the page shows the result when it is in
(docs/architecture.md, "One event loop")."""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from hotdash_roleplay.certification.program import CertificationState, Step
from hotdash_roleplay.services import Services
from tests.certification_data import ISSUER, TODAY, qualify
from tests.ui.stored import settle_store
from tests.ui.test_certificate_screens import svc, window  # noqa: F401 (fixtures)
from tests.ui.test_certification_screens import click, closed, open_page, type_into
from tests.ui.test_console_off_thread import gui_thread_statements
from ui import settings
from ui.certification.certificate_panel import RevokeForm
from ui.main_window import MainWindow
from ui.start_screen import NAME


def _before_the_award(services: Services) -> None:
    qualify(services, "Ann")
    for step, by, note in (
        (Step.SELF_ASSESSMENT, "Ann", ""),
        (Step.MANAGER_NOMINATION, "Mona Manager", ""),
        (Step.CERTIFICATION_REVIEW, "Rita Reviewer", ""),
        (Step.SCENARIO_ASSESSMENT, "Asa", ""),
        (Step.PEER_REVIEW, "Mia Mentee", "Patient and clear."),
    ):
        services.certification.record_step("Ann", step, TODAY, by, note)
    settings.set_issuer(ISSUER.name, ISSUER.url)


def test_award_and_revoke_with_clicks_run_no_sql_on_the_gui_thread(
    qtbot: QtBot,
    svc: Services,  # noqa: F811
    window: MainWindow,  # noqa: F811
) -> None:
    _before_the_award(svc)
    window.show_start()  # the start screen's own reads are not this page's
    settle_store(qtbot, window)  # the people are listed once the worker has read them
    people = window.start.people
    with gui_thread_statements(svc) as statements:
        people.list.setCurrentRow(
            next(i for i in range(people.list.count()) if people.list.item(i).data(NAME) == "Ann")
        )
        click(qtbot, people.certification_button)
        page = window.start.certification.pages[next(iter(window.start.certification.pages))]
        settle_store(qtbot, page)
        page.tabs.setCurrentIndex(3)
        assert page.state.text() == CertificationState.ELIGIBLE.label

        row = page.steps.rows[Step.AWARDED]
        type_into(qtbot, row.by, "Rita Reviewer")
        click(qtbot, row.button)
        assert not row.button.isEnabled() and row.button.text() == "Recording…"
        settle_store(qtbot, page)
        assert page.state.text() == CertificationState.CERTIFIED.label
        assert page.verdict.text() == "Certified on 30 Nov 2026"
        panel = page.steps.certificate
        assert panel.isVisible() and panel.revoke_button.isEnabled()

        click(qtbot, panel.revoke_button)
        form = panel.dialog
        assert isinstance(form, RevokeForm)
        qtbot.waitExposed(form)
        form.reason.setFocus()
        qtbot.keyClicks(form.reason, "Metrics were misreported")
        type_into(qtbot, form.by, "Rita Reviewer")
        click(qtbot, form.save_button)
        assert not form.save_button.isEnabled()  # one revocation, however many clicks
        settle_store(qtbot, page)
        assert closed(form)
        assert page.state.text() == "Revoked"
        assert page.verdict.text() == (
            "Certification revoked on 30 Nov 2026: Metrics were misreported"
        )
        assert not panel.revoke_button.isEnabled()
    assert [(s.sql, [f for f in s.files if "/ui/" in f]) for s in statements] == []
    assert svc.certification.person("Ann").state is CertificationState.REVOKED


def test_an_award_the_store_cannot_take_is_said_and_can_be_tried_again(
    qtbot: QtBot,
    svc: Services,  # noqa: F811
    window: MainWindow,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui import app as app_module

    _before_the_award(svc)
    page = open_page(qtbot, window, "Ann")
    page.tabs.setCurrentIndex(3)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the app's hook, for this test
    app_module._install_excepthook(window)
    failing = True

    def refuse(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if failing and sql.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("disk I/O error")

    event.listen(svc.store.engine, "before_cursor_execute", refuse)
    try:
        row = page.steps.rows[Step.AWARDED]
        assert isinstance(row.by, QLineEdit)
        type_into(qtbot, row.by, "Rita Reviewer")
        click(qtbot, row.button)
        settle_store(qtbot, page)
        assert "Not recorded." in row.refusal.full_text()
        assert window.last_message is not None
        assert "disk I/O error" in window.last_message.text()
        assert row.button.isEnabled() and row.button.text() == "Record Certification Awarded"
        assert page.state.text() == CertificationState.ELIGIBLE.label  # nothing half-saved
    finally:
        failing = False
        event.remove(svc.store.engine, "before_cursor_execute", refuse)
    click(qtbot, row.button)
    settle_store(qtbot, page)
    assert page.state.text() == CertificationState.CERTIFIED.label
