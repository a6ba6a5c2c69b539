"""Decisions on a shared store: a record names the decision it was based on, and one based on
an older decision than the stored one is refused with what is stored (docs/reliability.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.notes import RejectionNote
from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.services.decisions import DecisionChangedElsewhere

PEOPLE = ["Ann", "Ben", "Cat", "Dev"]


def first_round(svc: Services) -> int:
    sid = svc.sessions.create_session("module4-practice", PEOPLE).id
    return svc.sessions.get(sid).rounds[0].id


def test_a_stale_record_is_refused_with_the_stored_decision_and_changes_nothing(
    tmp_path: Path,
) -> None:
    here = open_services(data_dir=tmp_path)
    there = open_services(data_dir=tmp_path)  # another app on the same store
    try:
        round_id = first_round(here)
        note = RejectionNote(
            customer_question="Q",
            ai_response="A",
            problem="Promises a refund outside the policy",
            root_cause="R",
            recommendation="Rec",
            handling="H",
        )
        theirs = there.decisions.record(round_id, "reject", rejection_note=note, seen=0)
        assert theirs.version == 1
        with pytest.raises(DecisionChangedElsewhere) as refused:
            here.decisions.record(round_id, "approve", seen=0)  # loaded before theirs
        message = str(refused.value)
        assert message.startswith("The decision was changed on another device")
        assert f"Reject for {theirs.operator}, recorded at " in message
        assert "Problem: Promises a refund outside the policy" in message
        assert refused.value.stored == theirs
        stored = here.decisions.get(round_id)
        assert stored is not None and stored.decision is Decision.REJECT and stored.version == 1

        # Seen now: the trainer records again on purpose, and it replaces theirs.
        mine = here.decisions.record(round_id, "approve", seen=refused.value.stored.version)
        assert mine.decision is Decision.APPROVE and mine.version == 2
        with pytest.raises(DecisionChangedElsewhere):
            there.decisions.record(round_id, "reject", rejection_note=note, seen=1)
    finally:
        here.close()
        there.close()


def test_a_record_without_a_seen_version_replaces_as_before(services: Services) -> None:
    round_id = first_round(services)
    services.decisions.record(round_id, "approve")
    again = services.decisions.record(round_id, "approve")
    assert again.version == 2
