"""The checked-in PyInstaller spec and build_installer.py agree: the spec ships every resource
and session plan where importlib.resources looks for them, and builds the two executables the
smoke test runs (windowed and console), with the icon and version. The build itself runs in
.ci/run (python build_installer.py)."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

import build_installer
from hotdash_roleplay import __version__

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "hotdash-roleplay.spec"


@dataclass
class Built:
    """What the spec asked PyInstaller for."""

    analysis: dict[str, Any] = field(default_factory=dict)
    exes: list[dict[str, Any]] = field(default_factory=list)
    collect: dict[str, Any] = field(default_factory=dict)


def run_spec(workpath: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    """Execute the spec as PyInstaller does, with recorders for its building blocks."""
    built = Built()

    class Analysis:
        def __init__(self, scripts: list[str], **kwargs: Any) -> None:
            built.analysis = {"scripts": scripts, **kwargs}
            self.pure, self.scripts, self.binaries, self.datas = [], [], [], []

    def exe(*_args: Any, **kwargs: Any) -> dict[str, Any]:
        built.exes.append(kwargs)
        return kwargs

    def collect(*_args: Any, **kwargs: Any) -> None:
        built.collect = kwargs

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: [package]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec puts the repository first
    namespace = {
        "SPECPATH": str(ROOT),
        "workpath": str(workpath),
        "Analysis": Analysis,
        "PYZ": lambda *a, **k: None,
        "EXE": exe,
        "COLLECT": collect,
    }
    exec(compile(SPEC.read_bytes(), str(SPEC), "exec"), namespace)
    return built


def bundled_files(datas: list[tuple[str, str]]) -> set[str]:
    """The files the datas put in the bundle, as paths inside it."""
    out: set[str] = set()
    for src, dest in datas:
        path = Path(src)
        if path.is_dir():
            files = (f for f in path.rglob("*") if f.is_file())
            out |= {f"{dest}/{f.relative_to(path).as_posix()}" for f in files}
        else:
            for f in path.parent.glob(path.name):
                out.add(f"{dest}/{f.name}")
    return out


def shipped_files() -> set[str]:
    """Every resource, session plan and migration in the source, where the installed package
    has it (pyproject.toml maps resources/ and sessions/ into the package)."""
    places = {
        "resources": "hotdash_roleplay/resources",
        "sessions": "hotdash_roleplay/session_plans",
        "hotdash_roleplay/store/migrations": "hotdash_roleplay/store/migrations",
    }
    out: set[str] = set()
    for folder, inside in places.items():
        for f in (ROOT / folder).rglob("*"):
            rel = f.relative_to(ROOT / folder).as_posix()
            if f.is_file() and "__pycache__" not in rel and not fnmatch(rel, "*.pyc"):
                out.add(f"{inside}/{rel}")
    return out


def test_the_spec_ships_every_resource_and_session_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = run_spec(tmp_path, monkeypatch)
    missing = shipped_files() - bundled_files(built.analysis["datas"])
    assert missing == set()
    assert "hotdash_roleplay/resources/icon/hotdash-roleplay.png" in shipped_files()


def test_a_windowed_and_a_console_executable_named_as_the_smoke_test_runs_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = run_spec(tmp_path, monkeypatch)
    consoles = {exe["name"]: exe["console"] for exe in built.exes}
    assert consoles == {build_installer.GUI_EXE.stem: False, build_installer.CLI_EXE.stem: True}
    assert built.collect["name"] == build_installer.BUNDLE.name
    assert build_installer.SPEC == SPEC
    # The entry script is the app's own main.
    (script,) = built.analysis["scripts"]
    assert "from ui.main import main" in Path(script).read_text()
    assert Path(script).is_relative_to(tmp_path)


def test_windows_executables_carry_the_icon_and_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    built = run_spec(tmp_path, monkeypatch)
    for exe in built.exes:
        icon = Path(exe["icon"])
        assert icon.suffix == ".ico" and icon.read_bytes()[:4] == b"\x00\x00\x01\x00"
    (version_file,) = {exe["version"] for exe in built.exes}
    text = Path(version_file).read_text(encoding="utf-8")
    # PyInstaller evaluates the file with its version-info classes: it must be such a call.
    calls: dict[str, tuple[Any, ...]] = {}

    def record(name: str) -> Any:
        return lambda *args, **kwargs: calls.setdefault(name, (*args, *kwargs.values()))

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable"]
    eval(text, {n: record(n) for n in [*names, "StringStruct", "VarFileInfo", "VarStruct"]})
    assert calls["FixedFileInfo"][0][:3] == tuple(int(p) for p in __version__.split("."))
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert __version__ == build_installer.VERSION


def test_missing_pyinstaller_is_a_message_and_an_exit_code_not_an_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran: list[list[str]] = []
    monkeypatch.setattr(build_installer.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(build_installer.subprocess, "run", lambda cmd, **kw: ran.append(cmd))
    monkeypatch.setattr(build_installer, "clean", lambda: None)

    assert build_installer.main([]) == build_installer.MISSING_EXIT
    assert ran == []  # nothing installed, nothing built
    out = capsys.readouterr().out
    assert "PyInstaller is not installed" in out and '-m pip install -e "' in out
