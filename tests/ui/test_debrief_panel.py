"""The trainer's debrief panel, driven with clicks and keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.services import Services
from hotdash_roleplay.services.live import LiveSession
from tests.ui.layout import settle
from tests.ui.stored import settle_store
from ui.console.debrief_panel import DebriefPanel

PEOPLE = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]
WITH_EXPERT = "gray-area-refund"  # the program gives its expert decision (escalate)


def start(services: Services, scenario_ids: list[str] | None = None) -> LiveSession:
    plan = next(p.id for p in services.sessions.plans if str(p.mode) == "practice")
    detail = services.sessions.create_session(plan, PEOPLE, scenario_ids=scenario_ids)
    live = services.live(detail.id)
    live.set_feedback_open(True)
    return live


def make_panel(qtbot: QtBot, services: Services, live: LiveSession) -> DebriefPanel:
    panel = DebriefPanel(
        services.worker, services.sessions, services.feedback, services.debrief, live
    )
    qtbot.addWidget(panel)
    panel.resize(1000, 900)
    panel.show()
    qtbot.waitExposed(panel)
    settle_store(qtbot, panel)
    return panel


def questions(services: Services, live: LiveSession) -> list[str]:
    assert live.round is not None
    return list(services.library[live.round.scenario_id].debrief_questions)


def test_questions_one_at_a_time_and_the_live_round_follows(
    qtbot: QtBot, services: Services
) -> None:
    live = start(services)
    panel = make_panel(qtbot, services, live)
    asked = questions(services, live)
    assert len(asked) >= 2
    assert panel.question.text() == asked[0]
    assert panel.question_count.text() == f"Question 1 of {len(asked)}"
    assert not panel.prev_button.isEnabled()

    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert live.round is not None and live.round.debrief_question == 1
    assert panel.question.text() == asked[1]
    assert panel.prev_button.isEnabled()

    panel.prev_button.setFocus()
    qtbot.keyClick(panel.prev_button, Qt.Key.Key_Space)
    settle_store(qtbot, panel)
    assert live.round.debrief_question == 0
    assert panel.question.text() == asked[0]

    # Another view of the same live session (e.g. the projector) moves the panel too.
    live.set_debrief_question(len(asked) - 1)
    settle_store(qtbot, panel)
    assert panel.question.text() == asked[-1]
    assert not panel.next_button.isEnabled()


def test_notes_per_question_are_saved_as_typed(qtbot: QtBot, services: Services) -> None:
    live = start(services)
    panel = make_panel(qtbot, services, live)
    rnd = live.round
    assert rnd is not None
    qtbot.keyClicks(panel.note, "Policy first, then the customer")
    settle_store(qtbot, panel)
    assert services.debrief.get(rnd.id).question_notes == {0: "Policy first, then the customer"}

    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert panel.note.toPlainText() == ""
    qtbot.keyClicks(panel.note, "Escalate when money is at stake")
    qtbot.mouseClick(panel.prev_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    assert panel.note.toPlainText() == "Policy first, then the customer"
    assert services.debrief.get(rnd.id).question_notes == {
        0: "Policy first, then the customer",
        1: "Escalate when money is at stake",
    }

    again = DebriefPanel(
        services.worker,
        services.sessions,
        services.feedback,
        services.debrief,
        services.live(live.session_id),
    )
    qtbot.addWidget(again)
    settle_store(qtbot, again)
    assert again.note.toPlainText() == "Policy first, then the customer"


def test_takeaways_and_actions_are_saved_on_every_change(qtbot: QtBot, services: Services) -> None:
    live = start(services)
    panel = make_panel(qtbot, services, live)
    rnd = live.round
    assert rnd is not None

    for text in ("Check the dates before the policy", "Offer a repair first"):
        qtbot.keyClicks(panel.takeaways.entry, text)
        qtbot.keyClick(panel.takeaways.entry, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.action_items.entry, "Add a warranty-grace macro")
    qtbot.mouseClick(panel.action_items.add_button, Qt.MouseButton.LeftButton)
    settle_store(qtbot, panel)
    debrief = services.debrief.get(rnd.id)
    assert debrief.takeaways == ("Check the dates before the policy", "Offer a repair first")
    assert debrief.actions == ("Add a warranty-grace macro",)

    # Edit in place, then remove with the keyboard.
    panel.takeaways.list.item(1).setText("Offer a repair before refusing")
    settle_store(qtbot, panel)
    assert services.debrief.get(rnd.id).takeaways[1] == "Offer a repair before refusing"
    panel.takeaways.list.setCurrentRow(0)
    panel.takeaways.list.setFocus()
    qtbot.keyClick(panel.takeaways.list, Qt.Key.Key_Delete)
    settle_store(qtbot, panel)
    assert services.debrief.get(rnd.id).takeaways == ("Offer a repair before refusing",)

    again = DebriefPanel(
        services.worker,
        services.sessions,
        services.feedback,
        services.debrief,
        services.live(live.session_id),
    )
    qtbot.addWidget(again)
    settle_store(qtbot, again)
    assert again.takeaways.items() == ["Offer a repair before refusing"]
    assert again.action_items.items() == ["Add a warranty-grace macro"]


def test_expert_approach_hidden_until_revealed(
    qtbot: QtBot, services: Services, artifacts: Path
) -> None:
    live = start(services, [WITH_EXPERT])
    services.debrief.set_takeaways(live.round.id, ["Give the manager the ROI in one line"])
    services.debrief.set_actions(live.round.id, ["Write the travel-exception precedent down"])
    panel = make_panel(qtbot, services, live)
    expert = services.library[WITH_EXPERT].expert
    assert expert is not None
    assert expert.rationale.splitlines()[0] not in _texts(panel)
    assert "Hidden from the room" in panel.expert_state.text()
    assert panel.reveal_button.isEnabled()
    qtbot.keyClicks(panel.note, "Manager needs: cost, lifetime value, precedent, urgency")
    _save(panel, artifacts, "debrief-before-reveal.png")

    panel.reveal_button.setFocus()
    qtbot.keyClick(panel.reveal_button, Qt.Key.Key_Space)
    settle_store(qtbot, panel)
    assert live.round is not None and live.round.expert_revealed
    assert panel.expert_decision.text() == "Expert decision: Escalate"
    shown = panel.expert_text.text()
    assert expert.rationale in shown and expert.approach in shown
    assert panel.expert_text.isVisible()
    assert not panel.reveal_button.isEnabled()
    assert "Revealed" in panel.expert_state.text()
    # The panel scrolls to the revealed approach on the next turn of the loop.
    area = panel.findChild(QScrollArea)
    assert area is not None
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)
    _save(panel, artifacts, "debrief-after-reveal.png")


def test_no_expert_decision_is_said_plainly(qtbot: QtBot, services: Services) -> None:
    live = start(services, ["warranty-loophole"])
    panel = make_panel(qtbot, services, live)
    qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    assert "gives no expert decision for this scenario" in panel.expert_decision.text()


def test_agenda_hint_leads_with_the_most_missed(qtbot: QtBot, services: Services) -> None:
    live = start(services)
    panel = make_panel(qtbot, services, live)
    assert "no checklist submitted yet" in panel.agenda.text()
    rnd = live.round
    assert rnd is not None
    keys = [c.key for c in services.checklist.criteria]
    for observer, missed in zip(rnd.observers, (["tone", "clarity"], ["tone"]), strict=False):
        marks: dict[str, Mark | None] = {k: Mark.NOT_MET if k in missed else Mark.MET for k in keys}
        services.feedback.submit(
            rnd.id,
            observer,
            ChecklistAnswers(marks=marks, went_well=["a", "b"], could_improve=["c"]),
        )
    panel.refresh()
    settle_store(qtbot, panel)
    assert panel.agenda.text().startswith(
        "Agenda, most missed first: Tone (not met ×2), Clarity (not met ×1)"
    )


def test_the_agenda_follows_checklists_submitted_while_the_tab_was_hidden(
    qtbot: QtBot, services: Services
) -> None:
    live = start(services)
    panel = make_panel(qtbot, services, live)
    panel.hide()  # the trainer is on the Checklists tab while the observers submit
    rnd = live.round
    assert rnd is not None
    marks: dict[str, Mark | None] = {c.key: Mark.MET for c in services.checklist.criteria}
    marks["tone"] = Mark.NOT_MET
    answers = ChecklistAnswers(marks=marks, went_well=["a", "b"], could_improve=["c"])
    services.feedback.submit(rnd.id, rnd.observers[0], answers)
    panel.show()  # the debrief phase brings the tab forward
    settle_store(qtbot, panel)
    assert panel.agenda.text().startswith("Agenda, most missed first: Tone (not met ×1)")


def test_round_change_shows_the_new_rounds_debrief(qtbot: QtBot, services: Services) -> None:
    live = start(services, ["warranty-loophole", WITH_EXPERT])
    panel = make_panel(qtbot, services, live)
    qtbot.keyClicks(panel.note, "Round one note")
    first = live.round
    live.next_round()
    settle_store(qtbot, panel)
    assert first is not None and live.round is not None
    # What was typed for round one went to round one, not to the next round's box.
    assert services.debrief.get(first.id).question_notes == {0: "Round one note"}
    assert "round 2" in panel.heading.text()
    assert panel.question.text() == questions(services, live)[0]
    assert panel.note.toPlainText() == ""
    assert panel.reveal_button.isEnabled()


def test_controls_have_accessible_names(qtbot: QtBot, services: Services) -> None:
    panel = make_panel(qtbot, services, start(services))
    controls = [
        panel.prev_button,
        panel.next_button,
        panel.note,
        panel.reveal_button,
        panel.takeaways.list,
        panel.takeaways.entry,
        panel.takeaways.add_button,
        panel.takeaways.remove_button,
        panel.action_items.entry,
    ]
    assert all(c.accessibleName() for c in controls)


def _texts(widget: Any) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def _save(widget: Any, artifacts: Path, name: str) -> None:
    settle()
    folder = artifacts / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(folder / name))
