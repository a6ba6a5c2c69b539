"""A normal `pip install .` (a wheel, not editable) into a fresh virtual environment works from
another folder: the scenarios, the checklist and the session plans travel inside the wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_FILES = sorted((ROOT / "resources" / "scenarios").glob("*.yaml"))

pytestmark = pytest.mark.slow
# The venv must see only what the wheel installed: a PYTHONPATH pointing at a checkout would make
# pip find the project "already installed" there and the app import from the checkout.
CLEAN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
NOT_SOURCE = (
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*_cache",
    ".hypothesis",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a fresh venv holding only the wheel built from this checkout."""
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy, so the build's own files (build/, *.egg-info) stay out of the checkout.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(source)],
        check=True,
        cwd=work,
        env=CLEAN_ENV,
    )
    wheels = list(work.glob("hotdash_roleplay-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheels[0])],
        check=True,
        cwd=work,
        env=CLEAN_ENV,
    )
    return bin_dir


def _run(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "hotdash-roleplay"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=CLEAN_ENV,
        timeout=120,
        check=False,
    )


def test_resources_come_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    code = "from hotdash_roleplay import paths; print(paths.RESOURCES); print(paths.SESSIONS_DIR)"
    out = subprocess.run(
        [str(installed / "python"), "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=CLEAN_ENV,
    )
    assert out.returncode == 0, out.stderr
    for line in out.stdout.splitlines():
        assert "site-packages" in line and str(ROOT) not in line


def test_scenarios_list_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "scenarios", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    listed = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(listed) == len(SCENARIO_FILES)
    assert "Warranty Loophole" in result.stdout


def test_sessions_list_and_version_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, "sessions", "list", "--data-dir", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    from hotdash_roleplay import __version__

    version = _run(installed, "--version", cwd=tmp_path)
    assert version.stdout.strip().endswith(__version__)


def test_demo_runs_offscreen_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    env = {**CLEAN_ENV, "QT_QPA_PLATFORM": "offscreen"}
    with (tmp_path / "stderr.txt").open("w+") as err:
        proc = subprocess.Popen(
            [str(installed / "hotdash-roleplay"), "--demo", "--data-dir", str(tmp_path / "d")],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=tmp_path,
            env=env,
        )
        try:
            # The demo builds its session and shows the console; a broken install dies early.
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.2)
            assert proc.poll() is None, "the app exited early"
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        err.seek(0)
        stderr = err.read()
    assert "Traceback" not in stderr, stderr
