from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.store import LocalStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "cache.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[LocalStore]:
    with LocalStore.open(db_path) as opened:
        yield opened
