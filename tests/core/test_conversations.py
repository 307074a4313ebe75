"""ConversationBook: tabs in urgency order, the search box, counts and batched change notices."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from desktop.core.conversations import Change, ChangeKind, ConversationBook
from desktop.core.wait_timer import WaitLevel, WaitThresholds, urgency_key
from desktop.protocol.objects import Conversation
from tests.core.builders import conversation

NOW = 1_764_000_000_000


class Recorder:
    def __init__(self) -> None:
        self.batches: list[list[tuple[str, str]]] = []

    def __call__(self, changes: Sequence[Change]) -> None:
        self.batches.append([(change.kind.value, change.id) for change in changes])


@pytest.fixture
def book() -> ConversationBook:
    book = ConversationBook()
    book.load(
        [
            conversation(
                "c1", nickname="小鹿乱撞", waiting_since=NOW - 120_000, unread=2, last_at=NOW - 5_000
            ),
            conversation(
                "c2",
                nickname="爱吃鱼的猫",
                waiting_since=NOW - 40_000,
                unread=1,
                last_at=NOW - 40_000,
                text="我要申请退款",
            ),
            conversation(
                "c3", nickname="Lily_2019", last_at=NOW - 60_000, text="好的谢谢", customer_id="u-8812"
            ),
            conversation("c4", nickname="王先生", status="waiting", waiting_since=NOW - 30_000),
            conversation("c5", nickname="晴天", status="closed", last_at=NOW - 600_000),
            conversation(
                "c6", nickname="阳光明媚", waiting_since=NOW - 10_000, unread=1, last_at=NOW - 10_000
            ),
        ]
    )
    return book


def ids(convs: Sequence[Conversation]) -> list[str]:
    return [conv.id for conv in convs]


def test_tabs_in_urgency_order(book: ConversationBook) -> None:
    assert ids(book.active(NOW)) == ["c1", "c2", "c6", "c3"]
    assert ids(book.queued(NOW)) == ["c4"]
    assert ids(book.closed(NOW)) == ["c5"]
    assert book.tab_counts() == {"active": 4, "waiting": 1, "closed": 1}
    assert len(book) == 6
    assert "c1" in book
    assert "nope" not in book
    got = book.get("c3")
    assert got is not None
    assert got.customer_nickname == "Lily_2019"
    assert book.get("nope") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["c1", "c2", "c6", "c3", "c4", "c5"]),
        ("   ", ["c1", "c2", "c6", "c3", "c4", "c5"]),
        ("小鹿", ["c1"]),
        ("xl", ["c1"]),  # pinyin initials of 小鹿乱撞
        ("XL", ["c1"]),
        ("lz", ["c1"]),  # initials from any syllable on
        ("xiaolu", ["c1"]),
        ("luanzh", ["c1"]),  # full pinyin from a syllable on, may end mid-syllable
        ("iaol", []),  # … but not from inside a syllable
        ("lily", ["c3"]),
        ("ＬＩＬＹ", ["c3"]),  # full-width
        ("8812", ["c3"]),  # customer id
        ("退款", ["c2"]),  # last message text
        ("wxs", ["c4"]),  # 王先生, queued
        ("qt", ["c5"]),
        ("zzz", []),
    ],
)
def test_filter(book: ConversationBook, text: str, expected: list[str]) -> None:
    assert ids(book.filter(text, NOW)) == expected
    assert all(book.matches(conv_id, text) for conv_id in expected)
    assert not book.matches("nope", text)


def test_filter_within_a_tab(book: ConversationBook) -> None:
    assert ids(book.filter("l", NOW, "active")) == ["c1", "c3"]  # 小鹿乱撞 (l…), Lily
    assert ids(book.active(NOW, "xl")) == ["c1"]
    assert ids(book.queued(NOW, "xl")) == []


def test_counts(book: ConversationBook) -> None:
    assert book.unread_total() == 4  # active only
    assert book.unread_total(None) == 4  # c4 (queued) has none
    levels = book.level_counts(NOW)
    assert levels[WaitLevel.RED] == 1
    assert levels[WaitLevel.AMBER] == 1
    assert levels[WaitLevel.OK] == 1
    assert levels[WaitLevel.NONE] == 1
    assert book.level_counts(NOW, "waiting")[WaitLevel.AMBER] == 1
    assert book.level_counts(NOW, thresholds=WaitThresholds(5_000, 200_000))[WaitLevel.AMBER] == 3


def test_each_call_is_its_own_batch(book: ConversationBook) -> None:
    seen = Recorder()
    unsubscribe = book.subscribe(seen)
    assert book.upsert(conversation("c9"))
    assert book.upsert(conversation("c9", unread=1))
    assert not book.upsert(conversation("c9", unread=1))  # equal: no change, no notice
    assert book.remove("c9")
    assert not book.remove("c9")
    assert seen.batches == [[("added", "c9")], [("updated", "c9")], [("removed", "c9")]]
    unsubscribe()
    unsubscribe()  # twice is harmless
    book.upsert(conversation("c10"))
    assert len(seen.batches) == 3


def test_batches_coalesce(book: ConversationBook) -> None:
    seen = Recorder()
    book.subscribe(seen)
    with book.batch():
        book.upsert(conversation("new"))
        book.upsert(conversation("new", unread=4))  # added + updated → added
        book.upsert(conversation("gone"))
        book.remove("gone")  # added + removed → nothing
        book.remove("c1")
        book.upsert(conversation("c1"))  # removed + added → updated
        book.upsert(conversation("c2", unread=9))
        with book.batch():  # nested: delivered with the outer one
            book.remove("c3")
        assert seen.batches == []
    assert seen.batches == [[("added", "new"), ("updated", "c1"), ("updated", "c2"), ("removed", "c3")]]
    new = book.get("new")
    assert new is not None
    assert new.unread == 4


def test_load_replaces_everything_in_one_batch(book: ConversationBook) -> None:
    seen = Recorder()
    book.subscribe(seen)
    book.load([conversation("c1", nickname="小鹿乱撞"), conversation("c7")])
    assert len(seen.batches) == 1
    assert sorted(seen.batches[0]) == sorted(
        [("removed", f"c{i}") for i in (2, 3, 4, 5, 6)] + [("updated", "c1"), ("added", "c7")]
    )
    assert ids(book.ordered(NOW)) == ["c1", "c7"]  # same activity: by id


def test_a_listener_may_read_the_book_it_is_told_about(book: ConversationBook) -> None:
    seen: list[int] = []
    book.subscribe(lambda changes: seen.append(len(book.active(NOW))))
    book.remove("c1")
    assert seen == [3]
    assert Change(ChangeKind.REMOVED, "c1") == Change(ChangeKind.REMOVED, "c1")


def test_two_thousand_conversations() -> None:
    """The size the workbench is built for: everything answers and the order is the urgency order."""
    rng = random.Random(5)
    names = ["小鹿乱撞", "爱吃鱼的猫", "Lily_2019", "阳光明媚", "王先生", "tb_88123456", "晴天", "一只小可爱"]
    convs = [
        conversation(
            f"cv-{i}",
            status=rng.choice(["active", "active", "active", "waiting", "closed"]),
            waiting_since=NOW - rng.randint(0, 600_000) if rng.random() < 0.5 else None,
            unread=rng.randint(0, 3),
            last_at=NOW - rng.randint(0, 86_400_000),
            nickname=f"{rng.choice(names)}{i}",
        )
        for i in range(2_000)
    ]
    book = ConversationBook()
    book.load(convs)
    active = book.active(NOW)
    assert active == sorted(active, key=lambda conv: urgency_key(conv, NOW))
    assert len(active) + len(book.queued(NOW)) + len(book.closed(NOW)) == 2_000
    assert all(conv.customer_nickname and "小鹿" in conv.customer_nickname for conv in book.filter("xl", NOW))
