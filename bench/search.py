"""The local cache at scale: search latency over a million messages, live ingest, history sync.

Three measurements on one real SQLite file (a temporary folder on disk unless ``--db``):

1. **build**: ``--messages`` cached Chinese chat messages (default 1,000,000), generated from shop phrases
   with some Latin, numbers, emoji, product/order/image cards and a few rare words, written with one
   ``LocalStore.add_messages`` call (one transaction). Reports time, rate and file size per table.
2. **search**: p50/p95/max latency of ``SearchIndex.search`` (its own read connection, as the client runs
   it in a worker thread; limit 50; rows decoded and spans computed) for 1-, 2-, 3- and 5-character
   queries, common, rare and absent, and within one conversation. Goal: p95 <= 50 ms in every group.
3. **ingest**: a live burst of 1,000 messages/s over 50 conversations (each a ``message.created`` and a
   ``conversation.updated``, plus typing notices), decoded from wire bytes and applied with
   ``apply_events`` in batches of 30 ms worth. Goal: p99 per batch <= 20 ms.
   **history**: 100,000 messages written as ``history.fetch`` pages of 200 (one ``add_messages`` call
   each). Goal: >= 20,000 messages/s.

Run from the repository root::

    python -m bench.search                      # 1,000,000 messages: a few minutes, ~1 GB on disk
    python -m bench.search --quick              # 20,000 messages: seconds
    python -m bench.search --messages 200000 --db /tmp/cache.sqlite3 --json-only

One JSON object goes to stdout; a table goes to stderr unless ``--json-only``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import desktop
from bench.protocol import AGENT_PHRASES, CUSTOMER_PHRASES, EMOJI, PRODUCTS, PUNCTUATION, SYSTEM_TEXTS
from desktop.protocol import codec
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Conversation, Message, MessageKind, Party
from desktop.store import LocalStore, SearchIndex

DEFAULT_MESSAGES: Final = 1_000_000
QUICK_MESSAGES: Final = 20_000
DEFAULT_SEED: Final = 20_251_125
T0: Final = 1_735_660_800_000  # 2025-01-01 (ms); the build spans about a year from here
PER_CONVERSATION: Final = 40  # messages per conversation in the build
LIMIT: Final = 50
SEARCH_GOAL_MS: Final = 50.0
INGEST_RATE: Final = 1_000  # messages per second
INGEST_CONVERSATIONS: Final = 50
INGEST_BATCH_MS: Final = 30
INGEST_GOAL_P99_MS: Final = 20.0
HISTORY_MESSAGES: Final = 100_000
HISTORY_PAGE: Final = 200  # the protocol's largest history.fetch page
HISTORY_BULK: Final = 2_000  # a sync loop that writes ten pages at a time
INGEST_WARMUP_BATCHES: Final = 10  # the first batches after opening read cold pages: reported apart
HISTORY_GOAL: Final = 20_000  # messages per second

# fmt: off
EXTRA_PHRASES: Final = (
    "亲，您的包裹已经在派送中了", "这款有S、M、L、XL四个尺码", "iPhone 15 的手机壳有吗", "我的订单号是",
    "能开增值税专用发票吗", "顺丰包邮，江浙沪次日达", "麻烦发一下实物图", "尺码表在详情页第三张图",
    "退款已原路退回，请注意查收", "已经为您催促仓库尽快发货", "收到货发现少了一件", "请问有没有优惠活动",
    "双十一的价格还能保价吗", "这个颜色是雾霾蓝还是天空蓝", "Size M fits 160-165cm", "OK 收到 thanks",
    "退换货地址：浙江省杭州市余杭区仓前街道", "亲亲，这边看到您的快递已签收", "不客气，有问题随时找我哦",
    "请问几天能到新疆", "我要投诉", "商品有质量问题怎么处理", "可以帮我改一下收货地址吗", "退款了吗",
)
RARE_WORDS: Final = ("鲸鱼抱枕大号", "貔貅手串", "麒麟臂", "XK-2077", "魔方收纳盒Pro")
RARE_RATE: Final = 1 / 20_000  # per message, per rare word
# (group, query, conversation scope?) -- groups: <chars>-<common|rare|absent>
QUERIES: Final = (
    ("1-common", "亲", False), ("1-common", "货", False), ("1-common", "吗", False),
    ("1-rare", "鲸", False), ("1-rare", "貔", False), ("1-absent", "魑", False),
    ("2-common", "退款", False), ("2-common", "发货", False), ("2-common", "ok", False),
    ("2-rare", "鲸鱼", False), ("2-rare", "貔貅", False), ("2-absent", "魑魅", False),
    ("3-common", "请稍等", False), ("3-common", "运费险", False), ("3-common", "退款了", False),
    ("3-rare", "鲸鱼抱", False), ("3-rare", "xk-", False), ("3-absent", "魑魅魍", False),
    ("5-common", "七天无理由", False), ("5-common", "帮您查询一", False), ("5-common", "size ", False),
    ("5-rare", "鲸鱼抱枕大", False), ("5-rare", "魔方收纳盒", False), ("5-absent", "退款了吗在", False),
    ("conversation", "亲", True), ("conversation", "退款", True), ("conversation", "七天无理由", True),
)
# fmt: on
TINY_PNG: Final = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)
PHRASES: Final = (*CUSTOMER_PHRASES, *AGENT_PHRASES, *EXTRA_PHRASES)


# --- realistic content ----------------------------------------------------------------------------------


def chat_text(rng: random.Random) -> str:
    """A chat line of 2–300 characters (mostly short) from shop phrases, the odd emoji and rare word."""
    bucket = rng.random()
    length = (
        rng.randint(2, 10) if bucket < 0.40
        else rng.randint(11, 40) if bucket < 0.75
        else rng.randint(41, 120) if bucket < 0.93
        else rng.randint(121, 300)
    )  # fmt: skip
    parts: list[str] = []
    size = 0
    while size < length:
        piece = rng.choice(PHRASES) + rng.choice(PUNCTUATION)
        if rng.random() < 0.05:
            piece += rng.choice(EMOJI)
        parts.append(piece)
        size += len(piece)
    text = "".join(parts)[:length]
    for word in RARE_WORDS:
        if rng.random() < RARE_RATE:
            text = f"{text}{word}，"[:4_990]
    return text


def make_message(
    rng: random.Random, number: int, conversation_id: str, created_at: int, id_prefix: str = "m-"
) -> Message:
    roll = rng.random()
    kind: MessageKind = (
        "text" if roll < 0.92 else "product" if roll < 0.95 else "order" if roll < 0.97
        else "image" if roll < 0.99 else "system"
    )  # fmt: skip
    agent = rng.random() < 0.45
    sender = Party(role="agent", id="a-7") if agent else Party(role="customer", id=f"u-{conversation_id}")
    body: dict[str, Any]
    if kind == "text":
        body = {"text": chat_text(rng)}
    elif kind == "product":
        product_id = f"p-{rng.randint(1, 9_999)}"
        body = {"product_id": product_id, "title": rng.choice(PRODUCTS), "price_cents": 9_900}
    elif kind == "order":
        day = f"2025{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        body = {"order_id": f"o-{day}-{rng.randint(1, 9_999):04d}"}
    elif kind == "image":  # a tiny PNG: image bytes are not what this benchmark is about
        body = {"mime": "image/png", "data_b64": TINY_PNG, "width": 1, "height": 1}
    else:
        sender, body = Party(role="system", id="system"), {"text": rng.choice(SYSTEM_TEXTS)}
    return Message(
        id=f"{id_prefix}{number}",
        conversation_id=conversation_id,
        client_msg_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)) if agent else None,
        sender=sender,
        kind=kind,
        body=body,
        created_at=created_at,
    )


def history_messages(count: int, seed: int, *, start: int = T0, prefix: str = "") -> Iterator[Message]:
    """``count`` messages over about a year from ``start``, ``PER_CONVERSATION`` per conversation."""
    rng = random.Random(seed)
    step = max(1, 365 * 86_400_000 // max(1, count))
    now = start
    for number in range(count):
        now += rng.randint(0, 2 * step)
        yield make_message(rng, number, f"{prefix}cv-{number // PER_CONVERSATION}", now, f"{prefix}m-")


# --- measurements ---------------------------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0–100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms), 3),
    }


def table_sizes(path: Path) -> dict[str, int]:
    """Bytes per table (indexes and FTS5 shadow tables included with their table), from ``dbstat``."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        owners = dict(conn.execute("SELECT name, tbl_name FROM sqlite_schema").fetchall())
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return {}
    finally:
        conn.close()
    sizes: dict[str, int] = {}
    for name, size in rows:
        owner = str(owners.get(name, name))
        for fts in ("message_trigrams", "message_grams"):
            if owner.startswith(fts + "_"):
                owner = fts
        sizes[owner] = sizes.get(owner, 0) + int(size)
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def build(store: LocalStore, count: int, seed: int) -> dict[str, Any]:
    started, cpu_started = time.perf_counter(), time.process_time()
    added = store.add_messages(history_messages(count, seed))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    wal = Path(f"{store.path}-wal")
    wal_bytes = wal.stat().st_size if wal.exists() else 0
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so that the file size is the whole cache
    return {
        "messages": added,
        "seconds": round(seconds, 2),
        "msgs_per_s": round(added / seconds),
        "cpu_seconds": round(cpu, 2),  # generating the messages included
        "db_bytes": store.path.stat().st_size,
        "wal_bytes_before_checkpoint": wal_bytes,
        "tables_bytes": table_sizes(store.path),
    }


def measure_search(index: SearchIndex, reps: int, seed: int, conversations: int) -> dict[str, Any]:
    rng = random.Random(seed)
    groups: dict[str, list[float]] = {}
    queries: list[dict[str, Any]] = []
    for group, query, scoped in QUERIES:
        index.search(query, limit=LIMIT)  # warm: the first touch of a doclist reads it from disk
        times: list[float] = []
        hits = 0
        for _ in range(reps):
            scope = f"cv-{rng.randrange(conversations)}" if scoped else None
            start = time.perf_counter()
            found = index.search(query, limit=LIMIT, conversation_id=scope)
            times.append(time.perf_counter() - start)
            hits = max(hits, len(found))
        groups.setdefault(group, []).extend(times)
        queries.append({"group": group, "query": query, "hits": hits, **summary_ms(times)})
    by_group = {group: summary_ms(times) for group, times in groups.items()}
    worst = max(row["p95_ms"] for row in by_group.values())
    return {
        "limit": LIMIT,
        "reps": reps,
        "groups": by_group,
        "queries": queries,
        "worst_p95_ms": worst,
        "goal_p95_ms": SEARCH_GOAL_MS,
        "goal_met": worst <= SEARCH_GOAL_MS,
    }


def ingest_batches(seconds: float, seed: int) -> list[list[bytes]]:
    """Wire frames of a live burst, grouped as a client applies them: one batch per 30 ms of traffic."""
    rng = random.Random(seed)
    now = T0 + 400 * 86_400_000  # after the build's history
    seq = 0
    per_batch = INGEST_RATE * INGEST_BATCH_MS // 1000
    batches: list[list[bytes]] = []
    number = 0
    for _ in range(round(seconds * 1000 / INGEST_BATCH_MS)):
        batch: list[bytes] = []
        for _ in range(per_batch):
            number += 1
            now += rng.randint(0, 2 * 1000 // INGEST_RATE)
            cid = f"live-{rng.randrange(INGEST_CONVERSATIONS)}"
            message = make_message(rng, number, cid, now, id_prefix="live-m-")
            conversation = Conversation(
                id=cid, customer_id=f"u-{cid}", status="active", assignee_id="a-7", last_message=message,
                unread=rng.randint(0, 9), created_at=now - 600_000, customer_nickname="小鹿乱撞",
            )  # fmt: skip
            seq += 1
            batch.append(codec.encode(f.MessageCreated(seq=seq, ts=now, data=p.MessageData(message=message))))
            seq += 1
            data = p.ConversationData(conversation=conversation)
            batch.append(codec.encode(f.ConversationUpdated(seq=seq, ts=now, data=data)))
            if rng.random() < 0.3:
                typing = p.TypingEventData(conversation_id=cid, from_=Party(role="customer", id=f"u-{cid}"))
                batch.append(codec.encode(f.TypingEvent(ts=now, data=typing)))
        batches.append(batch)
    return batches


def decode_events(batch: list[bytes]) -> list[f.AnyEvent]:
    """Frames as the client decodes them (the stream holds events only)."""
    return [
        frame for frame in map(codec.decode_server_frame, batch) if not isinstance(frame, (f.Ok, f.Error))
    ]


def measure_ingest(store: LocalStore, seconds: float, seed: int) -> dict[str, Any]:
    batches = ingest_batches(seconds, seed)
    store.apply_snapshot(p.SnapshotOk(seq=0, conversations=[]))
    apply_times: list[float] = []
    total_times: list[float] = []
    messages = 0
    warmup: list[float] = []
    for batch in batches[:INGEST_WARMUP_BATCHES]:
        start = time.perf_counter()
        store.apply_events(decode_events(batch))
        warmup.append(time.perf_counter() - start)
    for batch in batches[INGEST_WARMUP_BATCHES:]:
        start = time.perf_counter()
        events = decode_events(batch)
        decoded = time.perf_counter()
        applied = store.apply_events(events)
        done = time.perf_counter()
        apply_times.append(done - decoded)
        total_times.append(done - start)
        messages += len(applied.messages_added)
    apply = summary_ms(apply_times)
    return {
        "rate_msgs_per_s": INGEST_RATE,
        "conversations": INGEST_CONVERSATIONS,
        "batch_ms": INGEST_BATCH_MS,
        "batches": len(apply_times),
        "warmup_batches": len(warmup),
        "warmup_max_ms": round(max(warmup, default=0) * 1000, 3),
        "frames_per_batch": round(sum(map(len, batches)) / len(batches), 1),
        "messages": messages,
        "apply": apply,
        "decode_and_apply": summary_ms(total_times),
        "goal_p99_ms": INGEST_GOAL_P99_MS,
        "goal_met": apply["p99_ms"] <= INGEST_GOAL_P99_MS,
    }


def measure_history(store: LocalStore, count: int, seed: int, page_size: int, prefix: str) -> dict[str, Any]:
    """Older history of conversations the cache has not seen, written ``page_size`` messages per call."""
    pages: list[list[Message]] = []
    page: list[Message] = []
    for message in history_messages(count, seed, start=T0 - 400 * 86_400_000, prefix=prefix):
        page.append(message)
        if len(page) == page_size:
            pages.append(page)
            page = []
    if page:
        pages.append(page)
    times: list[float] = []
    added = 0
    cpu_started = time.process_time()
    for page in pages:
        start = time.perf_counter()
        added += store.add_messages(page)
        times.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu_started
    seconds = sum(times)
    rate = added / seconds
    return {
        "messages": added,
        "per_call": page_size,
        "seconds": round(seconds, 2),
        "msgs_per_s": round(rate),
        "msgs_per_cpu_s": round(added / cpu) if cpu > 0 else None,
        "call_ms": summary_ms(times),
        "goal_msgs_per_s": HISTORY_GOAL,
        "goal_met": rate >= HISTORY_GOAL,
    }


def run_benchmark(
    path: Path, messages: int, *, seed: int = DEFAULT_SEED, reps: int = 20, ingest_s: float = 10.0,
    history: int = HISTORY_MESSAGES,
) -> dict[str, Any]:  # fmt: skip
    started = time.perf_counter()
    report: dict[str, Any] = {"benchmark": "search", "messages": messages, "seed": seed}
    with LocalStore.open(path) as store:
        report["build"] = build(store, messages, seed)
        with store.reader() as index:
            report["search"] = measure_search(index, reps, seed, max(1, messages // PER_CONVERSATION))
        report["ingest"] = measure_ingest(store, ingest_s, seed)
        report["history"] = measure_history(store, history, seed + 1, HISTORY_PAGE, "old-")
        report["history_bulk"] = measure_history(store, history, seed + 2, HISTORY_BULK, "older-")
    wal = Path(f"{path}-wal")
    report["db_bytes_final"] = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    report.update(
        python=platform.python_version(),
        sqlite=sqlite3.sqlite_version,
        shopdesk=desktop.__version__,
        machine=platform.machine(),
        cpus=os.cpu_count(),
        elapsed_s=round(time.perf_counter() - started, 1),
    )
    return report


# --- output ---------------------------------------------------------------------------------------------


def _latencies(row: dict[str, float]) -> str:
    return "  ".join(f"{key[:-3]} {row[key]:.2f}" for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms")) + " ms"


def format_table(report: dict[str, Any]) -> str:
    b, s, i = report["build"], report["search"], report["ingest"]
    lines = [
        f"local cache: {b['messages']:,} messages built in {b['seconds']} s ({b['msgs_per_s']:,}/s), "
        f"{b['db_bytes'] / 1e6:.0f} MB on disk",
        "  " + ", ".join(f"{name} {size / 1e6:.0f} MB" for name, size in b["tables_bytes"].items()),
        f"search, limit {s['limit']}, {s['reps']} runs per query:",
        f"  {'group':<14}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    for group, row in s["groups"].items():
        lines.append(f"  {group:<14}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}{row['max_ms']:>9.2f}")
    lines.append("  " + "  ".join(f"{q['query']}:{q['hits']}" for q in s["queries"]) + "  (query:hits)")
    lines.append(f"  worst p95 {s['worst_p95_ms']:.2f} ms; goal <= {s['goal_p95_ms']:.0f} ms: "
                 f"{'met' if s['goal_met'] else 'NOT met'}")  # fmt: skip
    a, t = i["apply"], i["decode_and_apply"]
    lines += [
        f"ingest {i['rate_msgs_per_s']:,} msgs/s over {i['conversations']} conversations, "
        f"{i['batches']} batches of {i['batch_ms']} ms ({i['frames_per_batch']} frames):",
        f"  apply_events    {_latencies(a)}",
        f"  decode + apply  {_latencies(t)}",
        f"  goal p99 <= {i['goal_p99_ms']:.0f} ms: {'met' if i['goal_met'] else 'NOT met'} "
        f"(first {i['warmup_batches']} batches, cold, not counted: max {i['warmup_max_ms']:.1f} ms)",
    ]
    for h in (report["history"], report["history_bulk"]):
        lines.append(
            f"history sync: {h['messages']:,} messages, {h['per_call']} per add_messages: "
            f"{h['msgs_per_s']:,} msgs/s ({h['msgs_per_cpu_s']:,} per CPU second; call p50 "
            f"{h['call_ms']['p50_ms']:.1f} ms, p95 {h['call_ms']['p95_ms']:.1f} ms); "
            f"goal >= {h['goal_msgs_per_s']:,}/s: {'met' if h['goal_met'] else 'NOT met'}"
        )
    lines += [
        f"Python {report['python']}, SQLite {report['sqlite']}, {report['cpus']} CPUs, "
        f"{report['elapsed_s']} s in all",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, help=f"messages to build (default {DEFAULT_MESSAGES:,})")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_MESSAGES:,} messages, short runs")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--db", type=Path, default=None, help="build here (must not exist) and keep it")
    parser.add_argument("--json-only", action="store_true", help="no table on stderr")
    args = parser.parse_args(argv)
    messages = (
        args.messages if args.messages is not None else QUICK_MESSAGES if args.quick else DEFAULT_MESSAGES
    )
    if messages < 1:
        parser.error("--messages must be at least 1")
    sizes: dict[str, Any] = (
        {"reps": 5, "ingest_s": 2.0, "history": min(HISTORY_MESSAGES, max(HISTORY_PAGE, messages // 4))}
        if args.quick else {}
    )  # fmt: skip
    if args.db is not None:
        if args.db.exists():
            parser.error(f"{args.db} exists")
        report = run_benchmark(args.db, messages, seed=args.seed, **sizes)
    else:
        with tempfile.TemporaryDirectory(prefix="shopdesk-bench-search-") as tmp:
            report = run_benchmark(Path(tmp) / "cache.sqlite3", messages, seed=args.seed, **sizes)
    print(json.dumps(report, ensure_ascii=False))
    if not args.json_only:
        print(format_table(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
