"""Opening the app reads its few options without building every command's parser; any other
command line goes to the full parser, which reads it (and words its mistakes) as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotdash_roleplay import cli

APP_LINES = [
    [],
    ["--demo"],
    ["--dem"],  # argparse's abbreviations hold as in the full parser
    ["--data-dir", "/tmp/store"],
    ["--data-dir=/tmp/store", "--db", "sqlite:///x.sqlite3"],
    ["--data-dir", "sessions"],  # a value that is also a command's name
]
OTHER_LINES = [
    ["sessions", "list"],
    ["-h"],
    ["--he"],
    ["--version"],
    ["--data-dir"],
    ["--d", "x"],  # ambiguous
    ["bogus"],
    ["--demo", "scenarios", "list"],
]


@pytest.mark.parametrize("argv", APP_LINES)
def test_the_app_options_read_as_the_full_parser_reads_them(argv: list[str]) -> None:
    assert cli._app_args(argv) == cli.build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", OTHER_LINES)
def test_anything_more_is_left_to_the_full_parser(argv: list[str]) -> None:
    assert cli._app_args(argv) is None


def test_opening_the_app_builds_no_command_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def unwanted() -> None:
        raise AssertionError("the full parser was built")

    monkeypatch.setattr(cli, "build_parser", unwanted)
    opened: list[cli.AppArgs] = []

    def open_app(args: cli.AppArgs) -> int:
        opened.append(args)
        return 0

    assert cli.main(["--data-dir", "/tmp/store", "--demo"], open_app=open_app) == 0
    assert opened == [cli.AppArgs(data_dir=Path("/tmp/store"), demo=True)]


def test_a_mistyped_command_is_worded_by_the_full_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["sesions"], open_app=lambda _: 0)
    assert stop.value.code == 2
    assert "invalid choice: 'sesions'" in capsys.readouterr().err
