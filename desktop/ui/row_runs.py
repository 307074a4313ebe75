"""Rows grouped for model signals: one begin/end pair per contiguous run, not one per row."""

from __future__ import annotations

from collections.abc import Iterable


def contiguous_runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted rows as contiguous (first, last) runs: {1, 2, 3, 7} → [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs
