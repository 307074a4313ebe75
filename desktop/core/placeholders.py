"""Filling a quick reply's placeholders (``{customer.nickname}``, ``{order.id}``, ``{agent.name}``).

The server stores quick replies verbatim; the client fills them in when the agent inserts one. What cannot be
filled stays in the text, untouched, and is reported, so the UI can warn ("no order selected") instead of
sending a half-filled sentence:

- ``missing``: known placeholders whose value is None or blank;
- ``unknown``: any other ``{name}`` (a typo such as ``{order.no}``), left exactly as written.

Names are matched case-insensitively and may be padded with spaces (``{ order.id }``). Values are inserted
literally: a nickname that itself reads ``{order.id}`` is not expanded again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

CUSTOMER_NICKNAME: Final = "customer.nickname"
ORDER_ID: Final = "order.id"
AGENT_NAME: Final = "agent.name"
KNOWN_PLACEHOLDERS: Final = (CUSTOMER_NICKNAME, ORDER_ID, AGENT_NAME)

PLACEHOLDER_RE: Final = re.compile(r"\{[ \t]*([^{}\s]+)[ \t]*\}")


@dataclass(frozen=True, slots=True)
class FillResult:
    text: str
    missing: list[str] = field(default_factory=list)  # known names without a value, in order of appearance
    unknown: list[str] = field(default_factory=list)  # other {names}, as written, in order of appearance

    @property
    def complete(self) -> bool:
        """Whether every placeholder was filled (nothing to warn about)."""
        return not self.missing and not self.unknown


def placeholders_in(text: str) -> list[str]:
    """The placeholder names used in ``text`` (known ones lower-cased), each once, in order of appearance."""
    names: dict[str, None] = {}
    for match in PLACEHOLDER_RE.finditer(text):
        name = match.group(1)
        names.setdefault(name.lower() if name.lower() in KNOWN_PLACEHOLDERS else name, None)
    return list(names)


def fill_placeholders(
    text: str,
    *,
    customer_nickname: str | None = None,
    order_id: str | None = None,
    agent_name: str | None = None,
) -> FillResult:
    """Replace the known placeholders that have a value; report the rest (see the module docstring)."""
    values = {CUSTOMER_NICKNAME: customer_nickname, ORDER_ID: order_id, AGENT_NAME: agent_name}
    missing: dict[str, None] = {}
    unknown: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        key = name.lower()
        if key not in values:
            unknown.setdefault(name, None)
            return match.group(0)
        value = values[key]
        if value is None or not value.strip():
            missing.setdefault(key, None)
            return match.group(0)
        return value

    filled = PLACEHOLDER_RE.sub(replace, text)
    return FillResult(filled, list(missing), list(unknown))
