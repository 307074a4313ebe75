from __future__ import annotations

import pytest

from desktop.store.text import (
    find_spans,
    fold,
    gram_query,
    gram_tokens,
    message_text,
    trigram_query,
    utf16_spans,
)
from tests.store.factories import msg


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hello WORLD", "hello world"),
        ("退款申请单", "退款申请单"),
        ("ＡＢＣ１２３ｘｙｚ", "abc123xyz"),
        ("你好，在吗？", "你好,在吗?"),
        ("全角\u3000空格", "全角 空格"),
        ("ÄÖÜ Straße ΣΑΣ", "äöü straße σασ"),  # per character: no final sigma, no ß → ss
        ("İstanbul", "İstanbul"),  # lower case of İ is two code points: left as it is
        ("😊👍❤️", "😊👍❤️"),
        ("\U0010ff85\U0010ffff\ud800", "\ufffd\ufffd\ufffd"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_message_text_per_kind() -> None:
    assert message_text(msg("m", "在吗")) == "在吗"
    assert message_text(msg("m", kind="system", body={"text": "会话已结束"}, role="system")) == "会话已结束"
    png = {"mime": "image/png", "data_b64": "iVBORw0KGgo=", "width": 1, "height": 1}
    assert message_text(msg("m", kind="image", body=png)) == "[图片]"
    product = {"product_id": "sku-1", "title": "纯棉T恤", "price_cents": 5900}
    assert message_text(msg("m", kind="product", body=product)) == "[商品] 纯棉T恤"
    assert message_text(msg("m", kind="order", body={"order_id": "o-1"})) == "[订单] o-1"


def test_gram_tokens_are_one_token_per_unigram_and_bigram() -> None:
    tokens = gram_tokens(fold("退款 a,b")).split(" ")
    assert len(tokens) == 6 + 5
    assert all(not any(ch.isascii() for ch in token) for token in tokens)
    assert gram_query("退款") == '"' + tokens[6] + '"'
    assert gram_query("退") == '"' + tokens[0] + '"'
    assert gram_tokens("") == ""
    assert gram_tokens("a").split(" ") == [gram_query("a").strip('"')]
    with pytest.raises(ValueError):
        gram_query("abc")


def test_trigram_query_is_one_literal_phrase() -> None:
    assert trigram_query('a"b OR c*') == '"a""b OR c*"'


def test_find_spans_finds_every_occurrence_including_overlaps() -> None:
    assert find_spans("退款退款", "退款") == [(0, 2), (2, 4)]
    assert find_spans("aaaa", "aa") == [(0, 2), (1, 3), (2, 4)]
    assert find_spans("abc", "x") == []
    assert find_spans("abc", "") == []


def test_utf16_spans() -> None:
    text = "😊退款😊退款"
    assert utf16_spans(text, [(1, 3), (4, 6)]) == [(2, 4), (6, 8)]
    assert utf16_spans("退款", [(0, 2)]) == [(0, 2)]
