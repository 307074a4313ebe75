"""Integration tests: the real reference backend in its own process, over real sockets.

The ``backend`` fixture lives in tests/conftest.py: GUI tests in tests/ui use it too.
"""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.integration)
