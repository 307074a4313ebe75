"""The 客户 tab: who the buyer is, their tags and note (editable), contact, spend and past conversations.

A view only: :meth:`CustomerPanel.show_customer` is fed by the conversation pane, and edits come back as
signals (``tags_edited`` with the whole list, ``note_edited`` debounced). Everything from the buyer or the
server is plain text. When :meth:`show_customer` switches to another customer, an unsent note edit is
emitted first, while :attr:`CustomerPanel.customer_id` still names the customer it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol.objects import (
    Conversation,
    ConversationStatus,
    Customer,
    ImageBody,
    OrderBody,
    ProductBody,
)
from desktop.ui.conversation_delegate import avatar_colour
from desktop.ui.i18n import kind_label
from desktop.ui.load_state import LoadStatePage
from desktop.ui.money import date_text, date_time_text, yuan
from desktop.ui.note_editor import NoteEditor, NoteState
from desktop.ui.past_conversation_delegate import PastConversationDelegate, PastRole
from desktop.ui.plain_text import one_line
from desktop.ui.tag_editor import TagEditor
from desktop.ui.theme import ThemeColors, colors


def panel_style(theme: ThemeColors) -> str:
    """The panel's own style sheet in ``theme``'s colours (rebuilt when the theme changes)."""
    muted, separator = theme.muted.name(), theme.separator.name()
    badge_bg, badge_fg = theme.badge_bg.name(), theme.badge_fg.name()
    return f"""
QLabel#sectionTitle {{ color: {muted}; font-weight: bold; }}
QLabel#fieldName {{ color: {muted}; }}
QLabel#levelBadge {{ background: {badge_bg}; color: {badge_fg}; border-radius: 4px; padding: 1px 6px; }}
QFrame#separator {{ color: {separator}; }}
"""


def conversation_status_text(status: ConversationStatus) -> str:
    if status == "waiting":
        return QCoreApplication.translate("ConversationStatus", "排队中")
    if status == "active":
        return QCoreApplication.translate("ConversationStatus", "进行中")
    return QCoreApplication.translate("ConversationStatus", "已结束")


def last_message_preview(conversation: Conversation) -> str:
    """The last message on one line: its text, or a bracketed kind for images, products and orders."""
    message = conversation.last_message
    if message is None:
        return ""
    try:
        body = message.content()
    except ValueError:
        return ""
    if isinstance(body, ImageBody):
        return kind_label("image")
    if isinstance(body, ProductBody):
        return f"{kind_label('product')} {one_line(body.title)}"
    if isinstance(body, OrderBody):
        return f"{kind_label('order')} {one_line(body.order_id)}"
    return one_line(body.text)


def _label(text: str = "", parent: QWidget | None = None, name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


class Avatar(QWidget):
    """A coloured circle with the nickname's first character (avatar images are not fetched)."""

    def __init__(self, size: int = 44, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(size, size)
        self.initial = ""
        self._key = ""

    def set_person(self, key: str, nickname: str) -> None:
        self._key = key
        self.initial = one_line(nickname)[:1].upper()
        self.update()

    def sizeHint(self) -> QSize:
        return self.size()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(avatar_colour(self._key))
        painter.drawEllipse(QRectF(self.rect()))
        font = QFont(self.font())
        font.setPixelSize(self.height() * 2 // 5)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(colors().avatar_fg)
        painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.initial)
        painter.end()


class CustomerPanel(QWidget):
    tags_edited = Signal(list)
    note_edited = Signal(str)
    past_conversation_activated = Signal(str)
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self._apply_colours()
        self._tz = tz
        self._customer: Customer | None = None

        self.avatar = Avatar(44, self)
        self.nickname_label = _label("", self)
        self.nickname_label.setWordWrap(True)
        name_font = QFont(self.font())
        name_font.setBold(True)
        name_font.setPointSizeF(max(name_font.pointSizeF(), 9.0) * 1.15)
        self.nickname_label.setFont(name_font)
        self.level_label = _label("", self, "levelBadge")
        self.seen_label = _label("", self, "fieldName")

        self.phone_label = _label("", self)
        self.address_label = _label("", self)
        self.address_label.setWordWrap(True)
        self.orders_label = _label("", self)
        self.spent_label = _label("", self)

        self.tag_editor = TagEditor(self)
        self.tag_editor.tags_edited.connect(self.tags_edited)
        self.note_editor = NoteEditor(self)
        self.note_editor.note_edited.connect(self.note_edited)
        self.past_list = QListWidget(self)
        self.past_list.setObjectName("pastConversations")
        self.past_list.setFrameShape(QFrame.Shape.NoFrame)
        self.past_list.setItemDelegate(PastConversationDelegate(self.past_list))
        self.past_list.setMouseTracking(True)
        self.past_list.viewport().setAutoFillBackground(False)
        self.past_list.setStyleSheet("QListWidget { background: transparent; }")
        self.past_list.setMinimumHeight(150)
        self.past_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.past_list.itemClicked.connect(self._past_item_chosen)
        self.past_list.installEventFilter(self)
        self.past_empty_label = _label(self.tr("暂无历史会话"), self, "fieldName")

        self.state_page = LoadStatePage(self)
        self.state_page.retry_requested.connect(self.retry_requested)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self._build_content())
        self.stack.addWidget(self.state_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.show_customer(None, [])

    # --- public API ------------------------------------------------------------------------------------

    @property
    def customer_id(self) -> str | None:
        """The id of the customer shown (what ``tags_edited`` and ``note_edited`` are about)."""
        return None if self._customer is None else self._customer.id

    def show_customer(self, customer: Customer | None, past: Sequence[Conversation] = ()) -> None:
        if customer is None or (self._customer is not None and customer.id != self._customer.id):
            self.note_editor.flush()  # an unsent edit belongs to the customer shown until now
        same = customer is not None and self._customer is not None and customer.id == self._customer.id
        self._customer = customer
        if customer is None:
            self.state_page.show_message(self.tr("暂无客户资料"))
            self.stack.setCurrentWidget(self.state_page)
            self.tag_editor.set_tags([])
            self.note_editor.set_note("", force=True)
            self.past_list.clear()
            return
        self.avatar.set_person(customer.id, customer.nickname)
        self.nickname_label.setText(one_line(customer.nickname) or customer.id)
        self.level_label.setText(one_line(customer.level))
        self.level_label.setVisible(bool(customer.level))
        self.seen_label.setText(self.tr("首次访问 {0}").format(date_text(customer.first_seen, self._tz)))
        self.phone_label.setText(one_line(customer.phone_masked) or self.tr("未提供"))
        self.address_label.setText(one_line(customer.address_masked) or self.tr("未提供"))
        self.orders_label.setText(self.tr("%n 笔", "", customer.orders_count))
        self.spent_label.setText(yuan(customer.total_spent_cents))
        if not same:
            self.tag_editor.clear_input()
        self.tag_editor.set_tags(customer.tags)
        self.note_editor.set_note(customer.note, force=not same)
        self._show_past(past)
        self.stack.setCurrentIndex(0)

    def flush_note(self) -> None:
        """Save an unsent note edit now (the panel is about to show someone else or to close)."""
        self.note_editor.flush()

    def set_note_state(self, state: NoteState) -> None:
        self.note_editor.set_state(state)

    def set_loading(self, loading: bool) -> None:
        if loading:
            self.state_page.show_message(self.tr("正在加载客户资料…"))
            self.stack.setCurrentWidget(self.state_page)
        elif self._customer is not None:
            self.stack.setCurrentIndex(0)
        else:
            self.state_page.show_message(self.tr("暂无客户资料"))

    def set_error(self, message: str) -> None:
        self.state_page.show_error(self.tr("加载客户资料失败：{0}").format(one_line(message)))
        self.stack.setCurrentWidget(self.state_page)

    # --- building --------------------------------------------------------------------------------------

    def _build_content(self) -> QWidget:
        content = QWidget()
        content.setObjectName("customerContent")
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.setSpacing(4)
        names.addWidget(self.nickname_label)
        level_row = QHBoxLayout()
        level_row.setSpacing(8)
        level_row.addWidget(self.level_label)
        level_row.addWidget(self.seen_label)
        level_row.addStretch(1)
        names.addLayout(level_row)
        header.addLayout(names, 1)

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(7)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for name, field in (
            (self.tr("手机"), self.phone_label),
            (self.tr("地址"), self.address_label),
            (self.tr("订单数"), self.orders_label),
            (self.tr("累计消费"), self.spent_label),
        ):
            form.addRow(_label(name, content, "fieldName"), field)

        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addWidget(self._separator(content))
        layout.addLayout(form)
        layout.addWidget(self._separator(content))
        layout.addWidget(_label(self.tr("标签"), content, "sectionTitle"))
        for fixed in (self.tag_editor, self.note_editor):  # they take their height, the list the rest
            fixed.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.tag_editor, 0)
        layout.addSpacing(4)
        layout.addWidget(self.note_editor, 0)
        layout.addSpacing(4)
        layout.addWidget(_label(self.tr("历史会话"), content, "sectionTitle"))
        layout.addWidget(self.past_empty_label)
        layout.addWidget(self.past_list, 1)
        layout.addStretch(1)  # when there are no past conversations, the blank goes to the bottom

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        return scroll

    @staticmethod
    def _separator(parent: QWidget) -> QFrame:
        line = QFrame(parent)
        line.setObjectName("separator")
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        return line

    def _show_past(self, past: Sequence[Conversation]) -> None:
        self.past_list.clear()

        def when(conversation: Conversation) -> int:
            last = conversation.last_message
            return last.created_at if last is not None else conversation.created_at

        for conversation in sorted(past, key=when, reverse=True):
            headline = f"{date_time_text(when(conversation), self._tz)}  ·  "
            headline += conversation_status_text(conversation.status)
            preview = last_message_preview(conversation) or self.tr("（无消息）")
            item = QListWidgetItem(f"{headline}\n{preview}")  # the accessible text; the delegate paints
            item.setData(PastRole.CONVERSATION_ID, conversation.id)
            item.setData(PastRole.HEADLINE, headline)
            item.setData(PastRole.PREVIEW, preview)
            self.past_list.addItem(item)
        self.past_list.setVisible(bool(past))
        self.past_empty_label.setVisible(not past)

    # --- events ----------------------------------------------------------------------------------------

    def _apply_colours(self) -> None:
        style = panel_style(colors())
        if self.styleSheet() != style:  # setting it re-polishes, which sends another StyleChange
            self.setStyleSheet(style)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):  # theme.apply_theme
            self._apply_colours()
        super().changeEvent(event)

    def _past_item_chosen(self, item: QListWidgetItem) -> None:
        conversation_id = item.data(PastRole.CONVERSATION_ID)
        if conversation_id:
            self.past_conversation_activated.emit(conversation_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.past_list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.past_list.currentItem() is not None
        ):
            self._past_item_chosen(self.past_list.currentItem())
            return True
        return super().eventFilter(watched, event)
