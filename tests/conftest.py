"""Shared fixtures: an offscreen Qt platform, a fresh store per test, the artifacts folder."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from hotdash_roleplay.services import Services

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("HOTDASH_DB_URL", None)  # tests choose their store explicitly

# Screenshots and rendered PDF pages go to the test's temporary folder, or, for people who want
# to look at them, to the folder this variable names (never into the repository).
ARTIFACTS_ENV = "HOTDASH_TEST_ARTIFACTS"


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user data folder (platformdirs, XDG on Linux) of every test is a temporary one: a
    store opened by URL alone keeps its issuer key there, never in the user's own folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture(autouse=True)
def heap_unfrozen() -> Iterator[None]:
    """What a test's app froze (ui/heap.py) is let go after it: the app keeps it for its whole
    run, but one test process runs hundreds of apps."""
    yield
    gc.unfreeze()


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    """Where tests save screenshots and PDFs for people to look at."""
    chosen = os.environ.get(ARTIFACTS_ENV)
    folder = Path(chosen) if chosen else tmp_path / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """Services on a fresh SQLite store in a temporary data folder."""
    from hotdash_roleplay.services import open_services

    svc = open_services(data_dir=tmp_path / "data")
    yield svc
    svc.close()


class FakeClock:
    """Monotonic and wall clocks a test moves by hand (no sleeping)."""

    def __init__(self, mono: float = 1000.0, wall: float = 1_790_000_000.0) -> None:
        self.mono = mono
        self.wall_time = wall

    def now(self) -> float:
        return self.mono

    def wall(self) -> float:
        return self.wall_time

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall_time += seconds


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def issued_credential(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A credential issued by the app for a qualified candidate (made once per run)."""
    from hotdash_roleplay.services import open_services
    from tests.certification_data import TODAY, qualify

    svc = open_services(data_dir=tmp_path_factory.mktemp("issued"), today=lambda: TODAY)
    try:
        qualify(svc, "Zoë Ødegård", award=True, email="zoe@example.com")
        found = svc.credentials.latest("Zoë Ødegård")
        assert found is not None
        return found.credential
    finally:
        svc.close()
