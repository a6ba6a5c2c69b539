"""Where the bundled resources and session plans live (source tree or PyInstaller bundle)."""

from __future__ import annotations

import sys
from pathlib import Path


def _root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller one-folder bundle: data sits beside the code
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


ROOT = _root()
RESOURCES = ROOT / "resources"
SCENARIOS_DIR = RESOURCES / "scenarios"
CHECKLIST_FILE = RESOURCES / "checklist.yaml"
SESSIONS_DIR = ROOT / "sessions"
