"""release_freed_memory: throttled, and really calls glibc's malloc_trim on Linux."""

from __future__ import annotations

import sys

import pytest

from desktop.ui import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_trims_at_most_every_few_seconds() -> None:
    assert memory.release_freed_memory(force=True)
    assert not memory.release_freed_memory()  # just done
    assert memory.release_freed_memory(force=True)
