"""Session plans: the bundled three, their rules, and refusal of unknown scenario ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotdash_roleplay.clock import DRILL_BENCHMARK_SECONDS
from hotdash_roleplay.errors import InvalidFile
from hotdash_roleplay.paths import SESSIONS_DIR
from hotdash_roleplay.plans import (
    PhaseKey,
    PlanMode,
    SessionPlan,
    load_plan,
    load_plans,
    plan_from_yaml,
    plan_to_yaml,
    unknown_scenario_ids,
)
from hotdash_roleplay.scenarios import ScenarioLibrary, load_library

VALID = """\
id: my-plan
title: My plan
description: Two scenarios, short phases.
mode: practice
phases:
  - key: brief
    title: Brief
    minutes: 1
  - key: roleplay
    title: Role-play
    minutes: 5
  - key: decision
    title: Decision
    minutes: 1
scenarios:
  - warranty-loophole
  - suspected-fraud
"""


@pytest.fixture(scope="module")
def library() -> ScenarioLibrary:
    return load_library()


@pytest.fixture(scope="module")
def plans(library: ScenarioLibrary) -> dict[str, SessionPlan]:
    return {plan.id: plan for plan in load_plans(library)}


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path, library: ScenarioLibrary) -> list[tuple[str, str]]:
    with pytest.raises(InvalidFile) as exc:
        load_plan(path, library)
    assert all(p.source == str(path) for p in exc.value.problems)
    return [(p.where, p.message) for p in exc.value.problems]


# --- bundled plans ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SESSIONS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_plan_loads(path: Path, library: ScenarioLibrary) -> None:
    assert load_plan(path, library).id == path.stem


def test_bundled_plans_in_mode_order(library: ScenarioLibrary) -> None:
    assert [p.id for p in load_plans(library)] == [
        "module4-practice",
        "certification-assessment",
        "review-drill",
    ]


def test_module4_practice(plans: dict[str, SessionPlan]) -> None:
    plan = plans["module4-practice"]
    assert plan.mode is PlanMode.PRACTICE and not plan.drill
    assert [(p.key.value, p.title, p.minutes) for p in plan.phases] == [
        ("brief", "Brief", 2),
        ("roleplay", "Role-play", 8),
        ("decision", "Decision", 2),
        ("feedback", "Observer feedback", 3),
        ("debrief", "Debrief", 5),
    ]
    assert plan.round_minutes == 20
    assert plan.scenarios[:3] == ["warranty-loophole", "suspected-fraud", "unreasonable-request"]
    assert len(plan.scenarios) == 4
    assert "90" in plan.description
    assert plan.rounds is None


def test_certification_assessment(plans: dict[str, SessionPlan], library: ScenarioLibrary) -> None:
    plan = plans["certification-assessment"]
    assert plan.mode is PlanMode.CERTIFICATION
    assert plan.candidate_count == 1
    assert plan.rounds == 8
    assert len(plan.scenarios) == len(set(plan.scenarios)) == 8
    # The assessor's "correct" is pre-filled from the expert decision: every one needs one.
    assert all(library[sid].expert is not None for sid in plan.scenarios)


def test_review_drill(plans: dict[str, SessionPlan]) -> None:
    plan = plans["review-drill"]
    assert plan.mode is PlanMode.DRILL and plan.drill
    roleplay = plan.phase(PhaseKey.ROLEPLAY)
    assert roleplay is not None and roleplay.seconds == DRILL_BENCHMARK_SECONDS
    assert plan.round_minutes <= 10


def test_rounds_beyond_the_list_reuse_it(plans: dict[str, SessionPlan]) -> None:
    plan = plans["module4-practice"]
    assert [plan.scenario_for_round(i) for i in range(6)] == [
        *plan.scenarios,
        plan.scenarios[0],
        plan.scenarios[1],
    ]


def test_plan_round_trips(plans: dict[str, SessionPlan], library: ScenarioLibrary) -> None:
    for plan in plans.values():
        assert plan_from_yaml(plan_to_yaml(plan), library) == plan


# --- refusals ---------------------------------------------------------------------------------


def test_unknown_scenario_id_is_refused(tmp_path: Path, library: ScenarioLibrary) -> None:
    path = write(tmp_path, "p.yaml", VALID.replace("  - suspected-fraud", "  - suspected-frod"))
    [(where, message)] = refusal(path, library)
    assert where == "line 17, field scenarios.1"
    assert message.startswith("unknown scenario id 'suspected-frod' (known ids: ")
    assert "suspected-fraud" in message and "warranty-loophole" in message


def test_load_plans_refuses_everything_if_an_extra_plan_is_bad(
    tmp_path: Path, library: ScenarioLibrary
) -> None:
    write(tmp_path, "good.yaml", VALID)
    bad = write(
        tmp_path, "z.yaml", VALID.replace("my-plan", "other").replace("warranty-loophole", "nope")
    )
    with pytest.raises(InvalidFile) as exc:
        load_plans(library, [tmp_path])
    [problem] = exc.value.problems
    assert problem.source == str(bad) and "'nope'" in problem.message
    bad.unlink()
    assert "my-plan" in {p.id for p in load_plans(library, [tmp_path])}


def test_duplicate_plan_ids_name_both_files(tmp_path: Path, library: ScenarioLibrary) -> None:
    write(tmp_path, "copy.yaml", VALID.replace("my-plan", "review-drill"))
    with pytest.raises(InvalidFile) as exc:
        load_plans(library, [tmp_path])
    [problem] = exc.value.problems
    assert problem.source == str(tmp_path / "copy.yaml")
    assert "duplicate session plan id 'review-drill'" in problem.message
    assert "review-drill.yaml" in problem.message


def test_unknown_ids_of_a_plan_built_in_the_app(library: ScenarioLibrary) -> None:
    plan = plan_from_yaml(VALID, library).model_copy(update={"scenarios": ["x", "x", "tone"]})
    assert unknown_scenario_ids(plan, library) == ["x", "tone"]


def test_clock_minutes_are_minutes_not_base_60(tmp_path: Path, library: ScenarioLibrary) -> None:
    # YAML 1.1 reads 5:00 as 300; the program writes durations as m:ss.
    path = write(
        tmp_path,
        "p.yaml",
        VALID.replace("minutes: 5", "minutes: 5:00").replace(
            "minutes: 1\n  - key: roleplay", "minutes: 0:30\n  - key: roleplay"
        ),
    )
    plan = load_plan(path, library)
    assert [p.minutes for p in plan.phases] == [0.5, 5, 1]


BAD_PLANS: list[tuple[str, str, str, str]] = [
    (
        "zero minutes",
        VALID.replace("minutes: 5", "minutes: 0"),
        "line 11, field phases.1.minutes",
        "too small",
    ),
    (
        "over 120 minutes",
        VALID.replace("minutes: 5", "minutes: 121"),
        "field phases.1.minutes",
        "too large (must be at most 120)",
    ),
    (
        "bad duration text",
        VALID.replace("minutes: 5", "minutes: five"),
        "field phases.1.minutes",
        "not a duration",
    ),
    (
        "unknown phase key",
        VALID.replace("key: brief", "key: breif"),
        "line 6, field phases.0.key",
        "unknown phase key 'breif'",
    ),
    (
        "phases out of order",
        VALID.replace("key: brief", "key: debrief"),
        "line 5, field phases",
        "must run in this order",
    ),
    (
        "no decision phase",
        VALID.replace("key: decision", "key: feedback"),
        "field phases",
        "needs the decision phase",
    ),
    (
        "unknown mode",
        VALID.replace("mode: practice", "mode: exam"),
        "line 4, field mode",
        "unknown mode 'exam' (allowed: practice, certification, drill)",
    ),
    (
        "certification with 2 scenarios",
        VALID.replace("mode: practice", "mode: certification") + "candidate_count: 1\n",
        "line 15, field scenarios",
        "exactly 8 different scenarios (2 given",
    ),
    (
        "drill without marks",
        VALID.replace("mode: practice", "mode: drill"),
        "field drill",
        "drill: true",
    ),
    (
        "candidate count outside certification",
        VALID + "candidate_count: 1\n",
        "line 18, field candidate_count",
        "only for certification",
    ),
    ("rounds zero", VALID + "rounds: 0\n", "field rounds", "too small"),
    ("unknown field", VALID + "round: 3\n", "line 18, field round", "did you mean 'rounds'?"),
    (
        "no scenarios",
        VALID.split("scenarios:")[0] + "scenarios: []\n",
        "field scenarios",
        "needs at least 1 item",
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "message"), [c[1:] for c in BAD_PLANS], ids=[c[0] for c in BAD_PLANS]
)
def test_bad_plan_gives_one_clear_problem(
    tmp_path: Path, library: ScenarioLibrary, text: str, where: str, message: str
) -> None:
    [(got_where, got_message)] = refusal(write(tmp_path, "p.yaml", text), library)
    assert where in got_where
    assert message in got_message


def test_certification_rules(tmp_path: Path, library: ScenarioLibrary) -> None:
    eight = "".join(f"  - {sid}\n" for sid in library.ids[:8])
    base = VALID.replace("mode: practice", "mode: certification").split("scenarios:")[0]
    ok = base + "scenarios:\n" + eight + "candidate_count: 1\n"
    assert load_plan(write(tmp_path, "ok.yaml", ok), library).candidate_count == 1
    missing_count = base + "scenarios:\n" + eight
    [(where, message)] = refusal(write(tmp_path, "a.yaml", missing_count), library)
    assert where == "field candidate_count" and "candidate_count: 1" in message
    repeated = ok.replace(library.ids[1], library.ids[0])
    [(where, message)] = refusal(write(tmp_path, "b.yaml", repeated), library)
    assert "8 given, 7 different" in message
    seven_rounds = ok + "rounds: 7\n"
    [(where, message)] = refusal(write(tmp_path, "c.yaml", seven_rounds), library)
    assert where.endswith("field rounds")


def test_plan_yaml_syntax_error_names_line(tmp_path: Path, library: ScenarioLibrary) -> None:
    [(where, message)] = refusal(write(tmp_path, "p.yaml", VALID + "x: [\n"), library)
    assert where.startswith("line 19") and message.startswith("YAML syntax error")
