"""A chat in a window of its own: the conversation's pane beside its own, toggleable side panel.

The agent detaches a chat to keep it in view beside others (a buyer being walked through a return while new
buyers arrive in the main window). The window holds the *same* :class:`ConversationPane` the main window
showed — moved, not rebuilt — so the draft, the scroll position and anything pending come along; attaching
it back moves the pane home again (:meth:`ChatWindow.take_pane`).

The window only composes: the pane, a :class:`SidePanel` with its :class:`CustomerSide` bound to this one
conversation, and its shortcuts (收回到主窗口, 客户资料; the toggle is also a button in the chat's header).
Its geometry, splitter and panel visibility are kept by the main window in :class:`WindowState` under
``detached/<conversation id>/…``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from desktop.ui import icons, team_actions
from desktop.ui.customer_side import CustomerSide
from desktop.ui.live_workbench import LiveWorkbench
from desktop.ui.shortcuts import SHORTCUTS
from desktop.ui.side_panel import QUICK_REPLIES_TAB, SidePanel
from desktop.ui.window_state import WindowState

if TYPE_CHECKING:
    from desktop.ui.conversation_pane import ConversationPane

DEFAULT_SIZE = (900, 680)
SIDE_MIN_WIDTH = 320  # the customer panel's fields need this much


class ChatWindow(QMainWindow):
    attach_requested = Signal(str)  # conversation id: put this chat back into the main window
    closed = Signal(str)  # conversation id: the agent closed the window (the chat goes back, quietly)

    def __init__(
        self,
        workbench: LiveWorkbench,
        pane: ConversationPane,
        *,
        state: WindowState,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chatWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # the main window disposes of it
        self.workbench = workbench
        self.conversation_id = pane.conversation_id
        self.state = state
        self._closing_for_attach = False

        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("chatWindowSplit")
        self.split.setChildrenCollapsible(False)
        self.setCentralWidget(self.split)
        self.pane = pane
        self.split.addWidget(pane)  # re-parents the pane: its draft, model and scroll position come along
        pane.show()
        pane.set_detached(True)
        self.side_panel = SidePanel(self.split)
        self.side_panel.setMinimumWidth(SIDE_MIN_WIDTH)  # never squeezed to a sliver by a restored splitter
        self.split.addWidget(self.side_panel)
        self.split.setStretchFactor(0, 1)
        self.split.setSizes([600, 300])
        self.customer_side = CustomerSide(workbench, self.side_panel, self)
        self.customer_side.bind(self.conversation_id)
        self.customer_side.order_card_requested.connect(lambda _conv, order: pane.send_order(order))
        self.customer_side.reply_insert_requested.connect(lambda _conv, reply: pane.insert_reply(reply))
        self.customer_side.reply_send_requested.connect(lambda _conv, reply: pane.send_reply(reply))
        pane.selected_order = lambda: self.customer_side.selected_order
        pane.quick_replies_requested.connect(self._show_quick_replies)
        pane.attach_requested.connect(self._attach)
        pane.title_changed.connect(self._title)
        pane.notice.connect(self._notice)
        pane.accept_requested.connect(self._accept)

        # shortcuts of this window (shortcuts.SHORTCUTS); 客户资料 also as a button in the chat's header
        handlers: dict[str, Callable[[], object]] = {
            "focus_composer": pane.composer.focus_input,
            "transfer": lambda: self._pane_action(pane.transfer_action),
            "close_chat": lambda: self._pane_action(pane.close_action),
            "detach": self._attach,
            "toggle_side": lambda: None,  # the action is checkable: toggled does the work
        }
        self.shortcut_actions: dict[str, QAction] = {}
        for item in SHORTCUTS:
            if item.in_chat_window():
                action = QAction(item.text(), self)
                action.setShortcut(item.sequence())
                action.triggered.connect(lambda _checked=False, run=handlers[item.id]: run())
                self.addAction(action)
                self.shortcut_actions[item.id] = action
        self.attach_action = self.shortcut_actions["detach"]
        self.attach_action.setText(self.tr("收回到主窗口"))
        self.side_action = self.shortcut_actions["toggle_side"]
        self.side_action.setText(self.tr("客户资料"))
        self.side_action.setIcon(icons.icon("customer-panel"))
        self.side_action.setCheckable(True)
        self.side_action.setChecked(True)
        side_tip = self.tr("显示或隐藏客户资料（%1）").replace("%1", self.side_action.shortcut().toString())
        self.side_action.setToolTip(side_tip)
        self.side_action.toggled.connect(self.side_panel.setVisible)
        pane.add_header_action(self.side_action)

        self._restore()
        pane.refresh_header()  # emits the title

    # --- public -------------------------------------------------------------------------------------------

    def take_pane(self) -> ConversationPane:
        """Give the pane back (to the main window) and close: the pane must outlive this window."""
        pane = self.pane
        pane.quick_replies_requested.disconnect(self._show_quick_replies)
        pane.attach_requested.disconnect(self._attach)
        pane.title_changed.disconnect(self._title)
        pane.notice.disconnect(self._notice)
        pane.accept_requested.disconnect(self._accept)
        pane.selected_order = lambda: None
        pane.remove_header_action(self.side_action)
        pane.set_detached(False)
        pane.setParent(None)  # type: ignore[call-overload]  # out of this window before it goes
        self.save_state()
        self.customer_side.close()
        self._closing_for_attach = True
        self.close()
        return pane

    def dispose(self) -> None:
        """The app is closing: the pane stops listening, the window closes without giving the chat back."""
        self.pane.flush()
        self.pane.disconnect_workbench()
        self.customer_side.close()
        self._closing_for_attach = True
        self.close()
        self.deleteLater()

    def save_state(self) -> None:
        prefix = f"detached/{self.conversation_id}"
        self.state.set_bytes(f"{prefix}/geometry", QByteArray(self.saveGeometry()))
        self.state.set_bytes(f"{prefix}/split", QByteArray(self.split.saveState()))
        self.state.set_text(f"{prefix}/side", "1" if self.side_action.isChecked() else "0")

    def side_panel_shown(self) -> bool:
        return self.side_action.isChecked()

    # --- internals ----------------------------------------------------------------------------------------

    def _restore(self) -> None:
        prefix = f"detached/{self.conversation_id}"
        if self.state.text(f"{prefix}/side") == "0":
            self.side_action.setChecked(False)  # first: a narrow window without the panel is allowed
        geometry = self.state.bytes(f"{prefix}/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*DEFAULT_SIZE)
        split = self.state.bytes(f"{prefix}/split")
        if split is not None:
            self.split.restoreState(split)

    def _attach(self) -> None:
        self.attach_requested.emit(self.conversation_id)

    def _show_quick_replies(self) -> None:
        self.side_action.setChecked(True)
        self.side_panel.setCurrentIndex(QUICK_REPLIES_TAB)

    @staticmethod
    def _pane_action(action: QAction) -> None:
        if action.isVisible() and action.isEnabled():
            action.trigger()

    def _accept(self) -> None:
        team_actions.accept(self.workbench, self.conversation_id, self._notice)

    def _notice(self, text: str) -> None:
        self.statusBar().showMessage(text, 8_000)

    def _title(self, name: str) -> None:
        self.setWindowTitle(self.tr("%1 - ShopDesk").replace("%1", name))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.pane.shown()  # the agent looks at this chat now: read, cursor in the composer

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if not self._closing_for_attach:
            self.closed.emit(self.conversation_id)
