"""Build the one-folder desktop bundle with PyInstaller, then smoke-test it.

    python build_installer.py               # build into dist/hotdash-roleplay/, then test it
    python build_installer.py --clean       # remove build/ and dist/ first
    python build_installer.py --skip-build  # only smoke-test an existing bundle

PyInstaller is the `installer` extra (`pip install -e .[installer]`); it is installed with pip
when missing. Nothing is written into the source tree but build/ (work files, the generated
spec and launcher) and dist/ (the bundle). Exit code 0 only when every check passed."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
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
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUNDLE = DIST / NAME
EXE = BUNDLE / (NAME + (".exe" if sys.platform == "win32" else ""))
MIGRATIONS = "hotdash_roleplay/store/migrations"
# What the bundle must list, read from the source it was built from.
SCENARIO_COUNT = len(list((ROOT / "resources" / "scenarios").glob("*.yaml")))
GUI_SECONDS = 5.0
TIMEOUT = 120

# (source relative to the repository, destination inside the bundle); globs keep out caches.
# resources/ and sessions/ go where the wheel puts them: inside the package (see pyproject.toml).
DATA = [
    ("resources", "hotdash_roleplay/resources"),
    ("sessions/*.yaml", "hotdash_roleplay/session_plans"),
    ("sessions/__init__.py", "hotdash_roleplay/session_plans"),
    (f"{MIGRATIONS}/*.py", MIGRATIONS),
    (f"{MIGRATIONS}/script.py.mako", MIGRATIONS),
    (f"{MIGRATIONS}/versions/*.py", f"{MIGRATIONS}/versions"),
]
# Imported inside functions or by name at run time (Alembic loads env.py and the versions from
# files, so what they import must be in the bundle too).
HIDDEN_IMPORTS = [
    "hotdash_roleplay.resources",
    "hotdash_roleplay.session_plans",
    "ui.app",
    "ui.console.console_screen",
    "ui.export_actions",
    "ui.observer_host",
    "alembic.command",
    "alembic.context",
    "alembic.op",
    "alembic.runtime.migration",
    "alembic.script",
    "hotdash_roleplay.store.models",
    "sqlalchemy.dialects.sqlite",
    "reportlab.pdfbase.ttfonts",
    "reportlab.pdfbase.pdfmetrics",
    "bidi.algorithm",
    "arabic_reshaper",
    "aiohttp",
    "segno",
]
COLLECT_SUBMODULES = ["hotdash_roleplay", "ui", "reportlab.graphics.barcode"]
OPTIONAL_IMPORTS = ["psycopg", "sqlalchemy.dialects.postgresql.psycopg"]  # the postgres extra
# Qt modules the app never uses (it needs QtCore, QtGui, QtWidgets and QtSvg for the theme's
# icons), and heavy packages that are installed here but not used by the app.
UNUSED_QT = [
    "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets",
    "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras",
    "QtMultimedia", "QtMultimediaWidgets", "QtQml", "QtQuick", "QtQuickWidgets",
    "QtQuickControls2", "QtQuick3D", "QtCharts", "QtDataVisualization", "QtGraphs", "QtPdf",
    "QtPdfWidgets", "QtSql", "QtTest", "QtDesigner", "QtHelp", "QtOpenGL", "QtOpenGLWidgets",
    "QtBluetooth", "QtNfc", "QtPositioning", "QtLocation", "QtSensors", "QtSerialPort",
    "QtSerialBus", "QtRemoteObjects", "QtScxml", "QtSpatialAudio", "QtTextToSpeech", "QtUiTools",
    "QtXml", "QtConcurrent", "QtDBus", "QtPrintSupport",
]  # fmt: skip
EXCLUDES = [
    *(f"PySide6.{m}" for m in UNUSED_QT),
    "tkinter",
    "numpy",
    "matplotlib",
    "IPython",
    "pytest",
    "hypothesis",
    "playwright",
    "pypdf",
]
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


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print("PyInstaller is missing: installing it with pip ...", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "pyinstaller>=6"], check=True)


def clean() -> None:
    for path in (BUILD, DIST):
        if path.exists():
            shutil.rmtree(path)
    # A spec left by a hand-run PyInstaller without --specpath (this script writes it to build/).
    (ROOT / f"{NAME}.spec").unlink(missing_ok=True)


def pyinstaller_command() -> list[str]:
    launcher = BUILD / "launcher" / f"{NAME}.py"
    launcher.parent.mkdir(parents=True, exist_ok=True)
    launcher.write_text("import sys\n\nfrom ui.main import main\n\nsys.exit(main())\n")
    sep = os.pathsep  # PyInstaller's SRC/DEST separator (";" on Windows)
    cmd = [
        sys.executable, "-m", "PyInstaller", str(launcher),
        "--name", NAME, "--onedir", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"),
        "--specpath", str(BUILD), "--paths", str(ROOT),
    ]  # fmt: skip
    for src, dest in DATA:
        cmd += ["--add-data", f"{ROOT / src}{sep}{dest}"]
    optional = [m for m in OPTIONAL_IMPORTS if _importable(m)]
    for module in HIDDEN_IMPORTS + optional:
        cmd += ["--hidden-import", module]
    for package in COLLECT_SUBMODULES:
        cmd += ["--collect-submodules", package]
    for module in EXCLUDES:
        cmd += ["--exclude-module", module]
    return cmd


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def build() -> None:
    ensure_pyinstaller()
    started = time.monotonic()
    print(f"Building {BUNDLE.relative_to(ROOT)} with PyInstaller ...", flush=True)
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
    """Run the bundled binary; its stdout, or SmokeFailure on a bad exit or alarming stderr."""
    proc = subprocess.run(
        [str(EXE), *args], capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False
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
    if not out.startswith(NAME):
        raise SmokeFailure(f"unexpected output {out!r}")
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
            [str(EXE), "--demo", "--data-dir", str(data_dir)],
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
    if not EXE.is_file():
        return [Check("bundle", False, f"{EXE} not found: build it first")]
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
            ("GUI --demo (offscreen)", lambda: check_gui(work / "gui")),
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
        try:
            build()
        except subprocess.CalledProcessError as exc:
            print(f"FAIL: the build failed (exit code {exc.returncode})", file=sys.stderr)
            return 1
    print(f"Smoke-testing {EXE.relative_to(ROOT)}:", flush=True)
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
