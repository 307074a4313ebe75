"""Pinyin search keys for Chinese text, computed once per text with pypinyin, matched per keystroke.

An agent types ``tk`` or ``tuikuan`` to find 退款. :func:`pinyin_keys` turns a text into *units* — one per
Chinese character (its syllable, e.g. 退 → ``tui``) and one per Latin letter or digit (itself, case-folded);
punctuation, spaces and emoji are no units — and keeps, per reading:

- ``initials``: the first letter of every unit (``退款已经提交`` → ``tkyjtj``; ``M码`` → ``mm``);
- ``full``: the units joined (``tuikuanyijingtijiao``) with the offset where each unit starts, so a match can
  be required to begin on a syllable boundary (``kuan`` matches 款, ``uan`` does not) and mapped back to a
  span of the original text for highlighting.

pypinyin's phrase dictionary is NOT loaded (``PYPINYIN_NO_PHRASES``): it costs 44 MB of memory and 130 ms of
start-up in the agent app, for readings that depend on context (银行 → yin hang). Instead each character
takes its most common reading, and for the common polyphones (:data:`POLYPHONES`) the other readings are
indexed as extra *variants*, so ``yh`` and ``yinhang`` still find 银行 and ``cq`` finds 重庆; variants are
capped (:data:`MAX_VARIANTS`) to keep matching cheap.
"""

from __future__ import annotations

import bisect
import os
import unicodedata
from dataclasses import dataclass
from typing import Final

# Read by pypinyin when it is imported: in _syllables, on the first text, not when the app starts (~40 ms).
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")

Span = tuple[int, int]

# Common polyphones and the readings an agent might type for them (those pypinyin did not pick are added as
# variants). Kept to what shop talk and place names need: each adds a variant to every text using it.
POLYPHONES: Final[dict[str, tuple[str, ...]]] = {
    "行": ("xing", "hang"),  # 银行, 行业
    "长": ("chang", "zhang"),
    "重": ("zhong", "chong"),  # 重新, 重庆
    "还": ("hai", "huan"),  # 还款
    "便": ("bian", "pian"),  # 便宜
    "得": ("de", "dei"),
    "差": ("cha", "chai"),
    "调": ("tiao", "diao"),  # 调货
    "了": ("le", "liao"),
    "乐": ("le", "yue"),
    "都": ("dou", "du"),  # 成都
    "着": ("zhe", "zhao", "zhuo"),
    "地": ("di", "de"),
    "和": ("he", "huo"),
    "薄": ("bao", "bo"),
    "朝": ("chao", "zhao"),
    "厦": ("sha", "xia"),  # 厦门
    "藏": ("cang", "zang"),  # 西藏
    "参": ("can", "shen"),
    "传": ("chuan", "zhuan"),
    "降": ("jiang", "xiang"),
    "角": ("jiao", "jue"),
    "种": ("zhong",),
    "露": ("lu", "lou"),
    "号": ("hao",),
    "色": ("se", "shai"),
    "数": ("shu",),
    "宁": ("ning",),
    "系": ("xi", "ji"),
    "单": ("dan", "shan"),
    "卡": ("ka", "qia"),
    "曾": ("zeng", "ceng"),
}
MAX_VARIANTS: Final = 4  # readings per text, the contextual one included


def fold(text: str) -> str:
    """Text as search compares it: NFKC (full-width → half-width) and case-folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def fold_query(query: str) -> str:
    """A typed query for pinyin matching: folded, without spaces and apostrophes (``xi'an``, ``tui kuan``)."""
    return "".join(fold(query).split()).replace("'", "")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a text: initials, joined syllables, and where each unit starts in ``full``."""

    initials: str
    full: str
    starts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PinyinKeys:
    """The pinyin keys of one text. ``chars[i]`` is the index in the text of unit ``i``."""

    chars: tuple[int, ...]
    readings: tuple[Reading, ...]

    def _span(self, first_unit: int, last_unit: int) -> Span:
        return (self.chars[first_unit], self.chars[last_unit] + 1)

    def match_initials(self, query: str, *, prefix_only: bool) -> Span | None:
        """Where ``query`` (folded, see :func:`fold_query`) matches the initials, as a span of the text."""
        if not query:
            return None
        for reading in self.readings:
            if prefix_only:
                if reading.initials.startswith(query):
                    return self._span(0, len(query) - 1)
            else:
                pos = reading.initials.find(query)
                if pos >= 0:
                    return self._span(pos, pos + len(query) - 1)
        return None

    def match_full(self, query: str, *, prefix_only: bool) -> Span | None:
        """Where ``query`` matches the joined syllables from a unit boundary on (may end mid-syllable)."""
        if not query:
            return None
        for reading in self.readings:
            full, starts = reading.full, reading.starts
            if prefix_only:
                if full.startswith(query):
                    return self._span(0, bisect.bisect_right(starts, len(query) - 1) - 1)
                continue
            pos = full.find(query)
            while pos >= 0:
                unit = bisect.bisect_left(starts, pos)
                if unit < len(starts) and starts[unit] == pos:
                    return self._span(unit, bisect.bisect_right(starts, pos + len(query) - 1) - 1)
                pos = full.find(query, pos + 1)
        return None


EMPTY_KEYS: Final = PinyinKeys(chars=(), readings=(Reading("", "", ()),))


def _syllables(text: str) -> list[str]:
    """One item per character of ``text``: a syllable for a Chinese character, else the character itself."""
    items: list[str] = []
    pos = 0

    from pypinyin import Style, lazy_pinyin

    for item in lazy_pinyin(text, style=Style.NORMAL):  # runs of other characters come back as they are
        if text.startswith(item, pos):
            items.extend(item)
            pos += len(item)
        else:  # a syllable: pinyin is Latin, so it never equals the Chinese character it stands for
            items.append(item)
            pos += 1
    if len(items) != len(text):  # pragma: no cover - not seen; keep positions right whatever pypinyin does
        return [(lazy_pinyin(ch, style=Style.NORMAL) or [ch])[0] for ch in text]
    return items


def _reading(units: list[str]) -> Reading:
    starts: list[int] = []
    offset = 0
    for unit in units:
        starts.append(offset)
        offset += len(unit)
    return Reading("".join(unit[0] for unit in units), "".join(units), tuple(starts))


def pinyin_keys(text: str) -> PinyinKeys:
    """Compute the keys of ``text`` (100–200 µs for a 40-character phrase: once per text, not per query)."""
    if not text:
        return EMPTY_KEYS
    chars: list[int] = []
    units: list[str] = []
    for index, (ch, item) in enumerate(zip(text, _syllables(text), strict=True)):
        if item != ch:  # converted: a Chinese character
            unit = fold(item)
        else:
            unit = fold(ch)
            if not unit.isalnum():
                continue
        if unit:
            chars.append(index)
            units.append(unit)
    readings = [_reading(units)]
    seen = {(readings[0].initials, readings[0].full)}
    for unit_no, index in enumerate(chars):
        for alternative in POLYPHONES.get(text[index], ()):
            if len(readings) >= MAX_VARIANTS or alternative == units[unit_no]:
                continue
            reading = _reading([*units[:unit_no], alternative, *units[unit_no + 1 :]])
            if (reading.initials, reading.full) not in seen:
                seen.add((reading.initials, reading.full))
                readings.append(reading)
    return PinyinKeys(chars=tuple(chars), readings=tuple(readings))
