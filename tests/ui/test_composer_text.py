"""The composer's pure text rules: the "/" trigger and query, found words, UTF-16 positions."""

from __future__ import annotations

from desktop.core.sensitive_words import Hit
from desktop.ui.composer_text import code_index, found_words, slash_query, typed_slash, utf16_pos


def test_typed_slash_at_start_or_after_whitespace():
    assert typed_slash("", "/", 1) == 0
    assert typed_slash("ok ", "ok /", 4) == 3
    assert typed_slash("ok\n", "ok\n／", 4) == 3
    assert typed_slash("a", "a/", 2) is None  # inside a word (a path, a date)
    assert typed_slash("", "/t", 2) is None  # pasted, not typed
    assert typed_slash("ab", "a/b", 2) is None


def test_slash_query():
    assert slash_query("ok /tk", 3, 6) == "tk"
    assert slash_query("/", 0, 1) == ""
    assert slash_query("/t k", 0, 4) is None
    assert slash_query("tk", 0, 2) is None  # the "/" is gone
    assert slash_query("/tk", 0, 0) is None  # cursor moved before it


def test_utf16_positions_round_trip():
    text = "😀加vx"
    assert utf16_pos(text, 2) == 3
    assert code_index(text, 3) == 2
    assert all(code_index(text, utf16_pos(text, i)) == i for i in range(len(text) + 1))


def test_found_words_as_written_once():
    text = "加V-X，再加 v-x 和微信"
    hits = [Hit("vx", 1, 4), Hit("vx", 8, 11), Hit("微信", 13, 15)]
    assert found_words(text, hits) == ["V-X", "v-x", "微信"]
    assert found_words("vx vx", [Hit("vx", 0, 2), Hit("vx", 3, 5)]) == ["vx"]
