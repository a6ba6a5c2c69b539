"""Session data: JSON and CSV exports, and importing the JSON into another store (idempotent,
people matched by name, all or nothing, every bad file refused with a clear message)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from hotdash_roleplay.cli import main as cli_main
from hotdash_roleplay.demo import create_demo_session
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.session_data import MAX_BYTES, VERSION
from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.store.models import (
    ChecklistSubmission,
    CriterionAnswer,
    DebriefItem,
    OperatorDecision,
    Person,
    PhaseEventRow,
    Round,
    TrainingSession,
)

COUNTED = (
    TrainingSession,
    Person,
    Round,
    OperatorDecision,
    ChecklistSubmission,
    CriterionAnswer,
    PhaseEventRow,
    DebriefItem,
)


@pytest.fixture
def demo(services: Services) -> int:
    return create_demo_session(services)


@pytest.fixture
def exported(services: Services, demo: int, tmp_path: Path) -> Path:
    return services.session_data.export(demo, tmp_path / "session.json")


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Services]:
    """A colleague's store: the one sessions are imported into."""
    svc = open_services(data_dir=tmp_path / "other")
    yield svc
    svc.close()


def counts(services: Services) -> dict[str, int]:
    with services.store.session() as db:
        return {m.__name__: db.scalar(select(func.count()).select_from(m)) or 0 for m in COUNTED}


def test_json_round_trip(
    services: Services, exported: Path, other: Services, tmp_path: Path
) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "hotdash-roleplay-session" and data["version"] == VERSION
    assert "Юлия Смирнова" in exported.read_text(encoding="utf-8")  # UTF-8, not \\u escapes

    result = other.session_data.import_file(exported)
    assert result.imported and result.rounds == 6 and result.people_added == 6
    assert counts(other) == counts(services)
    again = other.session_data.export(result.session_id, tmp_path / "again.json")
    second = json.loads(again.read_text(encoding="utf-8"))
    data.pop("exported_at"), second.pop("exported_at")
    assert second == data

    # What the imported session shows is what the original shows.
    original = services.sessions.find(data["session"]["uid"])
    imported = other.sessions.get(result.session_id)
    pairs = zip(original.rounds, imported.rounds, strict=True)
    assert imported.rounds == tuple(r.model_copy(update={"id": i.id}) for r, i in pairs)
    first = imported.rounds[0]
    assert other.feedback.summary(first.id) == services.feedback.summary(original.rounds[0].id)
    assert other.decisions.get(first.id).decision == "escalate"


def test_an_unrecorded_decision_draft_travels_with_the_session(
    services: Services, demo: int, other: Services, tmp_path: Path
) -> None:
    from hotdash_roleplay.decisions import Decision, DecisionDraft

    live = services.sessions.get(demo).rounds[1]  # round 2, under way, nothing recorded
    typed = DecisionDraft(
        decision=Decision.REJECT, rejection={"problem": "Cites a policy that does not exist"}
    )
    services.decisions.save_draft(live.id, typed)
    exported = services.session_data.export(demo, tmp_path / "session.json")
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["session"]["rounds"][1]["decision_draft"]["decision"] == "reject"
    assert data["session"]["rounds"][0]["decision_draft"] is None

    result = other.session_data.import_file(exported)
    imported = other.sessions.get(result.session_id).rounds[1]
    assert other.decisions.draft(imported.id) == typed
    assert other.decisions.get(imported.id) is None  # still not recorded

    csv_file = services.session_data.export(demo, tmp_path / "session.csv")
    with csv_file.open(encoding="utf-8-sig", newline="") as fh:
        drafts = [r for r in csv.DictReader(fh) if r["record_type"] == "decision_draft"]
    assert [(d["round"], d["decision"], d["text"]) for d in drafts] == [
        ("2", "reject", "Problem: Cites a policy that does not exist")
    ]


def test_a_version_1_file_without_drafts_is_still_read(exported: Path, other: Services) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["version"] = 1
    for rnd in data["session"]["rounds"]:
        del rnd["decision_draft"]
    exported.write_text(json.dumps(data), encoding="utf-8")
    assert other.session_data.import_file(exported).imported


def test_import_twice_duplicates_nothing(exported: Path, other: Services) -> None:
    first = other.session_data.import_file(exported)
    before = counts(other)
    second = other.session_data.import_file(exported)
    assert not second.imported and second.session_id == first.session_id
    assert "already in this store" in second.message and "nothing imported" in second.message
    assert counts(other) == before


def test_people_are_matched_by_name(exported: Path, other: Services) -> None:
    other.people.add_person("zoë ødegård")  # another case: the same person
    other.people.add_person("ЮЛИЯ СМИРНОВА")
    result = other.session_data.import_file(exported)
    assert result.people_added == 4
    names = [p.name for p in other.people.list_people()]
    assert len(names) == 6 and "zoë ødegård" in names and "Zoë Ødegård" not in names


def test_csv_has_a_row_per_answer_decision_and_phase_event(
    services: Services, demo: int, tmp_path: Path
) -> None:
    out = services.session_data.export(demo, tmp_path / "session.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_type: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_type.setdefault(row["record_type"], []).append(row)
    data = counts(services)
    assert len(by_type["criterion_answer"]) == data["CriterionAnswer"] == 24
    assert len(by_type["decision"]) == data["OperatorDecision"] == 1
    assert len(by_type["phase_event"]) == data["PhaseEventRow"]
    assert {"went_well", "could_improve", "question_note", "takeaway", "action"} <= set(by_type)
    decision = by_type["decision"][0]
    assert decision["person"] == "Ξανθή Παπαδάκη" and decision["role"] == "operator"
    assert decision["decision"] == "escalate" and decision["round"] == "1"
    answer = by_type["criterion_answer"][0]
    assert answer["mark"] in {"met", "not_met", "not_observed"} and answer["criterion"]
    assert all(r["session_title"] == "Module 4 practice (demo)" for r in rows)


def test_csv_cells_never_run_as_formulas(services: Services, demo: int, tmp_path: Path) -> None:
    round_id = services.sessions.get(demo).rounds[0].id
    services.debrief.set_takeaways(round_id, ['=HYPERLINK("http://x","y")', "+1", "plain"])
    out = services.session_data.export(demo, tmp_path / "s.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        texts = [r["text"] for r in csv.DictReader(fh) if r["record_type"] == "takeaway"]
    assert texts == ['\'=HYPERLINK("http://x","y")', "'+1", "plain"]


def test_export_refuses_bad_targets(services: Services, demo: int, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist"):
        services.session_data.export(demo, tmp_path / "missing" / "s.json")
    with pytest.raises(UserError, match=r"\.json or \.csv"):
        services.session_data.export(demo, tmp_path / "s.txt")
    with pytest.raises(UserError, match="no session 999"):
        services.session_data.export(999, tmp_path / "s.json")


def _edit(path: Path, change: Any) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data)


def _set(keys: str, value: object) -> Any:
    def change(data: dict[str, Any]) -> None:
        *parents, last = keys.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        node[int(last) if last.isdigit() else last] = value

    return change


BAD_FILES: dict[str, tuple[Any, str]] = {
    "empty": (lambda p: "", "is empty"),
    "malformed": (lambda p: "{not json", "not valid JSON"),
    "truncated": (lambda p: p.read_text(encoding="utf-8")[:5000], "truncated"),
    "cut inside a word": (lambda p: '{"format": "hotdash-roleplay-session", "x": nu', "truncated"),
    "binary": (lambda p: b"\xff\xfe\x00garbage\x81", "not a text (UTF-8) file"),
    "not an object": (lambda p: "[1, 2, 3]", "not a HotDash Role-Play session export"),
    "other format": (lambda p: '{"format": "x", "version": 1}', "not a HotDash Role-Play"),
    "newer version": (
        lambda p: _edit(p, _set("version", VERSION + 1)),
        "newer version of the app",
    ),
    "version as text": (lambda p: _edit(p, _set("version", "1")), "format version '1'"),
    "extra field": (lambda p: _edit(p, _set("session.evil", 1)), "session.evil"),
    "overlong title": (lambda p: _edit(p, _set("session.title", "x" * 201)), "session.title"),
    "bad decision": (
        lambda p: _edit(p, _set("session.rounds.0.decision.decision", "delete_all")),
        "session.rounds.0.decision.decision",
    ),
    "unknown person": (
        lambda p: _edit(p, _set("session.rounds.0.roles.0.person", "Mallory")),
        "not a participant",
    ),
    "duplicate rounds": (
        lambda p: _edit(p, _set("session.rounds.1.index", 0)),
        "numbered 0, 1, 2",
    ),
    "unknown criterion": (
        lambda p: _edit(p, _set("session.rounds.0.submissions.0.answers.0.criterion", "charm")),
        "criteria this app does not know: charm",
    ),
    "unknown status, said in words": (
        lambda p: _edit(p, _set("session.status", "paused")),
        "session.status: unknown status 'paused' (allowed: planned, live, finished)",
    ),
    "NaN": (
        lambda p: p.read_text(encoding="utf-8").replace('"seed": 0', '"seed": NaN'),
        "NaN is not allowed",
    ),
    "deep nesting": (lambda p: "[" * 200_000 + "]" * 200_000, "nested too deeply"),
    "huge number": (lambda p: '{"format": ' + "9" * 5000 + "}", "not a valid session file"),
    "script in text": (
        lambda p: _edit(p, _set("session.rounds.0.scenario.ai_draft.confidence", "<script>")),
        "confidence",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_and_import_nothing(
    case: str, exported: Path, other: Services, tmp_path: Path
) -> None:
    make, expected = BAD_FILES[case]
    content = make(exported)
    bad = tmp_path / "bad.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    before = counts(other)
    with pytest.raises(UserError) as err:
        other.session_data.import_file(bad)
    message = str(err.value)
    assert expected in message
    assert "Traceback" not in message and len(message) < 600
    assert counts(other) == before


def test_oversized_file_is_refused_before_reading(other: Services, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no need to write 20 MB
    with pytest.raises(UserError, match="at most 20 MB"):
        other.session_data.import_file(big)
    with pytest.raises(UserError, match="There is no file"):
        other.session_data.import_file(tmp_path / "missing.json")
    with pytest.raises(UserError, match="is not a file"):
        other.session_data.import_file(tmp_path)


def test_a_failure_half_way_stores_nothing(
    exported: Path, other: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from hotdash_roleplay.exports import session_import

    real = session_import._round
    calls = []

    def failing(r: Any, person: Any) -> Any:
        calls.append(r.index)
        if len(calls) == 3:
            raise SQLAlchemyError("disk full")
        return real(r, person)

    monkeypatch.setattr(session_import, "_round", failing)
    before = counts(other)
    with pytest.raises(UserError, match="nothing imported"):
        other.session_data.import_file(exported)
    assert counts(other) == before


def test_cli_export_and_import(
    services: Services, demo: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = ["--data-dir", str(tmp_path / "data")]
    target = ["--data-dir", str(tmp_path / "colleague")]
    out = tmp_path / "s.json"
    assert cli_main(["export", "session", "Module 4 practice (demo)", "-o", str(out), *source]) == 0
    assert "Wrote session" in capsys.readouterr().out
    assert cli_main(["export", "session", str(demo), "-o", str(tmp_path / "s.csv"), *source]) == 0
    capsys.readouterr()
    assert cli_main(["import", str(out), *target]) == 0
    assert "Imported session 'Module 4 practice (demo)'" in capsys.readouterr().out
    assert cli_main(["import", str(out), *target]) == 0
    assert "already in this store" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert cli_main(["import", str(tmp_path / "bad.json"), *target]) == 1
    err = capsys.readouterr().err
    assert "bad.json ends too early" in err and "Traceback" not in err


def test_the_rooms_records_travel_in_the_export_and_come_back_on_import(
    services: Services, other: Services, tmp_path: Path
) -> None:
    from hotdash_roleplay.decisions import Decision, DecisionDraft

    sid = services.sessions.create_session("module4-practice", ["Ann", "Ben", "Cat", "Dev"]).id
    live = services.live(sid)
    live.next_phase()
    live.toggle()
    rnd = live.round
    assert rnd is not None
    observer = rnd.observers[0]
    services.notes.add(rnd.id, observer, "tone", "=interrupted the customer", 133.2)
    services.notes.add(rnd.id, observer, "general", "asked about the receipt", 20.0)
    draft = DecisionDraft(decision=Decision.APPROVE)
    services.decisions.record_from_device(rnd.id, rnd.operator or "", draft, 83.4)
    services.decisions.correct(rnd.id, Decision.EDIT_APPROVE, final_reply="Fixed.",
                               reason="Said edit aloud", corrected_by="Tia")  # fmt: skip
    exported = services.session_data.export(sid, tmp_path / "room.json")
    data = json.loads(exported.read_text(encoding="utf-8"))
    first = data["session"]["rounds"][0]
    assert [n["text"] for n in first["observer_notes"]] == [
        "asked about the receipt",
        "=interrupted the customer",
    ]
    assert first["decision"]["source"] == "device"
    assert first["decision"]["corrections"][0]["previous"]["decision"] == "approve"

    assert other.session_data.import_file(exported).imported
    copied = other.sessions.get(other.sessions.list_sessions()[0].id).rounds[0]
    notes = other.notes.notes(copied.id)
    assert [(n.observer, n.stamp, n.text) for n in notes] == [
        (observer, "00:20", "asked about the receipt"),
        (observer, "02:13", "=interrupted the customer"),
    ]
    decision = other.decisions.get(copied.id)
    assert decision is not None and decision.source == "device"
    assert decision.decision == Decision.EDIT_APPROVE and decision.seconds_to_decide == 83.4
    assert decision.correction is not None and decision.correction.reason == "Said edit aloud"

    table = services.session_data.export(sid, tmp_path / "r.csv")
    rows = list(csv.DictReader(table.read_text(encoding="utf-8-sig").splitlines()))
    noted = [r for r in rows if r["record_type"] == "observer_note"]
    assert [(r["at"], r["criterion"], r["text"]) for r in noted] == [
        ("00:20", "general", "asked about the receipt"),
        ("02:13", "tone", "'=interrupted the customer"),
    ]
    corrected = next(r for r in rows if r["record_type"] == "decision_correction")
    assert (corrected["decision"], corrected["status"], corrected["text"]) == (
        "edit_approve",
        "approve",
        "Said edit aloud",
    )
