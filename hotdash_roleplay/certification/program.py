"""The program's facts, as the Advanced Operator Training states them: module titles, the
expert thresholds (Section 6.1 and the Certification Path), the requirements and the steps of
the certification process, in the program's order. Every rule and wording elsewhere reads
them from here."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from hotdash_roleplay.plans import CERTIFICATION_SCENARIOS

# Program Overview / the module headings.
MODULES: dict[int, str] = {
    1: "Module 1: Complex Scenario Mastery",
    2: "Module 2: Advanced Troubleshooting",
    3: "Module 3: Expert Escalation Handling",
    4: "Module 4: Role-Play Scenarios & Practice",
    5: "Module 5: AI Teaching & System Optimization",
    6: "Module 6: Performance Excellence",
}
ROLE_PLAY_MODULE = 4  # evidenced by the practice sessions played in this app

# "Achieve expert-level metrics for 4 consecutive weeks"
CONSECUTIVE_WEEKS = 4
# "Pass certification scenarios (8 complex scenarios, 90%+ correct decisions)"
SCENARIO_COUNT = CERTIFICATION_SCENARIOS
SCENARIO_PASS_PERCENT = 90.0
# "Mentor at least 1 new operator", "1+ FAQ additions, scenarios, or improvements"
MIN_MENTEES = 1
MIN_CONTRIBUTIONS = 1
# "Annual recertification (maintain metrics)"; we warn this many days ahead.
RECERTIFICATION_YEARS = 1
RECERTIFICATION_WARNING_DAYS = 30

# Section 6.1, "How to Reach Expert Level", 1. Approval Rate.
APPROVAL_CAUTION_ABOVE = 90.0
APPROVAL_CAUTION = "If rate is >90%: Ensure you're not approving errors"
# Section 6.1, 5. Escalation Rate: "12-13% optimal" (information only, not a requirement).
ESCALATION_BAND = (12.0, 13.0)
ESCALATION_TOO_LOW = "Too low (<10%): May be handling things you shouldn't"
ESCALATION_TOO_HIGH = "Too high (>15%): May lack confidence or training"


class Metric(StrEnum):
    """A weekly figure; the value is the CSV column name."""

    APPROVAL_RATE = "approval_rate"
    AVG_REVIEW_SECONDS = "avg_review_seconds"
    CSAT = "csat"
    FIRST_CONTACT_RESOLUTION = "first_contact_resolution"
    DECISION_ACCURACY = "decision_accuracy"
    ESCALATION_RATE = "escalation_rate"  # optional, shown for information


@dataclass(frozen=True)
class Threshold:
    metric: Metric
    label: str
    value: float
    strict: bool  # True: "<", the figure must stay under the value; False: ">="
    unit: str  # " %", " s" or ""

    @property
    def passes(self) -> Callable[[float, float], bool]:
        return operator.lt if self.strict else operator.ge

    def met(self, figure: float) -> bool:
        return self.passes(figure, self.value)

    @property
    def rule(self) -> str:
        """ "≥ 85 %", "< 90 s" """
        return f"{'<' if self.strict else '≥'} {number(self.value)}{self.unit}"

    @property
    def failed_sign(self) -> str:
        return "≥" if self.strict else "<"


# The Certification Path's expert-level metrics, in its order.
THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(Metric.APPROVAL_RATE, "Approval rate", 85.0, False, " %"),
    Threshold(Metric.AVG_REVIEW_SECONDS, "Avg review time", 90.0, True, " s"),
    Threshold(Metric.CSAT, "CSAT", 4.8, False, ""),
    Threshold(Metric.FIRST_CONTACT_RESOLUTION, "First contact resolution", 90.0, False, " %"),
    Threshold(Metric.DECISION_ACCURACY, "Decision accuracy", 99.0, False, " %"),
)
METRIC_LABELS: dict[Metric, str] = {t.metric: t.label for t in THRESHOLDS} | {
    Metric.ESCALATION_RATE: "Escalation rate"
}
METRIC_UNITS: dict[Metric, str] = {t.metric: t.unit for t in THRESHOLDS} | {
    Metric.ESCALATION_RATE: " %"
}


class RequirementKey(StrEnum):
    """The Certification Path's requirements, in its order (keys of the CLI's JSON)."""

    MODULES = "modules"
    METRICS = "metrics"
    SCENARIOS = "scenarios"
    AI_REPORT = "ai_report"
    MENTORING = "mentoring"
    CONTRIBUTION = "contribution"

    @property
    def label(self) -> str:
        return _REQUIREMENT_LABELS[self]


_REQUIREMENT_LABELS: dict[RequirementKey, str] = {
    RequirementKey.MODULES: "Complete all 6 advanced modules",
    RequirementKey.METRICS: "Achieve expert-level metrics for 4 consecutive weeks",
    RequirementKey.SCENARIOS: "Pass certification scenarios (8 complex scenarios, 90%+ correct "
    "decisions)",
    RequirementKey.AI_REPORT: "Submit AI improvement report (document patterns and "
    "recommendations)",
    RequirementKey.MENTORING: "Mentor at least 1 new operator (successful graduation to "
    "independent operation)",
    RequirementKey.CONTRIBUTION: "Contribute to training materials (1+ FAQ additions, "
    "scenarios, or improvements)",
}


# The Certification Path's "Requirements", word for word: the credential's criteria narrative.
CRITERIA_NARRATIVE = """\
**Requirements:**

✅ **Complete all 6 advanced modules**
✅ **Achieve expert-level metrics for 4 consecutive weeks:**
- Approval rate: 85%+
- Avg review time: <90 sec
- CSAT: 4.8+
- First contact resolution: 90%+
- Decision accuracy: 99%+

✅ **Pass certification scenarios** (8 complex scenarios, 90%+ correct decisions)
✅ **Submit AI improvement report** (document patterns and recommendations)
✅ **Mentor at least 1 new operator** (successful graduation to independent operation)
✅ **Contribute to training materials** (1+ FAQ additions, scenarios, or improvements)"""
CERTIFICATION_NAME = "Expert Operator Certification"
# The Program Overview's "Purpose", first sentence: what the credential recognises.
CERTIFICATION_DESCRIPTION = (
    "This advanced training program elevates experienced operators from competent to expert "
    "level in using the Agent SDK approval queue."
)


class RequirementStatus(StrEnum):
    MET = "met"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Step(StrEnum):
    """The Certification Process, in the program's order."""

    SELF_ASSESSMENT = "self_assessment"
    MANAGER_NOMINATION = "manager_nomination"
    CERTIFICATION_REVIEW = "certification_review"
    SCENARIO_ASSESSMENT = "scenario_assessment"
    PEER_REVIEW = "peer_review"
    AWARDED = "awarded"

    @property
    def label(self) -> str:
        return _STEP_TEXT[self][0]

    @property
    def program_text(self) -> str:
        return _STEP_TEXT[self][1]

    @property
    def by_label(self) -> str:
        """Whose name the step records."""
        return _STEP_TEXT[self][2]


_STEP_TEXT: dict[Step, tuple[str, str, str]] = {
    Step.SELF_ASSESSMENT: ("Self-Assessment", "Complete all modules, track metrics", "Candidate"),
    Step.MANAGER_NOMINATION: ("Manager Nomination", "Manager confirms readiness", "Manager"),
    Step.CERTIFICATION_REVIEW: (
        "Certification Review",
        "Enablement team reviews submission",
        "Reviewer",
    ),
    Step.SCENARIO_ASSESSMENT: (
        "Scenario Assessment",
        "8 advanced scenarios (90%+ required)",
        "Assessor",
    ),
    Step.PEER_REVIEW: ("Peer Review", "Mentee provides feedback", "Mentee"),
    Step.AWARDED: ("Certification Awarded", "Expert Operator credential", "Awarded by"),
}


class ContributionKind(StrEnum):
    """ "1+ FAQ additions, scenarios, or improvements" """

    FAQ_ADDITION = "faq_addition"
    SCENARIO = "scenario"
    IMPROVEMENT = "improvement"

    @property
    def label(self) -> str:
        return {"faq_addition": "FAQ addition", "scenario": "Scenario"}.get(
            self.value, "Improvement"
        )


class CertificationState(StrEnum):
    """Where a person stands overall (the CLI's "status")."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ELIGIBLE = "eligible"  # every requirement met, not awarded yet
    CERTIFIED = "certified"
    RECERTIFICATION_DUE = "recertification_due"  # within the warning days
    RECERTIFICATION_OVERDUE = "recertification_overdue"
    REVOKED = "revoked"  # awarded, then its certificate revoked: no longer certified

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def number(value: float) -> str:
    """A figure as people write it: 85, 84.9, 4.79 (no trailing zeros, never rounded up to
    a threshold it misses)."""
    return f"{value:.6g}"
