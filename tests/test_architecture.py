"""Contracts of the layout. The import rules (layers, the core free of Qt, the UI kept off the
store, no cycles) are import-linter contracts in pyproject.toml; this runs them with the suite.
What is left here is a run-time property no import graph shows: the CLI starts light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    # This checkout's packages, not whichever copy an editable install points at.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    code = "import sys, importlinter.cli as c; sys.exit(c.lint_imports(no_cache=True))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_start_up_does_not_load_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from hotdash_roleplay import cli\n"
        "cli.build_parser()\n"
        "heavy = ('reportlab', 'aiohttp', 'sqlalchemy', 'PySide6')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(heavy); sys.exit(1 if heavy else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
