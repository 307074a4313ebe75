"""Pinyin keys: units, initials, syllable boundaries, polyphone variants, spans in the original text."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from desktop.core.pinyin_keys import MAX_VARIANTS, fold, fold_query, pinyin_keys


def test_units_and_readings() -> None:
    keys = pinyin_keys("亲，M码 适合160cm！")
    primary = keys.readings[0]
    assert primary.initials == "qmmsh160cm"
    assert primary.full == "qinmmashihe160cm"
    assert keys.chars == (0, 2, 3, 5, 6, 7, 8, 9, 10, 11)  # punctuation and spaces are no units
    assert len(primary.starts) == len(keys.chars)


def test_matching_and_spans() -> None:
    text = "小鹿乱撞"
    keys = pinyin_keys(text)
    assert keys.match_initials("xl", prefix_only=True) == (0, 2)
    assert keys.match_initials("lz", prefix_only=True) is None
    assert keys.match_initials("lz", prefix_only=False) == (2, 4)
    assert keys.match_full("xiaolu", prefix_only=True) == (0, 2)
    assert keys.match_full("xiaol", prefix_only=True) == (0, 2)  # mid-syllable end: the character counts
    assert keys.match_full("luan", prefix_only=False) == (2, 3)
    assert keys.match_full("uan", prefix_only=False) is None
    assert keys.match_full("", prefix_only=False) is None
    assert keys.match_initials("", prefix_only=False) is None


def test_polyphones_are_found_by_either_reading_without_the_phrase_dictionary() -> None:
    assert "pypinyin.phrases_dict" not in sys.modules  # 44 MB the app does not load
    assert {reading.full for reading in pinyin_keys("银行").readings} == {"yinxing", "yinhang"}
    assert "cq" in {reading.initials for reading in pinyin_keys("重庆").readings}
    assert "chengdu" in {reading.full for reading in pinyin_keys("成都").readings}
    many = pinyin_keys("行长重还便得差调了")
    assert len(many.readings) == MAX_VARIANTS


def test_empty_and_symbol_only() -> None:
    assert pinyin_keys("").readings[0].full == ""
    assert pinyin_keys("！？😊").chars == ()


def test_fold() -> None:
    assert fold("ＱＱ Vx") == "qq vx"
    assert fold_query(" Xi'an  Tui kuan ") == "xiantuikuan"


@given(st.text(alphabet="退款物流发货亲您好银行长度重新快递abcXYZ123，。！ 😊", max_size=40))
def test_spans_point_into_the_text(text: str) -> None:
    keys = pinyin_keys(text)
    assert all(0 <= index < len(text) for index in keys.chars)
    for reading in keys.readings:
        assert len(reading.initials) == len(reading.starts) == len(keys.chars)
        for unit in range(len(keys.chars)):
            query = reading.full[reading.starts[unit] :][:6]
            span = keys.match_full(query, prefix_only=False)
            assert span is not None
            assert 0 <= span[0] < span[1] <= len(text)
