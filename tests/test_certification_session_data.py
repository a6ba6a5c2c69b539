"""The session export carries the participants' certification records; importing merges them,
twice adds nothing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hotdash_roleplay.certification.evidence import Attachment
from hotdash_roleplay.certification.program import CertificationState
from hotdash_roleplay.services import open_services
from tests.certification_data import TODAY, play_practice, qualify, week


def test_certification_travels_with_a_session_and_merges_once(tmp_path: Path) -> None:
    laptop = open_services(data_dir=tmp_path / "laptop", today=lambda: TODAY)
    try:
        qualify(laptop, "Ann", award=True)
        laptop.certification.record_week("Ann", week(date(2026, 11, 23), csat=4.7), "Tess")
        laptop.certification.submit_ai_report(
            "Ann", "Attached", TODAY, attachment=Attachment(name="r.pdf", data=b"\x00%PDF\xff")
        )
        sid = play_practice(laptop, "Ann")
        exported = laptop.session_data.export(sid, tmp_path / "s.json")
        # The scenario assessment is a session of its own: it travels in its own export.
        (assessment,) = [s for s in laptop.sessions.list_sessions() if s.mode == "certification"]
        assessed = laptop.session_data.export(assessment.id, tmp_path / "a.json")
        before = laptop.certification.person("Ann")
    finally:
        laptop.close()
    doc = json.loads(exported.read_text(encoding="utf-8"))
    assert [c["person"] for c in doc["certification"]] == ["Ann"]

    shared = open_services(data_dir=tmp_path / "shared", today=lambda: TODAY)
    try:
        first = shared.session_data.import_file(exported)
        assert first.imported and first.certification_records > 0
        assert "certification records added" in first.message
        assert shared.session_data.import_file(assessed).certification_records == 0
        after = shared.certification.person("Ann")
        assert after.state is CertificationState.CERTIFIED
        assert [r.status for r in after.requirements] == [r.status for r in before.requirements]
        assert after.metrics.model_dump() == before.metrics.model_dump()
        assert len(after.metric_changes) == 1 and after.awarded_on == before.awarded_on
        (attached,) = [r for r in after.reports if r.file_name]
        assert shared.certification.attachment("report", attached.id).data == b"\x00%PDF\xff"
        again = shared.session_data.import_file(exported)
        assert not again.imported and again.certification_records == 0
        assert again.message.endswith("nothing imported.")
        assert shared.certification.person("Ann").model_dump(exclude={"today"}) == (
            after.model_dump(exclude={"today"})
        )
    finally:
        shared.close()


def test_an_export_without_certification_still_imports(tmp_path: Path) -> None:
    svc = open_services(data_dir=tmp_path / "a", today=lambda: TODAY)
    try:
        sid = play_practice(svc, "Ann")
        path = svc.session_data.export(sid, tmp_path / "s.json")
    finally:
        svc.close()
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["certification"] == []
    del doc["certification"]  # as older versions wrote it
    path.write_text(json.dumps(doc), encoding="utf-8")
    other = open_services(data_dir=tmp_path / "b", today=lambda: TODAY)
    try:
        assert other.session_data.import_file(path).imported
    finally:
        other.close()
