"""One conversation, ready to be placed anywhere: header, chat view and composer.

A :class:`ConversationPane` is bound to ONE conversation id for its whole life. The main window shows one at a
time (and keeps a few recently used ones alive, so switching back is instant); a detached chat window holds
one of its own. The pane talks to the rest of the app only through the :class:`LiveWorkbench`: it listens to
the workbench's per-conversation signals and sends through its client. Its parts know nothing of each
other: the pane wires their signals.

The side panel (profile, orders, quick replies) is not part of the pane: each window has one, bound to the
chat in front (:class:`~desktop.ui.customer_side.CustomerSide`), so that opening a chat builds only what is
needed to read and answer it. The window hands the pane what the side panel asks for (:meth:`insert_reply`,
:meth:`send_reply`, :meth:`send_order`) and tells it which order is selected there (:attr:`selected_order`).
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QMetaObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.client.connection import OutboxChange, RequestFailedError
from desktop.core.placeholders import AGENT_NAME, CUSTOMER_NICKNAME, ORDER_ID, FillResult, fill_placeholders
from desktop.protocol import limits
from desktop.protocol import payloads as p
from desktop.protocol.objects import (
    ImageBody,
    Message,
    Order,
    OrderBody,
    Party,
    QuickReply,
)
from desktop.protocol.payloads import RatingReceivedData
from desktop.ui import icons, team_actions
from desktop.ui.chat_model import ChatModel
from desktop.ui.chat_view import ChatView
from desktop.ui.composer import Composer
from desktop.ui.i18n import fill, kind_label
from desktop.ui.live_workbench import LiveWorkbench, now_ms
from desktop.ui.plain_text import one_line
from desktop.ui.tasks import TaskSet

log = logging.getLogger(__name__)

REVEAL_CONTEXT = 10  # messages shown before a search hit, so it is read in its context
FIRST_PAGE = 30  # ~3 screens of a chat; older ones come from the cache as the agent scrolls up


def rating_line(rating: RatingReceivedData, at_ms: int) -> Message:
    """The buyer's rating as a system line of the chat (★★★★☆ and the comment, plain text)."""
    stars = "★" * rating.score + "☆" * (5 - rating.score)
    text = fill(QCoreApplication.translate("ConversationPane", "买家评价 %1（%2 分）"), stars, rating.score)
    if rating.comment:
        text = fill(QCoreApplication.translate("ConversationPane", "%1：%2"), text, rating.comment)
    return _system_line(f"rating:{rating.conversation_id}:{at_ms}", rating.conversation_id, text, at_ms)


def note_line(conversation_id: str, note: str, at_ms: int) -> Message:
    """A colleague's transfer note as a system line of the chat (plain text)."""
    text = fill(QCoreApplication.translate("ConversationPane", "同事转接留言：%1"), note)
    return _system_line(f"transfer:{conversation_id}:{at_ms}", conversation_id, text, at_ms)


def _system_line(line_id: str, conversation_id: str, text: str, at_ms: int) -> Message:
    return Message(
        id=line_id,
        conversation_id=conversation_id,
        sender=Party(role="system", id="system"),
        kind="system",
        body={"text": text[: limits.MAX_TEXT_CHARS]},
        created_at=at_ms,
    )


def _pending_text(data: p.MessageSendData) -> str:
    body = data.body if isinstance(data.body, dict) else {}
    match data.kind:
        case "text":
            return str(body.get("text", ""))
        case "image":
            return kind_label("image")
        case "order":
            return f"{kind_label('order')} {body.get('order_id', '')}"
        case "product":
            return f"{kind_label('product')} {body.get('title', '')}"
        case _:
            return ""


class ConversationPane(QWidget):
    """Header + chat view + composer for one conversation."""

    title_changed = Signal(str)
    quick_replies_requested = Signal()  # the composer's 快捷短语 button: the window shows its phrases
    detach_requested = Signal()  # 在新窗口打开: the host moves this pane into a window of its own
    attach_requested = Signal()  # 收回到主窗口: the detached window gives the pane back
    notice = Signal(str)  # one line for the agent (a failed transfer, close, accept): the host shows it
    accept_requested = Signal()  # 接入 a queued buyer: the host takes it (and follows the chat)

    def __init__(
        self,
        workbench: LiveWorkbench,
        conversation_id: str,
        *,
        enter_sends: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPane")
        self.workbench = workbench
        self.conversation_id = conversation_id
        self.tasks = TaskSet(f"pane:{conversation_id}")  # cancelled when the pane closes
        # the order selected in the side panel of the window showing this pane ({订单号} in phrases)
        self.selected_order: Callable[[], Order | None] = lambda: None
        client = workbench.client
        store = workbench.store

        self.model = ChatModel(parent=self)
        self.model.set_messages(store.messages(conversation_id, limit=FIRST_PAGE))
        for data in store.outbox():
            if data.conversation_id == conversation_id:
                self.model.add_pending(data.client_msg_id, _pending_text(data), now_ms())
        for data, code, text in store.failed_messages():
            if data.conversation_id == conversation_id:
                self.model.add_pending(data.client_msg_id, _pending_text(data), now_ms())
                self.model.mark_failed(data.client_msg_id, f"{code}: {text}")

        # Every widget is created under its final parent: moving a built subtree into a splitter re-polishes
        # all of it (a third of a pane's cost when measured).
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        header_bar = QWidget(self)
        header_bar.setObjectName("conversationHeaderBar")
        header_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        header_row = QHBoxLayout(header_bar)
        header_row.setContentsMargins(0, 0, 8, 0)
        header_row.setSpacing(4)
        self.header = QLabel(header_bar)
        self.header.setObjectName("conversationHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        # a long nickname must not set the pane's minimum width (a narrow detached window): it is clipped
        self.header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.header.setMinimumWidth(60)
        header_row.addWidget(self.header, 1)
        self.window_button = QToolButton(header_bar)
        self.window_button.setObjectName("paneHeaderButton")
        self.window_button.setAutoRaise(True)
        self.window_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.window_button.clicked.connect(self._window_button_clicked)
        header_row.addWidget(self.window_button)
        self._header_row = header_row
        self._header_buttons: dict[QAction, tuple[QToolButton, QMetaObject.Connection]] = {}
        column.addWidget(header_bar)
        # what the agent does with the chat as part of the team (enabled by refresh_header)
        self.accept_action = QAction(self.tr("接入"), self)
        self.accept_action.triggered.connect(self.accept_requested)
        self.transfer_action = QAction(self.tr("转接"), self)
        self.transfer_action.triggered.connect(
            lambda: team_actions.transfer(workbench, conversation_id, self, self.notice.emit)
        )
        self.close_action = QAction(self.tr("结束"), self)
        self.close_action.triggered.connect(
            lambda: team_actions.close(workbench, conversation_id, self, self.notice.emit)
        )
        for action, name in (
            (self.accept_action, "accept"),
            (self.transfer_action, "transfer"),
            (self.close_action, "close-chat"),
        ):
            action.setIcon(icons.icon(name))
            self.add_header_action(action)
        self._detached = False
        self.set_detached(False)
        self.chat_split = QSplitter(Qt.Orientation.Vertical, self)
        self.chat_split.setObjectName("chatSplit")
        self.chat_split.setChildrenCollapsible(False)
        column.addWidget(self.chat_split, 1)
        self.chat_view = ChatView(self.model, load_older=self._load_older, parent=self.chat_split)
        bottom = QWidget(self.chat_split)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.setSpacing(0)
        self.typing_label = QLabel(bottom)
        self.typing_label.setObjectName("typingLabel")
        self.typing_label.setTextFormat(Qt.TextFormat.PlainText)
        self.typing_label.hide()
        bottom_layout.addWidget(self.typing_label)
        self.composer = Composer(
            quick_replies=workbench.quick_replies,
            checker=workbench.checker,
            placeholder_values=self._placeholder_values,
            draft=store.draft(conversation_id),
            enter_sends=enter_sends,
            parent=bottom,
        )
        bottom_layout.addWidget(self.composer, 1)
        self.chat_split.addWidget(self.chat_view)
        self.chat_split.addWidget(bottom)
        self.chat_split.setStretchFactor(0, 1)
        self.chat_split.setSizes([520, 170])

        # the parts → the network
        self.composer.send_text.connect(self.send_text)
        self.composer.send_image.connect(self._send_image)
        self.composer.quick_replies_requested.connect(self.quick_replies_requested)
        self.composer.typing.connect(lambda: client.typing(conversation_id))
        self.composer.draft_changed.connect(lambda text: client.save_draft(conversation_id, text))
        self.chat_view.retry_requested.connect(client.retry)

        # the workbench → the parts
        workbench.messages_added.connect(self._messages_added)
        workbench.outbox_changed.connect(self._outbox_changed)
        workbench.conversation_changed.connect(self._conversation_changed)
        workbench.buyer_typing.connect(self._buyer_typing)
        workbench.quick_replies_changed.connect(self._quick_replies_changed)
        self._typing_until = 0.0
        workbench.tick.connect(self._tick)
        workbench.status_changed.connect(self._link_changed)
        workbench.rating_received.connect(self._rating_received)
        workbench.transfer_note.connect(self._transfer_note)
        rated = store.rating_with_time(conversation_id)
        if rated is not None:
            self.model.append([rating_line(*rated)])
        noted = store.transfer_note(conversation_id)
        if noted is not None:
            self.model.append([note_line(conversation_id, *noted)])

        self.refresh_header()

    # --- public ---------------------------------------------------------------------------------------

    def conversation(self) -> Any:
        return self.workbench.conversation(self.conversation_id)

    def send_text(self, text: str) -> str:
        cmid = self.workbench.client.send_text(self.conversation_id, text)
        self.model.add_pending(cmid, text, now_ms())
        self.chat_view.scroll_to_bottom()
        return cmid

    def reveal_message(self, message_id: str) -> bool:
        """Show the chat at ``message_id`` (a search hit): older messages down to it (and a few before it)
        come from the cache, then it is scrolled to the middle and lit up. False when it is not cached."""
        key = f"m:{message_id}"
        if self.model.row_of(key) is None:
            store = self.workbench.store
            target = store.message(message_id)
            if target is None or target.conversation_id != self.conversation_id:
                return False
            oldest = self._oldest_shown_at()
            if oldest is not None and target.created_at < oldest:
                between = store.count_since(self.conversation_id, target.created_at) - store.count_since(
                    self.conversation_id, oldest
                )
                page = store.messages(
                    self.conversation_id, before_created_at=oldest, limit=between + REVEAL_CONTEXT
                )
                self.model.prepend_older(page)
            elif oldest is None:
                self.model.append([target])
        return self.chat_view.reveal(key)

    def set_detached(self, detached: bool) -> None:
        """Whether the pane sits in a window of its own (its header button then offers to go back)."""
        self._detached = detached
        self.window_button.setIcon(icons.icon("attach" if detached else "detach"))
        if detached:
            self.window_button.setText(self.tr("收回"))
            self.window_button.setToolTip(self.tr("收回到主窗口（Ctrl+Shift+D）"))
        else:
            self.window_button.setText(self.tr("新窗口"))
            self.window_button.setToolTip(self.tr("在新窗口中打开（Ctrl+Shift+D）"))

    def is_detached(self) -> bool:
        return self._detached

    def add_header_action(self, action: QAction) -> QToolButton:
        """A button for ``action`` in the header, before 新窗口/收回 (what the window holding the pane offers
        for it, e.g. the detached window's 客户资料 toggle)."""
        button = QToolButton(self.window_button.parentWidget())
        button.setObjectName("paneHeaderButton")
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setDefaultAction(action)
        # a tool button shows its action's text and state, but not whether it is visible: follow it
        button.setVisible(action.isVisible())
        follow = action.changed.connect(lambda: button.setVisible(action.isVisible()))
        self._header_row.insertWidget(self._header_row.indexOf(self.window_button), button)
        self._header_buttons[action] = (button, follow)
        return button

    def header_button(self, action: QAction) -> QToolButton | None:
        entry = self._header_buttons.get(action)
        return None if entry is None else entry[0]

    def remove_header_action(self, action: QAction) -> None:
        entry = self._header_buttons.pop(action, None)
        if entry is not None:
            button, follow = entry
            action.changed.disconnect(follow)
            button.deleteLater()

    def shown(self) -> None:
        """The agent looks at this chat now: mark it read and put the cursor in the composer."""
        self.workbench.mark_read(self.conversation_id)
        self.composer.focus_input()

    def flush(self) -> None:
        """Keep the draft now (the pane is about to go away or the app to quit)."""
        self.composer.flush_draft()

    def disconnect_workbench(self) -> None:
        """The pane is closing: stop listening and cancel what it still waits for."""
        self.tasks.cancel_all()
        self.chat_view.shutdown()
        for signal, slot in (
            (self.workbench.messages_added, self._messages_added),
            (self.workbench.outbox_changed, self._outbox_changed),
            (self.workbench.conversation_changed, self._conversation_changed),
            (self.workbench.buyer_typing, self._buyer_typing),
            (self.workbench.tick, self._tick),
            (self.workbench.status_changed, self._link_changed),
            (self.workbench.quick_replies_changed, self._quick_replies_changed),
            (self.workbench.rating_received, self._rating_received),
            (self.workbench.transfer_note, self._transfer_note),
        ):
            signal.disconnect(slot)

    def _window_button_clicked(self) -> None:
        (self.attach_requested if self._detached else self.detach_requested).emit()

    # --- from the workbench -----------------------------------------------------------------------------

    def _messages_added(self, conversation_id: str, messages: list[Message]) -> None:
        if conversation_id != self.conversation_id:
            return
        self.model.append(messages)
        if any(m.sender.role == "customer" for m in messages):
            self._typing_until = 0.0
            self.typing_label.hide()
            if self.isVisible() and self.window().isActiveWindow():
                self.workbench.mark_read(self.conversation_id)

    def _outbox_changed(self, change: OutboxChange) -> None:
        if change.conversation_id not in (None, self.conversation_id):
            return
        if self.model.row_of(f"c:{change.client_msg_id}") is None and change.conversation_id is None:
            return
        if change.state == "sent" and change.message is not None:
            self.model.mark_sent(change.client_msg_id, change.message)
        elif change.state == "failed":
            self.model.mark_failed(change.client_msg_id, change.detail)
        elif change.state == "pending":
            self.model.mark_pending(change.client_msg_id)

    def _conversation_changed(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            self.refresh_header()

    def _buyer_typing(self, conversation_id: str) -> None:
        if conversation_id == self.conversation_id:
            self._typing_until = time.monotonic() + 5
            self.typing_label.setText(self.tr("对方正在输入…"))
            self.typing_label.show()

    def _link_changed(self, _status: Any) -> None:
        self.refresh_header()  # who "me" is may just have become known

    def _rating_received(self, rating: RatingReceivedData) -> None:
        if rating.conversation_id == self.conversation_id:
            self.model.append([rating_line(rating, now_ms())])

    def _transfer_note(self, conversation_id: str, note: str, at_ms: int) -> None:
        if conversation_id == self.conversation_id:
            self.model.append([note_line(conversation_id, note, at_ms)])

    def _quick_replies_changed(self) -> None:
        self.composer.refresh_quick_replies()

    def _tick(self, now: int) -> None:
        if self._typing_until and time.monotonic() > self._typing_until:
            self._typing_until = 0.0
            self.typing_label.hide()
        self.model.set_now(now)

    # --- the header ---------------------------------------------------------------------------------------

    def refresh_header(self) -> None:
        """Name and state of the chat, and whether the agent may write in it (emits ``title_changed``)."""
        conv = self.conversation()
        if conv is None:
            self.header.setText("")
            return
        name = one_line(conv.customer_nickname or conv.customer_id)
        state = {
            "active": self.tr("进行中"),
            "waiting": self.tr("排队中"),
            "closed": self.tr("已结束"),
        }[conv.status]
        self.header.setText(f"{name}  ·  {state}")
        me = self.workbench.me_id  # None while offline since start: the outbox takes what is written
        mine = conv.status == "active" and (me is None or conv.assignee_id == me)
        if conv.status == "waiting":
            reason = self.tr("买家在排队，接入后才能回复")
        elif conv.status == "active" and not mine:
            reason = self.tr("这个会话由其他客服接待")
        else:
            reason = ""
        self.composer.set_enabled_for_sending(mine, reason)
        self.accept_action.setVisible(conv.status == "waiting")
        self.transfer_action.setVisible(mine)
        self.close_action.setVisible(mine)
        self.title_changed.emit(name)

    # --- sending what the side panel and the composer ask for --------------------------------------------

    def send_order(self, order: Order) -> None:
        """Send ``order``'s card in this chat."""
        cmid = self.workbench.client.send(self.conversation_id, "order", OrderBody(order_id=order.id))
        self.model.add_pending(cmid, f"{kind_label('order')} {order.id}", now_ms())

    def _send_image(self, data: bytes, mime: str, width: int, height: int) -> None:
        body = ImageBody(
            mime=mime,  # type: ignore[arg-type]  # the composer makes image/png or image/jpeg
            data_b64=base64.b64encode(data).decode(),
            width=width,
            height=height,
        )
        cmid = self.workbench.client.send(self.conversation_id, "image", body)
        self.model.add_pending(cmid, kind_label("image"), now_ms())

    # --- quick replies ----------------------------------------------------------------------------------

    def _placeholder_values(self) -> dict[str, str | None]:
        conv = self.conversation()
        customer = None if conv is None else self.workbench.customer(conv.customer_id)
        order = self.selected_order()
        nickname = None
        if customer is not None:
            nickname = customer.nickname
        elif conv is not None:
            nickname = conv.customer_nickname
        return {
            CUSTOMER_NICKNAME: nickname,
            ORDER_ID: order.id if order is not None else None,
            AGENT_NAME: self.workbench.me_name,
        }

    def _filled(self, reply: QuickReply) -> FillResult:
        values = self._placeholder_values()
        return fill_placeholders(
            reply.text,
            customer_nickname=values[CUSTOMER_NICKNAME],
            order_id=values[ORDER_ID],
            agent_name=values[AGENT_NAME],
        )

    def insert_reply(self, reply: QuickReply) -> None:
        """Put ``reply`` (placeholders filled) into the composer at the cursor."""
        self.composer.insert_text(self._filled(reply).text)
        self.composer.focus_input()

    def send_reply(self, reply: QuickReply) -> bool:
        """Send ``reply`` now (the side panel's double-click / 直接发送) — unless a placeholder stayed
        unfilled or a forbidden word is in it: then it goes into the composer for the agent to look at, as
        a typed text would (the composer's checks say what is wrong). True when it was sent."""
        filled = self._filled(reply)
        text = filled.text.strip()
        if not text:
            return False
        if filled.complete and not self.workbench.checker.check(text):
            self.send_text(text)
            return True
        self.insert_reply(reply)
        if not filled.complete:
            self.notice.emit(self.tr("短语里有未填写的内容，已放入输入框，请补全后发送"))
        else:
            self.notice.emit(self.tr("短语含有敏感词，已放入输入框，请确认后发送"))
            self.composer.send_now()  # the forbidden-word warning a typed text gets; nothing is sent
        return False

    # --- history ------------------------------------------------------------------------------------------

    async def _load_older(self) -> tuple[int, bool]:
        oldest = self.workbench.store.oldest_message(self.conversation_id)
        shown = self.model.message_ids()
        cached_before = None if not shown else self._oldest_shown_at()
        if cached_before is not None and oldest is not None and oldest.created_at < cached_before:
            page = self.workbench.store.messages(
                self.conversation_id, before_created_at=cached_before, limit=FIRST_PAGE
            )
            if page:
                return self.model.prepend_older(page), True
        try:
            _added, more = await self.workbench.client.load_older(self.conversation_id, limit=FIRST_PAGE)
        except RequestFailedError as exc:
            log.info("history.fetch failed: %s", exc)
            return 0, True
        before = self._oldest_shown_at()
        page = self.workbench.store.messages(self.conversation_id, before_created_at=before, limit=FIRST_PAGE)
        return self.model.prepend_older(page), more

    def _oldest_shown_at(self) -> int | None:
        """When the oldest server message shown was sent (the rating and transfer lines are not stored)."""
        for message_id in self.model.message_ids():
            if message_id.startswith(("rating:", "transfer:")):
                continue
            first = self.workbench.store.message(message_id)
            return None if first is None else first.created_at
        return None
