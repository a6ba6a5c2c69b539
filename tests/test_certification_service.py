"""The certification through its service, on a real store: evidence, steps, assessment
marks, the weekly metrics CSV (every kind of bad row), the overview and the record PDF."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from hotdash_roleplay.certification.evidence import Attachment
from hotdash_roleplay.certification.program import (
    CertificationState,
    ContributionKind,
    RequirementKey,
    RequirementStatus,
    Step,
)
from hotdash_roleplay.errors import InvalidFile, UserError
from hotdash_roleplay.services import Services, open_services
from tests.certification_data import (
    ISSUER,
    TODAY,
    play_assessment,
    play_practice,
    qualify,
    week,
)

HEADER = (
    "person,week_start,approval_rate,avg_review_seconds,csat,first_contact_resolution,"
    "decision_accuracy"
)


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Services]:
    services = open_services(data_dir=tmp_path / "data", today=lambda: TODAY)
    yield services
    services.close()


def write(tmp_path: Path, text: str, name: str = "m.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# -- requirements through the service -------------------------------------------------------


def test_a_new_person_has_nothing_started(svc: Services) -> None:
    svc.people.add_person("Ann")
    record = svc.certification.person("Ann")
    assert record.state is CertificationState.NOT_STARTED and not record.eligible
    assert [r.key for r in record.requirements] == list(RequirementKey)
    assert all(r.status is RequirementStatus.NOT_STARTED for r in record.requirements)
    assert record.requirement("mentoring").missing == "No operator mentored yet."
    assert record.steps[0].refusal is not None and record.next_step is Step.SELF_ASSESSMENT


def test_module_4_needs_a_practice_session_played_in_the_app(svc: Services) -> None:
    svc.people.add_person("Ann")
    with pytest.raises(UserError, match="practice sessions played in this app"):
        svc.certification.record_module("Ann", 4, TODAY, "Mona")
    sid = play_practice(svc, "Ann")
    done = svc.certification.record_module("Ann", 4, TODAY, "Mona")
    assert done.title == "Module 4: Role-Play Scenarios & Practice"
    record = svc.certification.person("Ann")
    assert [p.session_id for p in record.played_sessions] == [sid]
    modules = record.requirement("modules")
    assert modules.status is RequirementStatus.IN_PROGRESS
    assert "Module 1: Complex Scenario Mastery" in modules.missing
    assert any("Practice sessions played in this app" in e for e in modules.evidence)


def test_bad_evidence_is_refused_with_a_reason(svc: Services) -> None:
    svc.people.add_person("Ann")
    cert = svc.certification
    with pytest.raises(UserError, match="no module 7"):
        cert.record_module("Ann", 7, TODAY, "Mona")
    with pytest.raises(UserError, match="cannot be in the future"):
        cert.record_module("Ann", 1, TODAY + timedelta(days=1), "Mona")
    with pytest.raises(UserError, match="text or an attached file"):
        cert.submit_ai_report("Ann", "Report", TODAY)
    with pytest.raises(UserError, match="Unknown kind"):
        cert.add_contribution("Ann", "poem", "T", TODAY, text="x")
    m = cert.add_mentorship("Ann", "Mia", TODAY - timedelta(days=5))
    with pytest.raises(UserError, match="before the mentoring started"):
        cert.record_graduation(m.id, TODAY - timedelta(days=6))
    with pytest.raises(UserError, match="already mentors"):
        cert.add_mentorship("Ann", "mia", TODAY)
    with pytest.raises(UserError, match="No person named"):
        cert.person("Nobody")


def test_attached_files_are_kept_as_they_came(svc: Services) -> None:
    svc.people.add_person("Ann")
    data = b"%PDF-1.4 report bytes \x00\xff"
    report = svc.certification.submit_ai_report(
        "Ann", "Patterns", TODAY, attachment=Attachment(name="report.pdf", data=data)
    )
    assert report.file_name == "report.pdf" and report.file_size == len(data)
    assert svc.certification.attachment("report", report.id).data == data
    c = svc.certification.add_contribution(
        "Ann", ContributionKind.SCENARIO, "New scenario", TODAY, text="Setup..."
    )
    with pytest.raises(UserError, match="no file attached"):
        svc.certification.attachment("contribution", c.id)


def test_every_requirement_met_makes_the_candidate_eligible(svc: Services) -> None:
    qualify(svc, "Ann")
    record = svc.certification.person("Ann")
    assert record.eligible and record.state is CertificationState.ELIGIBLE
    assert all(r.met for r in record.requirements)
    assert record.metrics.longest_run_weeks == 5 == record.metrics.current_run_weeks


# -- the process ----------------------------------------------------------------------------


def test_steps_in_order_and_award_refused_then_allowed(svc: Services) -> None:
    qualify(svc, "Ann")
    cert = svc.certification
    day = TODAY - timedelta(days=3)
    with pytest.raises(UserError, match="record Self-Assessment first"):
        cert.record_step("Ann", Step.MANAGER_NOMINATION, day, "Mona")
    cert.record_step("Ann", Step.SELF_ASSESSMENT, day, "Ann")
    cert.record_step("Ann", Step.MANAGER_NOMINATION, day, "Mona Manager")
    cert.record_step("Ann", Step.CERTIFICATION_REVIEW, day, "Rita")
    cert.record_step("Ann", Step.SCENARIO_ASSESSMENT, day, "Asa")
    with pytest.raises(UserError, match="not one of Ann's graduated mentees"):
        cert.record_step("Ann", Step.PEER_REVIEW, day, "Stranger", "Great")
    with pytest.raises(UserError, match="needs Mia Mentee's feedback"):
        cert.record_step("Ann", Step.PEER_REVIEW, day, "Mia Mentee")
    cert.record_step("Ann", Step.PEER_REVIEW, day, "Mia Mentee", "Patient and clear.")

    # A new week below the bar does not undo the qualifying run; removing a module does.
    cert.remove_module("Ann", 2)
    with pytest.raises(UserError) as refused:
        cert.record_step("Ann", Step.AWARDED, day, "Rita")
    assert "Not completed yet: Module 2: Advanced Troubleshooting" in str(refused.value)
    cert.record_module("Ann", 2, day, "Mona Manager")
    with pytest.raises(UserError, match="set the organisation's name first"):
        cert.record_step("Ann", Step.AWARDED, day, "Rita")
    record = cert.record_step("Ann", Step.AWARDED, day, "Rita", issuer=ISSUER)
    assert record.state is CertificationState.CERTIFIED and record.awarded_on == day
    assert record.recertification_due_on == date(2027, 11, 27)
    assert record.recertification_note == "Annual recertification by 27 Nov 2027"
    with pytest.raises(UserError, match="evidence is kept as awarded"):
        cert.remove_module("Ann", 1)
    with pytest.raises(UserError, match="evidence is kept as awarded"):
        cert.remove_record("report", record.reports[0].id)


def test_a_record_made_by_mistake_is_removed(svc: Services) -> None:
    svc.people.add_person("Ann")
    cert = svc.certification
    c = cert.add_contribution("Ann", "improvement", "Typo", TODAY, text="x")
    m = cert.add_mentorship("Ann", "Mia", TODAY)
    cert.remove_record("contribution", c.id)
    cert.remove_record("mentorship", m.id)
    record = cert.person("Ann")
    assert record.contributions == () and record.mentorships == ()
    with pytest.raises(UserError, match="There is no report 99"):
        cert.remove_record("report", 99)


def test_recertification_due_and_overdue_shown(tmp_path: Path) -> None:
    clock = {"today": TODAY}
    svc = open_services(data_dir=tmp_path / "d", today=lambda: clock["today"])
    try:
        qualify(svc, "Ann", award=True)
        # Awarded 25 Nov 2026: recertification by 25 Nov 2027, flagged from 26 Oct 2027.
        clock["today"] = date(2027, 10, 25)
        assert svc.certification.person("Ann").state is CertificationState.CERTIFIED
        clock["today"] = date(2027, 10, 26)
        record = svc.certification.person("Ann")
        assert record.state is CertificationState.RECERTIFICATION_DUE
        assert record.recertification_note.startswith("Recertification due within 30 days")
        clock["today"] = date(2027, 11, 26)
        record = svc.certification.person("Ann")
        assert record.state is CertificationState.RECERTIFICATION_OVERDUE
        assert record.recertification_note == "Recertification overdue since 25 Nov 2027"
    finally:
        svc.close()


# -- the scenario assessment ----------------------------------------------------------------


def test_assessment_marks_prefilled_overridable_only_with_a_reason(svc: Services) -> None:
    sid = play_assessment(svc, "Ann")
    cert = svc.certification
    a = cert.assessment(sid)
    assert a.passed and a.correct == 8 and a.assessor == "Asa"
    assert all(r.correct is True and r.matched_expert for r in a.rounds)
    first = a.rounds[0].round_id
    with pytest.raises(UserError, match="Give a reason"):
        cert.mark(first, False)
    a = cert.mark(first, False, "Missed the second issue")
    assert not a.passed and a.verdict == "Not passed: 7 of 8 correct (87.5 %; 90 % required)"
    assert a.rounds[0].overridden and a.rounds[0].reason == "Missed the second issue"
    record = cert.person("Ann")
    assert record.requirement("scenarios").status is RequirementStatus.IN_PROGRESS
    assert "87.5 %" in record.requirement("scenarios").missing
    a = cert.mark(first, True)
    assert a.passed


def test_partly_played_assessment_shows_a_running_score(svc: Services) -> None:
    sid = play_assessment(svc, "Ann", wrong=1, decided=5)
    a = svc.certification.assessment(sid)
    assert (a.marked, a.correct, a.passed) == (5, 4, False)
    assert a.verdict == "5 of 8 marked, 4 correct so far (can no longer pass)"
    practice = play_practice(svc, "Ben")
    with pytest.raises(UserError, match="not a certification assessment"):
        svc.certification.assessment(practice)


# -- weekly metrics -------------------------------------------------------------------------


def test_typed_week_replaced_with_history(svc: Services) -> None:
    svc.people.add_person("Ann")
    cert = svc.certification
    check = cert.record_week("Ann", week(date(2026, 11, 11), csat=4.7), "Tess")
    assert check.missed == "CSAT 4.7 < 4.8 in the week of 9 Nov"
    cert.record_week("Ann", week(date(2026, 11, 9), csat=4.7), "Tess")  # same: no change
    assert cert.metric_changes("Ann") == []
    cert.record_week("Ann", week(date(2026, 11, 9), csat=4.9), "Rob")
    (change,) = cert.metric_changes("Ann")
    assert change.changed_by == "Rob" and change.source == "typed"
    assert change.old["csat"] == 4.7 and change.new["csat"] == 4.9
    assert len(cert.person("Ann").metrics.weeks) == 1


def test_csv_import_whole_then_again_unchanged_then_replaced(svc: Services, tmp_path: Path) -> None:
    svc.people.add_person("Ann")
    svc.people.add_person("Ben")
    body = (
        "\ufeffweek_start;person;approval_rate;avg_review_seconds;csat;"
        "first_contact_resolution;decision_accuracy;escalation_rate\n"
        "2026-11-09;Ann;86%;75,5;4,9;92 %;99.5;12,5\n"
        "2026-11-18;ann;86;75;4.9;92;99.5;\n"
        "2026-11-11;Ben;80;75;4.9;92;99.5;\n\n"
    )
    path = write(tmp_path, body)
    first = svc.certification.import_metrics(path, "Tess")
    assert (first.rows, first.added, first.replaced, first.unchanged) == (3, 3, 0, 0)
    ann = svc.certification.person("Ann").metrics
    assert [w.week_start for w in ann.weeks] == [date(2026, 11, 9), date(2026, 11, 16)]
    assert ann.weeks[0].figures.avg_review_seconds == 75.5
    assert ann.weeks[0].figures.escalation_rate == 12.5
    again = svc.certification.import_metrics(path, "Tess")
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 3)
    assert svc.certification.metric_changes("Ann") == []
    later = write(tmp_path, f"{HEADER}\nAnn,2026-11-10,88,75.5,4.9,92,99.5\n", "later.csv")
    result = svc.certification.import_metrics(later, "Rob")
    assert (result.added, result.replaced) == (0, 1)
    (change,) = svc.certification.metric_changes("Ann")
    assert (change.old["approval_rate"], change.new["approval_rate"]) == (86.0, 88.0)
    assert change.source == "later.csv" and change.changed_by == "Rob"
    assert "1 replaced" in result.message


@pytest.mark.parametrize(
    ("rows", "where", "reason"),
    [
        ("Ann,2026-11-09,86,75,4.9,92,99.5,7", "row 2", "8 cells, but the header has 7"),
        ("Ann,2026-11-09,186,75,4.9,92,99.5", "row 2", "approval_rate must be between 0 and 100"),
        ("Ann,2026-11-09,86,75,5.2,92,99.5", "row 2", "csat must be between 1 and 5"),
        ("Ann,2026-11-09,86,75,0.5,92,99.5", "row 2", "csat must be between 1 and 5"),
        ("Ann,9/11/2026,86,75,4.9,92,99.5", "row 2", "week_start '9/11/2026' is not a date"),
        ("Ann,2026-02-30,86,75,4.9,92,99.5", "row 2", "is not a date"),
        ("Ann,2026-11-09,lots,75,4.9,92,99.5", "row 2", "approval_rate 'lots' is not a number"),
        ("Ann,2026-11-09,86,75,4.9,,99.5", "row 2", "first_contact_resolution is empty"),
        ("Ann,2026-11-09,86,nan,4.9,92,99.5", "row 2", "'nan' is not a number"),
        (",2026-11-09,86,75,4.9,92,99.5", "row 2", "person: A name cannot be empty"),
        (
            "Ann,2026-11-09,86,75,4.9,92,99.5\nBen,2026-11-09,86,75,4.9,92,99.5\n"
            "ANN,2026-11-12,86,75,4.9,92,99.5",
            "row 4",
            "ANN and the week of 9 Nov 2026 are already on row 2",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_file(
    svc: Services, tmp_path: Path, rows: str, where: str, reason: str
) -> None:
    svc.people.add_person("Ann")
    svc.people.add_person("Ben")
    good = "Ben,2026-11-16,86,75,4.9,92,99.5\n"
    path = write(tmp_path, f"{HEADER}\n{rows}\n{good}")
    with pytest.raises(InvalidFile) as refused:
        svc.certification.import_metrics(path, "Tess")
    problem = refused.value.problems[0]
    assert problem.where == where and reason in problem.message, str(refused.value)
    assert str(path) in str(refused.value)
    assert svc.certification.person("Ben").metrics.weeks == ()  # nothing half-imported


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (f"{HEADER},notes", "unknown column notes"),
        (HEADER.replace(",csat", ""), "missing column csat"),
        (f"{HEADER},csat", "column csat appears twice"),
    ],
)
def test_a_bad_header_refuses_the_file(
    svc: Services, tmp_path: Path, header: str, reason: str
) -> None:
    path = write(tmp_path, f"{header}\nAnn,2026-11-09,86,75,4.9,92,99.5\n")
    with pytest.raises(InvalidFile, match=reason) as refused:
        svc.certification.import_metrics(path, "Tess")
    assert refused.value.problems[0].where == "row 1 (header)"


def test_unreadable_or_empty_files_are_refused(svc: Services, tmp_path: Path) -> None:
    with pytest.raises(InvalidFile, match="empty"):
        svc.certification.import_metrics(write(tmp_path, "\n\n"), "Tess")
    with pytest.raises(InvalidFile, match="no rows"):
        svc.certification.import_metrics(write(tmp_path, HEADER + "\n"), "Tess")
    with pytest.raises(InvalidFile, match="not UTF-8"):
        svc.certification.import_metrics(
            write(tmp_path, f"{HEADER}\nZoë,2026-11-09,86,75,4.9,92,99.5\n", encoding="latin-1"),
            "Tess",
        )
    with pytest.raises(UserError, match="no such file"):
        svc.certification.import_metrics(tmp_path / "missing.csv", "Tess")


def test_unknown_people_refused_by_name_unless_asked(svc: Services, tmp_path: Path) -> None:
    svc.people.add_person("Ann")
    path = write(
        tmp_path,
        f"{HEADER}\nAnn,2026-11-09,86,75,4.9,92,99.5\nЮлия,2026-11-09,86,75,4.9,92,99.5\n",
    )
    with pytest.raises(UserError, match=r"unknown people: Юлия.*--create-people"):
        svc.certification.import_metrics(path, "Tess")
    assert svc.certification.person("Ann").metrics.weeks == ()
    result = svc.certification.import_metrics(path, "Tess", create_people=True)
    assert result.people_created == ("Юлия",) and result.added == 2
    assert len(svc.certification.person("Юлия").metrics.weeks) == 1


# -- overview and record --------------------------------------------------------------------


def test_overview_agrees_with_each_persons_record(svc: Services) -> None:
    qualify(svc, "Ann", award=True)
    qualify(svc, "Ben")
    svc.people.add_person("Cat")
    play_assessment(svc, "Dev", wrong=1)
    for i in range(3):
        svc.certification.record_week("Dev", week(date(2026, 10, 5) + timedelta(weeks=i)), "T")
    overview = svc.certification.overview()
    assert [r.name for r in overview.rows] == sorted(r.name for r in overview.rows)
    for row in overview.rows:
        record = svc.certification.person(row.name)
        assert row.state is record.state, row.name
        assert row.statuses == {r.key: r.status for r in record.requirements}, row.name
        assert row.current_run_weeks == record.metrics.current_run_weeks
        assert row.longest_run_weeks == record.metrics.longest_run_weeks
        assert row.next_step == record.next_step
    states = {r.name: r.state for r in overview.rows}
    assert states["Ann"] is CertificationState.CERTIFIED
    assert states["Ben"] is CertificationState.ELIGIBLE
    assert states["Cat"] is CertificationState.NOT_STARTED
    assert states["Dev"] is CertificationState.IN_PROGRESS


def test_record_pdf_reads_back(svc: Services, tmp_path: Path, artifacts: Path) -> None:
    name = "Zoë Ødegård"
    qualify(svc, name, award=True)
    svc.certification.record_week(name, week(date(2026, 9, 28), csat=4.7), "Tess")
    sid = play_assessment(svc, name, wrong=1)
    first = svc.certification.assessment(sid).rounds[1].round_id
    svc.certification.mark(first, False, "Ignored the <b>legal</b> & <img src=x> threat")
    path = svc.certification.export_record(name, artifacts / "certification-record.pdf")
    reader = PdfReader(str(path))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    total = len(reader.pages)
    assert f"Page {total} of {total}" in text
    for expected in (
        "Certification record",
        name,
        "Complete all 6 advanced modules",
        "Module 6: Performance Excellence",
        "CSAT 4.7 < 4.8 in the week of 28 Sep",
        "Qualifying run",
        "Passed: 8 of 8 correct (100 %)",
        "Not passed: 6 of 8 correct (75 %; 90 % required)",
        "Ignored the <b>legal</b> & <img src=x> threat",
        "Mia Mentee",
        "FAQ: late returns",
        "Certification Awarded",
        "Rita Reviewer",
        "Sign-off",
        "Annual recertification by",
    ):
        assert expected in text, expected


# -- what the screens need from the service -------------------------------------------------


def test_a_mentee_added_with_a_graduation_before_the_start_saves_nothing(svc: Services) -> None:
    svc.people.add_person("Ann")
    start = TODAY - timedelta(days=30)
    with pytest.raises(UserError, match="cannot graduate"):
        svc.certification.add_mentorship("Ann", "Mia", start, graduated_on=start - timedelta(1))
    with pytest.raises(UserError, match="cannot be in the future"):
        svc.certification.add_mentorship("Ann", "Mia", start, graduated_on=TODAY + timedelta(1))
    assert svc.certification.person("Ann").mentorships == ()
    made = svc.certification.add_mentorship("Ann", "Mia", start, graduated_on=start)
    assert made.graduated_on == start
    assert svc.certification.person("Ann").requirement("mentoring").met


def test_an_attached_file_is_read_whole_or_refused_plainly(tmp_path: Path) -> None:
    from hotdash_roleplay.certification.evidence import MAX_ATTACHMENT, read_attachment

    good = tmp_path / "report.pdf"
    good.write_bytes(b"%PDF-1.4")
    assert read_attachment(good) == Attachment(name="report.pdf", data=b"%PDF-1.4")
    with pytest.raises(UserError, match="no such file"):
        read_attachment(tmp_path / "missing.pdf")
    with pytest.raises(UserError, match="is a folder"):
        read_attachment(tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(UserError, match=r"empty\.txt is empty"):
        read_attachment(tmp_path / "empty.txt")
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (MAX_ATTACHMENT + 1))
    with pytest.raises(UserError, match="at most 10 MB"):
        read_attachment(big)


def test_overview_readiness_order_puts_the_eligible_first(svc: Services) -> None:
    qualify(svc, "Zed")
    svc.people.add_person("Abe")
    svc.certification.record_week("Abe", week(TODAY - timedelta(days=7)), "Tess")
    svc.people.add_person("Bea")
    rows = sorted(svc.certification.overview().rows, key=lambda r: r.readiness_order())
    assert rows[0].name == "Zed" and rows[0].ready_for_nomination
    assert not any(r.ready_for_nomination for r in rows[1:])
    assert [r.met_count for r in rows[1:]] == sorted((r.met_count for r in rows[1:]), reverse=True)
    verdict = svc.certification.person("Zed").verdict
    assert verdict == "Every requirement met: eligible for the award"
    assert svc.certification.person("Bea").verdict.startswith("Not eligible yet: 6 of 6")
