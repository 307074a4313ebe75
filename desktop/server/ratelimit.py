"""Per-connection limits: a token bucket for request rates, a budget for protocol errors."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class TokenBucket:
    rate: float
    burst: float
    _tokens: float = field(init=False)
    _at: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self._tokens = self.burst

    def take(self, now_s: float) -> float:
        """Take one token: 0.0 if allowed, else the seconds to wait before one is available."""
        self._tokens = min(self.burst, self._tokens + (now_s - self._at) * self.rate)
        self._at = now_s
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self.rate


@dataclass(slots=True)
class ErrorBudget:
    """Counts protocol errors on one connection: too many within the window means close with 4003."""

    limit: int
    window_ms: int
    _times: list[int] = field(default_factory=list)

    def record(self, now_ms: int) -> bool:
        """Record one error at ``now_ms``; True when the budget is exhausted."""
        self._times = [t for t in self._times if t > now_ms - self.window_ms]
        self._times.append(now_ms)
        return len(self._times) >= self.limit
