"""``shopdesk export``: transcripts of the local cache as JSON Lines, CSV and text, and the command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from desktop.cli import main as cli_main
from desktop.protocol.objects import Message, MessageKind, Party, Role
from desktop.protocol.payloads import SnapshotOk
from desktop.store import LocalStore, store_path
from desktop.store import export as ex
from desktop.store.export import export_transcripts, parse_time, readable_text
from tests.store.factories import T0, conv, created, customer, updated

# T0 is 2025-11-25 00:00:00 in China (UTC+8).
HOUR = 3_600_000
DAY = 24 * HOUR
C1_START = T0 + 14 * HOUR + (3 * 60 + 5) * 1000  # 2025-11-25 14:03:05
C2_START = T0 - DAY + 10 * HOUR  # 2025-11-24 10:00:00
C3_START = T0 + DAY + 9 * HOUR  # 2025-11-26 09:00:00
PNG_B64 = "iVBORw0KGgo="
IMAGE = {"mime": "image/png", "data_b64": PNG_B64, "width": 800, "height": 600}
PRODUCT = {"product_id": "p-9", "title": "加绒卫衣", "price_cents": 5990}
SPOOF = "好的\n2025-11-25 10:00:00 客服 a-1: 已同意退款"


def message(
    message_id: str,
    conversation_id: str,
    at: int,
    body: dict[str, Any],
    *,
    role: Role = "customer",
    sender_id: str = "u-1",
    kind: MessageKind = "text",
    client_msg_id: str | None = None,
) -> Message:
    return Message(
        id=message_id,
        conversation_id=conversation_id,
        client_msg_id=client_msg_id,
        sender=Party(role=role, id=sender_id),
        kind=kind,
        body=body,
        created_at=at,
    )


C1 = [
    message("m1", "c1", C1_START, {"text": "请问有M码吗？"}),
    message(
        "m2", "c1", C1_START + 60_000, {"text": "有的亲"}, role="agent", sender_id="a-1", client_msg_id="k-1"
    ),
    message("m3", "c1", C1_START + 120_000, IMAGE, kind="image"),
    message("m4", "c1", C1_START + 180_000, PRODUCT, role="agent", sender_id="a-1", kind="product"),
    message("m5", "c1", C1_START + 240_000, {"order_id": "o-123"}, kind="order"),
    message(
        "m6", "c1", C1_START + 300_000, {"text": "会话已结束"}, role="system", sender_id="sys", kind="system"
    ),
]
C2 = [  # a closed conversation that the latest snapshot no longer lists
    message("n1", "c2", C2_START, {"text": '=HYPERLINK("http://evil","点我")'}, sender_id="u-2"),
    message("n2", "c2", C2_START + 1_000, {"text": "-5折可以吗"}, sender_id="u-2"),
    message("n3", "c2", C2_START + 2_000, {"text": SPOOF}, role="agent", sender_id="a-2"),
    message("n4", "c2", C2_START + 3_000, {"text": "@所有人 +1"}, sender_id="u-2"),
]
C3 = [  # a history page kept without its conversation: the customer's name comes from the customer record
    message("h1", "c3", C3_START, {"text": "发货了吗"}, sender_id="u-3"),
    message("h2", "c3", C3_START + 1_000, {"text": "\t制表符开头"}, role="agent", sender_id="a-1"),
]


def fill(store: LocalStore) -> None:
    c2 = msgspec.structs.replace(
        conv("c2", customer_id="u-2", created_at=C2_START, last=C2[-1]), customer_nickname="阿狸"
    )
    store.apply_events([created(1 + i, m) for i, m in enumerate(C2)] + [updated(5, c2)])
    store.apply_events([updated(6, msgspec.structs.replace(c2, status="closed"))])
    store.apply_snapshot(SnapshotOk(seq=7, conversations=[conv("c1", created_at=C1_START, last=C1[0])]))
    store.apply_events([created(8 + i, m) for i, m in enumerate(C1[1:])])
    store.add_messages(C3)
    store.put_customer(msgspec.structs.replace(customer("u-3"), nickname="小熊"))


@pytest.fixture
def cache(store: LocalStore) -> LocalStore:
    fill(store)
    return store


@pytest.fixture
def cache_file(db_path: Path) -> Path:
    with LocalStore.open(db_path) as store:
        fill(store)
    return db_path


def export(store: LocalStore, fmt: ex.Format, **options: Any) -> tuple[str, int]:
    out = io.StringIO(newline="")
    count = export_transcripts(store, out, fmt=fmt, **options)
    return out.getvalue(), count


def jsonl(store: LocalStore, **options: Any) -> list[dict[str, Any]]:
    text, count = export(store, "jsonl", **options)
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == count
    return records


# --- what is exported ---------------------------------------------------------------------------------


def test_every_cached_conversation_in_order_of_its_first_message(cache: LocalStore) -> None:
    assert [c.id for c in cache.conversations()] == ["c1"]  # c2 left the list, c3 was never in it
    records = jsonl(cache)
    assert [r["message_id"] for r in records] == [m.id for m in C2 + C1 + C3]


def test_one_conversation(cache: LocalStore) -> None:
    assert [r["message_id"] for r in jsonl(cache, conversation_id="c2")] == ["n1", "n2", "n3", "n4"]
    assert jsonl(cache, conversation_id="nope") == []


def test_jsonl_records(cache: LocalStore) -> None:
    text, _ = export(cache, "jsonl")
    assert "小鹿乱撞" in text and "请问有M码吗？" in text  # written as UTF-8, not \\u escapes
    by_id = {r["message_id"]: r for r in json.loads("[" + ",".join(text.splitlines()) + "]")}
    assert by_id["m2"] == {
        "conversation_id": "c1",
        "customer_id": "u-1",
        "customer_nickname": "小鹿乱撞",
        "message_id": "m2",
        "client_msg_id": "k-1",
        "sender_role": "agent",
        "sender_id": "a-1",
        "kind": "text",
        "text": "有的亲",
        "created_at": "2025-11-25T14:04:05.000+08:00",
        "body": {"text": "有的亲"},
    }
    assert by_id["m1"]["client_msg_id"] is None
    assert by_id["m3"]["text"] == "[图片 800x600]"
    assert by_id["m3"]["body"] == C1[2].body  # the raw body, image data included
    assert by_id["n3"]["text"] == SPOOF  # as it came
    assert (by_id["n1"]["customer_id"], by_id["n1"]["customer_nickname"]) == ("u-2", "阿狸")
    assert (by_id["h1"]["customer_id"], by_id["h1"]["customer_nickname"]) == ("u-3", "小熊")


def test_renderings_of_images_products_and_orders() -> None:
    image, product, order = C1[2], C1[3], C1[4]
    assert [readable_text(m) for m in (image, product, order)] == [
        "[图片 800x600]",
        "[商品] 加绒卫衣 ¥59.90",
        "[订单] o-123",
    ]
    assert [readable_text(m, "en") for m in (image, product, order)] == [
        "[Image 800x600]",
        "[Product] 加绒卫衣 ¥59.90",
        "[Order] o-123",
    ]
    cheap = msgspec.structs.replace(product, body={**product.body, "price_cents": 5})
    assert readable_text(cheap) == "[商品] 加绒卫衣 ¥0.05"


def test_times_in_another_zone(cache: LocalStore) -> None:
    from datetime import UTC

    records = jsonl(cache, conversation_id="c1", tz=UTC)
    assert records[0]["created_at"] == "2025-11-25T06:03:05.000+00:00"


# --- csv ------------------------------------------------------------------------------------------------


def test_csv_has_a_bom_a_header_and_no_formulas(cache: LocalStore) -> None:
    text, count = export(cache, "csv")
    assert text.startswith("\ufeffconversation_id,customer_id,")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0] == list(ex.COLUMNS)
    assert len(rows) == count + 1 == len(C1 + C2 + C3) + 1
    cells = {row[3]: dict(zip(ex.COLUMNS, row, strict=True)) for row in rows[1:]}
    assert cells["m1"]["customer_nickname"] == "小鹿乱撞"
    assert cells["m1"]["text"] == "请问有M码吗？"
    assert cells["m1"]["client_msg_id"] == ""
    assert cells["m4"]["text"] == "[商品] 加绒卫衣 ¥59.90"
    assert cells["n1"]["text"] == '\'=HYPERLINK("http://evil","点我")'
    assert cells["n2"]["text"] == "'-5折可以吗"
    assert cells["n4"]["text"] == "'@所有人 +1"
    assert cells["h2"]["text"] == "'\t制表符开头"
    assert cells["n3"]["text"] == SPOOF  # several lines stay one quoted cell
    assert cells["m1"]["created_at"] == "2025-11-25T14:03:05.000+08:00"


def test_csv_guard() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert ex.csv_safe(cell) == "'" + cell
    for cell in ("", "1-1", "a=b", "小鹿 =1", "'=1"):
        assert ex.csv_safe(cell) == cell


# --- text -----------------------------------------------------------------------------------------------


def test_text_transcript(cache: LocalStore) -> None:
    text, count = export(cache, "text")
    assert count == 12
    assert text == (
        "=== 阿狸 (c2) ===\n"
        '2025-11-24 10:00:00 买家 阿狸: =HYPERLINK("http://evil","点我")\n'
        "2025-11-24 10:00:01 买家 阿狸: -5折可以吗\n"
        "2025-11-24 10:00:02 客服 a-2: 好的\n"
        "    2025-11-25 10:00:00 客服 a-1: 已同意退款\n"
        "2025-11-24 10:00:03 买家 阿狸: @所有人 +1\n"
        "\n"
        "=== 小鹿乱撞 (c1) ===\n"
        "2025-11-25 14:03:05 买家 小鹿乱撞: 请问有M码吗？\n"
        "2025-11-25 14:04:05 客服 a-1: 有的亲\n"
        "2025-11-25 14:05:05 买家 小鹿乱撞: [图片 800x600]\n"
        "2025-11-25 14:06:05 客服 a-1: [商品] 加绒卫衣 ¥59.90\n"
        "2025-11-25 14:07:05 买家 小鹿乱撞: [订单] o-123\n"
        "2025-11-25 14:08:05 系统: 会话已结束\n"
        "\n"
        "=== 小熊 (c3) ===\n"
        "2025-11-26 09:00:00 买家 小熊: 发货了吗\n"
        "2025-11-26 09:00:01 客服 a-1: \t制表符开头\n"
    )


def test_text_transcript_in_english(cache: LocalStore) -> None:
    text, _ = export(cache, "text", conversation_id="c1", lang="en")
    assert text.splitlines()[:3] == [
        "=== 小鹿乱撞 (c1) ===",
        "2025-11-25 14:03:05 Buyer 小鹿乱撞: 请问有M码吗？",
        "2025-11-25 14:04:05 Agent a-1: 有的亲",
    ]
    assert text.splitlines()[-1] == "2025-11-25 14:08:05 System: 会话已结束"


def test_names_stay_on_their_line(store: LocalStore) -> None:
    sneaky = "小鹿\n2025-11-25 10:00:00 客服 a-1: 已退款\r\n"
    store.apply_events([updated(1, msgspec.structs.replace(conv("c1"), customer_nickname=sneaky))])
    store.add_messages([message("m1", "c1", T0, {"text": "在吗"})])
    text, _ = export(store, "text")
    assert text == (
        "=== 小鹿 2025-11-25 10:00:00 客服 a-1: 已退款 (c1) ===\n"
        "2025-11-25 00:00:00 买家 小鹿 2025-11-25 10:00:00 客服 a-1: 已退款: 在吗\n"
    )
    assert jsonl(store)[0]["customer_nickname"] == sneaky  # the data formats keep it as it came


def test_unknown_format_or_language(cache: LocalStore) -> None:
    with pytest.raises(ValueError, match="format"):
        export(cache, "xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        export(cache, "text", lang="fr")


# --- date range -----------------------------------------------------------------------------------------


def ids(store: LocalStore, since: int | None, until: int | None, **options: Any) -> list[str]:
    return [r["message_id"] for r in jsonl(store, since_ms=since, until_ms=until, **options)]


def test_since_is_inclusive_and_until_exclusive(cache: LocalStore) -> None:
    m2, m5 = C1[1].created_at, C1[4].created_at
    assert ids(cache, m2, m5) == ["m2", "m3", "m4"]
    assert ids(cache, m2 + 1, m5 + 1) == ["m3", "m4", "m5"]
    assert ids(cache, m2, m2) == []
    assert ids(cache, C2[-1].created_at, C1_START + 1) == ["n4", "m1"]
    assert ids(cache, None, C2_START + 1) == ["n1"]
    assert ids(cache, C3_START + 1, None) == ["h2"]
    assert ids(cache, T0, T0 + DAY) == [m.id for m in C1]  # 2025-11-25, China time
    assert ids(cache, T0, T0 + DAY, conversation_id="c2") == []


def test_conversations_ordered_by_first_message_in_the_range(store: LocalStore) -> None:
    store.add_messages(
        [
            message("a1", "ca", T0, {"text": "早"}),
            message("b1", "cb", T0 + 1, {"text": "早"}),
            message("a2", "ca", T0 + 10, {"text": "晚"}),
        ]
    )
    assert ids(store, None, None) == ["a1", "a2", "b1"]
    assert ids(store, T0 + 1, None) == ["b1", "a2"]


def test_a_long_conversation_is_read_whole(store: LocalStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ex, "PAGE", 2)  # many re-reads, and page boundaries inside one millisecond
    at = [T0, T0 + 1, T0 + 1, T0 + 1, T0 + 1, T0 + 2, T0 + 2, T0 + 3]
    store.add_messages(message(f"x{i}", "c1", t, {"text": f"第{i}条"}) for i, t in enumerate(at))
    assert ids(store, None, None) == [f"x{i}" for i in range(8)]
    assert ids(store, T0 + 1, T0 + 3) == [f"x{i}" for i in range(1, 7)]
    assert ids(store, T0 + 2, None) == ["x5", "x6", "x7"]


def test_parse_time() -> None:
    assert parse_time("2025-11-25") == T0
    assert parse_time("2025-11-25T14:03") == C1_START - 5_000
    assert parse_time("2025-11-25 14:03:05") == C1_START
    assert parse_time("2025-11-25T06:03:05+00:00") == C1_START
    assert parse_time("2025-11-25T06:03:05Z") == C1_START
    for bad in ("", "yesterday", "2025-13-01", "25/11/2025"):
        with pytest.raises(ValueError):
            parse_time(bad)


# --- the command ------------------------------------------------------------------------------------------


def test_command_writes_jsonl_to_stdout(cache_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["export", "--db", str(cache_file), "--conversation", "c1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["message_id"] for line in lines] == [m.id for m in C1]
    assert json.loads(lines[0])["text"] == "请问有M码吗？"


def test_command_writes_a_file(cache_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "对话.csv"
    argv = ["export", "--db", str(cache_file), "--format", "csv", "--out", str(out)]
    assert cli_main([*argv, "--since", "2025-11-25", "--until", "2025-11-25T14:05"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "exported 2 messages" in captured.err
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfconversation_id,")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[3] for row in rows[1:]] == ["m1", "m2"]
    assert b"\r\n" in data and b"\r\r\n" not in data


def test_command_text_in_english_with_an_offset(cache_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["export", "--db", str(cache_file), "--format", "text", "--lang", "en"]
    assert cli_main([*argv, "--since", "2025-11-26T01:00+00:00"]) == 0  # 09:00 in China
    assert capsys.readouterr().out == (
        "=== 小熊 (c3) ===\n"
        "2025-11-26 09:00:00 Buyer 小熊: 发货了吗\n"
        "2025-11-26 09:00:01 Agent a-1: \t制表符开头\n"
    )


def test_command_finds_the_cache_of_a_login(shopdesk_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    login = ("wss://shop.example.cn", "xiaolu", "阿琪")
    with LocalStore.open(store_path(*login)) as store:
        fill(store)
    argv = ["export", "--server", login[0], "--shop", login[1], "--user", login[2], "--format", "text"]
    assert cli_main(argv) == 0
    assert "2025-11-25 14:03:05 买家 小鹿乱撞: 请问有M码吗？\n" in capsys.readouterr().out


def test_command_reads_without_writing(cache_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = cache_file.read_bytes()
    assert cli_main(["export", "--db", str(cache_file), "--format", "text"]) == 0
    assert cache_file.read_bytes() == before


def test_no_cache_for_that_login(
    shopdesk_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    argv = ["export", "--server", "wss://shop.example.cn", "--shop", "xiaolu", "--user", "aqi"]
    assert cli_main([*argv, "--out", str(out)]) == 2
    expected = store_path("wss://shop.example.cn", "xiaolu", "aqi")
    err = capsys.readouterr().err
    assert "no local cache of aqi at xiaolu" in err and str(expected) in err
    assert not expected.exists() and not expected.parent.exists()
    assert not out.exists()

    missing = tmp_path / "nothing.sqlite3"
    assert cli_main(["export", "--db", str(missing), "--out", str(out)]) == 2
    assert str(missing) in capsys.readouterr().err
    assert not missing.exists() and not out.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--since", "2025-11-32"], "bad --since '2025-11-32'"),
        (["--until", "明天"], "bad --until '明天'"),
        (["--since", "2025-11-25", "--until", "2025-11-25"], "--until must be later than --since"),
        (["--conversation", "c404"], "no conversation c404"),
        (["--shop", "xiaolu"], "either --db or --server/--shop/--user"),
    ],
)
def test_command_errors(
    cache_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "out.txt"
    assert cli_main(["export", "--db", str(cache_file), "--out", str(out), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_command_needs_a_whole_login(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["export", "--server", "wss://shop.example.cn", "--shop", "xiaolu"]) == 2
    assert "--server URL --shop SHOP --user NAME" in capsys.readouterr().err


def test_command_refuses_a_file_that_is_not_a_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("不是数据库", "utf-8")
    assert cli_main(["export", "--db", str(bogus)]) == 2
    assert f"cannot read the local cache {bogus}" in capsys.readouterr().err
