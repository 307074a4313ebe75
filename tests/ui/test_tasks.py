"""TaskSet: tasks stay referenced until done, failures are logged, named tasks preempt, close cancels."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest

from desktop.ui.tasks import TaskSet


async def test_result_and_forgotten_when_done() -> None:
    tasks = TaskSet("t")

    async def work() -> int:
        await asyncio.sleep(0)
        return 7

    task = tasks.spawn(work())
    assert len(tasks) == 1
    assert await task == 7
    await asyncio.sleep(0)
    assert len(tasks) == 0


async def test_a_task_nobody_references_still_runs() -> None:
    tasks = TaskSet("t")
    done = asyncio.Event()

    async def work() -> None:
        await asyncio.sleep(0.01)
        done.set()

    tasks.spawn(work())
    gc.collect()
    await asyncio.wait_for(done.wait(), 2)


@pytest.mark.expected_log(r"background task t:boom failed", logger="desktop.ui.tasks")
async def test_failure_is_logged_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    tasks = TaskSet("t")

    async def fail() -> None:
        raise ValueError("kaputt")

    task = tasks.spawn(fail(), name="boom")
    await asyncio.wait([task])
    await asyncio.sleep(0)
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None and isinstance(errors[0].exc_info[1], ValueError)
    assert len(tasks) == 0


async def test_a_named_task_cancels_the_stale_one_silently(caplog: pytest.LogCaptureFixture) -> None:
    tasks = TaskSet("t")
    finished: list[str] = []

    async def load(tag: str) -> None:
        await asyncio.sleep(0.05)
        finished.append(tag)

    first = tasks.spawn(load("first"), name="load")
    assert tasks.running("load")
    second = tasks.spawn(load("second"), name="load")
    await asyncio.wait([first, second])
    assert first.cancelled()
    assert finished == ["second"]
    assert not tasks.running("load")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_cancel_by_name_and_cancel_all() -> None:
    tasks = TaskSet("t")
    a = tasks.spawn(asyncio.sleep(10), name="a")
    b = tasks.spawn(asyncio.sleep(10))
    assert tasks.cancel("a") is True
    assert tasks.cancel("a") is False
    assert tasks.cancel("nothing") is False
    await asyncio.wait([a])
    assert a.cancelled() and not b.done()
    await tasks.wait_cancelled()
    assert b.cancelled()
    assert len(tasks) == 0
