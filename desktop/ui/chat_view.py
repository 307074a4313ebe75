"""The messages of one conversation: a list of bubbles that keeps the agent's place while it changes.

::

                 ┌──────────────────────────┐
                 │ 正在加载更早的消息…      │   ← while older messages load (scrolled to the top)
                 └──────────────────────────┘
    买家的消息 …
                                      客服的消息 …
                 ┌──────────────────┐
                 │ ↓ 3 条新消息     │           ← new messages arrived while the agent reads above
                 └──────────────────┘

Scrolling:

- at the bottom, it sticks there: appended messages (and bubbles that grow) keep the view at the bottom;
- scrolled up, new messages do not move it: a pill counts them, and clicking it goes down;
- rows inserted or removed at or above the top visible row (a page of history, a late message) keep the
  row that was at the top at the same place on the screen: the view does not rely on who changed the
  model, it remembers that row (a persistent index) and its offset before the change and restores it
  after, once per event-loop turn (a change can be several model signals: a separator removed, rows
  inserted);
- near the top it asks for older messages (``load_older``), one request at a time, until one says there
  are no more.

Clicks: a failed message of the agent's → :attr:`ChatView.retry_requested`; an image → a full-size
:class:`ImageViewer` from the message's own data; a product or order card → :attr:`ChatView.card_activated`.
Right click: 复制 for text, 复制订单号 for orders.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QMouseEvent, QResizeEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGraphicsDropShadowEffect,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol.objects import Message
from desktop.ui.chat_delegate import ChatDelegate
from desktop.ui.chat_model import ChatModel, ChatRole
from desktop.ui.image_viewer import ImageViewer
from desktop.ui.tasks import TaskSet
from desktop.ui.theme import colors

log = logging.getLogger(__name__)

LoadOlder = Callable[[], Awaitable[tuple[int, bool]]]

LOAD_AT_PX = 48  # ask for older messages when the view is this close to the top
BOTTOM_SLACK_PX = 8  # this close to the bottom counts as "at the bottom"
OVERLAY_MARGIN = 10


def history_style() -> str:
    """The 没有更早的消息了 / 正在加载 chip, in the theme's card colours (a white chip glared in dark)."""
    theme = colors()
    return (
        f"QLabel {{ color: {theme.muted.name()}; background: {theme.card_bg.name()};"
        f" border: 1px solid {theme.card_border.name()}; border-radius: 11px; padding: 3px 12px;"
        " font-size: 12px; }"
    )


PILL_STYLE = (
    "QPushButton { color: white; background: #1677ff; border: none; border-radius: 14px;"
    " padding: 0 16px; font-size: 13px; }"
    "QPushButton:hover { background: #4096ff; } QPushButton:pressed { background: #0958d9; }"
)


HIGHLIGHT_MS = 2_500  # how long a search hit stays lit


class ChatView(QWidget):
    """One conversation's messages over a :class:`ChatModel` (which the caller owns and fills)."""

    retry_requested = Signal(str)  # client_msg_id of a failed message the agent clicked
    card_activated = Signal(object)  # ProductBody / OrderBody of the card the agent clicked

    def __init__(
        self, model: ChatModel, *, load_older: LoadOlder | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._load_older = load_older
        self._tasks = TaskSet("chat")
        tasks = self._tasks
        self.destroyed.connect(lambda *_: tasks.cancel_all())
        self._stick = True  # follow the bottom
        self._exhausted = load_older is None
        self._load_failed = False
        self._new_count = 0
        self._anchor: tuple[QPersistentModelIndex, int] | None = None
        self._append_at: int | None = None  # rows about to be inserted at the end start here
        self._viewers: dict[str, ImageViewer] = {}

        self.list = QListView(self)  # under its final parent: re-parenting a built view re-lays it out
        # configured before it gets the model: each of these re-lays out every row once a model is set
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setUniformItemSizes(False)
        self.list.setLayoutMode(QListView.LayoutMode.Batched)  # long chats lay out in slices, not one stall
        self.list.setBatchSize(200)
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.list.verticalScrollBar().setSingleStep(24)
        # "about to change" first, before the view's own handlers drop its layout; then the view updates
        # itself on "changed", then we settle (put the remembered row back, or stay at the bottom)
        model.rowsAboutToBeInserted.connect(self._before_insert)
        model.rowsAboutToBeRemoved.connect(self._before_remove)
        self.delegate = ChatDelegate(self.list)
        self.delegate.watch(model)
        self.list.setItemDelegate(self.delegate)
        self.list.setModel(model)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu_requested)
        self.list.viewport().installEventFilter(self)
        self.list.viewport().setMouseTracking(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)

        self.history_label = QLabel(self)
        self.history_label.setTextFormat(Qt.TextFormat.PlainText)
        self.history_label.setStyleSheet(history_style())
        self.history_label.hide()
        self.pill = QPushButton(self)
        self.pill.setStyleSheet(PILL_STYLE)
        self.pill.setCursor(Qt.CursorShape.PointingHandCursor)
        self.pill.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pill.setFixedHeight(28)
        shadow = QGraphicsDropShadowEffect(self.pill)
        shadow.setBlurRadius(12)
        shadow.setOffset(0, 2)
        shadow.setColor(QColor(0, 0, 0, 60))
        self.pill.setGraphicsEffect(shadow)
        self.pill.clicked.connect(self.scroll_to_bottom)
        self.pill.hide()

        bar = self.list.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(self._range_changed)
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(lambda *_: self._settle())
        model.modelReset.connect(self._reset)

    # --- reading ------------------------------------------------------------------------------------

    @property
    def new_message_count(self) -> int:
        """Messages that arrived below while the agent was reading above (the pill's number)."""
        return self._new_count

    @property
    def history_exhausted(self) -> bool:
        """No older messages to ask for (``load_older`` said so, or there is none)."""
        return self._exhausted

    @property
    def loading_older(self) -> bool:
        return self._tasks.running("load-older")

    def is_at_bottom(self) -> bool:
        bar = self.list.verticalScrollBar()
        return bar.value() >= bar.maximum() - BOTTOM_SLACK_PX

    def top_visible_index(self) -> QModelIndex:
        return self.list.indexAt(QPoint(1, 1))

    # --- acting -------------------------------------------------------------------------------------

    def scroll_to_bottom(self) -> None:
        """Go to the newest message and follow the bottom again (the pill, or the agent sent something)."""
        self._stick = True
        self._anchor = None
        self._new_count = 0
        self.list.executeDelayedItemsLayout()
        bar = self.list.verticalScrollBar()
        bar.setValue(bar.maximum())
        self._update_overlays()

    def reveal(self, key: str, *, highlight_ms: int = HIGHLIGHT_MS) -> bool:
        """Scroll so the row with ``key`` sits in the middle and light it up for a while (a search hit);
        the view stops following the bottom. False when the model has no such row."""
        row = self.model.row_of(key)
        if row is None:
            return False
        self._stick = False
        self._anchor = None
        self.list.executeDelayedItemsLayout()
        self.list.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.model.set_highlight(key)
        QTimer.singleShot(highlight_ms, self, lambda: self._unhighlight(key))
        self._update_overlays()
        return True

    def _unhighlight(self, key: str) -> None:
        if self.model.data(self.model.index(self.model.row_of(key) or 0, 0), ChatRole.HIGHLIGHTED):
            self.model.set_highlight(None)

    def prepare(self) -> None:
        """Lay the rows out before the view is first shown (a pane made ahead of time)."""
        self.list.executeDelayedItemsLayout()

    def shutdown(self) -> None:
        """Stop loading and close image windows (the conversation is closed)."""
        self._tasks.cancel_all()
        for viewer in list(self._viewers.values()):
            viewer.close()

    def open_image(self, index: QModelIndex | QPersistentModelIndex) -> ImageViewer | None:
        """Show the image message at ``index`` full size in its own window (raised if already open)."""
        if index.data(ChatRole.KIND) != "image":
            return None
        key = index.data(ChatRole.KEY)
        viewer = self._viewers.get(key)
        if viewer is None:
            viewer = ImageViewer(index.data(ChatRole.IMAGE_BYTES), title=self.tr("图片"), parent=self)
            self._viewers[key] = viewer
            viewer.destroyed.connect(lambda *_, k=key: self._viewers.pop(k, None))
            viewer.show()
        else:
            viewer.showNormal()
            viewer.raise_()
            viewer.activateWindow()
        return viewer

    def copy_text(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Put the message's plain text on the clipboard (an order: its order number)."""
        if index.data(ChatRole.KIND) == "order":
            text = index.data(ChatRole.ORDER_ID) or ""
        else:
            text = index.data(ChatRole.TEXT) or ""
        QGuiApplication.clipboard().setText(text)

    def context_menu(self, index: QModelIndex | QPersistentModelIndex) -> QMenu | None:
        """The right-click menu for the row at ``index``; None when there is nothing to offer."""
        if not index.isValid() or index.data(ChatRole.IS_SEPARATOR):
            return None
        kind = index.data(ChatRole.KIND)
        menu = QMenu(self)
        persistent = QPersistentModelIndex(index)
        if kind in ("text", "system"):
            menu.addAction(self.tr("复制"), lambda: self._if_valid(persistent, self.copy_text))
        elif kind == "order":
            menu.addAction(self.tr("复制订单号"), lambda: self._if_valid(persistent, self.copy_text))
        elif kind == "image":
            menu.addAction(self.tr("查看大图"), lambda: self._if_valid(persistent, self.open_image))
        if index.data(ChatRole.STATE) == "failed" and index.data(ChatRole.CLIENT_MSG_ID):
            client_msg_id = index.data(ChatRole.CLIENT_MSG_ID)
            menu.addAction(self.tr("重新发送"), lambda: self.retry_requested.emit(client_msg_id))
        if menu.isEmpty():
            menu.deleteLater()
            return None
        return menu

    # --- keeping the place --------------------------------------------------------------------------

    def _before_insert(self, _parent: QModelIndex, first: int, _last: int) -> None:
        self._append_at = first if first == self.model.rowCount() else None
        if self._append_at is None:  # rows below the screen never move what the agent reads
            self._remember_anchor(first, None)

    def _before_remove(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._append_at = None
        self._remember_anchor(first, last)

    def _remember_anchor(self, first: int, removed_last: int | None) -> None:
        """Before rows change at or above the top visible row: remember that row and where it is."""
        if self._anchor is not None:
            return  # one change made of several signals: keep the place from before the first one
        top = self.top_visible_index()
        if not top.isValid() or first > top.row():
            return
        row = top.row()
        if removed_last is not None and row <= removed_last:
            row = removed_last + 1  # the top row goes: hold on to the first one that stays
            if row >= self.model.rowCount():
                return
        index = self.model.index(row, 0)
        self._anchor = (QPersistentModelIndex(index), self.list.visualRect(index).top())
        QTimer.singleShot(0, self, self._forget_anchor)

    def _forget_anchor(self) -> None:
        self._anchor = None

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        appended = self._append_at == first
        self._append_at = None
        if appended:
            # Rows at the end: Qt lays them out on its own (once per loop turn, however many batches
            # came), and _range_changed keeps the view at the bottom when it was there. Laying out
            # every row on each append cost most of the UI loop in a burst.
            if not self._stick:
                rows = (self.model.index(row, 0) for row in range(first, last + 1))
                self._new_count += sum(1 for index in rows if not index.data(ChatRole.IS_SEPARATOR))
            self._update_overlays()
            return
        self._settle()

    def _settle(self) -> None:
        """After a change: lay out now, then put the remembered row back in place, or stay at the bottom.

        A hidden view (a pane kept for a chat not in front) does nothing: laying out every row of every
        hidden chat on each insert cost seconds in a burst. It settles when shown again.
        """
        if not self.isVisible():
            self._anchor = None
            return
        self.list.executeDelayedItemsLayout()
        bar = self.list.verticalScrollBar()
        if self._anchor is not None:
            index, offset = self._anchor
            if index.isValid():
                bar.setValue(
                    bar.value() + self.list.visualRect(self.model.index(index.row(), 0)).top() - offset
                )
            else:
                self._anchor = None
        elif self._stick:
            bar.setValue(bar.maximum())
        self._update_overlays()

    def _reset(self) -> None:
        """Another conversation (or a fresh load): start at the bottom, history may be asked for again."""
        self._tasks.cancel("load-older")
        self._exhausted = self._load_older is None
        self._load_failed = False
        self._anchor = None
        self._new_count = 0
        self._stick = True
        self._settle()
        QTimer.singleShot(0, self, self._fill_if_short)

    def _range_changed(self, _minimum: int, maximum: int) -> None:
        if self._stick and self._anchor is None:
            self.list.verticalScrollBar().setValue(maximum)

    def _scrolled(self, value: int) -> None:
        self._stick = self.is_at_bottom()
        if self._stick:
            self._new_count = 0
        if value <= LOAD_AT_PX:
            self._maybe_load_older()
        self._update_overlays()

    # --- older messages -----------------------------------------------------------------------------

    def _maybe_load_older(self) -> None:
        if self._load_older is None or self._exhausted or self.loading_older or not self.isVisible():
            return
        self._load_failed = False
        self._tasks.spawn(self._load(self._load_older), name="load-older")
        self._update_overlays()

    async def _load(self, load_older: LoadOlder) -> None:
        try:
            _added, more = await load_older()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # offline, timed out: scrolling to the top again tries again
            log.warning("loading older messages failed: %s", exc)
            self._load_failed = True
            more = True
        else:
            self._exhausted = not more
        QTimer.singleShot(0, self, self._update_overlays)  # after this task counts as done
        if more and not self._load_failed:
            QTimer.singleShot(0, self, self._fill_if_short)

    def _fill_if_short(self) -> None:
        """The messages do not fill the view (nothing to scroll): ask for older ones right away."""
        if self.list.verticalScrollBar().maximum() == 0:
            self._maybe_load_older()

    # --- mouse --------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport():
            if isinstance(event, QMouseEvent):
                self._mouse(event)
            elif isinstance(event, QWheelEvent):
                self._wheel(event)
        return super().eventFilter(watched, event)

    def _wheel(self, event: QWheelEvent) -> None:
        if event.angleDelta().y() > 0 and self.list.verticalScrollBar().value() == 0:
            self._maybe_load_older()  # already at the top: the wheel moves nothing, still ask

    def _mouse(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        kind = event.type()
        left = event.button() == Qt.MouseButton.LeftButton
        if kind == QEvent.Type.MouseButtonRelease and left:
            self._clicked(pos, double=False)
        elif kind == QEvent.Type.MouseButtonDblClick and left:
            self._clicked(pos, double=True)
        elif kind == QEvent.Type.MouseMove:
            self._hover(pos)

    def _target(self, pos: QPoint) -> tuple[QModelIndex, str | None]:
        """The row under ``pos`` and what part of it: "retry", "image", "card" or None."""
        index = self.list.indexAt(pos)
        if not index.isValid() or index.data(ChatRole.IS_SEPARATOR):
            return index, None
        if index.data(ChatRole.STATE) == "failed" and index.data(ChatRole.CLIENT_MSG_ID):
            return index, "retry"  # the whole row: marker, bubble and "发送失败，点击重试"
        rect = self.list.visualRect(index)
        layout = self.delegate.layout(self.list.font(), index, rect.width())
        local = pos - rect.topLeft()
        kind = index.data(ChatRole.KIND)
        if kind == "image" and layout.content.contains(local):
            return index, "image"
        if kind in ("product", "order") and layout.bubble.contains(local):
            return index, "card"
        return index, None

    def _clicked(self, pos: QPoint, *, double: bool) -> None:
        index, part = self._target(pos)
        if part == "retry" and not double:
            self.retry_requested.emit(index.data(ChatRole.CLIENT_MSG_ID))
        elif part == "image" or (double and index.data(ChatRole.KIND) == "image"):
            self.open_image(index)
        elif part == "card" and not double:
            body = self._body(index)
            if body is not None:
                self.card_activated.emit(body)

    def _hover(self, pos: QPoint) -> None:
        _index, part = self._target(pos)
        viewport = self.list.viewport()
        if part is None:
            viewport.unsetCursor()
        else:
            viewport.setCursor(Qt.CursorShape.PointingHandCursor)

    def _body(self, index: QModelIndex) -> Any:
        message = self._message(index)
        return message.content() if message is not None else None

    def _message(self, index: QModelIndex) -> Message | None:
        value = index.data(ChatRole.MESSAGE)
        return value if isinstance(value, Message) else None

    def _context_menu_requested(self, pos: QPoint) -> None:
        menu = self.context_menu(self.list.indexAt(pos))
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.list.viewport().mapToGlobal(pos))

    @staticmethod
    def _if_valid(
        index: QPersistentModelIndex, action: Callable[[QModelIndex | QPersistentModelIndex], object]
    ) -> None:
        if index.isValid():
            action(index)

    # --- overlays -----------------------------------------------------------------------------------

    def _update_overlays(self) -> None:
        at_top = self.list.verticalScrollBar().value() <= LOAD_AT_PX
        if self.loading_older:
            self.history_label.setText(self.tr("正在加载更早的消息…"))
            self.history_label.setVisible(True)
        elif at_top and self._load_failed:
            self.history_label.setText(self.tr("加载更早的消息失败，向上滚动重试"))
            self.history_label.setVisible(True)
        elif at_top and self._exhausted and self._load_older is not None and self.model.rowCount():
            self.history_label.setText(self.tr("没有更早的消息了"))
            self.history_label.setVisible(True)
        else:
            self.history_label.setVisible(False)
        if self._new_count and not self._stick:
            self.pill.setText(self.tr("↓ %n 条新消息", "", self._new_count))
            self.pill.setVisible(True)
        else:
            self.pill.setVisible(False)
        self._place_overlays()

    def _place_overlays(self) -> None:
        area = self.list.geometry()
        viewport = self.list.viewport().geometry().translated(area.topLeft())
        for widget, top in ((self.history_label, True), (self.pill, False)):
            if widget.isHidden():
                continue
            size = widget.sizeHint().expandedTo(widget.minimumSize()).boundedTo(widget.maximumSize())
            x = viewport.left() + (viewport.width() - size.width()) // 2
            y = viewport.top() + OVERLAY_MARGIN if top else viewport.bottom() - OVERLAY_MARGIN - size.height()
            widget.setGeometry(x, y, size.width(), size.height())
            widget.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):  # theme.apply_theme
            self.history_label.setStyleSheet(history_style())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stick:
            QTimer.singleShot(0, self, self.scroll_to_bottom)
        QTimer.singleShot(0, self, self._fill_if_short)
