"""Pure text rules of the composer (no Qt): the ``/`` trigger and query, hit words, UTF-16 positions.

Python indexes text by code point; QTextDocument positions count UTF-16 code units (an emoji outside the
BMP is two). Everything here speaks Python indices; :func:`utf16_pos` and :func:`code_index` convert at the
boundary with Qt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from desktop.core.sensitive_words import Hit

SLASHES: Final = ("/", "／")  # an input method in Chinese mode may give the full-width one


def utf16_pos(text: str, index: int) -> int:
    """The QTextDocument position of ``text[index]``."""
    head = text[:index]
    return index + sum(1 for char in head if ord(char) > 0xFFFF)


def code_index(text: str, pos: int) -> int:
    """The Python index of QTextDocument position ``pos`` in ``text`` (inverse of :func:`utf16_pos`)."""
    units = 0
    for index, char in enumerate(text):
        if units >= pos:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def typed_slash(old: str, new: str, cursor: int) -> int | None:
    """Where a ``/`` that opens the picker was just typed (``new`` is ``old`` plus that one character before
    ``cursor``, at the start or after whitespace), else None."""
    at = cursor - 1
    if len(new) != len(old) + 1 or at < 0 or new[at] not in SLASHES:
        return None
    if new[:at] + new[cursor:] != old:
        return None
    return at if at == 0 or new[at - 1].isspace() else None


def slash_query(text: str, slash: int, cursor: int) -> str | None:
    """The query typed after the ``/`` at ``slash`` up to ``cursor``, or None when the picker should close
    (the ``/`` is gone, the cursor moved before it, or a space was typed)."""
    if slash >= len(text) or text[slash] not in SLASHES or cursor <= slash:
        return None
    query = text[slash + 1 : cursor]
    return None if any(char.isspace() for char in query) else query


def found_words(text: str, hits: Iterable[Hit]) -> list[str]:
    """The hit words as written in ``text`` (``V-X``, not the list's ``vx``), each once, in order."""
    words: dict[str, None] = {}
    for hit in hits:
        words.setdefault(text[hit.start : hit.end], None)
    return list(words)
