"""What the app keeps for its whole run, kept out of the garbage collector's full passes.

A full collection walks every object Python tracks. With Qt, SQLAlchemy and pydantic loaded
and a session open that is a few hundred thousand objects, and the pass took 50-170 ms on the
GUI thread at moments no one chooses: the projector's clock stopped with it
(`tests/benchmarks/bench_console_keys.py`, "longest Qt loop stall"). What exists once the store
is open, or a console built, lives about as long as the app, so it is frozen (`gc.freeze`):
later full passes walk only what came after. The young generations are collected first, so
little of what is already garbage is frozen with it."""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    gc.collect(1)
    gc.freeze()
