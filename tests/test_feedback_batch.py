"""FeedbackService.save_many: many saves in one transaction give each save exactly the outcome
it would have had alone (the observer server group-commits bursts of saves through it)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from hotdash_roleplay.checklist import ChecklistAnswers, Mark
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.observer.server import API_KEY
from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.services.feedback import FeedbackSave, NotSubmitted, SubmissionView
from tests import test_observer_server as server_tests
from tests.test_observer_server import COMPLETE, Connect, Room, joined

room, connect = server_tests.room, server_tests.connect  # the server tests' fixtures

PLAN = "module4-practice"
SIX = ["Ann", "Ben", "Cat", "Dev", "Eve", "Fay"]


def _room(path: Path) -> tuple[Services, int, list[str], str]:
    services = open_services(data_dir=path)
    sid = services.sessions.create_session(PLAN, SIX).id
    live = services.live(sid)
    live.set_feedback_open(True)
    rnd = live.round
    assert rnd is not None
    assert rnd is not None and len(rnd.observers) == 3
    return services, rnd.id, list(rnd.observers), rnd.operator or ""


def _answers(services: Services, complete: bool, mark: Mark = Mark.MET) -> ChecklistAnswers:
    marks = {c.key: mark for c in services.checklist.criteria}
    if not complete:
        return ChecklistAnswers(marks=marks, notes={"tone": "Calm."}, went_well=["One only."])
    return ChecklistAnswers(
        marks=marks,
        notes={"tone": "Calm.", "accuracy": "Checked the date."},
        went_well=["Verified the date.", "Offered a repair."],
        could_improve=["Escalate sooner."],
    )


def _saves(services: Services, rnd: int, observers: list[str], operator: str) -> list[FeedbackSave]:
    first, second, third = observers
    complete, partial = _answers(services, True), _answers(services, False)
    other = _answers(services, True, Mark.NOT_MET)
    unknown = ChecklistAnswers(marks={"charisma": Mark.MET})
    return [
        FeedbackSave(rnd, first, partial),  # a draft
        FeedbackSave(rnd, first, complete, submit=True),  # the same observer submits after it
        FeedbackSave(rnd, second, partial, submit=True),  # refused, but the draft is kept
        FeedbackSave(rnd, operator, complete),  # not an observer: refused, nothing written
        FeedbackSave(rnd, third, unknown),  # unknown criterion: refused, nothing written
        FeedbackSave(rnd, f"  {third.upper()} ", complete, submit=True),  # name as typed
        FeedbackSave(rnd, third, partial),  # a revision that breaks the rules: back to draft
        FeedbackSave(rnd, third, other, submit=True),  # and submitted again
        FeedbackSave(rnd, "Nobody", complete),  # no such person
    ]


def _outcome(result: SubmissionView | Exception) -> tuple[str, ...]:
    if isinstance(result, Exception):
        return (type(result).__name__, str(result))
    return (
        result.observer,
        result.status,
        str(result.submitted_at is not None),
        repr(result.answers),
    )


def _alone(services: Services, save: FeedbackSave) -> SubmissionView | Exception:
    try:
        if save.submit:
            return services.feedback.submit(save.round_id, save.observer, save.answers)
        return services.feedback.save_draft(save.round_id, save.observer, save.answers)
    except UserError as exc:
        return exc


def _stored(services: Services, rnd: int) -> list[tuple[str, ...]]:
    return [
        (s.observer, s.status, repr(s.answers))
        for s in services.feedback.submissions(rnd, include_drafts=True)
    ]


@pytest.mark.parametrize("returning", [True, False], ids=["insert-returning", "read-ids-back"])
def test_a_batch_gives_each_save_the_outcome_and_store_it_would_have_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, returning: bool
) -> None:
    one, rnd1, observers1, operator1 = _room(tmp_path / "one")
    many, rnd2, observers2, operator2 = _room(tmp_path / "many")
    if not returning:  # as on a database without RETURNING for many rows
        dialect = many.store.engine.dialect
        monkeypatch.setattr(dialect, "insert_executemany_returning_sort_by_parameter_order", False)
    try:
        alone = [_alone(one, s) for s in _saves(one, rnd1, observers1, operator1)]
        batch = many.feedback.save_many(_saves(many, rnd2, observers2, operator2))
        assert [_outcome(r) for r in batch] == [_outcome(r) for r in alone]
        assert [type(r) for r in batch] == [
            SubmissionView,
            SubmissionView,
            NotSubmitted,  # refused by the rules; its draft is kept and carried with it
            UserError,
            UserError,
            SubmissionView,
            SubmissionView,
            SubmissionView,
            UserError,
        ]
        assert _stored(many, rnd2) == _stored(one, rnd1)
        statuses = {s.observer: s.status for s in many.feedback.statuses(rnd2)}
        assert statuses == dict(zip(observers2, ["submitted", "draft", "submitted"], strict=True))
        # A second batch revises stored rows (updates, answers replaced), still as alone.
        again = [FeedbackSave(rnd2, observers2[1], _answers(many, True), submit=True)]
        (revised,) = many.feedback.save_many(again)
        assert isinstance(revised, SubmissionView) and revised.status == "submitted"
        assert many.feedback.get(rnd2, observers2[1]).answers == _answers(many, True)
    finally:
        one.close()
        many.close()


def test_a_batch_after_feedback_closed_is_refused_whole_and_writes_nothing(
    tmp_path: Path,
) -> None:
    services, rnd, observers, _ = _room(tmp_path)
    try:
        services.feedback.save_draft(rnd, observers[0], _answers(services, False))
        live = services.live(services.sessions.list_sessions()[0].id)
        live.set_feedback_open(False)
        saves = [FeedbackSave(rnd, name, _answers(services, True), True) for name in observers]
        results = services.feedback.save_many(saves)
        assert all(isinstance(r, UserError) and "closed" in str(r) for r in results)
        assert [s.status for s in services.feedback.statuses(rnd)] == ["draft", "none", "none"]
        assert services.feedback.save_many([]) == []
    finally:
        services.close()


def test_one_save_failing_unexpectedly_does_not_sink_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, rnd, observers, _ = _room(tmp_path)
    try:
        feedback = services.feedback
        real = feedback._validated

        def flaky(answers: ChecklistAnswers) -> ChecklistAnswers:
            if answers.notes.get("tone") == "boom":
                raise RuntimeError("disk on fire")
            return real(answers)

        monkeypatch.setattr(feedback, "_validated", flaky)
        bad = _answers(services, True).model_copy(update={"notes": {"tone": "boom"}})
        saves = [
            FeedbackSave(rnd, observers[0], _answers(services, True), True),
            FeedbackSave(rnd, observers[1], bad, True),
            FeedbackSave(rnd, observers[2], _answers(services, True), True),
        ]
        results = feedback.save_many(saves)
        assert isinstance(results[1], RuntimeError)
        assert [getattr(r, "status", None) for r in results] == ["submitted", None, "submitted"]
        statuses = {s.observer: s.status for s in feedback.statuses(rnd)}
        assert statuses == dict(zip(observers, ["submitted", "none", "submitted"], strict=True))
        with pytest.raises(RuntimeError):  # alone, the failure is the caller's, as before
            feedback.submit(rnd, observers[1], bad)
    finally:
        services.close()


# -- through the observer server: concurrent saves share transactions and round loads ---------


@pytest.mark.asyncio(loop_scope="function")
async def test_observers_submitting_at_once_are_group_committed(
    room: Room, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = room.app[API_KEY]
    first, second, third = room.observers
    clients = [await joined(connect, room, name) for name in room.observers]
    feedback, access = room.services.feedback, room.services.observer_access
    batches: list[list[str]] = []
    loads: list[int] = []
    save_many, current_round = feedback.save_many, access.current_round

    def grouped(saves: list[FeedbackSave]) -> list[SubmissionView | Exception]:
        batches.append([s.observer for s in saves])
        return save_many(saves)

    def counted(session_id: int) -> Any:
        loads.append(session_id)
        time.sleep(0.05)  # a slow load: the other requests find it in flight
        return current_round(session_id)

    monkeypatch.setattr(feedback, "save_many", grouped)
    monkeypatch.setattr(access, "current_round", counted)
    api.invalidate()
    partial = {**COMPLETE, "went_well": ["Only one."]}
    responses = await asyncio.gather(
        clients[0].post("/api/submit", json={"answers": COMPLETE}),
        clients[1].post("/api/submit", json={"answers": partial}),
        clients[2].post("/api/submit", json={"answers": COMPLETE}),
    )
    assert [r.status for r in responses] == [200, 422, 200]
    refused = await responses[1].json()
    assert refused["missing"] and "went well" in " ".join(refused["missing"]).lower()
    assert len(loads) == 1  # three cache misses, one load
    # Released together by that load, the three saves are written in one transaction.
    assert len(batches) == 1 and sorted(batches[0]) == sorted(room.observers)
    statuses = {s.observer: s.status for s in feedback.statuses(room.round_id)}
    assert statuses == {first: "submitted", second: "draft", third: "submitted"}
    assert feedback.get(room.round_id, second).answers.went_well == ["Only one."]
