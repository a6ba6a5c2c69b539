"""The certification commands as a user runs them: exit codes, JSON, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from hotdash_roleplay.cli import main
from hotdash_roleplay.services import open_services
from tests.certification_data import TODAY, qualify

HEADER = (
    "person,week_start,approval_rate,avg_review_seconds,csat,first_contact_resolution,"
    "decision_accuracy,escalation_rate"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    svc = open_services(data_dir=folder, today=lambda: TODAY)
    try:
        qualify(svc, "Ann", award=True)
        svc.people.add_person("Ben")
    finally:
        svc.close()
    return folder


def test_status_json_has_the_documented_shape(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(capsys, "certification", "status", "Ben", "--json", "--data-dir",
                         str(data_dir))  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["person"] == "Ben" and doc["eligible"] is False
    assert doc["status"] == "not_started"
    assert [r["key"] for r in doc["requirements"]] == [
        "modules", "metrics", "scenarios", "ai_report", "mentoring", "contribution",
    ]  # fmt: skip
    assert all(r["met"] is False and r["detail"] for r in doc["requirements"])
    assert doc["metrics"]["current_run_weeks"] == 0 and doc["metrics"]["longest_run_weeks"] == 0


def test_status_text_and_list(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "certification", "status", "Ann", "--data-dir", str(data_dir))
    assert code == 0
    assert "[Met] Complete all 6 advanced modules" in out and "Certification Awarded" in out
    code, out, _ = run(capsys, "certification", "list", "--data-dir", str(data_dir))
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 1 + 5  # header, Ann, Ben and three practice partners
    assert any(line.split()[1:2] == ["Ann"] and "6/6" in line for line in lines)
    code, out, _ = run(capsys, "certification", "list", "--json", "--data-dir", str(data_dir))
    rows = {r["person"]: r for r in json.loads(out)}
    assert rows["Ben"]["status"] == "not_started" and rows["Ann"]["eligible"] is True


def test_unknown_person_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = run(capsys, "certification", "status", "Nobody", "--data-dir", str(data_dir))
    assert code == 1 and out == ""
    assert err.startswith("hotdash-roleplay: No person named 'Nobody'")


def test_metrics_import_refuses_then_creates_people(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    csv_file = tmp_path / "weeks.csv"
    csv_file.write_text(
        f"{HEADER}\nBen,2026-11-09,86,75,4.9,92,99.5,12\n"
        "New Person,2026-11-09,86,75,4.9,92,99.5,\n",
        encoding="utf-8",
    )
    store = ["--data-dir", str(data_dir)]
    code, out, err = run(capsys, "metrics", "import", str(csv_file), *store)
    assert code == 1 and "unknown people: New Person" in err and "--create-people" in err
    code, out, err = run(capsys, "metrics", "import", str(csv_file), "--create-people", *store)
    assert code == 0, err
    assert "2 weeks added" in out and "new people: New Person" in out
    code, out, _ = run(capsys, "metrics", "import", str(csv_file), *store)
    assert code == 0 and "2 unchanged" in out

    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nBen,2026-11-16,86,75,7,92,99.5,\n", encoding="utf-8")
    code, out, err = run(capsys, "metrics", "import", str(bad), *store)
    assert code == 1 and f"{bad}: row 2: csat must be between 1 and 5" in err
    assert "Traceback" not in err


def test_export_certification_pdf_in_a_real_process(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "record.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "hotdash_roleplay.cli", "export", "certification", "Ann",
         "-o", str(target), "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Wrote the certification record of Ann" in done.stdout
    assert "Certification record" in PdfReader(str(target)).pages[0].extract_text()
    missing = subprocess.run(
        [sys.executable, "-m", "hotdash_roleplay.cli", "export", "certification", "Ann",
         "-o", str(tmp_path / "nope" / "r.pdf"), "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr
