"""Where the bundled resources and session plans live.

Both folders are installed as packages (see pyproject.toml), so one lookup serves the editable
install, the wheel and the PyInstaller bundle.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    # A package on the file system (every install this app supports) is a real folder.
    return Path(str(files(package)))


RESOURCES = _package_dir("hotdash_roleplay.resources")
SCENARIOS_DIR = RESOURCES / "scenarios"
CHECKLIST_FILE = RESOURCES / "checklist.yaml"
# The app's icon: the window icon, and (the .ico beside it) the Windows executables' icon.
APP_ICON = RESOURCES / "icon" / "hotdash-roleplay.png"
SESSIONS_DIR = _package_dir("hotdash_roleplay.session_plans")
