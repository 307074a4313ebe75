from __future__ import annotations

import random

from desktop.client.backoff import Backoff


def test_delays_grow_with_jitter_and_stay_under_the_cap() -> None:
    backoff = Backoff(first_s=0.5, cap_s=8.0, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(10)]
    bases = [min(8.0, 0.5 * 2**n) for n in range(10)]
    assert all(base / 2 <= d <= base for d, base in zip(delays, bases, strict=True))
    assert max(delays) <= 8.0
    assert len(set(delays)) == len(delays)  # jitter: no two clients in lock-step


def test_reset_starts_over() -> None:
    backoff = Backoff(first_s=1.0, cap_s=60.0, rng=random.Random(1))
    for _ in range(5):
        backoff.next_delay()
    backoff.reset()
    assert backoff.next_delay() <= 1.0
