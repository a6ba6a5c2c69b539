"""The command line's arguments as pydantic models: validated like every other boundary.

Kept apart from cli.py so that opening the app (no subcommand) does not import pydantic
before the first window shows."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class StoreArgs(BaseModel):
    """Where the store is."""

    model_config = ConfigDict(extra="ignore")
    db: str | None = Field(default=None, min_length=1, max_length=2000)
    data_dir: Path | None = None


class PlanArgs(BaseModel):
    model_config = ConfigDict(extra="ignore")
    people: list[str]
    rounds: int | None = Field(default=None, ge=1, le=48)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    json_out: bool = False
