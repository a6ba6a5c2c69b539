"""The room's first-hand evidence in the session data file: observers' time-stamped notes, where
the decision was recorded with the operator's own time, and the trainer's corrections travel
with the session (JSON round trip, CSV rows); version 2 files still import."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.session_data import VERSION
from hotdash_roleplay.services import Services, open_services
from hotdash_roleplay.status import DecisionSource
from tests.conftest import FakeClock
from tests.test_room_records_pdf import REASON, room_round


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Services]:
    svc = open_services(data_dir=tmp_path / "other")
    yield svc
    svc.close()


@pytest.fixture
def exported(services: Services, fake_clock: FakeClock, tmp_path: Path) -> Path:
    session_id, _ = room_round(services, fake_clock)
    return services.session_data.export(session_id, tmp_path / "room.json")


def test_notes_decision_source_and_corrections_make_the_round_trip(
    services: Services, exported: Path, other: Services, tmp_path: Path
) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["version"] == VERSION == 3
    rnd = data["session"]["rounds"][0]
    decision = rnd["decision"]
    assert decision["source"] == "device" and decision["seconds_to_decide"] == 72
    (correction,) = decision["corrections"]
    assert correction["reason"] == REASON and correction["corrected_by"] == "Trainer Tess"
    assert correction["previous"]["decision"] == "approve"
    assert [(n["criterion"], n["at_seconds"]) for n in rnd["observer_notes"]] == [
        ("general", 20),
        ("accuracy", 95),
        ("tone", 133),
    ]

    result = other.session_data.import_file(exported)
    assert result.imported
    imported = other.sessions.get(result.session_id).rounds[0]
    original = services.sessions.find(data["session"]["uid"]).rounds[0]
    view = other.decisions.get(imported.id)
    assert view is not None and view.source is DecisionSource.DEVICE
    assert view.decision is Decision.REJECT and view.seconds_to_decide == 72
    assert view.correction is not None and view.correction.reason == REASON
    assert view.correction.previous_decision is Decision.APPROVE
    assert [
        (n.observer, n.stamp, n.criterion_name, n.text) for n in other.notes.notes(imported.id)
    ] == [
        (n.observer, n.stamp, n.criterion_name, n.text) for n in services.notes.notes(original.id)
    ]
    again = other.session_data.export(result.session_id, tmp_path / "again.json")
    second = json.loads(again.read_text(encoding="utf-8"))
    data.pop("exported_at"), second.pop("exported_at")
    assert second == data

    csv_file = services.session_data.export(result.session_id, tmp_path / "room.csv")
    with csv_file.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    (decided,) = [r for r in rows if r["record_type"] == "decision"]
    assert (decided["decision"], decided["source"], decided["clock"]) == (
        "reject",
        "device",
        "01:12",
    )
    (corrected,) = [r for r in rows if r["record_type"] == "decision_correction"]
    assert (corrected["decision"], corrected["text"], corrected["person"]) == (
        "approve",
        REASON,
        "Trainer Tess",
    )
    notes = [r for r in rows if r["record_type"] == "observer_note"]
    assert [(n["clock"], n["criterion"], n["role"], n["text"]) for n in notes] == [
        ("00:20", "general", "observer", "asked for the receipt first"),
        ("01:35", "accuracy", "observer", "quoted the wrong policy"),
        ("02:13", "tone", "observer", "interrupted the customer"),
    ]


def test_a_version_2_file_without_notes_or_sources_still_imports(
    exported: Path, other: Services
) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["version"] = 2
    for rnd in data["session"]["rounds"]:
        del rnd["observer_notes"]
        if rnd["decision"]:
            del rnd["decision"]["source"], rnd["decision"]["corrections"]
    exported.write_text(json.dumps(data), encoding="utf-8")
    result = other.session_data.import_file(exported)
    assert result.imported
    imported = other.sessions.get(result.session_id).rounds[0]
    view = other.decisions.get(imported.id)
    assert view is not None and view.source is DecisionSource.CONSOLE and not view.corrections
    assert other.notes.notes(imported.id) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r["observer_notes"][0].update(observer="Dev Patel"), "took a note but is not"),
        (lambda r: r["observer_notes"][0].update(criterion="charm"), "does not know: charm"),
        (lambda r: r["observer_notes"][0].update(text="x" * 501), "observer_notes.0.text"),
        (lambda r: r["decision"]["corrections"][0].update(reason="  "), "reason"),
        (lambda r: r["decision"].update(source="fax"), "allowed: console, device"),
    ],
)
def test_bad_notes_or_corrections_are_refused_and_import_nothing(
    change: object, expected: str, exported: Path, other: Services
) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    change(data["session"]["rounds"][0])  # type: ignore[operator]
    exported.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UserError, match=expected):
        other.session_data.import_file(exported)
    assert other.sessions.list_sessions() == []


@pytest.mark.parametrize("cut", ['"delta_seconds": nu', '"expert_revealed": fa', '"ok": tr'])
def test_a_file_cut_inside_a_literal_is_said_to_be_truncated(
    cut: str, other: Services, tmp_path: Path
) -> None:
    """Wherever the cut falls (the new fields moved it into a `null` in some exports)."""
    bad = tmp_path / "cut.json"
    bad.write_text('{"format": "hotdash-roleplay-session", "version": 3, ' + cut, "utf-8")
    with pytest.raises(UserError, match="the file is truncated"):
        other.session_data.import_file(bad)
