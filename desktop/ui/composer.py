"""The message input of one conversation: text, quick replies, forbidden-word check, pictures.

The composer knows nothing of the network or the store: the conversation pane gives it the quick-reply
index, the word checker and the placeholder values as callables, and listens to its signals:

- ``send_text(str)``: a text to send (trailing whitespace stripped, never empty, within the limit, checked);
- ``send_image(bytes, str, int, int)``: a confirmed picture, under the protocol's image limit;
- ``typing()``: the agent is typing (at most once every :data:`TYPING_INTERVAL_S`);
- ``draft_changed(str)``: the draft to keep, :data:`DRAFT_DEBOUNCE_MS` after the last edit or on
  :meth:`Composer.flush_draft`;
- ``send_key_changed(bool)``: the agent chose "Enter sends" (True) or "Ctrl+Enter sends" (False).

Sending runs the checks in order: chat open, text within :data:`MAX_TEXT_CHARS`, no forbidden words. A hit
shows :class:`SensitiveWarningBar` ("仍然发送" / "返回修改") and underlines the words in the input with
extra selections; they are re-checked as the agent edits until the text is clean or sent. Text is never
dropped by a refusal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QHideEvent, QImage, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.placeholders import AGENT_NAME, CUSTOMER_NICKNAME, ORDER_ID, FillResult, fill_placeholders
from desktop.core.quick_replies import QuickReplyIndex
from desktop.core.sensitive_words import Hit, SensitiveWordChecker
from desktop.protocol.limits import MAX_TEXT_CHARS
from desktop.protocol.objects import QuickReply
from desktop.ui.composer_input import ENTER_KEYS, ComposerInput
from desktop.ui.composer_text import code_index, found_words, slash_query, typed_slash, utf16_pos
from desktop.ui.image_encoder import ImageEncoder
from desktop.ui.image_preview_strip import ImagePreviewStrip
from desktop.ui.plain_text import multi_line
from desktop.ui.quick_reply_picker import MAX_ROWS, MAX_VISIBLE_ROWS, QuickReplyPicker
from desktop.ui.sensitive_warning_bar import SensitiveWarningBar

TYPING_INTERVAL_S: Final = 3.0
DRAFT_DEBOUNCE_MS: Final = 400
COUNTER_FROM: Final = MAX_TEXT_CHARS - 500  # the character counter shows from here on
HIT_COLOR: Final = QColor("#e02020")
HIT_BACKGROUND: Final = QColor("#ffe4e1")
NOTICE_STYLE: Final = "color: #ad6800;"
ERROR_STYLE: Final = "color: #cf1322;"


class Composer(QWidget):
    send_text = Signal(str)
    send_image = Signal(bytes, str, int, int)  # data, mime, width, height
    typing = Signal()
    draft_changed = Signal(str)
    send_key_changed = Signal(bool)  # True: Enter sends; False: Ctrl+Enter sends
    quick_replies_requested = Signal()  # the 快捷短语 button: the pane shows its quick-reply tab

    def __init__(
        self,
        *,
        quick_replies: Callable[[], QuickReplyIndex | None],
        checker: SensitiveWordChecker,
        placeholder_values: Callable[[], dict[str, str | None]],
        draft: str = "",
        enter_sends: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._quick_replies = quick_replies
        self._checker = checker
        self._placeholder_values = placeholder_values
        self.clock: Callable[[], float] = time.monotonic  # tests may replace it
        self._open = True
        self._closed_reason = ""  # why sending is refused (the placeholder), "" = 会话已结束
        self._programmatic = False
        self._last_text = ""
        self._last_typing: float | None = None
        self._reviewing = False  # a forbidden-word warning was shown: re-check on every edit
        self._placeholder_names: list[str] = []  # unfilled placeholders the notice warns about
        self._slash: int | None = None  # where the picker's "/" is (Python index), while it is open
        self._picker_key: tuple[str, int] | None = None  # (query, id of the index) shown
        self._pending_image: tuple[bytes, str, int, int] | None = None

        self.warning_bar = SensitiveWarningBar(self)
        self.image_strip = ImagePreviewStrip(self)
        self.input = ComposerInput(self)
        self.input.key_interceptor = self._intercept_key
        self.notice = QLabel(self)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.counter = QLabel(self)
        self.counter.setTextFormat(Qt.TextFormat.PlainText)
        self.counter.hide()
        self.send_button = QToolButton(self)
        self.send_button.setText(self.tr("发送"))
        self.send_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.send_button.setMinimumWidth(72)
        self._build_send_menu()
        self.image_button = QToolButton(self)
        self.image_button.setText(self.tr("图片"))
        self.image_button.setToolTip(self.tr("发送电脑上的图片（也可以直接粘贴或拖进输入框）"))
        self.image_button.setAutoRaise(True)
        self.quick_button = QToolButton(self)
        self.quick_button.setText(self.tr("快捷短语"))
        self.quick_button.setToolTip(self.tr("打开快捷短语（输入框里输入 / 也可以）"))
        self.quick_button.setAutoRaise(True)
        self.picker = QuickReplyPicker(self)  # moves to the window when shown: delete it with the composer
        self.picker.hide()
        self.destroyed.connect(self.picker.deleteLater)
        self._encoder = ImageEncoder(self)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DEBOUNCE_MS)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.image_button)
        bottom.addWidget(self.quick_button)
        bottom.addWidget(self.notice, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.counter)
        bottom.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.warning_bar)
        layout.addWidget(self.image_strip)
        layout.addWidget(self.input, 1)  # the input takes what the pane gives beyond the bars
        layout.addLayout(bottom)

        self.input.textChanged.connect(self._on_text_changed)
        self.input.cursorPositionChanged.connect(self._update_picker)
        self.input.send_requested.connect(self.send_now)
        self.input.image_received.connect(self._on_image)
        self.input.focus_lost.connect(self._close_picker)
        self.send_button.clicked.connect(self.send_now)
        self.image_button.clicked.connect(self.choose_image)
        self.quick_button.clicked.connect(self.quick_replies_requested)
        self.warning_bar.send_anyway.connect(self._send_anyway)
        self.warning_bar.back_to_edit.connect(self._back_to_edit)
        self.image_strip.send_clicked.connect(self.send_pending_image)
        self.image_strip.cancel_clicked.connect(self.cancel_pending_image)
        self.picker.chosen.connect(self._insert_reply)
        self._encoder.encoded.connect(self._on_image_encoded)
        self._encoder.failed.connect(self._on_image_failed)
        self._draft_timer.timeout.connect(self.flush_draft)

        self.set_enter_sends(enter_sends)
        self.set_text(draft)

    def _build_send_menu(self) -> None:
        menu = QMenu(self.send_button)
        group = QActionGroup(menu)
        group.setExclusive(True)
        self.enter_action = QAction(self.tr("按 Enter 发送"), menu, checkable=True)
        self.ctrl_enter_action = QAction(self.tr("按 Ctrl+Enter 发送"), menu, checkable=True)
        for action, value in ((self.enter_action, True), (self.ctrl_enter_action, False)):
            group.addAction(action)
            menu.addAction(action)
            action.triggered.connect(lambda _checked=False, v=value: self._choose_send_key(v))
        self.send_button.setMenu(menu)

    # ------------------------------------------------------------------------------------- public API
    def text(self) -> str:
        return self.input.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text (e.g. a restored draft): no ``draft_changed``, no ``typing``."""
        self._programmatic = True
        try:
            self.input.setPlainText(text)
            self.input.moveCursor(self.input.textCursor().MoveOperation.End)
        finally:
            self._programmatic = False

    def insert_text(self, text: str) -> None:
        """Insert plain ``text`` at the cursor (the side panel's "click inserts"), as if typed."""
        self.input.insertPlainText(text)
        self.input.ensureCursorVisible()

    def enter_sends(self) -> bool:
        return self.input.enter_sends

    def set_enter_sends(self, enter_sends: bool) -> None:
        self.input.enter_sends = enter_sends
        (self.enter_action if enter_sends else self.ctrl_enter_action).setChecked(True)
        self._update_placeholder()

    def focus_input(self) -> None:
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_enabled_for_sending(self, enabled: bool, reason: str = "") -> None:
        """False for a chat the agent cannot write to (closed, queued, someone else's): sends are refused
        (the text stays), the placeholder says why (``reason``, default 会话已结束)."""
        self._open = enabled
        self._closed_reason = reason
        self.send_button.setEnabled(enabled)
        self.image_strip.send_button.setEnabled(enabled and self._pending_image is not None)
        if enabled and self.notice.property("kind") == "closed":
            self._hide_notice()
        self._update_placeholder()

    def is_enabled_for_sending(self) -> bool:
        return self._open

    def flush_draft(self) -> None:
        """Emit ``draft_changed`` with the current text now (e.g. before switching chats)."""
        self._draft_timer.stop()
        self.draft_changed.emit(self.text())

    def send_now(self) -> bool:
        """Send the text if it may be sent (what the Send button and the send key do); True if sent."""
        text = self.text().rstrip()
        if not text or not self._may_send(text):
            return False
        hits = self._checker.check(text)
        if hits:
            self._reviewing = True
            self._show_hits(hits)
            self.warning_bar.show()
            return False
        self._send(text)
        return True

    def has_pending_image(self) -> bool:
        return self._pending_image is not None

    def send_pending_image(self) -> bool:
        """Send the confirmed picture of the preview strip (its "发送图片"); True if sent."""
        if self._pending_image is None or not self._may_send(None):
            return False
        pending, self._pending_image = self._pending_image, None
        self.image_strip.clear()
        self.send_image.emit(*pending)
        return True

    def cancel_pending_image(self) -> None:
        self._encoder.cancel()
        self._pending_image = None
        self.image_strip.clear()

    def refresh_quick_replies(self) -> None:
        """The index was (re)built: refresh an open picker."""
        self._picker_key = None
        self._update_picker()

    # ---------------------------------------------------------------------------------------- sending
    def _may_send(self, text: str | None) -> bool:
        if not self._open:
            self._show_notice(self._closed_reason or self.tr("会话已结束，无法发送"), "closed", error=True)
            return False
        if text is not None and len(text) > MAX_TEXT_CHARS:
            message = self.tr("消息超过 %1 字上限（当前 %2 字），请删减后再发送")
            self._show_notice(
                message.replace("%1", str(MAX_TEXT_CHARS)).replace("%2", str(len(text))), "limit", error=True
            )
            return False
        return True

    def _send(self, text: str) -> None:
        self.send_text.emit(text)
        self._reviewing = False
        self.warning_bar.hide()
        self._placeholder_names = []
        self._hide_notice()
        self._close_picker()
        self.set_text("")
        self._last_text = ""
        self.input.setExtraSelections([])
        self._update_counter("")
        self.flush_draft()

    def _send_anyway(self) -> None:
        text = self.text().rstrip()
        if text and self._may_send(text):
            self._send(text)
        else:
            self.warning_bar.hide()

    def _back_to_edit(self) -> None:
        self.warning_bar.hide()
        self.focus_input()

    def _show_hits(self, hits: list[Hit]) -> None:
        text = self.text()
        self.warning_bar.set_words(found_words(text, hits))
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(HIT_COLOR)
        fmt.setBackground(HIT_BACKGROUND)  # the wave alone is faint under CJK glyphs
        selections = []
        for hit in hits:
            selection = QTextEdit.ExtraSelection()
            cursor = self.input.textCursor()
            cursor.setPosition(utf16_pos(text, hit.start))
            cursor.setPosition(utf16_pos(text, hit.end), cursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.input.setExtraSelections(selections)

    def _recheck(self, text: str) -> None:
        hits = self._checker.check(text)
        if hits:
            self._show_hits(hits)
            return
        self._reviewing = False
        self.warning_bar.hide()
        self.input.setExtraSelections([])

    # ----------------------------------------------------------------------------------------- edits
    def _on_text_changed(self) -> None:
        text = self.text()
        cursor = code_index(text, self.input.textCursor().position())
        if not self._programmatic:
            self._draft_timer.start()
            now = self.clock()
            if text.strip() and (self._last_typing is None or now - self._last_typing >= TYPING_INTERVAL_S):
                self._last_typing = now
                self.typing.emit()
            slash = typed_slash(self._last_text, text, cursor)
            if slash is not None and self._slash is None:
                self._slash = slash
                self._picker_key = None
        self._last_text = text
        self._update_picker()
        if self._reviewing:
            self._recheck(text)
        self._update_counter(text)
        self._update_notice(text)

    def _update_counter(self, text: str) -> None:
        size = len(text.rstrip())
        self.counter.setVisible(size >= COUNTER_FROM)
        self.counter.setText(f"{size}/{MAX_TEXT_CHARS}")
        self.counter.setStyleSheet(ERROR_STYLE if size > MAX_TEXT_CHARS else "color: #8a8a8a;")

    def _update_notice(self, text: str) -> None:
        kind = self.notice.property("kind")
        if kind == "limit" and len(text.rstrip()) <= MAX_TEXT_CHARS:
            self._hide_notice()
        elif kind == "placeholder" and not any(f"{{{name}" in text for name in self._placeholder_names):
            self._placeholder_names = []
            self._hide_notice()

    def _update_placeholder(self) -> None:
        if not self._open:
            self.input.setPlaceholderText(self._closed_reason or self.tr("会话已结束"))
        elif self.input.enter_sends:
            self.input.setPlaceholderText(self.tr("输入消息，Enter 发送，Shift+Enter 换行，/ 快捷短语"))
        else:
            self.input.setPlaceholderText(self.tr("输入消息，Ctrl+Enter 发送，Enter 换行，/ 快捷短语"))

    def _show_notice(self, text: str, kind: str, *, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setProperty("kind", kind)
        self.notice.setStyleSheet(ERROR_STYLE if error else NOTICE_STYLE)
        self.notice.show()

    def _hide_notice(self) -> None:
        self.notice.setProperty("kind", None)
        self.notice.clear()
        self.notice.hide()

    def _choose_send_key(self, enter_sends: bool) -> None:
        if enter_sends != self.input.enter_sends:
            self.set_enter_sends(enter_sends)
            self.send_key_changed.emit(enter_sends)

    # ------------------------------------------------------------------------------ the "/" picker
    def picker_query(self) -> str | None:
        """The query after the ``/`` while the picker is open, else None."""
        if self._slash is None:
            return None
        text = self.text()
        return slash_query(text, self._slash, code_index(text, self.input.textCursor().position()))

    def _update_picker(self) -> None:
        if self._slash is None:
            return
        query = self.picker_query()
        if query is None:
            self._close_picker()
            return
        index = self._quick_replies()
        key = (query, id(index))
        if key != self._picker_key:
            self._picker_key = key
            if index is None:
                self.picker.set_loading()
            else:
                self.picker.set_matches(index.search(query, MAX_ROWS))
        window = self.window()
        rect = self.input.cursorRect()
        rect.moveTopLeft(self.input.viewport().mapTo(window, rect.topLeft()))
        self.picker.show_at(rect, window)

    def _close_picker(self) -> None:
        self._slash = None
        self._picker_key = None
        self.picker.hide()

    def _intercept_key(self, event: QKeyEvent) -> bool:
        if self._slash is None or not self.picker.isVisible():
            return False
        key = event.key()
        moves: dict[int, int] = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: 1 - MAX_VISIBLE_ROWS,
            Qt.Key.Key_PageDown: MAX_VISIBLE_ROWS - 1,
        }
        if key in moves:
            self.picker.move_selection(moves[key])
            return True
        if key == Qt.Key.Key_Escape:
            self._close_picker()
            return True
        if key in (*ENTER_KEYS, Qt.Key.Key_Tab):
            reply = self.picker.current_reply()
            if reply is not None:
                self._insert_reply(reply)
                return True
            self._close_picker()  # nothing to choose: the key does what it does without the picker
        return False

    def _insert_reply(self, reply: QuickReply) -> None:
        """Replace ``/query`` with ``reply``'s text, placeholders filled; warn about what stayed unfilled."""
        if self._slash is None:
            return
        result = self._fill(reply.text)
        text = self.text()
        cursor = self.input.textCursor()
        end = cursor.position()
        cursor.setPosition(utf16_pos(text, self._slash))
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        self._close_picker()
        cursor.insertText(multi_line(result.text))
        self.input.setTextCursor(cursor)
        self.focus_input()
        if not result.complete:
            self._placeholder_names = [*result.missing, *result.unknown]
            self._show_notice(self._placeholder_message(result), "placeholder")

    def _fill(self, text: str) -> FillResult:
        values = self._placeholder_values()
        return fill_placeholders(
            text,
            customer_nickname=values.get(CUSTOMER_NICKNAME),
            order_id=values.get(ORDER_ID),
            agent_name=values.get(AGENT_NAME),
        )

    def _placeholder_message(self, result: FillResult) -> str:
        reasons = {
            ORDER_ID: self.tr("未选择订单"),
            CUSTOMER_NICKNAME: self.tr("没有买家昵称"),
            AGENT_NAME: self.tr("没有客服姓名"),
        }
        parts = [
            self.tr("%1：%2 未填写").replace("%1", reasons[name]).replace("%2", f"{{{name}}}")
            for name in result.missing
        ]
        parts += [self.tr("未知占位符：%1").replace("%1", f"{{{name}}}") for name in result.unknown]
        return self.tr("；", "between the problems found").join(parts)

    # ----------------------------------------------------------------------------------------- images
    def choose_image(self) -> QFileDialog:
        """The 图片 button: pick a picture file (a non-blocking dialog: the app runs asyncio inside Qt)."""
        dialog = QFileDialog(self, self.tr("选择图片"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(self.tr("图片 (*.png *.jpg *.jpeg *.gif *.bmp *.webp)"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.load_image_file)
        dialog.open()
        return dialog

    def load_image_file(self, path: str) -> bool:
        """Read a picture file into the preview strip (scaled and confirmed like a pasted one)."""
        image = QImage(path)
        if image.isNull():
            self.image_strip.show_failed(self.tr("无法读取这个文件：不是图片，或图片已损坏"))
            return False
        self._on_image(image)
        return True

    def _on_image(self, image: QImage) -> None:
        self._pending_image = None
        self.image_strip.show_busy(image)
        self._encoder.start(image)

    def _on_image_encoded(self, data: bytes, mime: str, width: int, height: int) -> None:
        self._pending_image = (bytes(data), mime, width, height)
        self.image_strip.show_ready(width, height, len(data))
        self.image_strip.send_button.setEnabled(self._open)

    def _on_image_failed(self, _reason: str) -> None:
        self.image_strip.show_failed(self.tr("这张图片无法发送（无法读取或无法压缩到限制以内）"))

    def image_busy(self) -> bool:
        """A pasted picture is still being made small enough."""
        return self._encoder.busy()

    def hideEvent(self, event: QHideEvent) -> None:  # Qt's name
        self._close_picker()
        super().hideEvent(event)
