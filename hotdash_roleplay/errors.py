"""Errors meant for people: each carries a message that can be shown as it is."""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """A refusal to show the user verbatim (bad input, unknown name, unreadable file)."""


class UnusableStore(UserError):
    """The store cannot be used as it is (damaged, cut short, from a newer version); it was
    left untouched. The app offers another store rather than carrying on."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where it is and what is wrong."""

    source: str  # file path (or other origin) as the user named it
    where: str  # "line 12", "field scenario.ai_draft.confidence", or "" for the whole file
    message: str

    def __str__(self) -> str:
        return (
            f"{self.source}: {self.where}: {self.message}"
            if self.where
            else (f"{self.source}: {self.message}")
        )


class InvalidFile(UserError):
    """One or more problems found in input files; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
