"""Per-connection limits of the reference backend."""

from __future__ import annotations

from desktop.server.ratelimit import ErrorBudget, TokenBucket


def test_error_budget_closes_after_ten_errors_in_a_minute() -> None:
    budget = ErrorBudget(limit=10, window_ms=60_000)
    assert not any(budget.record(t * 1000) for t in range(9))
    assert budget.record(9_000)
    fresh = ErrorBudget(limit=10, window_ms=60_000)
    assert not any(fresh.record(t * 7_000) for t in range(30))  # spread out: never ten in a minute


def test_token_bucket_allows_a_burst_then_the_rate() -> None:
    bucket = TokenBucket(rate=2.0, burst=3.0)
    assert [bucket.take(100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = bucket.take(100.0)
    assert 0.49 < wait <= 0.5
    assert bucket.take(100.5) == 0.0  # half a second later one token is back
    assert bucket.take(100.5) > 0.0
