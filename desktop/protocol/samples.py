"""One realistic example of every shopdesk.v1 frame: used by the self-test, the tests and the docs."""

from __future__ import annotations

import base64

from desktop.protocol import codec
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import (
    Agent,
    Conversation,
    Customer,
    Me,
    Message,
    Order,
    OrderItem,
    Party,
    QuickReply,
    QuickReplyDraft,
)

T0 = 1_764_000_000_000
# A 1×1 transparent PNG.
PIXEL_PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()

BUYER = Party(role="customer", id="u-1001")
AGENT = Party(role="agent", id="a-1")
MESSAGE = Message(
    id="m-5001",
    conversation_id="cv-42",
    client_msg_id=None,
    sender=BUYER,
    kind="text",
    body={"text": "请问这件有M码吗？"},
    created_at=T0,
)
AGENT_MESSAGE = Message(
    id="m-5002",
    conversation_id="cv-42",
    client_msg_id="3b0c8f6e-2f1a-4d1e-9a51-4cbe2a7a9d10",
    sender=AGENT,
    kind="text",
    body={"text": "亲，M码有货的，今天下单48小时内发货哦～"},
    created_at=T0 + 20_000,
)
CONVERSATION = Conversation(
    id="cv-42",
    customer_id="u-1001",
    status="active",
    assignee_id="a-1",
    last_message=MESSAGE,
    unread=1,
    waiting_since=T0,
    created_at=T0 - 5_000,
    customer_nickname="小鹿乱撞",
)
CUSTOMER = Customer(
    id="u-1001",
    nickname="小鹿乱撞",
    level="金卡会员",
    tags=["老客户", "大码"],
    note="喜欢宽松款，上次换过一次尺码",
    phone_masked="138****5678",
    address_masked="浙江省杭州市西湖区****",
    orders_count=6,
    total_spent_cents=125_900,
    first_seen=T0 - 86_400_000 * 300,
    last_seen=T0,
)
ORDER = Order(
    id="o-20261125-0001",
    status="shipped",
    items=[OrderItem(product_id="p-7", title="纯棉宽松短袖T恤 男女同款", qty=2, price_cents=5_900)],
    total_cents=11_800,
    created_at=T0 - 86_400_000,
    tracking_no="SF1234567890",
)
QUICK_REPLY = QuickReply(
    id="qr-1",
    scope="team",
    group="售后",
    shortcut="tk",
    text="亲爱的{customer.nickname}，退款申请已收到，订单{order.id}会在1-3个工作日内处理～",
    updated_at=T0,
)
AGENT_INFO = Agent(id="a-1", name="客服小美", status="online", max_concurrent=6, active_count=3)
SUSPENDED_AGENT = Agent(
    id="a-2", name="客服阿杰", status="online", max_concurrent=8, active_count=5, suspended=True
)
ME = Me(role="agent", id="a-1", name="客服小美", shop="demo")


def client_frames() -> list[f.Frame]:
    """One example of every frame a client sends."""
    send = p.MessageSendData(
        conversation_id="cv-42",
        client_msg_id="3b0c8f6e-2f1a-4d1e-9a51-4cbe2a7a9d10",
        kind="text",
        body={"text": "亲，M码有货的，今天下单48小时内发货哦～"},
    )
    return [
        f.Login(id="c1", data=p.LoginData(shop="demo", username="agent1", password="demo123")),
        f.CustomerRegister(id="c2", data=p.RegisterData(shop="demo", nickname="小鹿乱撞")),
        f.Hello(
            id="c3",
            data=p.HelloData(
                role="agent",
                token="tok-abc",
                client=p.ClientInfo(name="shopdesk", version="0.1.0"),
                resume=p.Resume(since=1042),
            ),
        ),
        f.SyncSnapshot(id="c4"),
        f.PresenceSet(id="c5", data=p.PresenceSetData(status="busy")),
        f.ConversationAccept(id="c6", data=p.ConversationRef(conversation_id="cv-42")),
        f.ConversationTransfer(
            id="c7", data=p.TransferData(conversation_id="cv-42", to_agent_id="a-2", note="买家要开发票")
        ),
        f.ConversationClose(id="c8", data=p.CloseData(conversation_id="cv-42", reason="已解决")),
        f.ConversationRead(id="c9", data=p.ReadData(conversation_id="cv-42", up_to_message_id="m-5001")),
        f.MessageSend(id="c10", data=send),
        f.MessageSend(
            id="c11",
            data=p.MessageSendData(
                conversation_id="cv-42",
                client_msg_id="a1",
                kind="image",
                body={"mime": "image/png", "data_b64": PIXEL_PNG, "width": 1, "height": 1},
            ),
        ),
        f.MessageSend(
            id="c12",
            data=p.MessageSendData(
                conversation_id="cv-42",
                client_msg_id="a2",
                kind="product",
                body={"product_id": "p-7", "title": "纯棉宽松短袖T恤 男女同款", "price_cents": 5_900},
            ),
        ),
        f.MessageSend(
            id="c13",
            data=p.MessageSendData(
                conversation_id="cv-42", client_msg_id="a3", kind="order", body={"order_id": ORDER.id}
            ),
        ),
        f.HistoryFetch(
            id="c14", data=p.HistoryFetchData(conversation_id="cv-42", before_message_id="m-5001", limit=50)
        ),
        f.CustomerGet(id="c15", data=p.CustomerRef(customer_id="u-1001")),
        f.CustomerUpdate(id="c16", data=p.CustomerUpdateData(customer_id="u-1001", tags=["老客户"], note="")),
        f.OrdersList(id="c17", data=p.CustomerRef(customer_id="u-1001")),
        f.QuickRepliesUpsert(
            id="c18",
            data=p.QuickReplyUpsertData(
                quick_reply=QuickReplyDraft(
                    scope="personal", group="常用", shortcut="xx", text="谢谢亲的支持！"
                )
            ),
        ),
        f.QuickRepliesDelete(id="c19", data=p.IdRef(id="qr-9")),
        f.RatingInvite(id="c20", data=p.ConversationRef(conversation_id="cv-42")),
        f.RatingSubmit(id="c21", data=p.RatingSubmitData(conversation_id="cv-42", score=5, comment="很耐心")),
        f.StatsGet(id="c22", data=p.StatsData(since=T0 - 3_600_000)),
        f.AgentsList(id="c23"),
        f.PresenceSet(id="c24", data=p.PresenceSetData(status="online", suspended=True)),
        f.TypingSend(data=p.TypingData(conversation_id="cv-42")),
        codec.ok("s1"),
        codec.error("unsupported", "this client answers no requests", re="s2"),
    ]


def server_frames() -> list[f.Frame]:
    """One example of every frame a server sends (ok frames carry typed reply data)."""
    return [
        f.ConversationAssigned(seq=1043, ts=T0, data=p.ConversationData(conversation=CONVERSATION)),
        f.ConversationUpdated(seq=1044, ts=T0, data=p.ConversationData(conversation=CONVERSATION)),
        f.MessageCreated(seq=1045, ts=T0, data=p.MessageData(message=MESSAGE)),
        f.MessageRead(
            seq=1046,
            ts=T0,
            data=p.MessageReadData(conversation_id="cv-42", up_to_message_id="m-5002", reader=BUYER),
        ),
        f.CustomerUpdated(seq=1047, ts=T0, data=p.CustomerData(customer=CUSTOMER)),
        f.QuickRepliesChanged(seq=1048, ts=T0, data=p.QuickRepliesChangedData(quick_reply=QUICK_REPLY)),
        f.QuickRepliesChanged(seq=1049, ts=T0, data=p.QuickRepliesChangedData(deleted_id="qr-9")),
        f.QueueUpdated(seq=1050, ts=T0, data=p.QueueUpdatedData(waiting=3)),
        f.RatingReceived(seq=1051, ts=T0, data=p.RatingReceivedData(conversation_id="cv-42", score=5)),
        f.RatingRequested(seq=1052, ts=T0, data=p.ConversationRef(conversation_id="cv-42")),
        f.TypingEvent(ts=T0, data=p.TypingEventData(conversation_id="cv-42", from_=BUYER)),
        f.PresenceChanged(ts=T0, data=p.PresenceChangedData(agent_id="a-2", status="away")),
        f.PresenceChanged(ts=T0, data=p.PresenceChangedData(agent_id="a-2", status="online", suspended=True)),
        codec.ok("c1", p.LoginOk(token="tok-abc", expires_at=T0 + 86_400_000)),
        codec.ok("c3", p.HelloOk(session="s-9", me=ME, seq=1042)),
        codec.ok(
            "c4",
            p.SnapshotOk(
                seq=1042,
                conversations=[CONVERSATION],
                agents=[AGENT_INFO, SUSPENDED_AGENT],
                quick_replies=[QUICK_REPLY],
            ),
        ),
        codec.ok("c10", p.MessageData(message=AGENT_MESSAGE)),
        codec.ok("c14", p.HistoryOk(messages=[MESSAGE, AGENT_MESSAGE], more=False)),
        codec.ok("c17", p.OrdersOk(orders=[ORDER])),
        codec.ok(
            "c22",
            p.StatsOk(
                since=T0 - 3_600_000,
                conversations_closed=4,
                messages_sent=37,
                responses=12,
                responses_within_3min=11,
                first_responses=5,
                first_response_avg_ms=21_500,
                ratings_count=3,
                ratings_avg=4.67,
            ),
        ),
        codec.ok("c23", p.AgentsOk(agents=[AGENT_INFO, SUSPENDED_AGENT])),
        codec.error("not_found", "没有这个会话", re="c6"),
        codec.error("bad_request", "frame is not a JSON object"),
    ]
