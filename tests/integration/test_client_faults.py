"""Randomised, seeded fault runs: the agent client never loses or doubles a message.

Each run puts a fault-injecting proxy between the agent client and the real backend, then mixes bursts in
both directions with faults: the connection cut mid-frame (either direction), replies delayed past the
request time-out, and the backend killed with -9 and restarted on the same database. After healing:
every buyer message is in the agent's cache exactly once, every message the agent sent is on the server
exactly once, and the outbox is empty. The run itself is ``tests/integration/fault_scenario.py``;
``bench/client_faults.py`` runs hundreds of these.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.backend import BackendProcess
from tests.integration.fault_scenario import run_fault_scenario
from tests.integration.shop import admin

RUNS = 20


@pytest.fixture(scope="module")
def shared_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    server = BackendProcess(tmp_path_factory.mktemp("faults") / "shop.db", extra=["--rate", "100000"])
    server.start()
    admin(server.db_path, "agent-max", "demo", "agent1", "100")
    yield server
    server.stop()


@pytest.mark.parametrize("seed", range(RUNS))
async def test_no_message_is_lost_or_doubled_under_faults(
    shared_backend: BackendProcess, tmp_path: Path, seed: int
) -> None:
    report = await run_fault_scenario(shared_backend, tmp_path, seed)
    faults, sent = report.faults, report.sent

    # The faults really happened: a kill or a cut (armed cuts fire on the next bytes) costs the connection.
    if "kill" in faults or report.cuts:
        assert report.reconnects >= 1, (faults, report.cuts)

    # Every message the agent sent is on the server exactly once.
    assert report.server_counts == dict.fromkeys(sent, 1), faults
    # Every buyer message is in the cache exactly once (and nothing in the cache twice).
    ids = report.cached_ids
    assert len(ids) == len(set(ids)), faults
    assert report.buyer_ids <= set(ids), faults
    assert report.outbox == [] and report.failed == []
