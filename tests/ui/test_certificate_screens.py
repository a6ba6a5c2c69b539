"""The signed certificate on the certification page, driven as a trainer would: the awarding
organisation set in its form (kept in the settings), the award issuing the certificate, the
certificate saved as JSON and revoked with a reason, the issuer key exported and imported, and
the record PDF carrying the credential."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.certification.program import CertificationState, Step
from hotdash_roleplay.credentials.verify import Check
from hotdash_roleplay.services import Services, open_services
from tests.certification_data import ISSUER, TODAY, qualify
from tests.ui.stored import settle_store
from tests.ui.test_certification_screens import (
    answer_dialog,
    click,
    closed,
    open_page,
    refreshed,
    shot,
    type_into,
)
from ui import export_actions, settings
from ui.certification.certificate_panel import RevokeForm
from ui.certification.issuer_form import IssuerForm
from ui.main_window import MainWindow

TIMEOUT = 20_000


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_actions.QDesktopServices, "openUrl", lambda url: True)


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Services]:
    services = open_services(data_dir=tmp_path / "data", today=lambda: TODAY)
    noon = datetime.combine(TODAY, time(12), UTC).timestamp()
    services.wall = lambda: noon  # the certificates' clock, on the same calendar
    yield services
    services.close()


@pytest.fixture
def window(qtbot: QtBot, svc: Services) -> MainWindow:
    main = MainWindow(svc)
    qtbot.addWidget(main)
    main.resize(1280, 860)
    main.show()
    qtbot.waitExposed(main)
    return main


def _award_steps(qtbot: QtBot, svc: Services, window: MainWindow) -> Any:
    qualify(svc, "Ann")
    page = open_page(qtbot, window, "Ann")
    page.tabs.setCurrentIndex(3)
    for step, by, note in (
        (Step.SELF_ASSESSMENT, "Ann", ""),
        (Step.MANAGER_NOMINATION, "Mona Manager", ""),
        (Step.CERTIFICATION_REVIEW, "Rita Reviewer", ""),
        (Step.SCENARIO_ASSESSMENT, "Asa", ""),
        (Step.PEER_REVIEW, "Mia Mentee", "Patient and clear."),
    ):
        svc.certification.record_step("Ann", step, TODAY, by, note)
    refreshed(qtbot, page)
    return page


def _issuer_form(qtbot: QtBot, page: Any) -> IssuerForm:
    click(qtbot, page.steps.issuer_button)
    form = page.steps.dialog
    assert isinstance(form, IssuerForm)
    qtbot.waitExposed(form)
    return form


def test_the_award_needs_the_organisation_then_issues_the_certificate(
    qtbot: QtBot, window: MainWindow, svc: Services, screens: Path, tmp_path: Path
) -> None:
    page = _award_steps(qtbot, svc, window)
    steps = page.steps
    assert steps.issuer.text().startswith("No awarding organisation set")
    assert not steps.certificate.isVisible()
    row = steps.rows[Step.AWARDED]
    type_into(qtbot, row.by, "Rita Reviewer")
    click(qtbot, row.button)
    settle_store(qtbot, page)
    assert "set the organisation's name first" in row.refusal.full_text()
    assert svc.certification.person("Ann").awarded_on is None  # nothing half-saved

    form = _issuer_form(qtbot, page)
    assert "No key yet" in form.did.text() and not form.export_button.isEnabled()
    type_into(qtbot, form.name, ISSUER.name)
    type_into(qtbot, form.url, "academy.hotdash.example")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert "must start with https://" in form.message.full_text()
    assert settings.issuer_name() == ""  # refused: nothing kept
    type_into(qtbot, form.url, ISSUER.url)
    shot(form, screens, "certificate-issuer-form")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=TIMEOUT)
    assert (settings.issuer_name(), settings.issuer_url()) == (ISSUER.name, ISSUER.url)
    assert steps.issuer.text() == f"Certificates are issued by {ISSUER.name} ({ISSUER.url})."

    row = steps.rows[Step.AWARDED]
    type_into(qtbot, row.by, "Rita Reviewer")
    assert isinstance(row.email, QLineEdit)
    type_into(qtbot, row.email, "ann@example.com")
    click(qtbot, row.button)
    settle_store(qtbot, page)
    qtbot.waitUntil(lambda: page.steps.certificate.isVisible(), timeout=TIMEOUT)
    record = svc.certification.person("Ann")
    assert record.state is CertificationState.CERTIFIED
    issued = svc.credentials.latest("Ann")
    assert issued is not None and issued.issuer_name == ISSUER.name
    panel = page.steps.certificate
    assert issued.credential_id in panel.details.text()
    assert issued.issuer_did in panel.details.text()
    assert "Issued, not revoked" in panel.status.text()
    assert "ann@example.com" not in issued.document
    assert svc.credentials.verify(
        svc.credentials.save_json(issued.credential_id, tmp_path / "a.json")
    ).valid
    shot(page, screens, "certificate-awarded")


def test_save_then_revoke_the_certificate_from_the_page(
    qtbot: QtBot, window: MainWindow, svc: Services, screens: Path, tmp_path: Path
) -> None:
    qualify(svc, "Ann", award=True)
    page = open_page(qtbot, window, "Ann")
    page.tabs.setCurrentIndex(3)
    panel = page.steps.certificate
    assert panel.isVisible()
    settings.set_export_folder(str(tmp_path))  # where the record PDF was last exported
    click(qtbot, panel.save_button)
    assert isinstance(panel.dialog, QFileDialog)
    assert Path(panel.dialog.directory().absolutePath()) == tmp_path
    target = tmp_path / "ann-certificate.json"
    answer_dialog(qtbot, target)
    settle_store(qtbot, page)  # written on the store worker, said when it is done
    assert f"Saved as {target}." in panel.message.full_text()
    assert svc.credentials.verify(target).valid

    click(qtbot, panel.revoke_button)
    form = panel.dialog
    assert isinstance(form, RevokeForm)
    qtbot.waitExposed(form)
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert "needs a reason" in form.message.full_text()
    form.reason.setFocus()
    qtbot.keyClicks(form.reason, "Metrics were misreported <b>")
    type_into(qtbot, form.by, "Rita Reviewer")
    shot(form, screens, "certificate-revoke-form")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert closed(form)
    assert "Metrics were misreported <b>" in panel.status.text()
    assert not panel.revoke_button.isEnabled()
    verdict = svc.credentials.verify(target)
    assert [f.check for f in verdict.findings] == [Check.REVOKED]
    # The page's header no longer says "Certified": revoked, with the date and reason.
    assert page.state.text() == "Revoked"
    assert page.state.property("role") == "error"
    assert page.verdict.text() == (
        "Certification revoked on 30 Nov 2026: Metrics were misreported <b>"
    )
    assert not page.recertification.isVisible()
    assert all(s.done for s in svc.certification.person("Ann").steps)  # the steps stay
    shot(page, screens, "certificate-revoked")
    # So does the team overview, in its Status column and its count of the certified.
    overview = window.start.certification.open_overview()
    qtbot.waitExposed(overview)
    settle_store(qtbot, overview)
    status = overview.proxy.index(overview.names().index("Ann"), 2)
    assert status.data() == "Revoked 30 Nov 2026"
    assert "Metrics were misreported" in status.data(Qt.ItemDataRole.ToolTipRole)
    assert " · 0 certified · " in overview.summary.text()


def test_the_issuer_key_exported_and_imported_from_its_form(
    qtbot: QtBot, window: MainWindow, svc: Services, tmp_path: Path
) -> None:
    qualify(svc, "Ann", award=True)
    page = open_page(qtbot, window, "Ann")
    page.tabs.setCurrentIndex(3)
    form = _issuer_form(qtbot, page)
    did = svc.credentials.issuer_did()
    assert did is not None and form.did.text() == did
    assert (
        "Anyone who has this file can sign certificates"
        in form.findChild(QWidget, "keyWarning").text()
    )
    click(qtbot, form.export_button)
    backup = tmp_path / "backup.json"
    answer_dialog(qtbot, backup)
    qtbot.waitUntil(backup.exists, timeout=TIMEOUT)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert json.loads(backup.read_text())["controller"] == did
    assert "only you can read it" in form.message.full_text()
    # Importing a different key is refused; the key stays.
    other = open_services(data_dir=tmp_path / "other", today=lambda: TODAY)
    try:
        qualify(other, "Ben", award=True)
        foreign = other.credentials.export_key(tmp_path / "foreign.json")
    finally:
        other.close()
    click(qtbot, form.import_button)
    answer_dialog(qtbot, foreign)
    qtbot.waitUntil(lambda: "already has an issuer key" in form.message.full_text(),
                    timeout=TIMEOUT)  # fmt: skip
    assert svc.credentials.issuer_did() == did


def test_the_record_pdf_exported_from_the_page_carries_the_certificate(
    qtbot: QtBot, window: MainWindow, svc: Services, tmp_path: Path
) -> None:
    qualify(svc, "Ann", award=True)
    page = open_page(qtbot, window, "Ann")
    click(qtbot, page.export_button)
    target = tmp_path / "record.pdf"
    answer_dialog(qtbot, target)
    qtbot.waitUntil(
        lambda: any(w.objectName() == "exportDone" and w.isVisible()
                    for w in QApplication.topLevelWidgets()),
        timeout=TIMEOUT,
    )  # fmt: skip
    attached = json.loads(PdfReader(target).attachments["credential.json"][0])
    issued = svc.credentials.latest("Ann")
    assert issued is not None and attached == issued.credential
    assert svc.credentials.verify(target).valid
