"""The command line as a user runs it: exit codes and what it prints, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hotdash_roleplay import __version__
from hotdash_roleplay.cli import main
from hotdash_roleplay.paths import SCENARIOS_DIR


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse: --version, --help, usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and __version__ in out


def test_scenarios_list_shows_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenarios", "list")
    assert code == 0
    assert "warranty-loophole" in out and "The Suspected Fraud" in out
    assert len(out.strip().splitlines()) >= 10


def test_scenarios_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in SCENARIOS_DIR.glob("*.yaml"))
    code, out, err = run(capsys, "scenarios", "validate", *files)
    assert code == 0, err
    assert out.count("ok ") == len(files)


def test_scenarios_validate_reports_each_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "scenarios", "validate", str(broken), str(empty))
    assert code == 1
    lines = err.strip().splitlines()
    assert any(line.startswith(str(broken)) and "line" in line for line in lines)
    assert any(line.startswith(str(empty)) for line in lines)
    assert "Traceback" not in err and out == ""


def test_plan_prints_a_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "--people", "Ann,Ben,Cat,Dev")
    assert code == 0 and "Operator" in out and len(out.strip().splitlines()) == 5
    code, out, _ = run(capsys, "plan", "--people", "Ann,Ben,Cat,Dev", "--seed", "7", "--json")
    data = json.loads(out)
    assert [r["operator"] for r in data["rounds"]].count("Ann") == 1
    assert set(data["rounds"][0]) == {"round", "operator", "ai_system", "facilitator", "observer"}
    _, again, _ = run(capsys, "plan", "--people", "Ann,Ben,Cat,Dev", "--seed", "7", "--json")
    assert again == out  # deterministic


@pytest.mark.parametrize("people", ["Ann,Ben", ",".join(f"P{i}" for i in range(13)), "Ann,Ann,Ben"])
def test_plan_refuses_bad_rosters(capsys: pytest.CaptureFixture[str], people: str) -> None:
    code, _, err = run(capsys, "plan", "--people", people)
    assert code == 1 and err.startswith("hotdash-roleplay: ") and "Traceback" not in err


def test_people_and_sessions_list_on_a_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "people", "list", "--data-dir", str(tmp_path))
    assert code == 0 and "No people yet" in out
    from hotdash_roleplay.services import open_services

    svc = open_services(data_dir=tmp_path)
    svc.sessions.create_session("module4-practice", ["Zoë", "Юлия", "Ξανθή", "李雷"])
    svc.close()
    code, out, _ = run(capsys, "people", "list", "--data-dir", str(tmp_path))
    assert code == 0 and "Юлия" in out and "李雷" in out
    code, out, _ = run(capsys, "sessions", "list", "--data-dir", str(tmp_path))
    assert code == 0 and "Module 4" in out and "0/4" in out


def test_a_bad_store_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "hotdash-roleplay.sqlite3").write_text("not a database")
    code, _, err = run(capsys, "sessions", "list", "--data-dir", str(tmp_path))
    assert code == 1 and "not a HotDash Role-Play database" in err
    code, _, err = run(capsys, "people", "list", "--db", "nonsense")
    assert code == 1 and "Not a database URL" in err


def test_without_the_app_it_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys)
    assert code == 1 and "desktop app is not available" in err


def test_installed_entry_point_runs_headless() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.main", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and __version__ in result.stdout
