"""Untrusted text (nicknames, messages, titles) made safe to draw as plain text.

C0/C1 control characters and bidi overrides/isolates could hide text or reorder it on screen (a nickname
that "reads" as someone else's); they never reach a painter. Nothing here interprets markup: the views
draw with QPainter.drawText, so ``<b>x</b>`` stays those eight characters.
"""

from __future__ import annotations

import html

_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROLS = [c for c in range(0x20) if c not in (0x09, 0x0A)] + [*range(0x7F, 0xA0)]

# Multi-line: controls and bidi characters dropped, paragraph/line separators become newlines.
_MULTI: dict[int, str | None] = {**dict.fromkeys(_CONTROLS + _BIDI), 0x2028: "\n", 0x2029: "\n"}
# One line: every control (newlines and tabs too), line separator and bidi override becomes a space;
# bidi isolates go.
_ONE: dict[int, str | None] = {
    **dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F)], " "),
    **dict.fromkeys(range(0x2066, 0x206A)),
}


def one_line(text: str) -> str:
    """``text`` safe to draw on one line: controls and bidi overrides out, whitespace runs collapsed."""
    return " ".join(text.translate(_ONE).split())


def multi_line(text: str) -> str:
    """``text`` safe to draw as plain, possibly multi-line text: no controls, no bidi overrides."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_MULTI).strip("\n")


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally.

    Qt renders a tooltip as rich text when it merely *looks* like HTML (``Qt::mightBeRichText``), so an
    untrusted string is escaped and wrapped in a paragraph that keeps its line breaks.
    """
    return f"<p style='white-space:pre-wrap'>{html.escape(multi_line(text))}</p>"
