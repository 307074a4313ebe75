"""Integration tests: the real reference backend in its own process, over real sockets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.backend import BackendProcess


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    server = BackendProcess(tmp_path / "shop.db")
    server.start()
    yield server
    code = server.stop()
    assert code in (0, -9, None), server.log_text()
    assert "Traceback" not in server.log_text(), server.log_text()
