"""The use cases the UI and command line call, against a real SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.notes import EscalationNote, RejectionNote, Urgency
from hotdash_roleplay.services import Services, open_services
from tests.conftest import FakeClock

PLAN = "module4-practice"
FOUR = ["Ann", "Ben", "Cat", "Dev"]


def _live(services: Services, fake_clock: FakeClock, session_id: int):
    services.now, services.wall = fake_clock.now, fake_clock.wall
    return services.live(session_id)


def _all_marks(services: Services, mark: Mark) -> dict[str, Mark | None]:
    return {c.key: mark for c in services.checklist.criteria}


def test_create_session_stores_roster_rotation_and_people(services: Services) -> None:
    detail = services.sessions.create_session(PLAN, FOUR, trainer="Tess", seed=3)
    assert detail.status == "planned"
    assert detail.participants == tuple(FOUR)
    assert len(detail.rounds) == 4
    assert sorted(r.operator for r in detail.rounds) == sorted(FOUR)
    assert len(detail.join_code) == 6 and detail.join_code.isdigit()
    assert [p.name for p in services.people.list_people()] == FOUR
    # People are remembered: a second session reuses them (case-insensitively).
    services.sessions.create_session(PLAN, ["ann", "Ben", "Cat", "Dev", "Eve"])
    names = {p.name: p.sessions for p in services.people.list_people()}
    assert names == {"Ann": 2, "Ben": 2, "Cat": 2, "Dev": 2, "Eve": 1}


@pytest.mark.parametrize(
    "roster", [["Ann", "Ben"], [f"P{i}" for i in range(13)], ["Ann", "Ann", "Ben"]]
)
def test_bad_rosters_are_refused_and_nothing_is_stored(
    services: Services, roster: list[str]
) -> None:
    with pytest.raises(UserError):
        services.sessions.create_session(PLAN, roster)
    assert services.sessions.list_sessions() == []


def test_unknown_plan_is_a_clear_refusal(services: Services) -> None:
    with pytest.raises(UserError, match="Unknown session plan"):
        services.sessions.create_session("no-such-plan", FOUR)


def test_live_clock_is_saved_at_every_transition_and_resumes(
    services: Services, fake_clock: FakeClock
) -> None:
    sid = services.sessions.create_session(PLAN, FOUR).id
    live = _live(services, fake_clock, sid)
    live.toggle()
    fake_clock.advance(30)
    live.next_phase()
    fake_clock.advance(100)
    assert live.view().phase_key == "roleplay"
    assert services.sessions.get(sid).status == "live"

    # "Kill" the app: a new LiveSession on the same store, 20 s later by the wall clock,
    # with a monotonic clock that restarted.
    fake_clock.mono = 5.0
    fake_clock.wall_time += 20
    again = _live(services, fake_clock, sid)
    view = again.view()
    assert view.phase_key == "roleplay"
    assert view.status == "running"
    assert view.elapsed_seconds == pytest.approx(120)


def test_feedback_opens_with_its_phase_and_closes_with_the_round(
    services: Services, fake_clock: FakeClock
) -> None:
    sid = services.sessions.create_session(PLAN, [*FOUR, "Eve"]).id
    live = _live(services, fake_clock, sid)
    live.toggle()
    for _ in range(3):
        live.next_phase()
    assert live.view().phase_key == "feedback"
    assert live.round is not None and live.round.feedback_open
    first = live.round
    assert first is not None
    live.next_round()
    assert services.sessions.get(sid).rounds[0].feedback_open is False
    with pytest.raises(UserError, match="closed"):
        services.feedback.save_draft(first.id, first.observers[0], ChecklistAnswers())


def test_checklist_draft_submit_rules_and_summary(services: Services) -> None:
    sid = services.sessions.create_session(PLAN, ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]).id
    live = services.live(sid)
    live.set_feedback_open(True)
    rnd = live.round
    assert rnd is not None
    assert rnd is not None and len(rnd.observers) == 3
    first, second, third = rnd.observers
    draft = ChecklistAnswers(marks=_all_marks(services, Mark.MET), went_well=["Calm tone"])
    saved = services.feedback.save_draft(rnd.id, first, draft)
    assert saved.status == "draft"
    assert services.feedback.get(rnd.id, first).answers.went_well == ["Calm tone"]
    with pytest.raises(UserError, match="went well"):
        services.feedback.submit(rnd.id, first)
    done = draft.model_copy(
        update={"went_well": ["Calm tone", "Verified dates"], "could_improve": ["Escalate sooner"]}
    )
    assert services.feedback.submit(rnd.id, first, done).status == "submitted"
    split = done.model_copy(update={"marks": _all_marks(services, Mark.NOT_MET)})
    services.feedback.submit(rnd.id, second, split)
    services.feedback.save_draft(rnd.id, third, draft)  # drafts are not counted
    statuses = {s.observer: s.status for s in services.feedback.statuses(rnd.id)}
    assert statuses == {first: "submitted", second: "submitted", third: "draft"}
    summary = services.feedback.summary(rnd.id)
    assert summary is not None
    # Another person's name, or the operator, cannot write a checklist for this round.
    with pytest.raises(UserError, match="not an observer"):
        services.feedback.save_draft(rnd.id, rnd.operator or "", draft)


def test_decisions_need_their_notes_and_record_the_expert_match(services: Services) -> None:
    sid = services.sessions.create_session(PLAN, FOUR).id
    rnd = services.sessions.get(sid).rounds[0]
    with pytest.raises(UserError, match="edited reply"):
        services.decisions.record(rnd.id, Decision.EDIT_APPROVE)
    with pytest.raises(UserError, match="Customer question"):
        services.decisions.record(rnd.id, "reject", rejection_note=RejectionNote(problem="x"))
    with pytest.raises(UserError, match="Unknown decision"):
        services.decisions.record(rnd.id, "shrug")
    note = EscalationNote(
        type="Exception",
        urgency=Urgency.URGENT,
        situation_summary="s",
        customer_request="c",
        recommendation="r",
    )
    view = services.decisions.record(
        rnd.id, Decision.ESCALATE, escalation_note=note, seconds_to_decide=71.5
    )
    assert view.decision == "escalate" and view.seconds_to_decide == 71.5
    assert view.escalation_note and view.escalation_note["urgency"] == "urgent"
    assert services.decisions.get(rnd.id) == view


def test_expert_match_is_computed_where_the_program_gives_one(services: Services) -> None:
    scenario = next(s for s in services.library.scenarios if s.expert)
    expert = scenario.expert
    assert expert is not None
    sid = services.sessions.create_session(PLAN, FOUR, scenario_ids=[scenario.id]).id
    rnd = services.sessions.get(sid).rounds[0]
    good = expert.decisions[0]
    kwargs: dict[str, object] = {}
    if good is Decision.EDIT_APPROVE:
        kwargs["final_reply"] = "Hi! Here is what I did."
    if good is Decision.REJECT:
        kwargs["rejection_note"] = RejectionNote(
            customer_question="q", ai_response="a", problem="p"
        )
    if good is Decision.ESCALATE:
        kwargs["escalation_note"] = EscalationNote(
            type="t", situation_summary="s", customer_request="c", recommendation="r"
        )
    assert services.decisions.record(rnd.id, good, **kwargs).matched_expert is True  # type: ignore[arg-type]
    assert services.decisions.record(rnd.id, Decision.APPROVE).matched_expert is (
        Decision.APPROVE in expert.decisions
    )


def test_swap_reports_broken_rules_and_leave_arrive_replan(
    services: Services, fake_clock: FakeClock
) -> None:
    sid = services.sessions.create_session(PLAN, FOUR).id
    detail = services.sessions.get(sid)
    r0 = detail.rounds[0]
    change = services.sessions.swap_people(sid, 0, r0.operator or "", r0.ai_system or "")
    assert change.violations, "a swap that gives someone two operator turns is flagged"
    change = services.sessions.swap_people(sid, 0, r0.operator or "", r0.ai_system or "")
    assert not change.violations

    live = _live(services, fake_clock, sid)
    live.toggle()
    played = live.round
    assert played is not None
    live.next_round()
    change = services.sessions.person_leaves(sid, "Dev")
    after = change.session
    assert after.rounds[0].operator == played.operator if played else False
    assert all(
        "Dev" not in (r.operator, r.ai_system, r.facilitator, *r.observers)
        for r in after.rounds[1:]
    )
    assert after.departed == ("Dev",)
    change = services.sessions.person_arrives(sid, "Eve")
    assert "Eve" in {r.operator for r in change.session.rounds}
    with pytest.raises(UserError, match="already"):
        services.sessions.person_arrives(sid, "Eve")


def test_debrief_notes_takeaways_actions_and_history(services: Services) -> None:
    sid = services.sessions.create_session(PLAN, FOUR).id
    live = services.live(sid)
    rnd = live.round
    assert rnd is not None
    live.toggle()  # the round is played: its clock ran
    services.debrief.set_question_note(rnd.id, 0, "<b>not bold</b> & fine")
    services.debrief.set_takeaways(rnd.id, ["one", "  ", "two"])
    services.debrief.set_actions(rnd.id, ["act"])
    view = services.debrief.get(rnd.id)
    assert view.question_notes == {0: "<b>not bold</b> & fine"}
    assert view.takeaways == ("one", "two") and view.actions == ("act",)
    services.decisions.record(rnd.id, Decision.APPROVE, seconds_to_decide=40)
    live.next_round()
    history = services.history.person_history(rnd.operator or "")
    assert history.rounds_by_role["operator"] == 1
    assert history.decisions[0].decision == "approve"


def test_demo_session_is_ready(tmp_path: Path) -> None:
    from hotdash_roleplay.demo import create_demo_session

    svc = open_services(data_dir=tmp_path)
    try:
        sid = create_demo_session(svc)
        detail = svc.sessions.get(sid)
        assert detail.status == "live" and detail.current_round == 1
        assert len(svc.feedback.submissions(detail.rounds[0].id)) == 3
        assert svc.live(sid).view().phase_key == "roleplay"
    finally:
        svc.close()


def test_phase_lengths_can_be_set_per_session(services: Services) -> None:
    detail = services.sessions.create_session(PLAN, FOUR, phase_seconds={"roleplay": 600})
    assert {p.key: p.seconds for p in detail.phases}["roleplay"] == 600
    assert {p.key: p.seconds for p in detail.phases}["brief"] == 120
    with pytest.raises(UserError, match="no phase"):
        services.sessions.create_session(PLAN, FOUR, phase_seconds={"lunch": 60})
    with pytest.raises(UserError, match="between"):
        services.sessions.create_session(PLAN, FOUR, phase_seconds={"brief": 0})
    assert len(services.sessions.list_sessions()) == 1


def test_names_in_any_script_are_one_person_each(services: Services) -> None:
    names = ["Юлия", "Đorđe", "Ξανθή", "李雷"]
    services.sessions.create_session(PLAN, names)
    services.sessions.create_session(PLAN, ["юлия", "đorđe", "ξανθή", "李雷"])
    assert sorted(p.name for p in services.people.list_people()) == sorted(names)


@pytest.mark.parametrize("bad", ["\u202eevil", "Ann\x07", "x" * 121])
def test_names_with_control_characters_or_too_long_are_refused(
    services: Services, bad: str
) -> None:
    with pytest.raises(UserError):
        services.sessions.create_session(PLAN, ["Ann", "Ben", "Cat", bad])
    assert services.sessions.list_sessions() == []


def test_spaces_in_names_are_folded_once_for_roster_and_store(services: Services) -> None:
    detail = services.sessions.create_session(PLAN, ["  Ann   Lee ", "Ben", "Cat", "Dev"])
    assert detail.participants[0] == "Ann Lee"
    assert "Ann Lee" in {p.name for p in services.people.list_people()}


def test_the_round_under_way_keeps_its_roles_unless_someone_in_it_leaves(
    services: Services,
) -> None:
    sid = services.sessions.create_session(PLAN, ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]).id
    live = services.live(sid)
    live.toggle()  # round 1 under way
    under_way = live.round
    assert under_way is not None

    arrived = services.sessions.person_arrives(sid, "Gus")
    now = arrived.session.rounds[0]
    assert not arrived.current_round_changed
    assert (now.operator, now.ai_system, now.facilitator) == (
        under_way.operator,
        under_way.ai_system,
        under_way.facilitator,
    )
    assert "Gus" in now.observers  # the newcomer watches the round under way

    observer = next(o for o in now.observers if o != "Gus")
    left = services.sessions.person_leaves(sid, observer)
    assert not left.current_round_changed  # a watcher left: the round plays on
    assert observer not in left.session.rounds[0].observers
    assert left.session.rounds[0].operator == under_way.operator

    operator = under_way.operator or ""
    gone = services.sessions.person_leaves(sid, operator)
    assert gone.current_round_changed  # the operator left: the round is re-planned
    assert operator not in (gone.session.rounds[0].operator, *gone.session.rounds[0].observers)


def test_a_decision_draft_is_kept_until_the_decision_is_recorded(services: Services) -> None:
    from hotdash_roleplay.services.decisions import DecisionDraft

    sid = services.sessions.create_session(PLAN, FOUR).id
    rnd = services.sessions.get(sid).rounds[0]
    assert services.decisions.draft(rnd.id) is None
    typed = DecisionDraft(decision=Decision.REJECT, rejection={"problem": "Wrong policy cited"})
    services.decisions.save_draft(rnd.id, typed)
    assert services.decisions.draft(rnd.id) == typed
    services.decisions.record(
        rnd.id,
        Decision.REJECT,
        rejection_note=RejectionNote(customer_question="q", ai_response="a", problem="p"),
    )
    assert services.decisions.draft(rnd.id) is None


def test_the_assessor_can_override_the_expert_verdict_only_with_a_reason(
    services: Services,
) -> None:
    scenario = next(s for s in services.library.scenarios if s.expert)
    assert scenario.expert is not None
    sid = services.sessions.create_session(PLAN, FOUR, scenario_ids=[scenario.id]).id
    rnd = services.sessions.get(sid).rounds[0]
    wrong = next(d for d in Decision if d not in scenario.expert.decisions and d.value == "approve")
    view = services.decisions.record(rnd.id, wrong)
    assert view.matched_expert is False and view.assessed_correct is False  # pre-filled
    with pytest.raises(UserError, match="reason"):
        services.decisions.assess(rnd.id, True)
    view = services.decisions.assess(rnd.id, True, "Approving was defensible: policy v2.1.")
    assert view.assessed_correct is True and view.assessment_reason.startswith("Approving")
