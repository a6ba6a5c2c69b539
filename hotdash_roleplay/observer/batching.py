"""Group commit for writes that arrive together: while the store worker writes one batch, the
next one gathers, so a roomful of devices writing at the same instant costs a transaction or
two instead of one each (a durable commit is the expensive part of a small write)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Writes a batch (on the store worker) and answers each item in order: its result, or the
# exception it alone would have raised.
WriteMany = Callable[[Sequence[T]], Awaitable[Sequence[R | Exception]]]


class Batcher(Generic[T, R]):
    def __init__(self, write_many: WriteMany[T, R]) -> None:
        self._write_many = write_many
        self._queued: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, item: T) -> R:
        """Queue one write and wait for its own result (or its own exception)."""
        result: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queued.append((item, result))
        if self._writer is None:
            self._writer = asyncio.create_task(self._drain())
        return await result

    async def _drain(self) -> None:
        try:
            # Let requests already read in this loop pass join the first batch too.
            await asyncio.sleep(0)
            while self._queued:
                batch, self._queued = self._queued, []
                try:
                    results = await self._write_many([item for item, _ in batch])
                except Exception as exc:  # the store itself failed: every write in it fails
                    results = [exc] * len(batch)
                for (_, waiter), outcome in zip(batch, results, strict=True):
                    if waiter.done():
                        continue
                    if isinstance(outcome, Exception):
                        waiter.set_exception(outcome)
                    else:
                        waiter.set_result(outcome)
        finally:
            self._writer = None
