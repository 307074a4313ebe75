"""What a window's side panel shows and changes for the chat in front: profile, orders, quick replies.

:class:`CustomerSide` is the data side of one :class:`~desktop.ui.side_panel.SidePanel`. A window has one
side panel and binds it to the conversation it shows (:meth:`CustomerSide.bind`): the main window rebinds it
on every switch, a detached chat window binds it once. It shows the cached profile and orders at once, asks
the server for fresh ones (``customer.get``, ``orders.list``) when what it has is older than
:data:`REFRESH_AFTER_S`, saves the note and tags (``customer.update``, with the note's saving/saved/failed
state), and saves or deletes personal quick replies. The 订单 and 快捷短语 tabs are built when first shown:
what was fetched meanwhile is handed to them then.

What belongs to the chat is asked of the window through signals that name the conversation: send an order
card, insert or send a quick reply. Fetches for a conversation no longer shown are cancelled; a save in
flight completes, and only touches the panel if the same customer is still shown.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.client.connection import RequestFailedError
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Customer, Order, QuickReplyDraft
from desktop.ui.live_workbench import LiveWorkbench
from desktop.ui.side_panel import SidePanel
from desktop.ui.tasks import TaskSet

log = logging.getLogger(__name__)

REFRESH_AFTER_S = 60.0  # a profile or order list fetched this recently is not asked for again on a switch


class CustomerSide(QObject):
    order_card_requested = Signal(str, object)  # conversation id, Order: send its card in that chat
    reply_insert_requested = Signal(str, object)  # conversation id, QuickReply: put it in the composer
    reply_send_requested = Signal(str, object)  # conversation id, QuickReply: send it now

    def __init__(self, workbench: LiveWorkbench, panel: SidePanel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.panel = panel
        self.tasks = TaskSet("side")
        self.conversation_id: str | None = None
        self.customer_id: str | None = None
        self.customer: Customer | None = None
        self.selected_order: Order | None = None
        self.orders: list[Order] = []
        self._orders_loading = False
        self._orders_error = ""
        self._fetched: dict[tuple[str, str], float] = {}  # ("customer" | "orders", customer id) → monotonic
        customer_panel = panel.customer_panel
        customer_panel.note_edited.connect(lambda note: self._save(note_state=True, note=note))
        customer_panel.tags_edited.connect(lambda tags: self._save(note_state=False, tags=tags))
        customer_panel.retry_requested.connect(lambda: self.refresh_customer(force=True))
        panel.panel_built.connect(self._panel_built)
        workbench.customer_changed.connect(self.customer_changed)
        workbench.quick_replies_changed.connect(self.quick_replies_changed)

    # --- bound by the window ------------------------------------------------------------------------------

    def bind(self, conversation_id: str | None) -> None:
        """Show the buyer of ``conversation_id`` (None: nobody); fetch what is not fresh."""
        if conversation_id == self.conversation_id:
            return
        self.panel.customer_panel.flush_note()  # an unsent edit belongs to the buyer shown until now
        for name in ("customer", "orders"):
            self.tasks.cancel(name)
        conv = None if conversation_id is None else self.workbench.conversation(conversation_id)
        self.conversation_id = conversation_id
        self.customer_id = None if conv is None else conv.customer_id
        self.selected_order = None
        self._orders_loading, self._orders_error = False, ""
        self.orders = [] if self.customer_id is None else self.workbench.store.orders(self.customer_id)
        self._show(None if self.customer_id is None else self.workbench.customer(self.customer_id))
        if self.panel.built("orders"):
            self.panel.orders_panel.set_orders(self.orders)
        self.refresh_customer()
        self.refresh_orders()

    def close(self) -> None:
        """The window is closing: stop listening, cancel fetches."""
        self.panel.customer_panel.flush_note()
        self.workbench.customer_changed.disconnect(self.customer_changed)
        self.workbench.quick_replies_changed.disconnect(self.quick_replies_changed)
        self.tasks.cancel_all()

    # --- fed by the workbench -----------------------------------------------------------------------------

    def customer_changed(self, customer_id: str) -> None:
        """The workbench has a newer profile of someone: show it if it is this buyer."""
        if customer_id == self.customer_id:
            customer = self.workbench.customer(customer_id)
            if customer != self.customer:
                self._show(customer)

    def quick_replies_changed(self) -> None:
        if self.panel.built("quick_replies"):
            self.panel.quick_reply_panel.set_index(self.workbench.quick_replies())

    # --- fetching -----------------------------------------------------------------------------------------

    def refresh_customer(self, *, force: bool = False) -> None:
        customer_id = self.customer_id
        if customer_id is None or not (force or self._stale("customer", customer_id)):
            return
        panel = self.panel.customer_panel
        panel.set_loading(self.customer is None)

        async def run() -> None:
            try:
                reply = await self.workbench.request(
                    f.CustomerGet(id="", data=p.CustomerRef(customer_id=customer_id)), p.CustomerData
                )
            except RequestFailedError as exc:
                panel.set_loading(False)
                if self.customer is None:
                    panel.set_error(str(exc))
                return
            self._fetched["customer", customer_id] = time.monotonic()
            panel.set_loading(False)
            self._show(reply.customer)
            self.workbench.remember_customer(reply.customer)

        self.tasks.spawn(run(), name="customer")

    def refresh_orders(self, *, force: bool = False) -> None:
        customer_id = self.customer_id
        if customer_id is None or not (force or self._stale("orders", customer_id)):
            return
        side = self.panel
        self._orders_loading, self._orders_error = True, ""
        if side.built("orders"):
            side.orders_panel.set_loading(not self.orders)

        async def run() -> None:
            try:
                reply = await self.workbench.request(
                    f.OrdersList(id="", data=p.CustomerRef(customer_id=customer_id)), p.OrdersOk
                )
            except RequestFailedError as exc:
                self._orders_loading, self._orders_error = False, str(exc)
                if side.built("orders"):
                    side.orders_panel.set_loading(False)
                    if not self.orders:
                        side.orders_panel.set_error(str(exc))
                return
            self._fetched["orders", customer_id] = time.monotonic()
            self._orders_loading = False
            self.orders = list(reply.orders)
            self.workbench.client.cache_orders(customer_id, self.orders)
            if side.built("orders"):
                side.orders_panel.set_loading(False)
                side.orders_panel.set_orders(self.orders)

        self.tasks.spawn(run(), name="orders")

    def _stale(self, what: str, customer_id: str) -> bool:
        fetched = self._fetched.get((what, customer_id))
        return fetched is None or time.monotonic() - fetched > REFRESH_AFTER_S

    # --- internals ----------------------------------------------------------------------------------------

    def _show(self, customer: Customer | None) -> None:
        self.customer = customer
        past = []
        if customer is not None:
            past = [
                c
                for c in self.workbench.store.customer_conversations(customer.id)
                if c.id != self.conversation_id
            ]
        self.panel.customer_panel.show_customer(customer, past)

    def _save(self, *, note_state: bool, **changes: Any) -> None:
        """customer.update with ``changes`` (note or tags); the note shows its saving state."""
        customer = self.customer
        if customer is None:
            return
        panel = self.panel.customer_panel
        if note_state:
            panel.set_note_state("saving")
        data = p.CustomerUpdateData(customer_id=customer.id, **changes)

        async def run() -> None:
            try:
                reply = await self.workbench.request(f.CustomerUpdate(id="", data=data), p.CustomerData)
            except RequestFailedError as exc:
                log.info("customer.update failed: %s", exc)
                if note_state and panel.customer_id == customer.id:
                    panel.set_note_state("failed")
                return
            self.workbench.remember_customer(reply.customer)  # shown through customer_changed if in front
            if note_state and panel.customer_id == customer.id:
                panel.set_note_state("saved")

        # not cancelled by a switch: the edit was the agent's, it is saved whichever chat is in front
        self.tasks.spawn(run(), name=f"customer-update:{customer.id}:{sorted(changes)}")

    def _panel_built(self, name: str, panel: Any) -> None:
        """A tab was opened for the first time: wire it and show what is known."""
        if name == "orders":
            panel.send_order_card.connect(self._order_card)
            panel.order_selected.connect(self._order_selected)
            panel.retry_requested.connect(lambda: self.refresh_orders(force=True))
            panel.set_orders(self.orders)
            if self._orders_error and not self.orders:
                panel.set_error(self._orders_error)
            elif self._orders_loading and not self.orders:
                panel.set_loading(True)
        elif name == "quick_replies":
            panel.insert_requested.connect(self._reply_insert)
            panel.send_requested.connect(self._reply_send)
            panel.save_requested.connect(self._save_reply)
            panel.delete_requested.connect(self._delete_reply)
            panel.set_index(self.workbench.quick_replies())

    def _order_card(self, order: Order) -> None:
        if self.conversation_id is not None:
            self.order_card_requested.emit(self.conversation_id, order)

    def _reply_insert(self, reply: Any) -> None:
        if self.conversation_id is not None:
            self.reply_insert_requested.emit(self.conversation_id, reply)

    def _reply_send(self, reply: Any) -> None:
        if self.conversation_id is not None:
            self.reply_send_requested.emit(self.conversation_id, reply)

    def _order_selected(self, order: Order) -> None:
        self.selected_order = order

    def _save_reply(self, draft: QuickReplyDraft) -> None:
        async def run() -> None:
            try:
                await self.workbench.request(
                    f.QuickRepliesUpsert(id="", data=p.QuickReplyUpsertData(quick_reply=draft)),
                    p.QuickReplyOk,
                )
            except RequestFailedError as exc:
                log.warning("saving a quick reply failed: %s", exc)

        self.tasks.spawn(run())

    def _delete_reply(self, reply_id: str) -> None:
        async def run() -> None:
            try:
                await self.workbench.request(f.QuickRepliesDelete(id="", data=p.IdRef(id=reply_id)), p.Empty)
            except RequestFailedError as exc:
                log.warning("deleting a quick reply failed: %s", exc)

        self.tasks.spawn(run())
