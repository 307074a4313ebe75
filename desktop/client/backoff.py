"""Reconnect delays: exponential back-off with full jitter, capped, reset after a good connection."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """``next_delay()`` gives 0.5 s, ~1 s, ~2 s, … up to ``cap_s``, each drawn from [base/2, base]."""

    first_s: float = 0.5
    cap_s: float = 30.0
    factor: float = 2.0
    rng: random.Random = field(default_factory=random.Random)
    attempts: int = 0

    def next_delay(self) -> float:
        base = min(self.cap_s, self.first_s * self.factor**self.attempts)
        self.attempts += 1
        return base / 2 + self.rng.random() * base / 2

    def reset(self) -> None:
        """After a connection that worked: the next failure starts from the first delay again."""
        self.attempts = 0
