"""The certification screens driven as a trainer would: the console's Assessment tab, the
person's page and its forms, the process steps in order, weekly metrics typed and imported,
the team overview, the record PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDoubleSpinBox, QFileDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.certification.program import (
    CertificationState,
    RequirementKey,
    RequirementStatus,
    Step,
)
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services, open_services
from tests.certification_data import (
    ISSUER,
    TODAY,
    play_assessment,
    play_practice,
    qualify,
    week,
)
from tests.ui.stored import settle_store
from tests.ui.window_console import console_opened
from ui import export_actions, settings
from ui.certification.evidence_forms import (
    ContributionForm,
    MentorshipForm,
    ModuleForm,
    ReportForm,
)
from ui.certification.metrics_forms import ImportForm, WeekForm
from ui.certification.page import CertificationPage
from ui.main_window import MainWindow
from ui.start_screen import NAME

TIMEOUT = 20_000
HEADER = (
    "person,week_start,approval_rate,avg_review_seconds,csat,first_contact_resolution,"
    "decision_accuracy"
)


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_actions.QDesktopServices, "openUrl", lambda url: True)


@pytest.fixture
def calendar() -> list[date]:
    return [TODAY]


@pytest.fixture
def svc(tmp_path: Path, calendar: list[date]) -> Iterator[Services]:
    services = open_services(data_dir=tmp_path / "data", today=lambda: calendar[0])
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


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def type_figure(qtbot: QtBot, spin: QDoubleSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    spin.interpretText()


def open_page(qtbot: QtBot, window: MainWindow, person: str) -> CertificationPage:
    """Through People on the start screen: select the person, click Certification…; the page
    once it shows what the store worker read."""
    window.show_start()
    settle_store(qtbot, window)  # the people listed
    people = window.start.people
    row = next(i for i in range(people.list.count()) if people.list.item(i).data(NAME) == person)
    people.list.setCurrentRow(row)
    click(qtbot, people.certification_button)
    page = next(p for p in window.start.certification.pages.values() if p.asked == person)
    qtbot.waitExposed(page)
    settle_store(qtbot, page)
    assert page.record is not None and page.record.name == person
    return page


def closed(form: QWidget) -> bool:
    """Saved and closed (a form deletes itself once closed)."""
    return not shiboken6.isValid(form) or not form.isVisible()


def refreshed(qtbot: QtBot, page: CertificationPage) -> None:
    """The page read again (after the test changed the store behind it)."""
    page.refresh()
    settle_store(qtbot, page)


def shot(widget: QWidget, screens: Path, name: str) -> None:
    QApplication.processEvents()
    assert widget.grab().save(str(screens / f"{name}.png"))


def answer_dialog(qtbot: QtBot, path: Path) -> None:
    dialogs: list[QFileDialog] = []

    def shown() -> bool:
        dialogs[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
        return any(d.isVisible() for d in dialogs)

    qtbot.waitUntil(shown, timeout=TIMEOUT)
    dialog = next(d for d in dialogs if d.isVisible())
    dialog.selectFile(str(path))
    dialog.accept()


# -- the assessment in the console ----------------------------------------------------------


def test_the_assessor_marks_eight_decisions_in_the_console(
    qtbot: QtBot, window: MainWindow, svc: Services, screens: Path
) -> None:
    # Round 1's decision differs from the expert's: pre-filled "not correct", 7 of 8.
    session_id = play_assessment(svc, "Ann", wrong=1)
    console = console_opened(qtbot, window, session_id)
    assert "assessment" in console._tab_index
    console.tabs.setCurrentIndex(console._tab_index["assessment"])
    panel = console.assessment
    settle_store(qtbot, console)
    assert panel.table.rowCount() == 8
    assert panel.score.text().startswith("Not passed: 7 of 8 correct (87.5 %")
    assert panel.not_correct.isChecked()  # pre-filled from the expert decision

    # Round 1: the assessor marks it correct; without a reason the service refuses.
    panel.select_round(1)
    click(qtbot, panel.correct)
    click(qtbot, panel.save_button)
    settle_store(qtbot, console)
    assert panel.message.isVisible()
    assert "Give a reason" in panel.message.full_text()
    assert svc.certification.assessment(session_id).correct == 7
    shot(console, screens, "certification-console-assessment-refused")
    type_into(qtbot, panel.reason, "Approving was right: the policy changed last week")
    click(qtbot, panel.save_button)
    settle_store(qtbot, console)
    assert "marked correct" in panel.message.full_text()
    # Rounds 2 to 8, one after the other: each pre-filled correct, saved with a click.
    for number in range(2, 9):
        assert panel.selected().number == number
        assert panel.correct.isChecked()
        click(qtbot, panel.save_button)
        settle_store(qtbot, console)
    result = svc.certification.assessment(session_id)
    assert result.marked == 8 and result.correct == 8 and result.passed
    assert panel.score.text() == "Passed: 8 of 8 correct (100 %)"
    assert panel.score.property("role") == "ok"
    assert "Correct (overridden)" in panel.table.item(0, 4).text()
    shot(console, screens, "certification-console-assessment")

    # The result lands on the candidate's page.
    window.show_start()
    page = open_page(qtbot, window, "Ann")
    card = page.cards[RequirementKey.SCENARIOS]
    assert card.status.text() == RequirementStatus.MET.label
    assert "Passed: 8 of 8 correct (100 %)" in card.evidence.text()
    top = page.assessments.topLevelItem(0)
    assert top.child(0).text(3) == "Correct (overridden)"
    assert top.child(0).text(4).startswith("Approving was right")


def test_a_decision_recorded_in_the_console_reaches_the_assessment_tab(
    qtbot: QtBot, window: MainWindow, svc: Services
) -> None:
    detail = svc.sessions.create_session("certification-assessment", ["Ann"], trainer="Asa")
    console = console_opened(qtbot, window, detail.id)
    panel = console.assessment
    settle_store(qtbot, console)
    assert panel.table.item(0, 2).text() == "not decided yet"
    assert not panel.save_button.isEnabled()
    click(qtbot, console.decision.choices[Decision.APPROVE])
    click(qtbot, console.decision.record_button)
    settle_store(qtbot, console)
    assert panel.table.item(0, 2).text() == "Approve"
    assert panel.save_button.isEnabled() and panel.not_correct.isChecked()
    assert panel.score.text().startswith("1 of 8 marked, 0 correct so far")


def test_the_assessment_tab_is_only_in_certification_sessions(
    qtbot: QtBot, window: MainWindow, svc: Services
) -> None:
    console = console_opened(qtbot, window, play_practice(svc, "Ann"))
    assert "assessment" not in console._tab_index


# -- the process, step by step --------------------------------------------------------------


def record_step(qtbot: QtBot, page: CertificationPage, step: Step, by: str, note: str = "") -> None:
    row = page.steps.rows[step]
    if isinstance(row.by, QLineEdit):
        type_into(qtbot, row.by, by)
    else:
        row.by.setCurrentText(by)
    if note:
        type_into(qtbot, row.note, note)
    click(qtbot, row.button)
    settle_store(qtbot, page)


def test_steps_recorded_with_clicks_in_order(
    qtbot: QtBot, window: MainWindow, svc: Services, calendar: list[date], screens: Path
) -> None:
    svc.people.add_person("Ann")
    play_practice(svc, "Ann")
    window.show_start()
    page = open_page(qtbot, window, "Ann")
    page.tabs.setCurrentIndex(3)

    # Out of order: refused, the reason next to the button, nothing saved.
    record_step(qtbot, page, Step.MANAGER_NOMINATION, "Mona Manager")
    refusal = page.steps.rows[Step.MANAGER_NOMINATION].refusal
    assert refusal.isVisible()
    assert "comes after Self-Assessment" in refusal.full_text()
    # In order but a requirement it needs is missing: refused with what is missing.
    record_step(qtbot, page, Step.SELF_ASSESSMENT, "Ann")
    refusal = page.steps.rows[Step.SELF_ASSESSMENT].refusal
    assert "Not completed yet: Module 1" in refusal.full_text()
    assert not any(s.done for s in svc.certification.person("Ann").steps)
    shot(page, screens, "certification-steps-refused")

    qualify(svc, "Ann")
    refreshed(qtbot, page)
    record_step(qtbot, page, Step.SELF_ASSESSMENT, "Ann")
    record_step(qtbot, page, Step.MANAGER_NOMINATION, "Mona Manager")
    record_step(qtbot, page, Step.CERTIFICATION_REVIEW, "Rita Reviewer")
    record_step(qtbot, page, Step.SCENARIO_ASSESSMENT, "Asa")
    record_step(qtbot, page, Step.PEER_REVIEW, "Mia Mentee", "Patient, clear and quick to help.")
    done = [s.step for s in svc.certification.person("Ann").steps if s.done]
    assert done == list(Step)[:5]
    assert "Mona Manager" in page.steps.rows[Step.MANAGER_NOMINATION].status.text()

    # The report withdrawn: the award is refused with the reason, next to its button.
    report = svc.certification.person("Ann").reports[0]
    svc.certification.remove_record("report", report.id)
    refreshed(qtbot, page)
    record_step(qtbot, page, Step.AWARDED, "Rita Reviewer")
    refusal = page.steps.rows[Step.AWARDED].refusal
    assert refusal.isVisible()
    assert "No AI improvement report submitted yet." in refusal.full_text()
    shot(page, screens, "certification-award-refused")

    # The report submitted through its form: the award is allowed.
    page.tabs.setCurrentIndex(0)
    click(qtbot, page.cards[RequirementKey.AI_REPORT].button)
    form = page.dialog
    assert isinstance(form, ReportForm)
    type_into(qtbot, form.title, "Refund patterns, second edition")
    form.text.setPlainText("Three patterns and what to change.")
    type_into(qtbot, form.reviewer, "Rita Reviewer")
    shot(form, screens, "certification-form-report")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert closed(form)
    page.tabs.setCurrentIndex(3)
    settings.set_issuer(ISSUER.name, ISSUER.url)  # the certificate's issuer (its own test)
    record_step(qtbot, page, Step.AWARDED, "Rita Reviewer")
    record = svc.certification.person("Ann")
    assert record.state is CertificationState.CERTIFIED and record.awarded_on == TODAY
    assert page.state.text() == CertificationState.CERTIFIED.label
    assert page.verdict.text() == "Certified on 30 Nov 2026"
    assert page.recertification.text() == "Annual recertification by 30 Nov 2027"
    shot(page, screens, "certification-page-awarded")

    calendar[0] = TODAY + timedelta(days=345)
    refreshed(qtbot, page)
    assert page.recertification.text().startswith("Recertification due within 30 days")
    calendar[0] = TODAY + timedelta(days=370)
    refreshed(qtbot, page)
    assert page.recertification.text() == "Recertification overdue since 30 Nov 2027"
    assert page.recertification.property("role") == "error"


# -- weekly metrics ---------------------------------------------------------------------------


def test_a_week_typed_in_then_corrected(
    qtbot: QtBot, window: MainWindow, svc: Services, screens: Path
) -> None:
    svc.people.add_person("Ann")
    page = open_page(qtbot, window, "Ann")
    page.tabs.setCurrentIndex(1)
    click(qtbot, page.add_week_button)
    form = page.dialog
    assert isinstance(form, WeekForm)
    form.week.setDate(QDate(2026, 11, 11))  # a Wednesday: the week of Monday 9 Nov
    figures = dict(
        approval_rate="92", avg_review_seconds="75", csat="4.7",
        first_contact_resolution="91", decision_accuracy="99.5",
    )  # fmt: skip
    for metric, text in figures.items():
        spin = next(s for m, s in form.spins.items() if m.value == metric)
        type_figure(qtbot, spin, text)
    type_into(qtbot, form.by, "Tess")
    assert "CSAT 4.7 < 4.8 in the week of 9 Nov" in form.check.text()
    assert "Ensure you're not approving errors" in form.check.text()
    shot(form, screens, "certification-form-week")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    weeks = svc.certification.person("Ann").metrics.weeks
    assert [w.week_start for w in weeks] == [date(2026, 11, 9)]
    assert page.weeks.rowCount() == 1
    assert page.weeks.item(0, 3).text() == "4.7 ✗"
    assert "Missed: CSAT 4.7 < 4.8 in the week of 9 Nov" in page.weeks.item(0, 7).text()

    # Correct the week: the stored figures are replaced and the change is shown.
    page.weeks.selectRow(0)
    click(qtbot, page.edit_week_button)
    form = page.dialog
    assert isinstance(form, WeekForm)
    spin = next(s for m, s in form.spins.items() if m.value == "csat")
    assert spin.value() == pytest.approx(4.7)
    type_figure(qtbot, spin, "4.9")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert page.weeks.item(0, 7).text() == "Qualifies"
    assert page.changes_box.isVisible()
    assert "csat: 4.7 → 4.9" in page.changes.topLevelItem(0).text(4)


def test_a_metrics_csv_imported_from_the_app(
    qtbot: QtBot, window: MainWindow, svc: Services, tmp_path: Path, screens: Path
) -> None:
    svc.people.add_person("Ann")
    page = open_page(qtbot, window, "Ann")
    page.tabs.setCurrentIndex(1)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nAnn,2026-11-02,86,75,4.9,92,99.5\nAnn,2026-11-09,86,75,7,92,99.5\n")
    click(qtbot, page.import_button)
    form = page.dialog
    assert isinstance(form, ImportForm)
    type_into(qtbot, form.file.path, str(bad))
    type_into(qtbot, form.by, "Tess")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert form.isVisible() and form.message.isVisible()
    assert "row 3: csat must be between 1 and 5" in form.message.full_text()
    assert svc.certification.person("Ann").metrics.weeks == ()  # the whole file refused
    shot(form, screens, "certification-form-import-refused")

    good = tmp_path / "good.csv"
    good.write_text(f"{HEADER}\nAnn,2026-11-02,86,75,4.9,92,99.5\nAnn,2026-11-09,86,75,4.8,92,99\n")
    type_into(qtbot, form.file.path, str(good))
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert closed(form)
    assert "2 rows, 2 weeks added" in page.message.full_text()
    assert page.weeks.rowCount() == 2
    assert "longest run 2 · current run 2" in page.runs.text()


# -- the evidence forms -----------------------------------------------------------------------


def test_evidence_forms_save_or_refuse_in_place(
    qtbot: QtBot, window: MainWindow, svc: Services, tmp_path: Path, screens: Path
) -> None:
    svc.people.add_person("Ann")
    play_practice(svc, "Ann")
    page = open_page(qtbot, window, "Ann")

    click(qtbot, page.cards[RequirementKey.MODULES].button)
    form = page.dialog
    assert isinstance(form, ModuleForm)
    form.module.setCurrentIndex(3)  # Module 4 shows the practice sessions played
    assert form.played.isVisible()
    assert "Module 4 role-play practice" in form.played.toPlainText()
    type_into(qtbot, form.confirmed, "Mona Manager")
    shot(form, screens, "certification-form-module")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert [m.module for m in svc.certification.person("Ann").modules] == [4]

    click(qtbot, page.cards[RequirementKey.MENTORING].button)
    form = page.dialog
    assert isinstance(form, MentorshipForm)
    type_into(qtbot, form.mentee, "Mia Mentee")
    form.started.setDate(QDate(2026, 11, 10))
    click(qtbot, form.graduated_check)
    form.graduated.setDate(QDate(2026, 11, 1))  # before the start
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert "cannot graduate" in form.message.full_text()
    assert svc.certification.person("Ann").mentorships == ()  # nothing half-saved
    form.graduated.setDate(QDate(2026, 11, 20))
    shot(form, screens, "certification-form-mentoring")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert svc.certification.person("Ann").mentorships[0].graduated_on == date(2026, 11, 20)

    click(qtbot, page.cards[RequirementKey.CONTRIBUTION].button)
    form = page.dialog
    assert isinstance(form, ContributionForm)
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    assert "needs a title" in form.message.full_text()
    form.kind.setCurrentIndex(1)
    type_into(qtbot, form.title, "Scenario: the double refund")
    attached = tmp_path / "scenario.md"
    attached.write_text("# The double refund\n")
    type_into(qtbot, form.file.path, str(attached))
    shot(form, screens, "certification-form-contribution")
    click(qtbot, form.save_button)
    settle_store(qtbot, page)
    saved = svc.certification.person("Ann").contributions[0]
    assert saved.kind.value == "scenario" and saved.file_name == "scenario.md"

    # The attached file comes back out from the Evidence tab.
    page.tabs.setCurrentIndex(2)
    page.contributions.setCurrentItem(page.contributions.topLevelItem(0))
    assert page.contribution_file_button.isEnabled()
    click(qtbot, page.contribution_file_button)
    copy = tmp_path / "copy.md"
    answer_dialog(qtbot, copy)
    settle_store(qtbot, page)
    assert copy.read_text() == "# The double refund\n"
    assert page.cards[RequirementKey.CONTRIBUTION].status.text() == "Met"
    assert page.cards[RequirementKey.MENTORING].status.text() == "Met"
    shot(page, screens, "certification-page-in-progress")


# -- the team overview and the record PDF ----------------------------------------------------


def test_team_overview_ready_first_and_sortable(
    qtbot: QtBot, window: MainWindow, svc: Services, screens: Path
) -> None:
    qualify(svc, "Zed")  # ready for nomination, last by name
    svc.people.add_person("Abe")
    svc.certification.record_week("Abe", week(TODAY - timedelta(days=7)), "Tess")
    window.show_start()
    click(qtbot, window.start.team_button)
    overview = window.start.certification.overview
    assert overview is not None
    qtbot.waitExposed(overview)
    settle_store(qtbot, overview)
    names = overview.names()
    assert names[0] == "Zed"
    assert overview.proxy.index(0, 1).data() == "Ready"
    shot(overview, screens, "certification-team-overview")

    header = overview.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=_section_centre(header, 0),
    )
    assert overview.names() == sorted(names, key=str.casefold)
    click(qtbot, overview.ready_first)
    assert overview.names()[0] == "Zed"

    overview.table.selectRow(0)
    click(qtbot, overview.open_button)
    pages = list(window.start.certification.pages.values())
    settle_store(qtbot, *pages)
    assert [p.record.name for p in pages if p.record] == ["Zed"]


def _section_centre(header: Any, section: int) -> Any:
    from PySide6.QtCore import QPoint

    return QPoint(
        header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
        header.height() // 2,
    )


def test_certification_record_exported_from_the_page(
    qtbot: QtBot, window: MainWindow, svc: Services, tmp_path: Path
) -> None:
    qualify(svc, "Ann", award=True)
    page = open_page(qtbot, window, "Ann")
    click(qtbot, page.export_button)
    target = tmp_path / "record.pdf"
    answer_dialog(qtbot, target)
    qtbot.waitUntil(target.exists, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: any(w.objectName() == "exportDone" and w.isVisible()
                    for w in QApplication.topLevelWidgets()),
        timeout=TIMEOUT,
    )  # fmt: skip
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Certification record" in text and "Ann" in text
    assert "Certified on" in text
