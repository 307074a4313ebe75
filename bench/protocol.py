"""Throughput of the shopdesk.v1 codec against plain ``json.loads`` on a realistic, deterministic stream.

What an agent client receives is mostly ``message.created`` (Chinese text, some images and cards), with
``conversation.updated``, ephemeral ``typing``/``presence.changed``, ``queue.updated``, ``ok`` replies (a
few of them ``history.fetch`` pages of 50 messages) and the odd ``customer.updated``. The stream is encoded
with the project's own :func:`desktop.protocol.encode`; then, interleaved over several rounds, it is decoded
with :func:`desktop.protocol.decode_server_frame` (decode + validate) and with ``json.loads`` (parse only).
Each rate comes from the best round (least time) of its case; medians are reported too.

Run from the repository root::

    python -m bench.protocol [--frames N] [--rounds R] [--seed S] [--json-only] [--no-per-kind]

One JSON object goes to stdout; a table goes to stderr unless ``--json-only``.
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import msgspec

import desktop
from desktop.protocol import codec
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import (
    AgentStatus,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    MessageKind,
    Order,
    OrderItem,
    OrderStatus,
    Party,
    SendKind,
)

T = TypeVar("T")

GOAL: Final = 0.8  # decode_server_frame throughput / json.loads throughput, over the same bytes
DEFAULT_FRAMES: Final = 20_000
DEFAULT_ROUNDS: Final = 7
DEFAULT_SEED: Final = 20_261_125
T0: Final = 1_764_000_000_000  # ms; the stream's clock starts here and only moves forward
HISTORY_EVERY: Final = 2_000  # one history.fetch page (50 messages) per this many frames
HISTORY_PAGE: Final = 50
PER_KIND_MIN_CALLS: Final = 2_000  # per-kind timings repeat small groups up to at least this many calls

# --- realistic content ----------------------------------------------------------------------------------

# fmt: off
CUSTOMER_PHRASES: Final = (
    "在吗", "你好", "请问这款还有货吗", "什么时候能发货", "我的快递到哪里了", "能便宜一点吗",
    "这个尺码偏大还是偏小", "我身高一米六五体重一百斤穿什么码", "我要申请退款",
    "收到的商品外包装有破损", "颜色和图片上的不太一样", "可以开发票吗", "包邮吗", "谢谢", "好的",
    "收到了", "麻烦帮我查一下订单", "地址填错了能改吗", "为什么三天了还没有物流信息", "可以换货吗",
    "有赠品吗", "优惠券怎么用不了", "会员有折扣吗", "这个是正品吗", "材质是纯棉的吗", "洗了会缩水吗",
    "能不能今天发出", "我急用", "快点回复一下", "好评返现还有吗", "已经付款了", "拍错了想取消订单",
    "退货运费谁出", "支持七天无理由吗", "嗯嗯", "行", "知道了", "太慢了吧",
)
AGENT_PHRASES: Final = (
    "亲，您好，很高兴为您服务", "亲，这款目前有现货哦", "今天下单48小时内发货", "已经为您备注优先发货了",
    "麻烦提供一下订单号哦", "退款已经提交，预计1-3个工作日原路退回", "亲，根据您的身高体重建议选M码",
    "这边帮您查询一下，请稍等", "物流显示已到达您所在城市的转运中心", "给您带来不便非常抱歉",
    "可以的，亲在订单页面申请退换货即可", "支持七天无理由退换", "运费险会自动理赔", "发票会随货一起寄出",
    "亲，还有其他可以帮您的吗", "感谢您的耐心等待", "满199元减20元的优惠券可以叠加使用",
    "这款是100%纯棉的，第一次洗涤建议冷水手洗", "祝您生活愉快～", "收到商品如有任何问题随时联系我们",
)
SYSTEM_TEXTS: Final = ("会话已由客服小美接入", "会话已转接给客服阿杰", "买家已超过10分钟未回复，会话自动结束")
PUNCTUATION: Final = ("，", "。", "？", "！", "～", "…", " ", "，", "。")
EMOJI: Final = ("😊", "👍", "🙏", "😂", "❤️", "🎉")
NICKNAMES: Final = (
    "小鹿乱撞", "爱吃鱼的猫", "Lily_2019", "阳光明媚", "王先生", "tb_88123456", "晴天", "一只小可爱",
)
TAGS: Final = ("VIP", "老客户", "爱砍价", "退货率高", "大码", "学生党", "批发", "差评风险", "金卡会员")
PRODUCTS: Final = (
    "2024秋冬新款宽松针织开衫女 米白色", "纯棉圆领短袖T恤男 夏季百搭", "加厚保暖羽绒服 中长款 过膝",
    "儿童防滑运动鞋 魔术贴 透气网面", "不锈钢保温杯 500ml 大容量", "无线蓝牙耳机 主动降噪 超长续航",
)
ADDRESSES: Final = ("浙江省杭州市西湖区****", "广东省深圳市南山区****", "北京市朝阳区****")
# fmt: on
AGENTS: Final = ("a-1", "a-2", "a-3", "a-4", "a-5", "a-6")
AGENT_STATUSES: Final[tuple[AgentStatus, ...]] = ("online", "busy", "away", "offline")
CONVERSATION_STATUSES: Final[tuple[ConversationStatus, ...]] = ("waiting", "active", "closed")
ORDER_STATUSES: Final[tuple[OrderStatus, ...]] = (
    "unpaid", "paid", "shipped", "delivered", "refunding", "refunded", "closed",
)  # fmt: skip


def chinese_text(rng: random.Random, *, agent: bool) -> str:
    """A chat line of 2–300 characters, mostly short, built from customer-service phrases."""
    bucket = rng.random()
    if bucket < 0.40:
        length = rng.randint(2, 10)
    elif bucket < 0.75:
        length = rng.randint(11, 40)
    elif bucket < 0.93:
        length = rng.randint(41, 120)
    else:
        length = rng.randint(121, 300)
    phrases = AGENT_PHRASES if agent else CUSTOMER_PHRASES
    parts: list[str] = []
    size = 0
    while size < length:
        piece = rng.choice(phrases) + rng.choice(PUNCTUATION)
        if rng.random() < 0.05:
            piece += rng.choice(EMOJI)
        parts.append(piece)
        size += len(piece)
    return "".join(parts)[:length]


# --- the stream -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stream:
    """Frames, their wire bytes, a label per frame, and for ``ok`` frames the reply type a client decodes."""

    frames: list[f.Frame] = field(default_factory=list)
    wire: list[bytes] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    reply_types: list[type[msgspec.Struct] | None] = field(default_factory=list)

    @property
    def nbytes(self) -> int:
        return sum(len(data) for data in self.wire)

    def add(self, kind: str, frame: f.Frame, reply_type: type[msgspec.Struct] | None = None) -> None:
        self.frames.append(frame)
        self.wire.append(codec.encode(frame))
        self.kinds.append(kind)
        self.reply_types.append(reply_type)


class _Shop:
    """Deterministic generator of ids, clocks and objects for one agent's session."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = T0
        self.seq = 1_000
        self.message_no = 50_000
        self.request_no = 0

    def tick(self) -> int:
        self.now += self.rng.randint(0, 400)
        return self.now

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def request_id(self) -> str:
        self.request_no += 1
        return f"c-{self.request_no}"

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def conversation_id(self) -> str:
        return f"cv-{self.rng.randint(1, 400)}"

    def customer_id(self) -> str:
        return f"u-{self.rng.randint(1_000, 9_999)}"

    def order_id(self) -> str:
        rng = self.rng
        return f"o-2025{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}-{rng.randint(1, 9_999):04d}"

    def body(self, kind: MessageKind, *, agent: bool) -> dict[str, Any]:
        rng = self.rng
        if kind == "text":
            return {"text": chinese_text(rng, agent=agent)}
        if kind == "image":
            # Compressed image bytes look random; a PNG signature in front for good measure.
            raw = b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(1_024, 4_096))
            return {
                "mime": rng.choice(("image/png", "image/jpeg", "image/webp")),
                "data_b64": base64.b64encode(raw).decode("ascii"),
                "width": rng.randint(64, 1_080),
                "height": rng.randint(64, 1_440),
            }
        if kind == "product":
            product_no = rng.randint(1, 9_999)
            body: dict[str, Any] = {
                "product_id": f"p-{product_no}",
                "title": rng.choice(PRODUCTS),
                "price_cents": rng.randint(990, 99_900),
            }
            if rng.random() < 0.8:
                body["image_url"] = f"https://img.shop.example.cn/p/{product_no}/main_800x800.jpg"
            return body
        if kind == "order":
            return {"order_id": self.order_id()}
        return {"text": rng.choice(SYSTEM_TEXTS)}

    def message(self, kind: MessageKind, conversation_id: str | None = None) -> Message:
        rng = self.rng
        self.message_no += 1
        if kind == "system":
            sender, agent = Party(role="system", id="sys"), True
        elif rng.random() < 0.6:
            sender, agent = Party(role="customer", id=self.customer_id()), False
        else:
            sender, agent = Party(role="agent", id=rng.choice(AGENTS)), True
        return Message(
            id=f"m-{self.message_no}",
            conversation_id=conversation_id or self.conversation_id(),
            client_msg_id=self.uuid() if agent and kind != "system" else None,
            sender=sender,
            kind=kind,
            body=self.body(kind, agent=agent),
            created_at=self.tick(),
        )

    def conversation(self) -> Conversation:
        rng = self.rng
        status = rng.choices(CONVERSATION_STATUSES, (2, 7, 1))[0]
        return Conversation(
            id=self.conversation_id(),
            customer_id=self.customer_id(),
            status=status,
            assignee_id=None if status == "waiting" else rng.choice(AGENTS),
            last_message=self.message("text"),
            unread=rng.randint(0, 12),
            waiting_since=self.now - rng.randint(0, 600_000) if status != "closed" else None,
            created_at=self.now - rng.randint(60_000, 86_400_000),
            customer_nickname=rng.choice(NICKNAMES),
        )

    def customer(self) -> Customer:
        rng = self.rng
        return Customer(
            id=self.customer_id(),
            nickname=rng.choice(NICKNAMES),
            avatar_url=f"https://img.shop.example.cn/avatar/{rng.randint(1, 99_999)}.jpg",
            level=rng.choice(("普通会员", "银卡会员", "金卡会员")),
            tags=rng.sample(TAGS, rng.randint(0, 4)),
            note="".join(rng.choice(AGENT_PHRASES) + "；" for _ in range(rng.randint(0, 6))),
            phone_masked=f"1{rng.randint(30, 99)}****{rng.randint(0, 9_999):04d}",
            address_masked=rng.choice(ADDRESSES),
            orders_count=rng.randint(0, 80),
            total_spent_cents=rng.randint(0, 5_000_000),
            first_seen=self.now - rng.randint(86_400_000, 86_400_000 * 900),
            last_seen=self.now,
        )

    def order(self) -> Order:
        rng = self.rng
        items = [
            OrderItem(
                product_id=f"p-{rng.randint(1, 9_999)}",
                title=rng.choice(PRODUCTS),
                qty=rng.randint(1, 3),
                price_cents=rng.randint(990, 49_900),
            )
            for _ in range(rng.randint(1, 4))
        ]
        status = rng.choice(ORDER_STATUSES)
        shipped = status in ("shipped", "delivered")
        return Order(
            id=self.order_id(),
            status=status,
            items=items,
            total_cents=sum(item.qty * item.price_cents for item in items),
            created_at=self.now - rng.randint(0, 86_400_000 * 60),
            tracking_no=f"SF{rng.randint(10**11, 10**12 - 1)}" if shipped else None,
        )


def _message_created(kind: MessageKind) -> Callable[[_Shop, Stream], None]:
    def add(shop: _Shop, stream: Stream) -> None:
        message = shop.message(kind)
        frame = f.MessageCreated(seq=shop.next_seq(), ts=shop.now, data=p.MessageData(message=message))
        stream.add(f"message.created/{kind}", frame)

    return add


def _conversation_updated(shop: _Shop, stream: Stream) -> None:
    data = p.ConversationData(conversation=shop.conversation())
    stream.add("conversation.updated", f.ConversationUpdated(seq=shop.next_seq(), ts=shop.tick(), data=data))


def _conversation_assigned(shop: _Shop, stream: Stream) -> None:
    data = p.ConversationData(conversation=shop.conversation())
    frame = f.ConversationAssigned(seq=shop.next_seq(), ts=shop.tick(), data=data)
    stream.add("conversation.assigned", frame)


def _typing(shop: _Shop, stream: Stream) -> None:
    sender = Party(role="customer", id=shop.customer_id())
    data = p.TypingEventData(conversation_id=shop.conversation_id(), from_=sender)
    stream.add("typing", f.TypingEvent(ts=shop.tick(), data=data))


def _presence(shop: _Shop, stream: Stream) -> None:
    data = p.PresenceChangedData(agent_id=shop.rng.choice(AGENTS), status=shop.rng.choice(AGENT_STATUSES))
    stream.add("presence.changed", f.PresenceChanged(ts=shop.tick(), data=data))


def _queue(shop: _Shop, stream: Stream) -> None:
    data = p.QueueUpdatedData(waiting=shop.rng.randint(0, 40))
    stream.add("queue.updated", f.QueueUpdated(seq=shop.next_seq(), ts=shop.tick(), data=data))


def _message_read(shop: _Shop, stream: Stream) -> None:
    data = p.MessageReadData(
        conversation_id=shop.conversation_id(),
        up_to_message_id=f"m-{shop.message_no}",
        reader=Party(role="customer", id=shop.customer_id()),
    )
    stream.add("message.read", f.MessageRead(seq=shop.next_seq(), ts=shop.tick(), data=data))


def _customer_updated(shop: _Shop, stream: Stream) -> None:
    data = p.CustomerData(customer=shop.customer())
    stream.add("customer.updated", f.CustomerUpdated(seq=shop.next_seq(), ts=shop.tick(), data=data))


def _rating(shop: _Shop, stream: Stream) -> None:
    comment = chinese_text(shop.rng, agent=False) if shop.rng.random() < 0.5 else None
    score = shop.rng.randint(1, 5)
    data = p.RatingReceivedData(conversation_id=shop.conversation_id(), score=score, comment=comment)
    stream.add("rating.received", f.RatingReceived(seq=shop.next_seq(), ts=shop.tick(), data=data))


def _ok_message(shop: _Shop, stream: Stream) -> None:
    message = shop.message("text")
    stream.add("ok/message", codec.ok(shop.request_id(), p.MessageData(message=message)), p.MessageData)


def _ok_empty(shop: _Shop, stream: Stream) -> None:
    stream.add("ok/empty", codec.ok(shop.request_id()), p.Empty)


def _ok_customer(shop: _Shop, stream: Stream) -> None:
    reply = p.CustomerData(customer=shop.customer())
    stream.add("ok/customer", codec.ok(shop.request_id(), reply), p.CustomerData)


def _ok_orders(shop: _Shop, stream: Stream) -> None:
    orders = [shop.order() for _ in range(shop.rng.randint(1, 8))]
    stream.add("ok/orders", codec.ok(shop.request_id(), p.OrdersOk(orders=orders)), p.OrdersOk)


def _ok_history(shop: _Shop, stream: Stream) -> None:
    conversation_id = shop.conversation_id()
    kinds: tuple[MessageKind, ...] = ("text",) * 40 + ("image", "product", "product", "order", "system")
    messages = [shop.message(shop.rng.choice(kinds), conversation_id) for _ in range(HISTORY_PAGE)]
    reply = p.HistoryOk(messages=messages, more=True)
    stream.add("ok/history", codec.ok(shop.request_id(), reply), p.HistoryOk)


def _error(shop: _Shop, stream: Stream) -> None:
    stream.add("error", codec.error("not_found", "会话不存在或已关闭", re=shop.request_id()))


# (generator, weight): shares of the stream, in percent.
SERVER_MIX: Final[tuple[tuple[Callable[[_Shop, Stream], None], float], ...]] = (
    (_message_created("text"), 52.0),
    (_message_created("image"), 3.0),
    (_message_created("product"), 3.0),
    (_message_created("order"), 2.0),
    (_message_created("system"), 1.0),
    (_conversation_updated, 10.0),
    (_conversation_assigned, 1.0),
    (_typing, 10.0),
    (_presence, 3.0),
    (_queue, 3.0),
    (_message_read, 2.0),
    (_ok_message, 5.0),
    (_ok_empty, 3.0),
    (_ok_customer, 0.5),
    (_ok_orders, 0.3),
    (_customer_updated, 1.0),
    (_rating, 0.2),
    (_error, 0.2),
)


def build_server_stream(frames: int = DEFAULT_FRAMES, seed: int = DEFAULT_SEED) -> Stream:
    """What an agent client receives: ``frames`` server frames, the same for the same seed."""
    shop = _Shop(seed)
    stream = Stream()
    makers = [maker for maker, _ in SERVER_MIX]
    weights = [weight for _, weight in SERVER_MIX]
    history_every = max(1, min(HISTORY_EVERY, frames // 2))  # at least one history page in any stream
    for i in range(frames):
        if i % history_every == history_every - 1:
            _ok_history(shop, stream)
        else:
            shop.rng.choices(makers, weights)[0](shop, stream)
    return stream


def build_client_stream(frames: int = DEFAULT_FRAMES, seed: int = DEFAULT_SEED) -> Stream:
    """What a server receives from agents: mostly ``message.send``, with typing, reads and lookups."""
    shop = _Shop(seed + 1)
    rng = shop.rng
    stream = Stream()
    sends: tuple[tuple[SendKind, float], ...] = (
        ("text", 70.0), ("image", 2.0), ("product", 2.0), ("order", 1.0),
    )  # fmt: skip
    others: tuple[tuple[str, float], ...] = (
        ("typing", 12.0), ("conversation.read", 6.0), ("history.fetch", 2.0), ("customer.get", 1.5),
        ("orders.list", 0.5), ("conversation.accept", 1.0), ("presence.set", 0.5), ("customer.update", 0.5),
        ("conversation.close", 0.5),
    )  # fmt: skip
    labels = [f"message.send/{kind}" for kind, _ in sends] + [label for label, _ in others]
    weights = [weight for _, weight in (*sends, *others)]
    for _ in range(frames):
        label = rng.choices(labels, weights)[0]
        cid = shop.conversation_id()
        frame: f.Frame
        if label.startswith("message.send/"):
            kind: SendKind = sends[labels.index(label)][0]
            send = p.MessageSendData(
                conversation_id=cid, client_msg_id=shop.uuid(), kind=kind, body=shop.body(kind, agent=True)
            )
            frame = f.MessageSend(id=shop.request_id(), data=send)
        elif label == "typing":
            frame = f.TypingSend(data=p.TypingData(conversation_id=cid))
        elif label == "conversation.read":
            read = p.ReadData(conversation_id=cid, up_to_message_id=f"m-{rng.randint(1, 99_999)}")
            frame = f.ConversationRead(id=shop.request_id(), data=read)
        elif label == "history.fetch":
            fetch = p.HistoryFetchData(conversation_id=cid, before_message_id=f"m-{rng.randint(1, 99_999)}")
            frame = f.HistoryFetch(id=shop.request_id(), data=fetch)
        elif label == "customer.get":
            frame = f.CustomerGet(id=shop.request_id(), data=p.CustomerRef(customer_id=shop.customer_id()))
        elif label == "orders.list":
            frame = f.OrdersList(id=shop.request_id(), data=p.CustomerRef(customer_id=shop.customer_id()))
        elif label == "conversation.accept":
            frame = f.ConversationAccept(id=shop.request_id(), data=p.ConversationRef(conversation_id=cid))
        elif label == "presence.set":
            status = p.PresenceSetData(status=rng.choice(AGENT_STATUSES[:3]))
            frame = f.PresenceSet(id=shop.request_id(), data=status)
        elif label == "customer.update":
            tags = rng.sample(TAGS, 2)
            update = p.CustomerUpdateData(customer_id=shop.customer_id(), tags=tags, note="要发票")
            frame = f.CustomerUpdate(id=shop.request_id(), data=update)
        else:
            close = p.CloseData(conversation_id=cid, reason="已解决")
            frame = f.ConversationClose(id=shop.request_id(), data=close)
        stream.add(label, frame)
    return stream


# --- timing ---------------------------------------------------------------------------------------------


def _time_pass(fn: Callable[[T], object], items: Sequence[T], repeat: int = 1) -> float:
    """Seconds to call ``fn`` on every item (``repeat`` times over), with the garbage collector off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(repeat):
            for item in items:
                fn(item)
        return time.perf_counter() - start
    finally:
        if was_enabled:
            gc.enable()


def _decode_with_reply(item: tuple[bytes, type[msgspec.Struct] | None]) -> object:
    """What a client does in full: decode the frame, then the ``ok`` data as the request's reply type."""
    data, reply_type = item
    frame = codec.decode_server_frame(data)
    if reply_type is not None and isinstance(frame, f.Ok):
        return codec.decode_reply(frame, reply_type)
    return frame


@dataclass
class _Case:
    name: str
    run: Callable[[], float]
    units: int  # frames per pass
    nbytes: int  # bytes per pass
    times: list[float] = field(default_factory=list)

    def rates(self) -> dict[str, float]:
        best, median = min(self.times), statistics.median(self.times)
        return {
            "fps": self.units / best,
            "mbps": self.nbytes / best / 1e6,
            "fps_median": self.units / median,
            "best_s": best,
            "median_s": median,
        }


def _case(name: str, fn: Callable[[T], object], items: Sequence[T], nbytes: int, repeat: int = 1) -> _Case:
    return _Case(name, lambda: _time_pass(fn, items, repeat), len(items) * repeat, nbytes * repeat)


def _run_interleaved(cases: Sequence[_Case], rounds: int) -> None:
    """An untimed warm-up pass of each case, then ``rounds`` rounds, each starting one case further on."""
    for case in cases:
        case.run()
    for round_no in range(rounds):
        gc.collect()  # once per round: a full collection over the streams' objects costs tens of ms
        shift = round_no % len(cases)
        for case in (*cases[shift:], *cases[:shift]):
            case.times.append(case.run())


def _per_kind(stream: Stream, rounds: int) -> dict[str, dict[str, float]]:
    """decode vs json.loads per frame kind: µs per frame, best of ``rounds`` interleaved rounds."""
    groups: dict[str, list[bytes]] = {}
    for kind, data in zip(stream.kinds, stream.wire, strict=True):
        groups.setdefault(kind, []).append(data)
    cases: list[tuple[str, _Case, _Case]] = []
    for kind, wire in groups.items():
        repeat = max(1, -(-PER_KIND_MIN_CALLS // len(wire)))
        nbytes = sum(map(len, wire))
        cases.append((kind, _case("decode", codec.decode_server_frame, wire, nbytes, repeat),
                      _case("json.loads", json.loads, wire, nbytes, repeat)))  # fmt: skip
    _run_interleaved([case for _, *pair in cases for case in pair], rounds)
    total_decode = sum(min(dec.times) / dec.units * len(groups[kind]) for kind, dec, _ in cases)
    result: dict[str, dict[str, float]] = {}
    for kind, dec, loads in cases:
        decode_us = min(dec.times) / dec.units * 1e6
        loads_us = min(loads.times) / loads.units * 1e6
        result[kind] = {
            "frames": len(groups[kind]),
            "mean_bytes": round(dec.nbytes / dec.units, 1),
            "decode_us": round(decode_us, 3),
            "json_loads_us": round(loads_us, 3),
            "ratio": round(loads_us / decode_us, 3),
            "decode_time_share": round(decode_us * len(groups[kind]) / 1e6 / total_decode, 4),
        }
    return dict(sorted(result.items(), key=lambda item: item[1]["ratio"]))


def run_benchmark(
    server: Stream, client: Stream, rounds: int = DEFAULT_ROUNDS, *, per_kind: bool = True
) -> dict[str, Any]:
    """Time every case over the streams, interleaved for ``rounds`` rounds, and return the report."""
    started = time.perf_counter()
    server_bytes, client_bytes = server.nbytes, client.nbytes
    full_items = list(zip(server.wire, server.reply_types, strict=True))
    cases = {
        case.name: case
        for case in (
            _case("decode", codec.decode_server_frame, server.wire, server_bytes),
            _case("json_loads", json.loads, server.wire, server_bytes),
            _case("decode_full", _decode_with_reply, full_items, server_bytes),
            _case("client_decode", codec.decode_client_frame, client.wire, client_bytes),
            _case("client_json_loads", json.loads, client.wire, client_bytes),
            _case("encode_server", codec.encode, server.frames, server_bytes),
            _case("encode_client", codec.encode, client.frames, client_bytes),
        )
    }
    _run_interleaved(list(cases.values()), rounds)
    rates = {name: case.rates() for name, case in cases.items()}
    decode, loads, full = rates["decode"], rates["json_loads"], rates["decode_full"]
    ratio = decode["fps"] / loads["fps"]
    report: dict[str, Any] = {
        "benchmark": "protocol",
        "frames": len(server.wire),
        "bytes": server_bytes,
        "mean_frame_bytes": round(server_bytes / max(1, len(server.wire)), 1),
        "rounds": rounds,
        "stat": "best",  # each rate uses the least time of its rounds; *_median use the median round
        "decode_fps": round(decode["fps"]),
        "decode_mbps": round(decode["mbps"], 2),
        "json_loads_fps": round(loads["fps"]),
        "json_loads_mbps": round(loads["mbps"], 2),
        "ratio": round(ratio, 3),
        "ratio_median": round(decode["fps_median"] / loads["fps_median"], 3),
        "goal": GOAL,
        "goal_met": ratio >= GOAL,
        "decode_full_fps": round(full["fps"]),
        "ratio_full": round(full["fps"] / loads["fps"], 3),
        "client": {
            "frames": len(client.wire),
            "bytes": client_bytes,
            "decode_fps": round(rates["client_decode"]["fps"]),
            "decode_mbps": round(rates["client_decode"]["mbps"], 2),
            "json_loads_fps": round(rates["client_json_loads"]["fps"]),
            "ratio": round(rates["client_decode"]["fps"] / rates["client_json_loads"]["fps"], 3),
        },
        "encode": {
            "server_fps": round(rates["encode_server"]["fps"]),
            "server_mbps": round(rates["encode_server"]["mbps"], 2),
            "client_fps": round(rates["encode_client"]["fps"]),
            "client_mbps": round(rates["encode_client"]["mbps"], 2),
        },
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "msgspec": msgspec.__version__,
        "shopdesk": desktop.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }
    if per_kind:
        report["per_kind"] = _per_kind(server, rounds)
    report["elapsed_s"] = round(time.perf_counter() - started, 2)
    return report


# --- output ---------------------------------------------------------------------------------------------


def format_table(report: dict[str, Any]) -> str:
    """The report for people."""
    client, encode, loads_mbps = report["client"], report["encode"], report["json_loads_mbps"]
    lines = [
        f"shopdesk.v1 codec: {report['frames']:,} server frames, {report['bytes'] / 1e6:.2f} MB "
        f"(mean {report['mean_frame_bytes']:.0f} B), best of {report['rounds']} interleaved rounds",
        f"  {'case':<34}{'frames/s':>12}{'MB/s':>9}",
        f"  {'decode_server_frame':<34}{report['decode_fps']:>12,}{report['decode_mbps']:>9.1f}",
        f"  {'json.loads (no validation)':<34}{report['json_loads_fps']:>12,}{loads_mbps:>9.1f}",
        f"  {'decode + decode_reply for ok':<34}{report['decode_full_fps']:>12,}",
        f"  {'decode_client_frame':<34}{client['decode_fps']:>12,}{client['decode_mbps']:>9.1f}",
        f"  {'json.loads (client stream)':<34}{client['json_loads_fps']:>12,}",
        f"  {'encode (server stream)':<34}{encode['server_fps']:>12,}{encode['server_mbps']:>9.1f}",
        f"  {'encode (client stream)':<34}{encode['client_fps']:>12,}{encode['client_mbps']:>9.1f}",
        f"ratio decode/json.loads = {report['ratio']:.3f} (median rounds {report['ratio_median']:.3f}); "
        f"goal >= {report['goal']}: {'met' if report['goal_met'] else 'NOT met'}",
        f"with reply data decoded too: {report['ratio_full']:.3f}; client→server: {client['ratio']:.3f}",
    ]
    if "per_kind" in report:
        lines.append(f"  {'kind (slowest to validate first)':<34}{'n':>6}{'bytes':>8}{'decode µs':>11}"
                     f"{'loads µs':>10}{'ratio':>7}{'time %':>8}")  # fmt: skip
        for kind, row in report["per_kind"].items():
            lines.append(
                f"  {kind:<34}{row['frames']:>6}{row['mean_bytes']:>8.0f}{row['decode_us']:>11.2f}"
                f"{row['json_loads_us']:>10.2f}{row['ratio']:>7.2f}{row['decode_time_share'] * 100:>8.1f}"
            )
    lines.append(
        f"Python {report['python']} ({report['implementation']}), msgspec {report['msgspec']}, "
        f"{report['cpus']} CPUs, {report['elapsed_s']} s timed"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--frames", type=int, default=DEFAULT_FRAMES, help="server (and client) frames")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="timed rounds per case")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the stream")
    parser.add_argument("--json-only", action="store_true", help="no table on stderr")
    parser.add_argument("--no-per-kind", action="store_true", help="skip the per-kind breakdown")
    args = parser.parse_args(argv)
    if args.frames < 1 or args.rounds < 1:
        parser.error("--frames and --rounds must be at least 1")
    server = build_server_stream(args.frames, args.seed)
    client = build_client_stream(args.frames, args.seed)
    report = run_benchmark(server, client, args.rounds, per_kind=not args.no_per_kind)
    report["seed"] = args.seed
    print(json.dumps(report, ensure_ascii=False))
    if not args.json_only:
        print(format_table(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
