"""A name inside the app's own wording: right-to-left names isolated, every other name as is."""

from __future__ import annotations

import pytest

from hotdash_roleplay.names import in_line, names_in_line


@pytest.mark.parametrize("name", ["Ann", "Person 01", "Zoë", "Юлия", "李雷", "O'Neil-Smith"])
def test_a_left_to_right_name_is_left_as_it_is(name: str) -> None:
    assert in_line(name) == name


@pytest.mark.parametrize("name", ["שרה כהן", "ليلى", "Dana שרה"])
def test_a_right_to_left_name_is_isolated(name: str) -> None:
    assert in_line(name) == f"\u2068{name}\u2069"


def test_a_list_isolates_only_its_right_to_left_names() -> None:
    assert names_in_line(["Zoë", "שרה כהן", "李雷"]) == "Zoë, \u2068שרה כהן\u2069, 李雷"
