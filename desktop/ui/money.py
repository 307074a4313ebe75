"""Money and dates as the side panel shows them: cents as ``¥1,234.50``, epoch milliseconds as local dates."""

from __future__ import annotations

from datetime import datetime, tzinfo


def yuan(cents: int) -> str:
    """``123450`` → ``"¥1,234.50"`` (thousands separated, always two decimals)."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}¥{whole:,}.{fraction:02d}"


def date_text(at_ms: int, tz: tzinfo | None = None) -> str:
    """``"2025-11-24"`` in ``tz`` (the machine's local zone when None)."""
    return datetime.fromtimestamp(at_ms / 1000, tz).strftime("%Y-%m-%d")


def date_time_text(at_ms: int, tz: tzinfo | None = None) -> str:
    """``"2025-11-24 16:00"`` in ``tz`` (the machine's local zone when None)."""
    return datetime.fromtimestamp(at_ms / 1000, tz).strftime("%Y-%m-%d %H:%M")
