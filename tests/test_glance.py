"""The start screen's list: the first glance (sqlite3 on the file, before the store is open)
lists exactly what the open store lists, in the same order; anything it cannot read is left to
the full open (docs/architecture.md, "Start-up")."""

from __future__ import annotations

from pathlib import Path

from hotdash_roleplay.services import open_services
from hotdash_roleplay.services.glance import first_glance
from hotdash_roleplay.store.location import DB_FILE_NAME


def test_the_first_glance_lists_what_the_open_store_lists(tmp_path: Path) -> None:
    data = tmp_path / "data"
    services = open_services(None, data)
    try:
        ids = [
            services.sessions.create_session("module4-practice", people, title=title).id
            for title, people in (
                ("Monday", ["Ann", "Ben", "Cat", "Dev"]),
                ("Tuesday", ["Eve", "Fay", "Gus", "Hal", "Ivy"]),
                ("Wednesday", ["Jo", "Kim", "Lou", "Max"]),
            )
        ]
        services.sessions.person_leaves(ids[1], "Fay")
        services.sessions.person_arrives(ids[1], "Zed")
        expected = services.sessions.glance_sessions()
    finally:
        services.close()
    glanced = first_glance(None, data)
    assert glanced == expected
    assert [g.id for g in glanced] == ids[::-1]  # newest first
    tuesday = next(g for g in glanced if g.id == ids[1])
    assert "Fay" not in tuesday.participants and "Zed" in tuesday.participants


def test_a_file_the_glance_cannot_read_is_left_to_the_full_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert first_glance(None, data) is None  # no store yet
    data.mkdir()
    (data / DB_FILE_NAME).write_bytes(b"not a database at all" * 100)
    assert first_glance(None, data) is None
