"""Session plans (``sessions/*.yaml``): mode, phase durations and the scenario of each round.

A plan names scenarios by id; a plan naming an id the library does not have is refused, with
the file, the field and the known ids. Same error discipline as scenario files.

Rounds and scenarios: round ``i`` (0-based) plays ``scenarios[i % len(scenarios)]``, so a plan
with fewer scenarios than rounds starts the list again (rounds beyond the list reuse it
cyclically). ``rounds`` is optional: without it, the rotation decides how many rounds to play.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from hotdash_roleplay.errors import InvalidFile, Problem
from hotdash_roleplay.paths import SESSIONS_DIR
from hotdash_roleplay.scenarios import SLUG_PATTERN, ScenarioLibrary
from hotdash_roleplay.yamlfile import (
    YamlDocument,
    dump_yaml,
    duplicate_id_problems,
    load_models,
    parse_mapping,
    read_mapping,
    validate,
    yaml_files,
)

CERTIFICATION_SCENARIOS = 8  # Certification Path: "8 complex scenarios, 90%+ correct decisions"
CERTIFICATION_CANDIDATES = 1
# The limits a session is set up within (the setup screen takes its ranges from here).
MAX_PHASE_MINUTES = 120.0  # one phase, in a plan file or set for one session
MAX_SESSION_TITLE = 200
PRACTICE_SESSION_MINUTES = 90  # Module 4's practice session, introduction and close included

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=64)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class PlanMode(StrEnum):
    PRACTICE = "practice"  # Module 4 role-play with rotation and observers
    CERTIFICATION = "certification"  # one candidate operates every round; an assessor marks
    DRILL = "drill"  # Module 6.2 90-second review drill

    @property
    def label(self) -> str:
        return self.value.capitalize()


class PhaseKey(StrEnum):
    """The phases of a round, in the order they run."""

    BRIEF = "brief"
    ROLEPLAY = "roleplay"
    DECISION = "decision"
    FEEDBACK = "feedback"
    DEBRIEF = "debrief"


PHASE_ORDER: tuple[PhaseKey, ...] = tuple(PhaseKey)
_MIN_SEC = re.compile(r"^\s*(\d{1,3}):([0-5]\d)\s*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhasePlan(_Strict):
    key: PhaseKey
    title: Title
    minutes: Annotated[float, Field(gt=0, le=MAX_PHASE_MINUTES)]

    @field_validator("minutes", mode="before")
    @classmethod
    def _clock_text(cls, value: Any) -> Any:
        """Accept "2:00" / "0:30" as written in the program, besides 2 or 0.5."""
        if isinstance(value, bool):
            raise ValueError("should be a number of minutes, not true/false")
        if isinstance(value, str):
            match = _MIN_SEC.match(value)
            if not match:
                raise ValueError(
                    f"{value!r} is not a duration: write minutes (2, 1.5) or m:ss (2:00)"
                )
            return int(match[1]) + int(match[2]) / 60
        return value

    @property
    def seconds(self) -> int:
        return round(self.minutes * 60)


class SessionPlan(_Strict):
    id: Slug
    title: Title
    description: Text
    mode: PlanMode
    phases: Annotated[list[PhasePlan], Field(min_length=2, max_length=len(PHASE_ORDER))]
    scenarios: Annotated[list[Slug], Field(min_length=1, max_length=50)]
    rounds: Annotated[int, Field(strict=True, ge=1, le=50)] | None = None
    drill: Annotated[bool, Field(strict=True)] = Field(default=False, validate_default=True)
    candidate_count: Annotated[int, Field(strict=True, ge=1, le=12)] | None = Field(
        default=None, validate_default=True
    )

    @field_validator("phases")
    @classmethod
    def _phase_order(cls, phases: list[PhasePlan]) -> list[PhasePlan]:
        keys = [p.key for p in phases]
        if len(set(keys)) != len(keys):
            raise ValueError("each phase may appear only once")
        if keys != sorted(keys, key=PHASE_ORDER.index):
            order = ", ".join(k.value for k in PHASE_ORDER)
            raise ValueError(f"phases must run in this order: {order}")
        missing = [k.value for k in (PhaseKey.ROLEPLAY, PhaseKey.DECISION) if k not in keys]
        if missing:
            raise ValueError(f"a round needs the {' and '.join(missing)} phase")
        return phases

    @field_validator("scenarios")
    @classmethod
    def _certification_scenarios(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        distinct = len(set(ids))
        if info.data.get("mode") is PlanMode.CERTIFICATION and (
            distinct != CERTIFICATION_SCENARIOS or distinct != len(ids)
        ):
            raise ValueError(
                f"a certification assessment has exactly {CERTIFICATION_SCENARIOS} "
                f"different scenarios ({len(ids)} given, {distinct} different)"
            )
        return ids

    @field_validator("rounds")
    @classmethod
    def _certification_rounds(cls, rounds: int | None, info: ValidationInfo) -> int | None:
        if info.data.get("mode") is PlanMode.CERTIFICATION and rounds not in (
            None,
            CERTIFICATION_SCENARIOS,
        ):
            raise ValueError(
                f"a certification assessment has {CERTIFICATION_SCENARIOS} rounds, one per "
                f"scenario: write rounds: {CERTIFICATION_SCENARIOS} or leave it out"
            )
        return rounds

    @field_validator("drill")
    @classmethod
    def _drill_mode(cls, drill: bool, info: ValidationInfo) -> bool:
        if info.data.get("mode") is PlanMode.DRILL and not drill:
            raise ValueError("a drill plan needs drill: true (the 90-second review marks)")
        return drill

    @field_validator("candidate_count")
    @classmethod
    def _candidates(cls, count: int | None, info: ValidationInfo) -> int | None:
        mode = info.data.get("mode")
        if mode is PlanMode.CERTIFICATION and count != CERTIFICATION_CANDIDATES:
            raise ValueError(
                "a certification assessment has candidate_count: 1 (one candidate as Operator)"
            )
        if mode is not None and mode is not PlanMode.CERTIFICATION and count is not None:
            raise ValueError("candidate_count is only for certification plans")
        return count

    def scenario_for_round(self, index: int) -> str:
        """Scenario id of round ``index`` (0-based); the list repeats when rounds outnumber it."""
        return self.scenarios[index % len(self.scenarios)]

    def phase(self, key: PhaseKey) -> PhasePlan | None:
        return next((p for p in self.phases if p.key is key), None)

    @property
    def round_minutes(self) -> float:
        return sum(p.minutes for p in self.phases)


# --- loading ----------------------------------------------------------------------------------


def unknown_scenario_ids(plan: SessionPlan, library: ScenarioLibrary) -> list[str]:
    """Ids the plan names that the library lacks (for plans built in the app)."""
    return [sid for sid in dict.fromkeys(plan.scenarios) if sid not in library]


def _scenario_problems(
    plan: SessionPlan, doc: YamlDocument, library: ScenarioLibrary
) -> list[Problem]:
    known = ", ".join(sorted(library.ids)) or "none"
    return [
        doc.problem(("scenarios", index), f"unknown scenario id '{sid}' (known ids: {known})")
        for index, sid in enumerate(plan.scenarios)
        if sid not in library
    ]


def _checked(doc: YamlDocument, library: ScenarioLibrary) -> SessionPlan:
    plan = validate(doc, SessionPlan)
    problems = _scenario_problems(plan, doc, library)
    if problems:
        raise InvalidFile(problems)
    return plan


def load_plan(path: Path | str, library: ScenarioLibrary) -> SessionPlan:
    """One plan file, checked against ``library``; InvalidFile (one Problem per issue)."""
    return _checked(read_mapping(path), library)


def plan_from_yaml(
    text: str, library: ScenarioLibrary, source: str = "session plan"
) -> SessionPlan:
    return _checked(parse_mapping(text, source), library)


def load_plans(
    library: ScenarioLibrary, extra_dirs: Iterable[Path | str] = ()
) -> list[SessionPlan]:
    """The bundled plans plus those of ``extra_dirs``, all-or-nothing, by mode then title."""
    files, problems = yaml_files([SESSIONS_DIR, *extra_dirs])
    loaded, file_problems = load_models(files, SessionPlan)
    problems += file_problems
    for plan, doc in loaded:
        problems += _scenario_problems(plan, doc, library)
    problems += duplicate_id_problems(((p.id, doc) for p, doc in loaded), "session plan")
    if problems:
        raise InvalidFile(problems)
    modes = list(PlanMode)
    return sorted(
        (plan for plan, _ in loaded),
        key=lambda p: (modes.index(p.mode), p.title.casefold(), p.id),
    )


def plan_to_yaml(plan: SessionPlan, header: str | None = None) -> str:
    data = plan.model_dump(mode="json")
    for optional in ("rounds", "candidate_count"):
        if data[optional] is None:
            del data[optional]
    return dump_yaml(data, header)
