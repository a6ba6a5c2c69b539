"""Every script in the PDFs: Hebrew and Arabic drawn in visual order with Arabic letters joined,
emoji from the bundled emoji font, and no unembedded Helvetica (bullets included).

Text extraction tools put right-to-left runs back into logical order by their own guesses, so
these tests read what is drawn: the characters of each text operator in the content stream, in
the order they are painted, left to right."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.services import Services
from tests.conftest import FakeClock

SARAH, MOHAMMAD = "שרה כהן", "محمد علي"
PEOPLE = [SARAH, MOHAMMAD, "李雷", "Zoë Ødegård"]
HEBREW_NOTE = "הלקוח שאל על החזר (refund) של 30 יום, והיא ענתה נכון 👍"
ARABIC_NOTE = "أحسنت! الرد كان واضحاً"

# What a reader sees, left to right (written out here, not computed by the code under test).
SARAH_SEEN = "ןהכ הרש"
# محمد علي in joined forms (initial, medial, medial, final; initial, medial, final), reversed.
MOHAMMAD_SEEN = "\ufef2\ufee0\ufecb \ufeaa\ufee4\ufea4\ufee3"
HEBREW_NOTE_SEEN = "👍 ןוכנ התנע איהו ,םוי 30 לש (refund) רזחה לע לאש חוקלה"


def play(services: Services, clock: FakeClock, *, emoji: bool = True) -> tuple[int, str]:
    """One round with right-to-left names and notes; returns the session and its operator."""
    services.now, services.wall = clock.now, clock.wall
    party = " 🎉" if emoji else ""
    detail = services.sessions.create_session(
        "module4-practice",
        PEOPLE,
        trainer="Ann",
        title=f"Module 4 · {SARAH} session{party}",
        scenario_ids=["warranty-loophole"],
    )
    keys = [c.key for c in services.checklist.criteria]
    live = services.live(detail.id)
    rnd = live.round
    assert rnd is not None
    live.toggle()
    for phase in range(5):
        clock.advance(100)
        if phase == 2:
            services.decisions.record(
                rnd.id, Decision.APPROVE, seconds_to_decide=live.decision_seconds()
            )
        if phase == 3:
            for observer in rnd.observers:
                services.feedback.submit(
                    rnd.id,
                    observer,
                    ChecklistAnswers(
                        marks={k: Mark.MET for k in keys},
                        notes={keys[0]: HEBREW_NOTE if emoji else "Clear.", keys[1]: ARABIC_NOTE},
                        went_well=[f"1 · {SARAH} session", f"{MOHAMMAD} asked (why?) twice"],
                        could_improve=["Great tone 👍🎉" if emoji else "Great tone"],
                    ),
                )
        if phase == 4:
            services.debrief.set_takeaways(rnd.id, [f"{SARAH}: תודה רבה", "Keep calm"])
        if phase < 4:
            live.next_phase()
    live.next_round()
    return detail.id, rnd.operator


def drawn_text(path: Path) -> str:
    """Every page's text as painted: each text operator's characters (through the font's
    ToUnicode map) in content-stream order, a line break after each text object."""
    reader = PdfReader(path)
    out: list[str] = []
    for page in reader.pages:
        fonts = {name: ref.get_object() for name, ref in page["/Resources"]["/Font"].items()}
        maps: dict[str, dict[int, str]] = {}
        font = ""
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                font = operands[0]
                if font not in maps:
                    maps[font] = _to_unicode(fonts[font])
            elif op in (b"Tj", b"TJ"):
                for item in operands[0] if op == b"TJ" else [operands[0]]:
                    if hasattr(item, "original_bytes"):
                        chars = maps[font]
                        out.append("".join(chars.get(b, "\ufffd") for b in item.original_bytes))
            elif op == b"ET":
                out.append("\n")
    return "".join(out)


def _to_unicode(font: Any) -> dict[int, str]:
    if "/ToUnicode" not in font:  # a standard font: its bytes are Latin-1 here
        return {code: chr(code) for code in range(256)}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    pairs = re.findall(r"<([0-9A-F]+)> <([0-9A-F]+)>", cmap.split("beginbfchar", 1)[1])
    return {int(code, 16): chr(int(char, 16)) for code, char in pairs}


def font_names(path: Path) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


@pytest.fixture
def exported(services: Services, fake_clock: FakeClock, tmp_path: Path) -> tuple[Path, Path]:

    session, operator = play(services, fake_clock)
    debrief = services.reports.export_debrief(session, tmp_path / "debrief.pdf")
    record = services.reports.export_peer_review(operator, tmp_path / "record.pdf")
    return debrief, record


def test_right_to_left_names_and_notes_are_drawn_in_reading_order(
    exported: tuple[Path, Path], artifacts: Path
) -> None:
    from tests.test_exports_pdf import render

    debrief, record = exported
    render(debrief, artifacts, "debrief-scripts")
    render(record, artifacts, "peer-review-scripts")
    text = drawn_text(debrief)
    assert SARAH not in text and "محمد" not in text  # nothing left in stored (logical) order
    # A Hebrew name inside English wording: the English reads on, the name right to left.
    assert f"Module 4 · {SARAH_SEEN} session" in text
    assert f"1 · {SARAH_SEEN} session" in text
    assert f"{MOHAMMAD_SEEN} asked (why?) twice" in text
    # A Hebrew note with English and a number in it reads right to left as a whole, after the
    # report's own English label.
    assert f"Accuracy (李雷): {HEBREW_NOTE_SEEN}" in text
    # Arabic letters joined: presentation forms only, no unjoined letters left.
    assert not re.search("[\u0600-\u06ff]", text)
    assert "\ufe8e\ufea4\ufebf\ufe8d\ufeed" in text  # واضحا joined and reversed
    assert f"{SARAH_SEEN}: " not in text and "הבר הדות :ןהכ הרש" in text  # a Hebrew takeaway

    record_text = drawn_text(record)
    assert f"Peer-review record\n{MOHAMMAD_SEEN}" in record_text
    assert "محمد" not in record_text


def test_emoji_are_drawn_by_the_bundled_emoji_font_and_nothing_by_helvetica(
    exported: tuple[Path, Path],
) -> None:
    for pdf in exported:
        names = font_names(pdf)
        assert "Helvetica" not in names, names  # bullets and the canvas's first font included
        assert {"DejaVuSans", "DejaVuSans-Bold", "NotoEmoji-Regular"} <= names, names
    assert "Great tone 👍🎉" in drawn_text(exported[0])


def test_no_emoji_font_in_a_report_without_emoji(
    services: Services, fake_clock: FakeClock, tmp_path: Path
) -> None:

    session, _ = play(services, fake_clock, emoji=False)
    names = font_names(services.reports.export_debrief(session, tmp_path / "plain.pdf"))
    assert "NotoEmoji-Regular" not in names and "Helvetica" not in names, names


def test_typed_bidi_controls_do_not_spill_over_the_text_around() -> None:
    from hotdash_roleplay.exports.pdf_layout import safe

    # A right-to-left override typed into a name would reverse everything after it.
    assert "\u202e" not in safe("Zoë\u202e evil")
    assert safe(SARAH) == f"\u202b{SARAH}\u202c"  # embedded right to left
    assert safe("Zoë") == "Zoë"  # left-to-right text is left as it is
