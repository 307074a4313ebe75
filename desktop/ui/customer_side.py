"""What the side panel of one conversation shows and changes: the buyer's profile and orders, the phrases.

:class:`CustomerSide` is the data side of a :class:`~desktop.ui.side_panel.SidePanel` for one conversation:
it shows the cached profile and orders at once, asks the server for fresh ones (``customer.get``,
``orders.list``), saves the note and tags (``customer.update``, with the note's saving/saved/failed
state), and saves or deletes personal quick replies. The 订单 and 快捷短语 tabs are built when first shown:
what was fetched meanwhile is handed to them then.

What belongs to the chat is asked of the pane through signals: send an order card, insert or send a quick
reply. Its requests run in the pane's :class:`TaskSet`, cancelled when the pane closes.
"""

from __future__ import annotations

import logging
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


class CustomerSide(QObject):
    order_card_requested = Signal(object)  # Order: send its card in the chat
    reply_insert_requested = Signal(object)  # QuickReply: put it in the composer
    reply_send_requested = Signal(object)  # QuickReply: send it now

    def __init__(
        self,
        workbench: LiveWorkbench,
        panel: SidePanel,
        conversation_id: str,
        customer_id: str | None,
        tasks: TaskSet,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.panel = panel
        self.conversation_id = conversation_id
        self.customer_id = customer_id
        self.tasks = tasks
        self.customer: Customer | None = None
        self.selected_order: Order | None = None
        self.orders: list[Order] = []
        self._orders_loading = False
        self._orders_error = ""
        customer_panel = panel.customer_panel
        customer_panel.note_edited.connect(lambda note: self._save(note_state=True, note=note))
        customer_panel.tags_edited.connect(lambda tags: self._save(note_state=False, tags=tags))
        customer_panel.retry_requested.connect(self.refresh_customer)
        panel.panel_built.connect(self._panel_built)
        if customer_id is not None:
            self._show(workbench.customer(customer_id))
            self.orders = workbench.store.orders(customer_id)

    # --- fed by the pane --------------------------------------------------------------------------------

    def customer_changed(self, customer_id: str) -> None:
        """The workbench has a newer profile of someone: show it if it is this buyer."""
        if customer_id == self.customer_id:
            customer = self.workbench.customer(customer_id)
            if customer != self.customer:
                self._show(customer)

    def quick_replies_changed(self) -> None:
        if self.panel.built("quick_replies"):
            self.panel.quick_reply_panel.set_index(self.workbench.quick_replies())

    def refresh_customer(self) -> None:
        customer_id = self.customer_id
        if customer_id is None:
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
            panel.set_loading(False)
            self._show(reply.customer)
            self.workbench.remember_customer(reply.customer)

        self.tasks.spawn(run(), name=f"customer:{self.conversation_id}")

    def refresh_orders(self) -> None:
        customer_id = self.customer_id
        if customer_id is None:
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
            self._orders_loading = False
            self.orders = list(reply.orders)
            self.workbench.client.cache_orders(customer_id, self.orders)
            if side.built("orders"):
                side.orders_panel.set_loading(False)
                side.orders_panel.set_orders(self.orders)

        self.tasks.spawn(run(), name=f"orders:{self.conversation_id}")

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
                if note_state:
                    panel.set_note_state("failed")
                return
            self.customer = reply.customer
            self.workbench.remember_customer(reply.customer)
            if note_state:
                panel.set_note_state("saved")

        self.tasks.spawn(run(), name=f"customer-update:{customer.id}:{sorted(changes)}")

    def _panel_built(self, name: str, panel: Any) -> None:
        """A tab was opened for the first time: wire it and show what is known."""
        if name == "orders":
            panel.send_order_card.connect(self.order_card_requested)
            panel.order_selected.connect(self._order_selected)
            panel.retry_requested.connect(self.refresh_orders)
            panel.set_orders(self.orders)
            if self._orders_error and not self.orders:
                panel.set_error(self._orders_error)
            elif self._orders_loading and not self.orders:
                panel.set_loading(True)
        elif name == "quick_replies":
            panel.insert_requested.connect(self.reply_insert_requested)
            panel.send_requested.connect(self.reply_send_requested)
            panel.save_requested.connect(self._save_reply)
            panel.delete_requested.connect(self._delete_reply)
            panel.set_index(self.workbench.quick_replies())

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
