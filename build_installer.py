"""Build the one-folder desktop bundle with PyInstaller from hotdash-roleplay.spec, then
smoke-test it.

    python build_installer.py               # build into dist/hotdash-roleplay/, then test it
    python build_installer.py --clean       # remove build/ and dist/ first
    python build_installer.py --skip-build  # only smoke-test an existing bundle

PyInstaller is the `installer` extra (`pip install -e ".[installer]"`); when it is missing the
script says so and exits with code 2. Nothing is written into the source tree but build/ (work
files) and dist/ (the bundle). Exit code 0 only when every check passed."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NAME = "hotdash-roleplay"
ROOT = Path(__file__).resolve().parent
SPEC = ROOT / f"{NAME}.spec"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUNDLE = DIST / NAME
_SUFFIX = ".exe" if sys.platform == "win32" else ""
GUI_EXE = BUNDLE / f"{NAME}{_SUFFIX}"  # windowed: what people start
CLI_EXE = BUNDLE / f"{NAME}-cli{_SUFFIX}"  # attached to a console: the command line
# What the bundle must say, read from the source it was built from.
SCENARIO_COUNT = len(list((ROOT / "resources" / "scenarios").glob("*.yaml")))


def _source_version() -> str:
    text = (ROOT / "hotdash_roleplay" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("hotdash_roleplay/__init__.py holds no __version__")
    return match.group(1)


VERSION = _source_version()
GUI_SECONDS = 5.0
TIMEOUT = 120
MISSING_EXIT = 2
# Lines on a child's stderr that mean something is wrong even when it exited cleanly.
ALARMING = (
    "traceback",
    "error",
    "exception",
    "could not",
    "cannot",
    "failed",
    "no module named",
    "qt.qpa",
)


def pyinstaller_missing() -> str | None:
    """What to run when PyInstaller is not installed, or None when it is."""
    if importlib.util.find_spec("PyInstaller") is not None:
        return None
    return f'{sys.executable} -m pip install -e "{ROOT}[installer]"'


def clean() -> None:
    for path in (BUILD, DIST):
        if path.exists():
            shutil.rmtree(path)


def pyinstaller_command() -> list[str]:
    return [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean",
        "--log-level", "WARN", "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
    ]  # fmt: skip


def build() -> None:
    started = time.monotonic()
    print(f"Building {BUNDLE.relative_to(ROOT)} from {SPEC.name} ...", flush=True)
    subprocess.run(pyinstaller_command(), check=True, cwd=ROOT)
    print(f"Built in {time.monotonic() - started:.0f} s", flush=True)


# --- smoke test ---------------------------------------------------------------------------


class SmokeFailure(Exception):
    pass


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def run_bundle(*args: str, env: dict[str, str] | None = None) -> str:
    """Run the bundle's command line; its stdout, or SmokeFailure on a bad exit or alarming
    stderr."""
    proc = subprocess.run(
        [str(CLI_EXE), *args], capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False
    )
    if proc.returncode != 0:
        raise SmokeFailure(f"exit code {proc.returncode}: {(proc.stderr or proc.stdout).strip()}")
    _check_stderr(proc.stderr)
    return proc.stdout


def _check_stderr(stderr: str) -> None:
    bad = [line for line in stderr.splitlines() if any(w in line.lower() for w in ALARMING)]
    if bad:
        raise SmokeFailure("stderr: " + " | ".join(bad[:5]))


def check_version() -> str:
    out = run_bundle("--version").strip()
    if out != f"{NAME} {VERSION}":
        raise SmokeFailure(f"unexpected output {out!r}, expected {NAME} {VERSION}")
    return out


def check_scenarios() -> str:
    lines = [line for line in run_bundle("scenarios", "list").splitlines() if line.strip()]
    if len(lines) != SCENARIO_COUNT:
        raise SmokeFailure(f"{len(lines)} scenarios listed, expected {SCENARIO_COUNT}")
    return f"{len(lines)} scenarios"


def check_plan() -> str:
    payload = json.loads(run_bundle("plan", "--people", "Ann,Ben,Cat,Dev", "--json"))
    rounds = payload["rounds"]
    if not rounds or {r["operator"] for r in rounds} != {"Ann", "Ben", "Cat", "Dev"}:
        raise SmokeFailure(f"unexpected rotation {payload!r}")
    return f"{len(rounds)} rounds for 4 people"


def check_new_store(data_dir: Path) -> str:
    out = run_bundle("sessions", "list", "--data-dir", str(data_dir)).strip()
    stores = list(data_dir.glob("*.db")) + list(data_dir.glob("*.sqlite*"))
    if not stores:
        raise SmokeFailure(f"no SQLite store created in {data_dir}")
    return f"{stores[0].name} created and migrated; {out!r}"


def check_import_and_debrief(data_dir: Path, work: Path) -> str:
    """A session made by the source tree, imported into the bundle's store, then its debrief
    PDF written by the bundle (the fonts and reportlab from the bundle)."""
    session_json = work / "demo-session.json"
    _write_demo_session(work / "source-store", session_json)
    run_bundle("import", str(session_json), "--data-dir", str(data_dir))
    listed = run_bundle("sessions", "list", "--data-dir", str(data_dir)).splitlines()
    if len(listed) < 2:
        raise SmokeFailure("the imported session is not listed")
    session_id = listed[1].split()[0]
    pdf = work / "debrief.pdf"
    run_bundle("export", "debrief", session_id, "-o", str(pdf), "--data-dir", str(data_dir))
    if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
        raise SmokeFailure(f"no PDF at {pdf}")
    return f"session {session_id} imported; debrief PDF {pdf.stat().st_size // 1024} KB"


def _write_demo_session(store_dir: Path, target: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from hotdash_roleplay.demo import create_demo_session
    from hotdash_roleplay.services import open_services

    services = open_services(None, store_dir)
    try:
        services.session_data.export(create_demo_session(services), target)
    finally:
        services.close()


def check_gui(data_dir: Path) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [str(GUI_EXE), "--demo", "--data-dir", str(data_dir)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
        time.sleep(GUI_SECONDS)
        code = proc.poll()
        if code is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        err.seek(0)
        stderr = err.read()
    if code is not None:
        raise SmokeFailure(f"the app exited after <{GUI_SECONDS:.0f} s with {code}: {stderr}")
    _check_stderr(stderr)
    return f"still running after {GUI_SECONDS:.0f} s, stderr clean"


def smoke_test() -> list[Check]:
    missing = [exe for exe in (GUI_EXE, CLI_EXE) if not exe.is_file()]
    if missing:
        return [Check("bundle", False, f"{missing[0]} not found: build it first")]
    checks: list[Check] = []
    with tempfile.TemporaryDirectory(prefix="hotdash-smoke-") as tmp:
        work = Path(tmp)
        store = work / "store"
        tests: list[tuple[str, Callable[[], str]]] = [
            ("--version", check_version),
            ("scenarios list", check_scenarios),
            ("plan --json", check_plan),
            ("sessions list (new store)", lambda: check_new_store(store)),
            ("import + export debrief", lambda: check_import_and_debrief(store, work)),
            ("windowed app --demo (offscreen)", lambda: check_gui(work / "gui")),
        ]
        for name, test in tests:
            try:
                checks.append(Check(name, True, test()))
            except (SmokeFailure, subprocess.SubprocessError, OSError, ValueError, KeyError) as e:
                checks.append(Check(name, False, f"{type(e).__name__}: {e}"))
            last = checks[-1]
            print(f"  {'PASS' if last.passed else 'FAIL'}  {name}: {last.detail}", flush=True)
    return checks


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-build", action="store_true", help="smoke-test an existing bundle")
    parser.add_argument("--clean", action="store_true", help="remove build/ and dist/ first")
    args = parser.parse_args(argv)
    if args.clean:
        clean()
    if not args.skip_build:
        command = pyinstaller_missing()
        if command is not None:
            print(f"FAIL: PyInstaller is not installed. Install it with:\n    {command}")
            return MISSING_EXIT
        try:
            build()
        except subprocess.CalledProcessError as exc:
            print(f"FAIL: the build failed (exit code {exc.returncode})", file=sys.stderr)
            return 1
    print(f"Smoke-testing {BUNDLE.relative_to(ROOT)} ({GUI_EXE.name}, {CLI_EXE.name}):", flush=True)
    checks = smoke_test()
    if BUNDLE.is_dir():
        print(f"Bundle size: {folder_size(BUNDLE) / 1e6:.0f} MB ({BUNDLE.relative_to(ROOT)})")
    failed = [c.name for c in checks if not c.passed]
    if failed:
        print(f"FAIL: {len(failed)} of {len(checks)} checks failed: {', '.join(failed)}")
        return 1
    print(f"PASS: all {len(checks)} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
