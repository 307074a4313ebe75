"""Render the side panel's three tabs with demo-shop data to PNGs, for a person to look at.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_side_panel [out_dir]

Writes ``side_customer.png``, ``side_orders.png`` and ``side_quick.png`` (340x700) to ``/tmp`` by default.
The side-panel tests build the same panel.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta, timezone
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.core.quick_replies import QuickReplyIndex
from desktop.protocol.objects import Conversation, Customer, Message, Order, Party, QuickReply
from desktop.server.demo_seed import (
    DEFAULT_NOW_MS,
    QUICK_REPLIES,
    build_demo_shop,
    to_protocol_customer,
    to_protocol_order,
)
from desktop.ui.side_panel import SidePanel

CHINA = timezone(timedelta(hours=8))
SIZE = (340, 700)


def sample_customer() -> tuple[Customer, list[Order]]:
    """The demo buyer with the most orders (tags, spend), given a note if the seed left it without."""
    shop = build_demo_shop()
    buyer = max(shop.buyers, key=lambda b: (shop.orders_count(b.id), len(b.tags), b.id))
    customer = to_protocol_customer(buyer, shop)
    if not customer.note:
        customer.note = "老客户，尺码偏大一码；上次的退货已处理完毕，发货前请再核对一次地址。"
    return customer, [to_protocol_order(o) for o in shop.orders_of(buyer.id)]


def sample_past(customer_id: str) -> list[Conversation]:
    texts = [
        ("active", 2 * 86_400_000 - 5_400_000, "好的，收到了，谢谢亲～"),
        ("closed", 9 * 86_400_000 + 24_300_000, "睡衣洗了以后会缩水吗？我平时穿L码"),
        ("closed", 40 * 86_400_000 - 31_020_000, "退货的快递单号已经填好了，麻烦帮忙看一下退款什么时候到账"),
    ]
    past = []
    for n, (status, age, text) in enumerate(texts, 1):
        at = DEFAULT_NOW_MS - age
        message = Message(
            id=f"m-past-{n}",
            conversation_id=f"c-past-{n}",
            sender=Party(role="customer", id=customer_id),
            kind="text",
            body={"text": text},
            created_at=at,
        )
        past.append(
            Conversation(
                id=f"c-past-{n}",
                customer_id=customer_id,
                status=status,  # type: ignore[arg-type]
                last_message=message,
                created_at=at - 600_000,
            )
        )
    return past


def sample_index() -> QuickReplyIndex:
    team = [
        QuickReply(id=f"t-{n}", scope="team", group=r.group, shortcut=r.shortcut, text=r.text, updated_at=0)
        for n, r in enumerate(QUICK_REPLIES)
    ]
    personal = [
        QuickReply(
            id="p-1",
            scope="personal",
            group="我的常用",
            shortcut="hi",
            text="亲，在的～有什么可以帮您？",
            updated_at=0,
        ),
        QuickReply(
            id="p-2",
            scope="personal",
            group="我的常用",
            shortcut="tkd",
            text="亲，退款已经帮您申请了，预计1–3个工作日原路退回～",
            updated_at=0,
        ),
        QuickReply(
            id="p-3",
            scope="personal",
            group="售后",
            shortcut="",
            text="<b>不是粗体</b> 稍等，我帮您查一下物流",
            updated_at=0,
        ),
    ]
    return QuickReplyIndex([*team, *personal])


def build_panel() -> SidePanel:
    panel = SidePanel(tz=CHINA)
    customer, orders = sample_customer()
    panel.customer_panel.show_customer(customer, sample_past(customer.id))
    panel.orders_panel.set_orders(orders)
    panel.orders_panel.view.setCurrentIndex(panel.orders_panel.model.index(0))
    panel.quick_reply_panel.set_index(sample_index())
    panel.resize(*SIZE)
    return panel


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[1] if len(argv) > 1 else "/tmp")
    app = QApplication.instance() or QApplication(argv[:1])
    panel = build_panel()
    panel.show()
    ok = True
    for tab, name in enumerate(("side_customer.png", "side_orders.png", "side_quick.png")):
        panel.setCurrentIndex(tab)
        app.processEvents()
        ok = panel.grab().save(str(out / name)) and ok
        print(f"saved {out / name}")
    panel.close()
    panel.deleteLater()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
