"""Practice scenarios: the model, loading files all-or-nothing, and the library the app plays from.

One YAML file per scenario (``resources/scenarios/``, plus trainers' own folders). A file that
does not fit the model is refused with one Problem per issue, and nothing is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from hotdash_roleplay.decisions import Decision, expert_wording, matches_expert
from hotdash_roleplay.errors import InvalidFile
from hotdash_roleplay.paths import SCENARIOS_DIR
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

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=64)]
# Surrounding whitespace is dropped so "  " counts as empty and block scalars lose their final
# newline (a loaded file and its re-dump compare equal).
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10_000)]
Percent = Annotated[int, Field(strict=True, ge=0, le=100)]


class Difficulty(StrEnum):
    """The program's own grading: its practice exercises, its advanced scenarios, case studies."""

    PRACTICE = "practice"  # 1.4 / 2.3 / 3.5 practice exercises
    ADVANCED = "advanced"  # Module 1 advanced scenarios, Module 4 advanced role-plays
    EXPERT = "expert"  # Module 3 case studies in expert escalation

    @property
    def label(self) -> str:
        return self.value.capitalize()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AiDraft(_Strict):
    text: Text
    # None where the program states no confidence; never guessed.
    confidence: Percent | None = None


class ExpertDecision(_Strict):
    """What the program's expert does, revealed only in the debrief.

    Several decisions are either steps taken one after another (``sequence: true``, in the
    program's order: "REJECT AI draft, ESCALATE ..." is [reject, escalate]) or alternatives,
    any one of which is the expert's choice (the default). The program's text decides, scenario
    by scenario; ``wording`` and ``matches`` follow it.
    """

    decisions: Annotated[list[Decision], Field(min_length=1, max_length=4)]
    sequence: bool = False
    rationale: Text
    approach: Text

    @property
    def wording(self) -> str:
        return expert_wording(self.decisions, self.sequence)

    def matches(self, choice: Decision) -> bool:
        return matches_expert(choice, self.decisions, self.sequence)

    @field_validator("decisions")
    @classmethod
    def _no_repeats(cls, decisions: list[Decision]) -> list[Decision]:
        for decision in set(decisions):
            if decisions.count(decision) > 1:
                raise ValueError(f"decision '{decision.value}' is listed twice")
        return decisions


class Scenario(_Strict):
    id: Slug
    title: Title
    module: Annotated[int, Field(strict=True, ge=1, le=6)]
    program_section: Title | None = None  # where in the training program it comes from
    difficulty: Difficulty
    setup: Annotated[list[Line], Field(min_length=1, max_length=30)]
    customer_message: Text
    ai_draft: AiDraft
    operator_challenges: Annotated[list[Line], Field(min_length=1, max_length=20)]
    debrief_questions: Annotated[list[Line], Field(min_length=1, max_length=20)]
    expert: ExpertDecision | None = None  # absent where the program gives no expert decision


class ScenarioLibrary:
    """Scenarios by id, ordered by module then title (the order trainers browse them in)."""

    def __init__(
        self, scenarios: Iterable[Scenario], sources: Mapping[str, str] | None = None
    ) -> None:
        ordered = sorted(scenarios, key=lambda s: (s.module, s.title.casefold(), s.id))
        self._by_id: dict[str, Scenario] = {}
        for scenario in ordered:
            if scenario.id in self._by_id:
                raise ValueError(f"duplicate scenario id '{scenario.id}'")
            self._by_id[scenario.id] = scenario
        self._sources = dict(sources or {})

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Scenario]:
        return iter(self._by_id.values())

    def __contains__(self, scenario_id: object) -> bool:
        return scenario_id in self._by_id

    def __getitem__(self, scenario_id: str) -> Scenario:
        return self._by_id[scenario_id]

    def get(self, scenario_id: str) -> Scenario | None:
        return self._by_id.get(scenario_id)

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    @property
    def scenarios(self) -> list[Scenario]:
        return list(self._by_id.values())

    def by_module(self, module: int) -> list[Scenario]:
        return [s for s in self._by_id.values() if s.module == module]

    def source_of(self, scenario_id: str) -> str | None:
        """The file a scenario was loaded from (None for scenarios made in the app)."""
        return self._sources.get(scenario_id)


def expert_of(scenario: Mapping[str, Any]) -> ExpertDecision | None:
    """The expert decision of a stored scenario snapshot; None where it has none (or a snapshot
    too damaged to read one from)."""
    expert = scenario.get("expert")
    if not expert:
        return None
    try:
        return ExpertDecision.model_validate(expert)
    except ValidationError:
        return None


def _load_checked(paths: Iterable[Path | str]) -> list[tuple[Scenario, YamlDocument]]:
    loaded, problems = load_models(paths, Scenario)
    problems += duplicate_id_problems(((s.id, doc) for s, doc in loaded), "scenario")
    if problems:
        raise InvalidFile(problems)
    return loaded


def load_scenario_file(path: Path | str) -> Scenario:
    """One scenario file; InvalidFile (one Problem per issue) if it does not fit."""
    return validate(read_mapping(path), Scenario)


def scenario_from_yaml(text: str, source: str = "scenario") -> Scenario:
    """A scenario from YAML text, e.g. the in-app editor (``source`` names it in messages)."""
    return validate(parse_mapping(text, source), Scenario)


def load_scenarios(paths: Iterable[Path | str]) -> list[Scenario]:
    """All files or none: every problem of every file (and duplicate ids) in one InvalidFile."""
    return [scenario for scenario, _ in _load_checked(paths)]


def load_library(extra_dirs: Iterable[Path | str] = ()) -> ScenarioLibrary:
    """The bundled scenarios plus the *.yaml files of ``extra_dirs``, all-or-nothing."""
    files, problems = yaml_files([SCENARIOS_DIR, *extra_dirs])
    try:
        loaded = _load_checked(files)
    except InvalidFile as exc:
        raise InvalidFile(problems + exc.problems) from None
    if problems:
        raise InvalidFile(problems)
    return ScenarioLibrary((s for s, _ in loaded), sources={s.id: doc.source for s, doc in loaded})


def scenario_to_yaml(scenario: Scenario, header: str | None = None) -> str:
    """Human-editable YAML that ``scenario_from_yaml`` reads back to an equal scenario.

    ``confidence: null`` is kept (it says "the program gives none"); a missing expert is left
    out rather than written as null.
    """
    data = scenario.model_dump(mode="json", exclude={"expert"} if scenario.expert is None else None)
    if scenario.program_section is None:
        data.pop("program_section")
    return dump_yaml(data, header)
