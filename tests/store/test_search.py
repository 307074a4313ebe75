"""Search: any substring (1+ characters, Chinese or not), newest first, with every match located."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desktop.store import LocalStore, SearchHit, search
from tests.store.factories import T0, msg

CORPUS = [
    ("m1", "我要退款", "c1"),
    ("m2", "退款申请单已提交，请耐心等待", "c1"),
    ("m3", "退款了吗？退款了吗？", "c2"),
    ("m4", "什么时候发货", "c2"),
    ("m5", "iPhone 15 Pro 退货，ＯＫ吗", "c3"),
    ("m6", 'He said "OR" NEAR(a b) -x ^y *z col:1 AND', "c3"),
    ("m7", "好评😊😊返现", "c3"),
    ("m8", "aaaa", "c1"),
    ("m9", "发", "c2"),
]


@pytest.fixture
def corpus(store: LocalStore) -> LocalStore:
    store.add_messages(
        [msg(mid, text, conversation_id=cid, at=T0 + n) for n, (mid, text, cid) in enumerate(CORPUS)]
    )
    return store


def found(hits: list[SearchHit]) -> list[str]:
    return [hit.message.id for hit in hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("退", ["m5", "m3", "m2", "m1"]),
        ("退款", ["m3", "m2", "m1"]),
        ("退款了", ["m3"]),
        ("退款申请单", ["m2"]),
        ("发", ["m9", "m4"]),
        ("发货", ["m4"]),
        ("什么时候发货", ["m4"]),
        ("在吗", []),
        ("退款申请单已提交，请耐心等待，谢谢", []),
    ],
)
def test_chinese_queries_of_every_length(corpus: LocalStore, query: str, expected: list[str]) -> None:
    assert found(corpus.search(query)) == expected


@pytest.mark.parametrize(
    "query", ["iphone", "IPHONE", "iPhone", "ＩＰｈｏｎｅ", "phone 15", "p", "PR", "ok", "ＯＫ"]
)
def test_latin_ignores_case_and_width(corpus: LocalStore, query: str) -> None:
    assert found(corpus.search(query)) == ["m5"]


def test_mixed_scripts(corpus: LocalStore) -> None:
    assert found(corpus.search("Pro 退货")) == ["m5"]
    assert found(corpus.search("5 P")) == ["m5"]
    assert found(corpus.search("ok吗")) == ["m5"]


@pytest.mark.parametrize(
    "query", ['"', '"OR"', "OR", "NEAR(a b)", "-x", "^y", "*z", "col:1", "AND", 'said "OR" NEAR', "(", ")"]
)
def test_fts_syntax_is_taken_literally(corpus: LocalStore, query: str) -> None:
    assert found(corpus.search(query)) == ["m6"]
    assert found(corpus.search(query + "'")) == []


def test_emoji(corpus: LocalStore) -> None:
    assert found(corpus.search("😊")) == ["m7"]
    assert found(corpus.search("😊😊")) == ["m7"]
    assert found(corpus.search("评😊")) == ["m7"]
    assert found(corpus.search("😊返现")) == ["m7"]
    assert corpus.search("😊😊")[0].spans == [(2, 4)]
    assert found(corpus.search("😂")) == []


def test_spans_cover_every_occurrence(corpus: LocalStore) -> None:
    [hit] = corpus.search("退款了吗")
    assert hit.text == "退款了吗？退款了吗？"
    assert hit.spans == [(0, 4), (5, 9)]
    [hit] = corpus.search("aa")
    assert hit.spans == [(0, 2), (1, 3), (2, 4)]
    [hit] = corpus.search("OK")
    assert [hit.text[a:b] for a, b in hit.spans] == ["ＯＫ"]
    [hit] = corpus.search("iphone")
    assert hit.spans == [(0, 6)]


def test_newest_first_whatever_the_arrival_order(store: LocalStore) -> None:
    store.add_messages([msg("new", "退款", at=T0 + 100)])
    store.add_messages([msg("old", "退款", at=T0 - 100), msg("mid", "退款吧", at=T0)])
    for query in ("退", "退款", "退款 ", " 退款"):
        assert found(store.search(query)) == ["new", "mid", "old"]


def test_limit(store: LocalStore) -> None:
    store.add_messages([msg(f"m{n}", f"第{n}个退款申请", at=T0 + n) for n in range(120)])
    for query in ("退", "退款", "退款申", "退款申请"):
        hits = store.search(query)
        assert found(hits) == [f"m{n}" for n in range(119, 69, -1)]
        assert found(store.search(query, limit=3)) == ["m119", "m118", "m117"]
    assert len(store.search("退款", limit=500)) == 120
    assert store.search("退款", limit=0) == []


def test_blank_query_finds_nothing(corpus: LocalStore) -> None:
    assert corpus.search("") == []
    assert corpus.search("   ") == []


def test_message_kinds_are_searched_by_their_text(store: LocalStore) -> None:
    png = {"mime": "image/png", "data_b64": "iVBORw0KGgo=", "width": 1, "height": 1}
    store.add_messages(
        [
            msg("img", kind="image", body=png),
            msg(
                "prod",
                kind="product",
                body={"product_id": "p1", "title": "纯棉T恤 夏季", "price_cents": 1},
                at=T0 + 1,
            ),
            msg("ord", kind="order", body={"order_id": "o-20251118-0031"}, at=T0 + 2),
        ]
    )
    assert found(store.search("图片")) == ["img"]
    assert found(store.search("t恤")) == ["prod"]
    [hit] = store.search("1118-0031")
    start = hit.text.index("1118")
    assert (hit.message.id, hit.text, hit.spans) == ("ord", "[订单] o-20251118-0031", [(start, start + 9)])
    assert found(store.search("iVBOR")) == []  # image data is not text


@pytest.fixture(params=["scan", "index"])
def scope_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both ways of searching one conversation: a direct scan, and the index filtered by conversation."""
    if request.param == "index":
        monkeypatch.setattr(search, "SCAN_MAX_MESSAGES", 0)
    yield str(request.param)


def test_one_conversation(corpus: LocalStore, scope_path: str) -> None:
    assert found(corpus.search("退", conversation_id="c1")) == ["m2", "m1"]
    assert found(corpus.search("退款", conversation_id="c2")) == ["m3"]
    assert found(corpus.search("退款申请单", conversation_id="c1")) == ["m2"]
    assert found(corpus.search("IPHONE", conversation_id="c3")) == ["m5"]
    assert found(corpus.search("退款申请单", conversation_id="c2")) == []
    assert found(corpus.search("退", conversation_id="c1", limit=1)) == ["m2"]
    assert found(corpus.search('"OR"', conversation_id="c3")) == ["m6"]
    assert corpus.search("退", conversation_id="nope") == []
    [hit] = corpus.search("aa", conversation_id="c1")
    assert hit.spans == [(0, 2), (1, 3), (2, 4)]


def test_reader_searches_from_another_thread_while_the_writer_writes(store: LocalStore) -> None:
    store.add_messages([msg("m0", "退款", at=T0)])
    index = store.reader()
    stop = threading.Event()
    seen: list[list[int]] = [[], []]

    def keep_searching(counts: list[int]) -> None:
        while not stop.is_set():
            counts.append(len(index.search("退款", limit=1_000)))

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(keep_searching, counts) for counts in seen]  # two callers, one reader
        for n in range(1, 51):
            store.add_messages([msg(f"m{n}", f"第{n}次退款", at=T0 + n)])
        stop.set()
        for future in futures:
            future.result()
    for counts in seen:  # each search sees a committed state, never going back
        assert counts == sorted(counts)
        assert all(1 <= count <= 51 for count in counts)
    assert len(index.search("退款", limit=1_000)) == 51
    assert found(index.search("第50次")) == ["m50"]
    index.close()


def test_open_reader_by_path(db_path: Path) -> None:
    with LocalStore.open(db_path) as store:
        store.add_messages([msg("m1", "发货")])
    with LocalStore.open_reader(db_path) as index:
        assert found(index.search("货")) == ["m1"]
