"""The debrief report and the peer-review record, read back with pypdf: what they say, in every
script, with hostile text printed literally, page X of Y, headers repeated on split tables,
anonymous feedback, an empty session. Pages are also rendered to the artifacts folder's pdf/ to
look at (tests/conftest.py says where)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.cli import main as cli_main
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.notes import RejectionNote
from hotdash_roleplay.services import Services
from tests.conftest import FakeClock

PEOPLE = ["Zoë Ødegård", "Đorđe Petrović", "Ξανθή Παπαδάκη", "Юлия Смирнова", "李雷"]
IMG = '<img src="/etc/passwd">'
LONG_NOTE = ("START-OF-LONG-NOTE " + "lorem ipsum dolor sit amet " * 400)[:9980] + " END-OF-NOTE"
PHASES = (150, 500, 90, 200, 280)  # role-play on time, brief and debrief over


def play(
    services: Services,
    clock: FakeClock,
    *,
    anonymous: bool = False,
    title: str = 'Q3 <font "practice" & review',
    rounds_to_play: int = 2,
) -> int:
    """A session with hostile text everywhere a user can type; round 1 plays a scenario
    without an expert decision, round 2 one with (and the operator misses it)."""
    services.now, services.wall = clock.now, clock.wall
    detail = services.sessions.create_session(
        "module4-practice",
        PEOPLE,
        trainer="Ann <i>Trainer</i>",
        title=title,
        scenario_ids=["warranty-loophole", "conflicting-request"],
        anonymous_feedback=anonymous,
    )
    keys = [c.key for c in services.checklist.criteria]
    live = services.live(detail.id)
    for n in range(rounds_to_play):
        rnd = live.round
        assert rnd is not None
        live.toggle()
        for phase, seconds in enumerate(PHASES):
            clock.advance(seconds)
            if phase == 2:
                services.decisions.record(
                    rnd.id,
                    Decision.REJECT if n == 0 else Decision.APPROVE,
                    rejection_note=RejectionNote(
                        customer_question="Can I return it? <b>now</b>",
                        ai_response=f"See {IMG}",
                        problem="Unclosed <font and &amp; entity",
                    )
                    if n == 0
                    else None,
                    seconds_to_decide=live.decision_seconds(),
                )
            if phase == 3:
                for i, observer in enumerate(rnd.observers):
                    services.feedback.submit(
                        rnd.id,
                        observer,
                        ChecklistAnswers(
                            marks={
                                k: Mark.NOT_MET if (i + j) % 3 == 0 else Mark.MET
                                for j, k in enumerate(keys)
                            },
                            notes={keys[1]: f"Missed the second question ({observer})"},
                            went_well=[f"<b>not bold</b> from {observer}", "Emoji 🎉👍 fine"],
                            could_improve=[f"&amp; stays literal, {IMG}"],
                        ),
                    )
            if phase == 4:
                services.debrief.set_question_note(rnd.id, 0, LONG_NOTE if n == 0 else "Short.")
                services.debrief.set_takeaways(rnd.id, ["李雷 said: keep <calm> & carry on"])
                services.debrief.set_actions(rnd.id, ["Write the <exception> guideline"])
            if phase < len(PHASES) - 1:
                live.next_phase()
        live.next_round()
    return detail.id


def pdf_pages(path: Path) -> list[str]:
    """Text of each page, whitespace collapsed (lines wrap anywhere)."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages]


def render(path: Path, artifacts: Path, stem: str) -> None:
    """PNG pages in the artifacts folder's pdf/ to look at (pdftoppm, where installed)."""
    if shutil.which("pdftoppm") is None:
        return
    folder = artifacts / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    shutil.copy(path, folder / f"{stem}.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(path), str(folder / stem)], check=True, timeout=120
    )


@pytest.fixture
def played(services: Services, fake_clock: FakeClock) -> int:
    return play(services, fake_clock)


def test_debrief_report_says_everything_literally(
    services: Services, played: int, tmp_path: Path, artifacts: Path
) -> None:

    out = services.reports.export_debrief(played, tmp_path / "debrief.pdf")
    pages = pdf_pages(out)
    text = " ".join(pages)
    render(out, artifacts, "debrief")

    for name in PEOPLE:
        assert name in text, name
    for literal in (
        IMG,
        "<b>not bold</b>",
        "&amp; stays literal",
        "Unclosed <font and &amp; entity",
        'Q3 <font "practice" & review',
        "Ann <i>Trainer</i>",
        "keep <calm> & carry on",
        "Emoji",
    ):
        assert literal in text, literal
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
        assert "HotDash Role-Play · Debrief report" in page  # the running header
    # Page 1: the session's patterns.
    first = pages[0]
    assert "Session patterns" in first and "Criteria most often missed" in first
    assert "Decisions against the expert decision" in first and "Phases that ran over" in first
    assert re.search(r"Round Scenario Operator Decision Expert decision 2 The Conflicting", first)
    assert "Brief" in first and "Debrief" in first  # both ran over their plan
    # Per round: roles, decision and time, planned vs actual, checklist summary, debrief.
    for heading in (
        "Round 1 · The Warranty Loophole",
        "Round 2 · The Conflicting Request",
        "Planned vs actual time",
        "Checklist across observers",
        "Observers disagree",
        "What went well and what could improve",
        "Takeaways",
        "Action items",
    ):
        assert heading in text, heading
    # The 10 000-character note flows over a page break instead of being clipped.
    start = next(i for i, p in enumerate(pages) if "START-OF-LONG-NOTE" in p)
    end = next(i for i, p in enumerate(pages) if "END-OF-NOTE" in p)
    assert end > start


def test_named_feedback_carries_observer_names(
    services: Services, played: int, tmp_path: Path
) -> None:

    text = " ".join(pdf_pages(services.reports.export_debrief(played, tmp_path / "d.pdf")))
    section = _feedback_section(text)
    assert "Observer 1" not in section
    assert sum(name in section for name in PEOPLE) >= 2


def test_anonymous_feedback_hides_observer_names(
    services: Services, fake_clock: FakeClock, tmp_path: Path, artifacts: Path
) -> None:

    sid = play(services, fake_clock, anonymous=True, title="Anonymous session")
    out = services.reports.export_debrief(sid, tmp_path / "anon.pdf")
    render(out, artifacts, "debrief-anonymous")
    text = " ".join(pdf_pages(out))
    assert "Anonymous: observers are not named" in text
    section = _feedback_section(text)
    assert "Observer 1" in section and "Observer 2" in section
    # The went-well items embed the observer's name on purpose: only the labels are hidden,
    # so look at the observer column and the notes' attribution instead.
    assert not re.search(r"\((Zoë|Đorđe|Ξανθή|Юлия|李雷)[^)]*\):", text)
    # The peer-review record is certification evidence: it always says who gave each checklist.
    first = services.sessions.get(sid).rounds[0]
    record = " ".join(
        pdf_pages(services.reports.export_peer_review(first.operator, tmp_path / "p.pdf"))
    )
    assert "Checklist by Observer 1" not in record
    assert any(f"Checklist by {name}" in record for name in first.observers)


def _feedback_section(text: str) -> str:
    start = text.index("What went well and what could improve")
    return text[start : text.index("Debrief", start + 40)]


def test_empty_session_gives_an_honest_report(
    services: Services, tmp_path: Path, artifacts: Path
) -> None:

    detail = services.sessions.create_session("module4-practice", PEOPLE[:4], title="Not yet")
    out = services.reports.export_debrief(detail.id, tmp_path / "empty.pdf")
    render(out, artifacts, "debrief-empty")
    pages = pdf_pages(out)
    text = " ".join(pages)
    assert "No round has been played in this session yet" in text
    assert "Rounds played 0 of 4" in text.replace("0 of 4 Rounds played", "Rounds played 0 of 4")
    assert "No checklist was submitted" in text and "No decision was recorded" in text
    assert "Participants and rotation" in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_split_tables_repeat_their_header_row(tmp_path: Path) -> None:
    from hotdash_roleplay.exports.pdf_layout import Running, build_pdf, table

    rows = [[str(i), f"Row {i} of a long table", "Юлия · 李雷"] for i in range(1, 201)]
    out = build_pdf(
        tmp_path / "t.pdf",
        [table(["Number", "Description", "Who"], rows, [1, 3, 2])],
        Running(kind="Test", subject="Split table", footer="footer"),
        "Split table",
    )
    pages = pdf_pages(out)
    assert len(pages) >= 3
    for page in pages:
        assert "Number Description Who" in page
    assert "Row 200 of a long table" in pages[-1]


def test_peer_review_record_in_full(
    services: Services, played: int, tmp_path: Path, artifacts: Path
) -> None:

    detail = services.sessions.get(played)
    operator = detail.rounds[0].operator
    out = services.reports.export_peer_review(operator, tmp_path / "record.pdf")
    render(out, artifacts, "peer-review")
    pages = pdf_pages(out)
    text = " ".join(pages)
    assert f"Peer-review record {operator}" in text
    for observer in detail.rounds[0].observers:  # each observer's checklist, and who gave it
        assert f"Checklist by {observer}" in text
    assert "Accuracy" in text and "Policy Application" in text and "Not met" in text
    assert "Rejection note" in text and IMG in text
    assert "Sign-off" in text and "Facilitator" in text and "Participant" in text
    assert "Signature" in pages[-1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]

    observer = detail.rounds[0].observers[0]
    given = " ".join(pdf_pages(services.reports.export_peer_review(observer, tmp_path / "o.pdf")))
    assert "Rounds as observer: feedback given" in given
    assert f"Checklist by {observer}" in given and "<b>not bold</b>" in given


def test_peer_review_period_filters_sessions(
    services: Services, played: int, tmp_path: Path
) -> None:

    later = date.today() + timedelta(days=30)
    out = services.reports.export_peer_review(PEOPLE[0], tmp_path / "none.pdf", later, None)
    text = " ".join(pdf_pages(out))
    assert "nothing to review yet" in text and "From " in text
    with pytest.raises(UserError, match="period is empty"):
        services.reports.person_record(PEOPLE[0], later, date.today())


def test_export_to_a_missing_or_read_only_folder_is_refused(
    services: Services, played: int, tmp_path: Path
) -> None:

    with pytest.raises(UserError, match="does not exist"):
        services.reports.export_debrief(played, tmp_path / "missing" / "d.pdf")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not _can_write(locked):  # root writes anywhere: nothing to check then
            with pytest.raises(UserError, match="cannot be written"):
                services.reports.export_debrief(played, locked / "d.pdf")
    finally:
        locked.chmod(0o700)
    with pytest.raises(UserError, match="is a folder"):
        services.reports.export_debrief(played, tmp_path)


def _can_write(folder: Path) -> bool:
    import os

    return os.access(folder, os.W_OK)


def test_cli_exports_and_refusals(
    services: Services, played: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert cli_main(["export", "debrief", str(played), "-o", str(tmp_path / "d.pdf"), *data]) == 0
    assert "Wrote the debrief report" in capsys.readouterr().out
    assert PdfReader(tmp_path / "d.pdf").pages

    code = cli_main(
        ["export", "peer-review", PEOPLE[3].upper(), "-o", str(tmp_path / "p.pdf"),
         "--from", "2000-01-01", "--to", "2999-12-31", *data]
    )  # fmt: skip
    assert code == 0 and "Юлия Смирнова" in capsys.readouterr().out

    code = cli_main(["export", "debrief", "99", "-o", str(tmp_path / "x.pdf"), *data])
    assert code == 1 and "No session '99'" in capsys.readouterr().err
    code = cli_main(["export", "debrief", str(played), "-o", str(tmp_path / "no/x.pdf"), *data])
    err = capsys.readouterr().err
    assert code == 1 and "does not exist" in err and "Traceback" not in err
    code = cli_main(["export", "peer-review", "Nobody", "-o", str(tmp_path / "x.pdf"), *data])
    assert code == 1 and "No person named 'Nobody'" in capsys.readouterr().err


def test_cli_start_up_stays_light() -> None:
    code = (
        "import sys\n"
        "from hotdash_roleplay import cli\n"
        "cli.build_parser().parse_args(['export', 'debrief', '1', '-o', 'x.pdf'])\n"
        "sys.exit(1 if 'reportlab' in sys.modules else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_safe_text_is_literal_markup() -> None:
    from hotdash_roleplay.exports.pdf_layout import safe

    assert safe("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert safe("a\nb") == "a<br/>b"
    assert safe("nul\x00 bell\x07 lone\ud800") == "nul bell lone"
    assert '<font name="HotDashCJK">李雷</font>' in safe("李雷 <")


def _quiet_round(services: Services, clock: FakeClock) -> int:
    """One round played with every observer's checklist in, and nothing noted in its debrief."""
    services.now, services.wall = clock.now, clock.wall
    detail = services.sessions.create_session(
        "module4-practice", PEOPLE[:4], title="Quiet", scenario_ids=["warranty-loophole"]
    )
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None
    live.toggle()
    clock.advance(100)
    services.decisions.record(rnd.id, Decision.APPROVE, seconds_to_decide=80)
    live.set_feedback_open(True)
    marks = {k: Mark.MET for k in services.checklist.keys}
    for observer in rnd.observers:
        services.feedback.submit(
            rnd.id,
            observer,
            ChecklistAnswers(marks=marks, went_well=["a", "b"], could_improve=["c"]),
        )
    live.next_round()
    return detail.id


def test_debrief_names_what_is_missing_once_and_never_on_a_page_alone(
    services: Services, fake_clock: FakeClock, tmp_path: Path, artifacts: Path
) -> None:
    """Unanswered questions are listed once, not one "No note taken" each; missing takeaways
    and action items are one line; and however the round's content falls on the pages, no page
    holds only those lines, and the checklist table is never split between two pages."""
    from hotdash_roleplay.exports.debrief_pdf import build_debrief_pdf

    report = services.reports.session_report(_quiet_round(services, fake_clock))
    questions = report.rounds[0].debrief
    filler = [
        "No note was taken on any debrief question:",
        "No takeaways or action items were recorded.",
        "Debrief",
        *(q.question for q in questions),
    ]
    split_seen = set()
    for words in range(0, 700, 25):  # push the round's end down the page, step by step
        rnd = report.rounds[0]
        decision = rnd.decision.model_copy(update={"final_reply": "lorem ipsum " * words})
        longer = report.model_copy(
            update={"rounds": (rnd.model_copy(update={"decision": decision}),)}
        )
        out = build_debrief_pdf(longer, tmp_path / f"quiet-{words}.pdf")
        pages = pdf_pages(out)
        text = " ".join(pages)
        assert "No note taken" not in text and "None recorded" not in text
        assert text.count("No note was taken on any debrief question:") == 1
        for q in questions:
            assert text.count(q.question) == 1, q.question
        for page in pages[2:]:  # the round's pages
            body = re.sub(r"Quiet · \d+ \w+ \d{4}|Page \d+ of \d+", "", page)
            body = body.replace("HotDash Role-Play · Debrief report Quiet", "")
            for line in filler:
                body = body.replace(line, "")
            assert len(body.replace("•", "").strip()) > 20, (words, page)
        start = next(i for i, p in enumerate(pages) if "Checklist across observers" in p)
        assert "Policy Application" in pages[start].split("Checklist across observers", 1)[1]
        split_seen.add(len(pages))
        if words == 300:
            render(out, artifacts, "debrief-quiet")
    assert len(split_seen) > 1  # the sweep did move content onto further pages
