"""SensitiveWordChecker: disguised words, phone numbers, exceptions, positions in the original text."""

from __future__ import annotations

import random
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.sensitive_words import DEFAULT_WORDS, PHONE_WORD, Hit, SensitiveWordChecker, normalize


@pytest.fixture(scope="module")
def checker() -> SensitiveWordChecker:
    return SensitiveWordChecker()


def spans(checker: SensitiveWordChecker, text: str) -> list[tuple[str, str]]:
    return [(hit.word, text[hit.start : hit.end]) for hit in checker.check(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("亲，加我微信聊吧", [("微信", "微信")]),
        ("加 微 信", [("加微", "加 微"), ("微信", "微 信")]),
        ("加V-X：abc123", [("vx", "V-X")]),
        ("ＱＱ号多少", [("QQ", "ＱＱ")]),
        ("Qq：12345", [("QQ", "Qq")]),
        ("微❤信", [("微信", "微❤信")]),
        ("v信", [("V信", "v信")]),
        ("nvxa 和 wxyz 不算", []),  # Latin words only as whole Latin words
        ("vx123", [("vx", "vx")]),
        ("好评返现5元", [("好评返现", "好评返现"), ("返现", "返现")]),
        ("全网销量第一！", [("销量第一", "销量第一"), ("第一", "第一")]),
        ("全网第一", [("全网第一", "全网第一"), ("第一", "第一")]),
        ("第一次购买的亲", []),  # exception !第一次
        ("这款是100%纯棉", [("100%", "100%")]),
        ("满100元减10元", []),
        ("亲，您好，很高兴为您服务", []),
    ],
)
def test_default_words(checker: SensitiveWordChecker, text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(checker, text) == expected


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("电话13812345678", "13812345678"),
        ("打138-1234-5678", "138-1234-5678"),
        ("打 138 1234 5678 啊", "138 1234 5678"),
        ("+86 13912345678", "+86 13912345678"),
        ("８６１３９１２３４５６７８", "８６１３９１２３４５６７８"),  # full-width, country code without +
        ("号码：19912345678。", "19912345678"),
    ],
)
def test_phone_numbers(checker: SensitiveWordChecker, text: str, number: str) -> None:
    hits = [hit for hit in checker.check(text) if hit.rule == "phone"]
    assert [text[hit.start : hit.end] for hit in hits] == [number]
    assert hits[0].word == PHONE_WORD


@pytest.mark.parametrize(
    "text",
    ["订单号2025113812345678901", "12345678901", "10012345678", "1381234567", "运单SF1381234567890"],
)
def test_not_phone_numbers(checker: SensitiveWordChecker, text: str) -> None:
    assert [hit for hit in checker.check(text) if hit.rule == "phone"] == []


def test_phone_rule_can_be_off() -> None:
    assert SensitiveWordChecker([], phone_numbers=False).check("13812345678") == []
    assert SensitiveWordChecker([]).check("13812345678") == [Hit(PHONE_WORD, 0, 11, "phone")]


def test_word_list_text_round_trip() -> None:
    checker = SensitiveWordChecker("# 我们店的\n微信\n  威信  \n\nWX\nwx\nＷＸ\n!微信支付\n!!\n")
    assert checker.words == ["微信", "威信", "WX"]
    assert checker.exceptions == ["微信支付"]
    assert checker.dump_words() == "# 我们店的\n微信\n威信\n\nWX\n!微信支付\n"
    assert SensitiveWordChecker(checker.dump_words()).dump_words() == checker.dump_words()
    assert [hit.word for hit in checker.check("支持微信支付，加微信")] == ["微信"]
    checker.load_words(["刷单"])
    assert checker.words == ["刷单"]
    assert checker.check("加微信") == []


def test_defaults_are_documented_text() -> None:
    default = SensitiveWordChecker()
    assert default.dump_words() == DEFAULT_WORDS
    assert {"微信", "QQ", "vx", "好评返现", "刷单", "最好", "第一", "国家级", "顶级", "100%"} <= set(
        default.words
    )


def test_normalize() -> None:
    assert normalize("V-X 加 微_信！") == "vx加微信"
    assert normalize("ＱＱ１００％") == "qq100%"


words = st.text(alphabet="微信加vxQq刷单第一最好", min_size=1, max_size=4)
noise = st.text(alphabet="微信加vxVXQq刷单第一最好 -_.，！😊ＱＶ0123456789abc", max_size=60)


@given(st.lists(words, min_size=1, max_size=8), noise)
def test_hits_point_at_the_original_text(word_list: list[str], text: str) -> None:
    checker = SensitiveWordChecker(word_list, phone_numbers=False)
    for hit in checker.check(text):
        assert 0 <= hit.start < hit.end <= len(text)
        piece = normalize(text[hit.start : hit.end])
        assert piece == normalize(hit.word)  # the span is exactly the word, separators inside included
        assert normalize(text[hit.start]) and normalize(text[hit.end - 1])  # never starts/ends on a separator


@given(st.lists(words, min_size=1, max_size=8), noise)
def test_every_plain_occurrence_is_found(word_list: list[str], text: str) -> None:
    checker = SensitiveWordChecker(word_list, phone_numbers=False)
    found = {(hit.start, hit.end) for hit in checker.check(text)}
    for word in checker.words:
        if word.isascii():
            continue  # Latin words also need word boundaries
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            # a Latin letter at the word's edge must not continue a Latin word ("Q一" is not in "QQ一")
            glued = (latin(word[0]) and start > 0 and latin(text[start - 1])) or (
                latin(word[-1]) and end < len(text) and latin(text[end])
            )
            if not glued:
                assert (start, end) in found
                break  # the first free occurrence (later ones may overlap a reported hit)
            start = text.find(word, start + 1)


def latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def test_large_list_and_long_text_are_fast() -> None:
    rng = random.Random(3)
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过"
    word_list = ["".join(rng.choices(alphabet, k=rng.randint(2, 5))) for _ in range(2_000)]
    checker = SensitiveWordChecker(word_list)
    text = "".join(rng.choices(alphabet + "，。 ", k=5_000))
    started = time.perf_counter()
    hits = checker.check(text)
    elapsed = time.perf_counter() - started
    assert hits
    assert elapsed < 1.0  # generous: a few ms is typical, this guards against a quadratic slip only
