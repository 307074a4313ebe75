"""Background coroutines spawned from Qt code (qasync): kept referenced, failures logged, cancellable.

asyncio keeps only a weak reference to a task, so a task spawned from a slot and not stored anywhere may be
collected mid-flight; and an exception nobody awaits is only reported when the task is destroyed, if at
all. A :class:`TaskSet` holds every task it spawns until it is done, logs a failure (``log.error`` with the
traceback) from the task's done-callback, and cancels everything on :meth:`cancel_all` (a widget closing).

Named tasks are preemptive (FeelUOwn's ``run_afn_preemptive``): spawning a task under a name cancels the
previous task of that name if it still runs, so only the latest "load older messages" or "search" counts::

    self._tasks = TaskSet("chat")
    self._tasks.spawn(self._load_older(), name="load-older")
    button.clicked.connect(lambda: self._tasks.spawn(self._send(text)))
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class TaskSet:
    """The asyncio tasks of one owner (a widget, a window): referenced until done, failures logged."""

    def __init__(self, owner: str = "ui") -> None:
        self.owner = owner
        self._tasks: set[asyncio.Task[Any]] = set()
        self._named: dict[str, asyncio.Task[Any]] = {}

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, coro: Coroutine[Any, Any, T], *, name: str | None = None) -> asyncio.Task[T]:
        """Run ``coro`` as a task on the running loop; with ``name``, cancel the stale task of that name."""
        if name is not None:
            stale = self._named.pop(name, None)
            if stale is not None and not stale.done():
                stale.cancel()
        task = asyncio.get_running_loop().create_task(coro, name=f"{self.owner}:{name or 'task'}")
        self._tasks.add(task)
        if name is not None:
            self._named[name] = task
        task.add_done_callback(lambda t: self._done(t, name))
        return task

    def running(self, name: str) -> bool:
        """Whether the task last spawned under ``name`` is still running."""
        task = self._named.get(name)
        return task is not None and not task.done()

    def cancel(self, name: str) -> bool:
        """Cancel the running task named ``name``; False when there was none."""
        task = self._named.pop(name, None)
        if task is None or task.done():
            return False
        task.cancel()
        return True

    def cancel_all(self) -> None:
        """Cancel every task still running (the owner is closing); their cancellation is not logged."""
        for task in list(self._tasks):
            task.cancel()
        self._named.clear()

    async def wait_cancelled(self) -> None:
        """Cancel every task and wait until they have all finished."""
        tasks = list(self._tasks)
        self.cancel_all()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _done(self, task: asyncio.Task[Any], name: str | None) -> None:
        self._tasks.discard(task)
        if name is not None and self._named.get(name) is task:
            del self._named[name]
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("background task %s failed", task.get_name(), exc_info=exc)
