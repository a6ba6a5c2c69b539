"""Screenshots and rendered PDF pages that tests save stay out of the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS_ENV

ROOT = Path(__file__).resolve().parent.parent


def test_saved_pictures_go_to_the_tests_temporary_folder(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    monkeypatch.delenv(ARTIFACTS_ENV, raising=False)
    folder = request.getfixturevalue("artifacts")
    assert folder.is_dir() and folder.is_relative_to(tmp_path)
    assert not folder.resolve().is_relative_to(ROOT)


def test_a_person_can_keep_them_in_a_folder_of_their_choice(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    monkeypatch.setenv(ARTIFACTS_ENV, str(tmp_path / "look-here"))
    assert request.getfixturevalue("artifacts") == tmp_path / "look-here"
    assert (tmp_path / "look-here").is_dir()
