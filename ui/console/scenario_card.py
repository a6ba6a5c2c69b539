"""The trainer's scenario card: everything about the round's scenario, the expert part marked
as hidden from the room. All scenario text is shown as plain text (trainers write their own)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from hotdash_roleplay.scenarios import Scenario
from hotdash_roleplay.services.views import RoundView
from ui.widgets.labels import text_label

SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse  # the trainer may copy a line


def confidence_text(scenario: Scenario) -> str:
    confidence = scenario.ai_draft.confidence
    return (
        f"AI confidence: {confidence}%" if confidence is not None else "AI confidence: not stated"
    )


def expert_text(scenario: Scenario) -> str:
    """The expert decision as one block of text (the console, and the projector after reveal)."""
    if scenario.expert is None:
        return "The program gives no expert decision for this scenario."
    return (
        f"Expert decision: {scenario.expert.wording}\n\nWhy: {scenario.expert.rationale}\n\n"
        f"Approach: {scenario.expert.approach}"
    )


def bullets(items: list[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


class ScenarioCard(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scenarioCard")
        self.setAccessibleName("Scenario card (trainer)")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._body = QWidget(self)
        self._layout = QVBoxLayout(self._body)
        self.expert_frame: QFrame | None = None
        self.expert_label: QLabel | None = None
        self._shown: tuple[str, str] | None = None  # what the body holds, to build it once

    def show_round(self, rnd: RoundView | None, scenario: Scenario | None) -> None:
        """The round's scenario; while it is still being read (None), the round's scenario
        title alone, never the previous round's card."""
        if rnd is None:
            shown = ("none", "")
        elif scenario is None:
            shown = ("reading", rnd.scenario_title)
        else:
            shown = ("scenario", scenario.id)
        if shown == self._shown:
            return
        self._shown = shown
        # A fresh body: setWidget deletes the old one at once, so two scenarios never overlap.
        self._body = QWidget(self)
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(4, 4, 8, 4)
        self.setWidget(self._body)
        self.expert_frame = self.expert_label = None
        if rnd is None:
            self._add("No round in progress.", "muted")
        elif scenario is None:
            self._add(rnd.scenario_title, "title", "scenarioTitle")
            self._add("Reading the scenario…", "muted", "scenarioReading")
        else:
            self._fill(scenario)
        self._layout.addStretch(1)

    def _fill(self, scenario: Scenario) -> None:
        self._add(scenario.title, "title", "scenarioTitle")
        meta = f"Module {scenario.module} · {scenario.difficulty.label}"
        if scenario.program_section:
            meta += f" · {scenario.program_section}"
        self._add(meta, "muted")
        self._section("Setup", bullets(scenario.setup))
        self._section("Customer message", f"“{scenario.customer_message}”", "scenarioCustomer")
        self._section("AI draft", scenario.ai_draft.text, "scenarioDraft")
        self._add(confidence_text(scenario), "", "scenarioConfidence")
        self._section("Operator challenges", bullets(scenario.operator_challenges))
        self._add_expert(scenario)

    def _add(self, text: str, role: str = "", name: str = "") -> QLabel:
        label = text_label(text, self._body, role=role, name=name, interaction=SELECTABLE)
        self._layout.addWidget(label)
        return label

    def _section(self, heading: str, text: str, name: str = "") -> None:
        self._add(heading, "heading")
        self._add(text, "", name)

    def _add_expert(self, scenario: Scenario) -> None:
        frame = QFrame(self._body)
        frame.setObjectName("expertHidden")
        frame.setProperty("role", "card")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        # Said in words (not only a colour or an icon) so the trainer never reads it aloud early.
        box.addWidget(
            text_label(
                "Hidden from the room — trainer only", frame, role="notice", interaction=SELECTABLE
            )
        )
        self.expert_label = text_label(
            expert_text(scenario), frame, name="expertText", interaction=SELECTABLE
        )
        box.addWidget(self.expert_label)
        self._layout.addWidget(frame)
        self.expert_frame = frame
