"""Rotation: generation meets every rule, checks catch broken plans, swaps and re-plans."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.rotation import (
    RULES,
    Role,
    RoundRoles,
    Violation,
    check_rotation,
    default_rounds,
    generate_rotation,
    replan,
    swap,
    validate_roster,
)

# Names in several scripts: the rotation must not care what a name looks like.
POOL = [
    "Ann", "Bob", "Chloé", "Dev", "Zoë Ødegård", "Đorđe", "Ξανθή", "Юлия", "李雷", "Ola",
    "Priya", "Sam", "Tomás",
]  # fmt: skip
STRUCTURAL = {
    "one_operator",
    "one_ai_system",
    "one_facilitator",
    "one_observer",
    "one_role_each",
    "unknown_person",
    "missing_person",
}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def roles_needed(n: int) -> set[Role]:
    return set(Role) if n > 3 else {Role.OPERATOR, Role.AI_SYSTEM, Role.OBSERVER}


def assert_meets_rules(plan: list[RoundRoles], people: list[str]) -> None:
    """An oracle written apart from check_rotation, so a lenient checker cannot hide a bad plan."""
    n, rounds = len(people), len(plan)
    for rnd in plan:
        assert sorted(rnd.people()) == sorted(people)
        assert (rnd.facilitator is None) == (n == 3)
        assert len(rnd.observers) == (1 if n == 3 else n - 3)
    seq = {p: [rnd.role_of(p) for rnd in plan] for p in people}
    ops = [s.count(Role.OPERATOR) for s in seq.values()]
    assert max(ops) - min(ops) <= 1
    if rounds >= max(n, 3 if n == 3 else 4):
        for person, roles in seq.items():
            assert set(roles) == roles_needed(n), person
    for r in range(1, rounds):
        for roles in seq.values():
            assert roles[r] is Role.OBSERVER or roles[r] != roles[r - 1]
        # n-3 observers and only 3 active seats next round: n-6 must observe again.
        unavoidable = 0 if n == 3 else max(0, n - 6)
        observers_twice = sum(
            1 for roles in seq.values() if roles[r] is roles[r - 1] is Role.OBSERVER
        )
        assert observers_twice <= unavoidable


@st.composite
def rosters(draw: st.DrawFn, low: int = 3, high: int = 12) -> list[str]:
    n = draw(st.integers(low, high))
    return draw(st.permutations(POOL))[:n]


# --- roster and basics -----------------------------------------------------------------------


def test_role_values_and_labels() -> None:
    assert [r.value for r in Role] == ["operator", "ai_system", "facilitator", "observer"]
    assert [r.label for r in Role] == ["Operator", "AI System", "Facilitator", "Observer"]
    assert Role("ai_system") is Role.AI_SYSTEM


def test_default_rounds() -> None:
    assert [default_rounds(n) for n in (3, 4, 5, 12)] == [4, 4, 5, 12]


def test_validate_roster_strips() -> None:
    assert validate_roster(["  Ann ", "Bob", "Cy\t"]) == ["Ann", "Bob", "Cy"]


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["Ann", "Bob"], "A session needs 3 to 12 participants; 2 given."),
        ([f"P{i}" for i in range(13)], "A session needs 3 to 12 participants; 13 given."),
        ([], "A session needs 3 to 12 participants; 0 given."),
        (["Ann", "  ", "Bob", "Cy"], "Participant names cannot be empty."),
        (["Ann", "", "Bob"], "Participant names cannot be empty."),
        (["Ann", "Bob", "Ann "], "Duplicate name: Ann"),
        (["Ann", "Bob", "ann"], "Duplicate name: ann (also given as Ann)"),
    ],
)
def test_validate_roster_refuses(names: list[str], message: str) -> None:
    with pytest.raises(UserError) as err:
        validate_roster(names)
    assert str(err.value) == message


def test_every_entry_point_checks_the_roster() -> None:
    plan = generate_rotation(["Ann", "Bob", "Cy", "Dee"])
    for call in (
        lambda: generate_rotation(["Ann", "Bob"]),
        lambda: check_rotation(plan, ["Ann", "Ann", "Bob"]),
        lambda: swap(plan, 0, "Ann", "Bob", ["Ann", "Bob"]),
        lambda: replan(plan[:1], ["Ann", ""]),
    ):
        with pytest.raises(UserError):
            call()


@pytest.mark.parametrize("rounds", [0, -1, 101])
def test_rounds_out_of_range(rounds: int) -> None:
    with pytest.raises(UserError, match="rounds"):
        generate_rotation(["Ann", "Bob", "Cy"], rounds)


def test_round_roles_helpers() -> None:
    rnd = RoundRoles("Ann", "Bob", "Cy", ["Dee", "Eve"])  # type: ignore[arg-type]
    assert rnd.observers == ("Dee", "Eve")  # lists are normalised, the round stays hashable
    assert hash(rnd)
    assert rnd.people() == ("Ann", "Bob", "Cy", "Dee", "Eve")
    assert [rnd.role_of(p) for p in rnd.people()] == [
        Role.OPERATOR, Role.AI_SYSTEM, Role.FACILITATOR, Role.OBSERVER, Role.OBSERVER,
    ]  # fmt: skip
    assert rnd.role_of("Zed") is None
    trio = RoundRoles("Ann", "Bob", None, ("Cy",))
    assert trio.people() == ("Ann", "Bob", "Cy")
    assert trio.role_of("Cy") is Role.OBSERVER


# --- generation ------------------------------------------------------------------------------


@FAST
@given(people=rosters(), seed=st.integers(0, 10**9), data=st.data())
def test_generated_plans_meet_every_rule(people: list[str], seed: int, data: st.DataObject) -> None:
    n = len(people)
    rounds = data.draw(st.integers(n, 2 * n), label="rounds")
    plan = generate_rotation(people, rounds, seed)
    assert len(plan) == rounds
    assert check_rotation(plan, people) == []
    assert_meets_rules(plan, people)


@FAST
@given(people=rosters(), seed=st.integers(0, 10**9), rounds=st.integers(1, 30))
def test_any_number_of_rounds_meets_the_rules(people: list[str], seed: int, rounds: int) -> None:
    plan = generate_rotation(people, rounds, seed)
    assert check_rotation(plan, people) == []
    assert_meets_rules(plan, people)


@pytest.mark.parametrize("n", range(3, 13))
def test_default_plan_lets_everyone_operate(n: int) -> None:
    people = POOL[:n]
    plan = generate_rotation(people)
    assert len(plan) == max(4, n)
    assert {rnd.operator for rnd in plan} == set(people)
    assert check_rotation(plan, people) == []


@FAST
@given(people=rosters(), seed=st.integers(0, 10**9))
def test_deterministic_and_independent_of_roster_order(people: list[str], seed: int) -> None:
    plan = generate_rotation(people, None, seed)
    assert generate_rotation(list(people), None, seed) == plan
    assert generate_rotation(list(reversed(people)), None, seed) == plan
    assert generate_rotation([f" {p} " for p in people], None, seed) == plan


def test_same_plan_in_every_process() -> None:
    # String hashing is randomised per process: plans must not depend on set or dict order.
    script = (
        "from hotdash_roleplay.rotation import generate_rotation, replan\n"
        "names = ['Ann', 'Bob', 'Zoë', 'Юлия', '李雷', 'Sam', 'Dev']\n"
        "plan = generate_rotation(names, 10, 5)\n"
        "print(repr(replan(plan[:4], [*names[:5], 'Eve'], 10, 5)))\n"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("n", range(3, 13))
def test_seeds_give_different_plans(n: int) -> None:
    plans = {tuple(generate_rotation(POOL[:n], None, seed)) for seed in range(20)}
    assert len(plans) >= 10


@pytest.mark.parametrize("seed", range(25))
def test_four_people_play_a_latin_square(seed: int) -> None:
    people = ["Ann", "Bob", "Cy", "Dee"]
    plan = generate_rotation(people, seed=seed)
    assert len(plan) == 4
    for person in people:
        assert sorted(rnd.role_of(person) for rnd in plan) == sorted(Role)
    for rnd in plan:
        assert len(rnd.observers) == 1


@pytest.mark.parametrize("rounds", [3, 4, 6, 9])
def test_three_people_the_trainer_facilitates(rounds: int) -> None:
    people = ["Ann", "Bob", "Cy"]
    plan = generate_rotation(people, rounds, seed=7)
    assert all(rnd.facilitator is None and len(rnd.observers) == 1 for rnd in plan)
    for person in people:
        played = [rnd.role_of(person) for rnd in plan]
        assert set(played) == {Role.OPERATOR, Role.AI_SYSTEM, Role.OBSERVER}
        assert all(a != b for a, b in itertools.pairwise(played))
    assert check_rotation(plan, people) == []


def test_generation_is_fast() -> None:
    people = POOL[:12]
    for rounds in (12, 24):
        start = time.perf_counter()
        generate_rotation(people, rounds, seed=3)
        assert time.perf_counter() - start < 0.05


# --- checking --------------------------------------------------------------------------------

PEOPLE4 = ["Ann", "Bob", "Cy", "Dee"]


def rules(violations: list[Violation]) -> Counter[str]:
    return Counter(v.rule for v in violations)


def test_every_violation_has_a_known_rule_and_a_sentence() -> None:
    broken = [
        RoundRoles("Ann", "Ann", None, ()),
        RoundRoles("Ann", "Bob", "Zed", ("Cy",)),
    ]
    found = check_rotation(broken, PEOPLE4)
    assert found
    for v in found:
        assert v.rule in RULES
        assert v.message.endswith(".")
        assert str(v) == v.message


def test_structure_is_checked_per_round() -> None:
    plan = [RoundRoles("Ann", "Ann", None, ()), RoundRoles("Ann", "Bob", "Zed", ("Cy",))]
    found = check_rotation(plan, PEOPLE4)
    first = [v for v in found if v.round_index == 0]
    assert rules(first) == Counter(
        {
            "one_facilitator": 1,
            "one_observer": 1,
            "one_role_each": 1,
            "missing_person": 3,
        }
    )
    assert "Round 1: Ann has more than one role (Operator and AI System)." in {
        v.message for v in first
    }
    second = {(v.rule, v.person) for v in found if v.round_index == 1}
    assert ("unknown_person", "Zed") in second
    assert ("missing_person", "Dee") in second
    assert "Round 2: Zed is not on the roster." in {v.message for v in found}


def test_three_people_refuse_a_named_facilitator() -> None:
    found = check_rotation([RoundRoles("Ann", "Bob", "Cy", ())], ["Ann", "Bob", "Cy"])
    assert rules(found) == Counter({"one_facilitator": 1, "one_observer": 1})


def test_missing_roles_are_named() -> None:
    # Ann and Bob only ever swap Operator and AI System: nobody else operates, and they never
    # facilitate or observe.
    plan = [
        RoundRoles("Ann", "Bob", "Cy", ("Dee",)),
        RoundRoles("Bob", "Ann", "Dee", ("Cy",)),
        RoundRoles("Ann", "Bob", "Cy", ("Dee",)),
        RoundRoles("Bob", "Ann", "Dee", ("Cy",)),
    ]
    found = check_rotation(plan, PEOPLE4)
    every = {v.person: v.message for v in found if v.rule == "everyone_every_role"}
    assert every["Ann"] == "Ann never plays Facilitator and Observer."
    assert set(every) == set(PEOPLE4)
    balance = [v for v in found if v.rule == "operator_balance"]
    assert {v.person for v in balance} == {"Cy", "Dee"}
    assert "Cy operates 0 times while Ann and Bob operate 2 times" in balance[0].message
    # Too few rounds to give everyone every role: that rule is not judged.
    short = check_rotation(plan[:3], PEOPLE4)
    assert "everyone_every_role" not in rules(short)


def test_consecutive_active_role_is_flagged() -> None:
    plan = generate_rotation(PEOPLE4, seed=1)
    operator = plan[0].operator
    new, found = swap(plan, 1, operator, plan[1].operator, PEOPLE4)
    assert new[1].operator == operator
    messages = {v.message for v in found if v.rule == "consecutive_role"}
    assert f"{operator} is Operator in both round 1 and round 2." in messages


def test_observer_repeat_flagged_when_avoidable() -> None:
    plan = generate_rotation(PEOPLE4, seed=2)
    watcher = plan[0].observers[0]
    _, found = swap(plan, 1, watcher, plan[1].observers[0], PEOPLE4)
    message = f"{watcher} is Observer in both round 1 and round 2."
    assert Violation("consecutive_role", 1, watcher, message) in found


def test_large_group_observer_repeats_judged_against_the_minimum() -> None:
    people = POOL[:12]
    plan = generate_rotation(people, 24, seed=5)
    # With 12 people, 9 observe: 6 of them must observe again next round, and the plan does no
    # worse. Keep round 1's Facilitator active in round 2 (as AI System): one more repeat.
    busy = plan[0].facilitator
    assert busy is not None and plan[1].role_of(busy) is Role.OBSERVER
    new, found = swap(plan, 1, busy, plan[1].ai_system, people)
    assert new[1].ai_system == busy
    assert [(v.rule, v.round_index, v.person) for v in found] == [("consecutive_role", 1, None)]
    assert found[0].message.startswith("Rounds 1 and 2: 7 people observe in both (")
    assert "only 6 must" in found[0].message


# --- swapping --------------------------------------------------------------------------------


@FAST
@given(people=rosters(5), seed=st.integers(0, 10**6), data=st.data())
def test_swapping_two_observers_is_harmless(
    people: list[str], seed: int, data: st.DataObject
) -> None:
    plan = generate_rotation(people, None, seed)
    index = data.draw(st.integers(0, len(plan) - 1), label="round")
    a, b = data.draw(st.permutations(plan[index].observers), label="observers")[:2]
    new, found = swap(plan, index, a, b, people)
    assert found == []
    assert new[:index] == plan[:index] and new[index + 1 :] == plan[index + 1 :]
    assert set(new[index].observers) == set(plan[index].observers)


def test_harmless_swap_of_active_roles() -> None:
    # Over two laps everyone is AI System and Facilitator twice, so in the last round those two
    # can trade places unless one of them held the other's role in the round before.
    people = POOL[:5]
    tried = 0
    for seed in range(20):
        plan = generate_rotation(people, 10, seed)
        last, before = plan[-1], plan[-2]
        assert last.facilitator is not None
        if before.role_of(last.ai_system) is Role.FACILITATOR:
            continue
        if before.role_of(last.facilitator) is Role.AI_SYSTEM:
            continue
        new, found = swap(plan, 9, last.ai_system, last.facilitator, people)
        assert found == []
        assert (new[9].ai_system, new[9].facilitator) == (last.facilitator, last.ai_system)
        tried += 1
    assert tried >= 5


@FAST
@given(people=rosters(), seed=st.integers(0, 10**6), data=st.data())
def test_swap_reports_exactly_what_check_reports(
    people: list[str], seed: int, data: st.DataObject
) -> None:
    plan = generate_rotation(people, None, seed)
    index = data.draw(st.integers(0, len(plan) - 1), label="round")
    a, b = data.draw(st.permutations(people), label="pair")[:2]
    new, found = swap(plan, index, a, b, people)
    assert found == check_rotation(new, people)
    assert new[index].role_of(a) == plan[index].role_of(b)
    assert new[index].role_of(b) == plan[index].role_of(a)
    assert plan == generate_rotation(people, None, seed)  # the input plan is not modified


def test_swap_that_unbalances_operators_is_reported() -> None:
    plan = generate_rotation(PEOPLE4, seed=4)
    first = plan[0].operator
    last = plan[3]
    _, found = swap(plan, 3, first, last.operator, PEOPLE4)
    assert (("operator_balance", last.operator)) in {(v.rule, v.person) for v in found}
    assert ("everyone_every_role", last.operator) in {(v.rule, v.person) for v in found}


def test_swap_refusals() -> None:
    plan = generate_rotation(PEOPLE4, seed=0)
    with pytest.raises(UserError, match=r"There is no round 5; the plan has 4 rounds\."):
        swap(plan, 4, "Ann", "Bob", PEOPLE4)
    with pytest.raises(UserError, match="two different people"):
        swap(plan, 0, "Ann", "Ann", PEOPLE4)
    with pytest.raises(UserError, match=r"Zed is not on the roster\."):
        swap(plan, 0, "Ann", "Zed", PEOPLE4)
    with pytest.raises(UserError, match="Round 1 has already been played"):
        swap(plan, 0, "Ann", "Bob", PEOPLE4, played=1)


# --- re-planning -----------------------------------------------------------------------------


def assert_sound_replan(
    played: list[RoundRoles], new: list[RoundRoles], people: list[str], total: int
) -> None:
    k = len(played)
    assert new[:k] == played
    assert len(new) >= total
    found = check_rotation(new, people, played=k)
    assert not [v for v in found if v.rule in STRUCTURAL]
    assert not [v for v in check_rotation(new[k:], people) if v.rule in STRUCTURAL]
    # Everyone present operates at least once, and the re-plan shares operator turns fairly.
    assert {rnd.operator for rnd in new} >= set(people)
    assert "operator_balance" not in rules(found)
    assert "everyone_every_role" not in rules(found)


@SLOW
@given(people=rosters(4), seed=st.integers(0, 10**6), data=st.data())
def test_replan_after_someone_leaves(people: list[str], seed: int, data: st.DataObject) -> None:
    n = len(people)
    total = data.draw(st.integers(n, 2 * n), label="rounds")
    plan = generate_rotation(people, total, seed)
    k = data.draw(st.integers(1, total - 1), label="played")
    gone = data.draw(st.sampled_from(people), label="gone")
    still = [p for p in people if p != gone]
    new = replan(plan[:k], still, total, seed)
    assert_sound_replan(plan[:k], new, still, total)
    assert all(gone not in rnd.people() for rnd in new[k:])
    assert replan(plan[:k], still, total, seed) == new  # deterministic


@SLOW
@given(people=rosters(3, 11), seed=st.integers(0, 10**6), data=st.data())
def test_replan_after_someone_arrives(people: list[str], seed: int, data: st.DataObject) -> None:
    n = len(people)
    total = data.draw(st.integers(n, 2 * n), label="rounds")
    plan = generate_rotation(people, total, seed)
    k = data.draw(st.integers(1, total - 1), label="played")
    newcomer = next(p for p in POOL if p not in people)
    roster = [*people, newcomer]
    new = replan(plan[:k], roster, total, seed)
    assert_sound_replan(plan[:k], new, roster, total)
    assert newcomer in {rnd.operator for rnd in new[k:]}


def test_replan_down_to_three_and_up_to_twelve() -> None:
    plan = generate_rotation(POOL[:12], 12, seed=1)
    three = POOL[:3]
    shrunk = replan(plan[:5], three, 12, seed=1)
    assert_sound_replan(plan[:5], shrunk, three, 12)
    assert all(rnd.facilitator is None for rnd in shrunk[5:])
    assert check_rotation(shrunk, three, played=5) == []

    small = generate_rotation(POOL[:3], 4, seed=1)
    grown = replan(small[:2], POOL[:12], None, seed=1)
    # Ten of the twelve have not operated yet: the session grows to 2 + 10 rounds.
    assert len(grown) == 12
    assert_sound_replan(small[:2], grown, POOL[:12], 12)
    assert all(rnd.facilitator is not None for rnd in grown[2:])


def test_replan_extends_the_session_so_everyone_operates() -> None:
    plan = generate_rotation(PEOPLE4, 4, seed=0)
    roster = [*PEOPLE4, "Eve"]
    new = replan(plan[:2], roster, 4)
    # Two of the four and Eve have not operated: 2 played + 3 = 5 rounds, not 4.
    assert len(new) == 5
    assert {rnd.operator for rnd in new[2:]} == set(roster) - {rnd.operator for rnd in plan[:2]}


def test_replan_gives_a_newcomer_every_role_when_rounds_allow() -> None:
    plan = generate_rotation(PEOPLE4, 12, seed=3)
    roster = [*PEOPLE4, "Eve"]
    new = replan(plan[:2], roster, 12, seed=3)
    assert {rnd.role_of("Eve") for rnd in new[2:]} == set(Role)
    assert check_rotation(new, roster, played=2) == []


def test_replan_without_history_is_a_fresh_plan() -> None:
    assert replan([], PEOPLE4, 6, seed=9) == generate_rotation(PEOPLE4, 6, seed=9)
    assert replan([], PEOPLE4, None, seed=9) == generate_rotation(PEOPLE4, None, seed=9)


def test_replan_when_nothing_is_left() -> None:
    plan = generate_rotation(PEOPLE4, 4, seed=0)
    assert replan(plan, PEOPLE4, 4) == plan


def test_history_is_not_judged_against_the_new_roster() -> None:
    plan = generate_rotation(PEOPLE4, 6, seed=2)
    gone = plan[0].operator
    still = [p for p in PEOPLE4 if p != gone]
    new = replan(plan[:1], still, 6, seed=2)
    with_history = check_rotation(new, still, played=1)
    assert not [v for v in with_history if v.person == gone]
    # Without `played` the first round is judged as if the roster had never changed.
    assert ("unknown_person", 0, gone) in {
        (v.rule, v.round_index, v.person) for v in check_rotation(new, still)
    }
    # After a re-plan, a hand swap in a later round is judged with the same history.
    later = next(i for i in range(1, len(new)) if len(new[i].observers) >= 1)
    a, b = new[later].operator, new[later].ai_system
    _, found = swap(new, later, a, b, still, played=1)
    assert all(v.rule not in STRUCTURAL for v in found)
