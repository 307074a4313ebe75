"""Messages: deduplicated by id, kept in time order however late they arrive, read back in pages."""

from __future__ import annotations

from pathlib import Path

from desktop.store import LocalStore
from desktop.store.messages import KEY_SHIFT, time_key
from tests.store.factories import T0, created, msg


def test_add_messages_counts_only_new_ones(store: LocalStore) -> None:
    page = [msg(f"m{i}", f"第{i}条", at=T0 + i) for i in range(10)]
    assert store.add_messages(page) == 10
    assert store.add_messages([*page[5:], msg("m10", at=T0 + 10)]) == 1
    assert store.add_messages([]) == 0
    assert len(store.messages("c1", limit=100)) == 11


def test_duplicates_within_one_page_count_once(store: LocalStore) -> None:
    first, again = msg("m1", "第一次"), msg("m1", "又一次")
    assert store.add_messages([first, again, first]) == 1
    assert store.messages("c1") == [first]


def test_a_generator_is_consumed_in_chunks(store: LocalStore) -> None:
    count = 1_234
    assert store.add_messages(msg(f"m{i}", at=T0 + i) for i in range(count)) == count
    assert len(store.messages("c1", limit=2_000)) == count


def test_pages_are_oldest_first_and_end_before_the_given_time(store: LocalStore) -> None:
    store.add_messages([msg(f"m{i}", at=T0 + i * 1000) for i in range(10)])
    assert [m.id for m in store.messages("c1", limit=3)] == ["m7", "m8", "m9"]
    assert [m.id for m in store.messages("c1", before_created_at=T0 + 7000, limit=3)] == ["m4", "m5", "m6"]
    assert [m.id for m in store.messages("c1", before_created_at=T0 + 1000, limit=3)] == ["m0"]
    assert store.messages("c1", before_created_at=T0) == []
    assert store.messages("c1", limit=0) == []
    assert store.messages("other") == []


def test_count_since_says_how_far_back_a_message_is(store: LocalStore) -> None:
    store.add_messages([msg(f"m{i}", at=T0 + i * 1000) for i in range(10)])
    assert store.count_since("c1", T0 + 7000) == 3  # m7, m8, m9
    assert store.count_since("c1", T0) == 10
    assert store.count_since("c1", T0 + 10_000) == 0
    assert store.count_since("other", T0) == 0


def test_history_fetched_later_sorts_before_live_messages(store: LocalStore) -> None:
    store.add_messages([msg("live1", at=T0 + 100), msg("live2", at=T0 + 200)])
    store.add_messages([msg("old1", at=T0 - 200), msg("old2", at=T0 - 100)])
    assert [m.id for m in store.messages("c1")] == ["old1", "old2", "live1", "live2"]
    oldest = store.oldest_message("c1")
    assert oldest is not None
    assert oldest.id == "old1"
    assert store.oldest_message("nope") is None


def test_same_millisecond_keeps_arrival_order(store: LocalStore) -> None:
    store.add_messages([msg("a", at=T0), msg("b", at=T0)])
    store.add_messages([msg("c", at=T0)])
    store.add_messages([msg("before", at=T0 - 1), msg("after", at=T0 + 1)])
    assert [m.id for m in store.messages("c1")] == ["before", "a", "b", "c", "after"]
    keys = [row[0] for row in store._conn.execute("SELECT key FROM messages ORDER BY key")]
    assert keys[1:4] == [time_key(T0), time_key(T0) + 1, time_key(T0) + 2]


def test_time_keys_never_overflow() -> None:
    assert time_key(0) == 0
    assert time_key(-5) == 0
    assert time_key(T0) == T0 << KEY_SHIFT
    assert time_key(10**30) < 2**63


def test_conversations_do_not_mix(store: LocalStore) -> None:
    store.add_messages([msg("a1", conversation_id="a"), msg("b1", conversation_id="b", at=T0 + 1)])
    assert [m.id for m in store.messages("a")] == ["a1"]
    assert [m.id for m in store.messages("b")] == ["b1"]


def test_every_kind_round_trips(store: LocalStore) -> None:
    png = {"mime": "image/png", "data_b64": "iVBORw0KGgo=", "width": 1, "height": 1}
    product = {"product_id": "sku-1", "title": "法式碎花连衣裙", "price_cents": 25900}
    sample = [
        msg("t", "文字", at=T0),
        msg("i", kind="image", body=png, at=T0 + 1),
        msg("p", kind="product", body=product, at=T0 + 2),
        msg("o", kind="order", body={"order_id": "o-20251118-0031"}, at=T0 + 3),
        msg("s", kind="system", body={"text": "会话已结束"}, role="system", at=T0 + 4),
    ]
    store.add_messages(sample)
    assert store.messages("c1") == sample
    assert store.message("p") == sample[2]
    assert store.message("nope") is None


def test_messages_survive_reopen(db_path: Path) -> None:
    with LocalStore.open(db_path) as store:
        store.add_messages([msg("m1", "退款"), msg("m2", "发货", at=T0 + 1)])
    with LocalStore.open(db_path) as store:
        assert [m.id for m in store.messages("c1")] == ["m1", "m2"]
        assert [h.message.id for h in store.search("货")] == ["m2"]


def test_indexes_stay_consistent_over_many_small_transactions(store: LocalStore) -> None:
    """Every write merges index segments a little (automerge is off); the indexes stay sound and complete."""
    for n in range(300):
        store.apply_events([created(n + 1, msg(f"m{n}", f"第{n}条：退款申请 OK", at=T0 + n))])
    store.add_messages([msg(f"h{n}", f"历史{n}，退款", at=T0 - 1_000 - n) for n in range(500)])
    conn = store._conn
    for table in ("message_trigrams", "message_grams"):
        conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        assert conn.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'").fetchone() == (0,)
    assert len(store.search("退款", limit=1_000)) == 800
    assert len(store.search("退", limit=1_000)) == 800
    assert [h.message.id for h in store.search("第299条")] == ["m299"]
    assert [h.message.id for h in store.search("ok", limit=2)] == ["m299", "m298"]
    assert [h.message.id for h in store.search("历史0，")] == ["h0"]
