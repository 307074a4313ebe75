"""What search sees of a message: its text, folded, cut into grams, and where a query matches it.

Folding makes matching case-insensitive for Latin letters (and other cased scripts) and width-insensitive
for the full-width forms a Chinese input method produces (``ＡＢＣ１２３`` matches ``abc123``). It maps each
code point to exactly one code point, so a position in the folded text is the same position in the
original: highlight spans found in the folded text apply to the text as shown. (Characters whose lower case
is longer than one code point, such as ``İ``, are left as they are.)

The index behind 1- and 2-character queries stores, per message, its unigrams and bigrams as tokens of
FTS5's ``ascii`` tokenizer, which keeps every non-ASCII character inside a token and splits on ASCII
punctuation and spaces. So before cutting the text into grams each ASCII character is moved to a private
code point (``U+10FF80 + c``), and folding maps the 128 code points up there (unassigned private use and
two noncharacters) and lone surrogates to ``U+FFFD``: a gram is then always exactly one token, whatever
characters it holds (punctuation, spaces, emoji), and a query can never be read as FTS syntax.
"""

from __future__ import annotations

from array import array
from typing import Final

from desktop.protocol.objects import Message

IMAGE_TEXT: Final = "[图片]"
PRODUCT_PREFIX: Final = "[商品] "
ORDER_PREFIX: Final = "[订单] "

_FULLWIDTH_FIRST: Final = 0xFF01  # ！ ... ～ are ! ... ~ shifted by 0xFEE0
_FULLWIDTH_LAST: Final = 0xFF5E
_FULLWIDTH_SHIFT: Final = 0xFEE0
_IDEOGRAPHIC_SPACE: Final = 0x3000
_REPLACEMENT: Final = 0xFFFD
_SURROGATES: Final = range(0xD800, 0xE000)
_GRAM_ASCII_BASE: Final = 0x10FF80  # where gram tokens keep ASCII characters (see the module docstring)


def message_text(message: Message) -> str:
    """The text a message is searched and previewed by: text, a product title, ``[图片]``, an order id."""
    body = message.body
    if message.kind in ("text", "system"):
        return str(body["text"])
    if message.kind == "product":
        return PRODUCT_PREFIX + str(body["title"])
    if message.kind == "order":
        return ORDER_PREFIX + str(body["order_id"])
    return IMAGE_TEXT


class _FoldTable(dict[int, int]):
    """Code point → folded code point, filled on first use (``str.translate`` calls ``__missing__``)."""

    def __missing__(self, code: int) -> int:
        if _FULLWIDTH_FIRST <= code <= _FULLWIDTH_LAST:
            char = chr(code - _FULLWIDTH_SHIFT)
        elif code == _IDEOGRAPHIC_SPACE:
            char = " "
        elif code >= _GRAM_ASCII_BASE or code in _SURROGATES:
            char = chr(_REPLACEMENT)
        else:
            char = chr(code)
        lower = char.lower()
        folded = ord(lower) if len(lower) == 1 else ord(char)
        self[code] = folded
        return folded


_FOLD: Final = _FoldTable()


def fold(text: str) -> str:
    """``text`` as search compares it: lower case, half width, same length as ``text``."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


_GRAM_CHARS: Final = {code: _GRAM_ASCII_BASE + code for code in range(128)}


def _gram_chars(folded: str) -> str:
    """Folded text with ASCII moved out of the way of the ``ascii`` tokenizer; one code point each."""
    return folded.translate(_GRAM_CHARS)


_PAIR_TEMPLATE: Final = array("I", [0, 0, ord(" ")])  # one bigram: two code points and a space


def gram_tokens(folded: str) -> str:
    """Every unigram and bigram of folded text, as space-separated tokens of the ``ascii`` tokenizer.

    Repeats are left in: with ``detail=none`` FTS5 stores one entry per token and row anyway. The bigrams
    are laid out as UTF-32 code units in an array (C speed: a third faster than joining pairs).
    """
    chars = _gram_chars(folded)
    if len(chars) < 2:
        return chars
    codes = array("I")
    codes.frombytes(chars.encode("utf-32-le"))
    pairs = _PAIR_TEMPLATE * (len(chars) - 1)
    pairs[0::3] = codes[:-1]
    pairs[1::3] = codes[1:]
    return " ".join(chars) + " " + pairs.tobytes().decode("utf-32-le")[:-1]


def gram_query(folded_query: str) -> str:
    """The FTS5 query that finds a folded 1- or 2-character query in the gram index (one quoted token)."""
    if not 1 <= len(folded_query) <= 2:
        raise ValueError("gram queries are 1 or 2 characters")
    return '"' + _gram_chars(folded_query) + '"'


def trigram_query(folded_query: str) -> str:
    """The FTS5 query that finds a folded query of 3+ characters in the trigram index: one literal phrase.

    Inside double quotes FTS5 reads nothing as syntax (``*``, ``-``, ``OR``, ``NEAR``, ``^``, parentheses);
    a double quote in the query is written twice.
    """
    return '"' + folded_query.replace('"', '""') + '"'


def find_spans(folded_text: str, folded_query: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` where the query occurs in the text, overlapping ones included, in order."""
    spans: list[tuple[int, int]] = []
    if not folded_query:
        return spans
    size = len(folded_query)
    start = folded_text.find(folded_query)
    while start >= 0:
        spans.append((start, start + size))
        start = folded_text.find(folded_query, start + 1)
    return spans


def utf16_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` (code point offsets, as search returns them) as UTF-16 offsets, as Qt counts positions.

    They differ after any character outside the Basic Multilingual Plane (most emoji), which takes two
    UTF-16 code units.
    """
    if text.isascii() or all(ord(c) < 0x10000 for c in text):
        return list(spans)
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) >= 0x10000 else 1))
    return [(offsets[start], offsets[end]) for start, end in spans]
