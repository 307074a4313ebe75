"""The workbench window: it only composes components.

    ┌────────────────┬──────────────────────────────┬──────────────┐
    │ 进行中 排队 已结束 │ ConversationPane (one chat):  chat view    │ side panel   │
    │ filter          │                               composer     │ 客户 订单 短语 │
    │ list            │                                            │              │
    ├────────────────┴──────────────────────────────┴──────────────┤
    │ status bar: connection · own status · queue · KPIs of today                 │
    └──────────────────────────────────────────────────────────────────────────────┘

List, pane and side panel sit in one splitter (the pane has its own between chat and composer), so all
parts resize, and every position (and the window geometry) is kept in :class:`WindowState`. The side panel
is the window's, not the pane's: it follows the chat in front (:class:`CustomerSide`). Panes of
recently opened chats stay alive (up to :data:`PANE_CACHE`), so switching back is instant and keeps the
scroll position; a pane that falls out keeps its draft. In quiet moments the panes of my other active chats
are made ahead (:meth:`MainWindow.prewarm`, most urgent first), so opening one of them is a switch too.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from desktop.client.connection import RequestFailedError
from desktop.client.status import LinkState, LinkStatus
from desktop.core.wait_timer import WaitThresholds
from desktop.logs import set_level
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.ui import team_actions
from desktop.ui.conversation_list_model import display_name
from desktop.ui.conversation_list_panel import ConversationListPanel
from desktop.ui.detached_chats import DetachedChats
from desktop.ui.detached_placeholder import DetachedPlaceholder
from desktop.ui.fonts import apply_font_size
from desktop.ui.idle_watch import IdleWatch
from desktop.ui.live_workbench import LiveWorkbench, now_ms
from desktop.ui.memory import release_freed_memory
from desktop.ui.preferences import Preferences
from desktop.ui.shortcuts import SHORTCUTS
from desktop.ui.theme import apply_theme
from desktop.ui.window_state import WindowState
from desktop.ui.workbench_status_bar import WorkbenchStatusBar

if TYPE_CHECKING:
    # imported when the first chat is opened (or made ahead): their widgets cost ~80 ms of start-up imports
    from desktop.protocol.objects import Order
    from desktop.store.search import SearchIndex
    from desktop.ui.chat_window import ChatWindow
    from desktop.ui.conversation_pane import ConversationPane
    from desktop.ui.customer_side import CustomerSide
    from desktop.ui.desktop_alerts import DesktopAlerts
    from desktop.ui.search_dialog import SearchDialog
    from desktop.ui.side_panel import SidePanel

log = logging.getLogger(__name__)

PANE_CACHE = 8
SIDE_MIN_WIDTH = 320  # the side panel's fields stay readable whatever the splitter remembered
ICONS = {  # shortcut action → its icon in the menus
    "accept_next": "accept",
    "transfer": "transfer",
    "close_chat": "close-chat",
    "detach": "detach",
    "search": "search",
    "shortcuts_help": "help",
}
AFTER_START_MS = 400  # what the first frames do not need waits this long after the window is shown
TRIM_AFTER_MS = 2_000  # give freed pane memory back this long after the last eviction
PREWARM_EVERY_MS = 400  # a pane for a likely next chat is made at most this often …
PREWARM_QUIET_S = 1.0  # … and only after this long without typing, switching or news


def deliver_pending_resizes(root: QWidget) -> None:
    """Send the resize events a hidden widget tree keeps for its first show, parents first.

    Qt delays them until ``show()`` (``WA_PendingResizeEvent``), and splitters and scroll areas place their
    children only when they get one: without this a pane made ahead would lay its chat out at a default
    width and again, for real, when first shown.
    """
    for _ in range(4):  # a resize can give children new sizes: a few rounds settle a pane's depth
        pending = [
            w
            for w in (root, *root.findChildren(QWidget))
            if w.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent)
        ]
        if not pending:
            return
        for widget in pending:
            if widget.testAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent):
                widget.setAttribute(Qt.WidgetAttribute.WA_PendingResizeEvent, False)
                QApplication.sendEvent(widget, QResizeEvent(widget.size(), QSize()))


class MainWindow(QMainWindow):
    closed = Signal()  # the agent closed the window (the app then stops the session)
    logout_requested = Signal()  # 退出登录: the app forgets the remembered token and shows the login

    def __init__(
        self,
        workbench: LiveWorkbench,
        *,
        state: WindowState | None = None,
        preferences: Preferences | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.workbench = workbench
        self.state = state or WindowState()
        self.preferences = preferences or Preferences()
        self._panes: OrderedDict[str, ConversationPane] = OrderedDict()
        self._pane_links: dict[str, list[tuple[Any, Any]]] = {}  # what _connect_pane connected, per chat
        self._search_index: SearchIndex | None = None  # opened on the first Ctrl+K
        self._closed = False
        self._pending_open: str | None = None  # accepted from the queue, to open once it is mine
        self._last_activity = time.monotonic()  # input or news: prewarming waits for a quiet moment
        self._prewarm_timer = QTimer(self)
        self._prewarm_timer.setInterval(PREWARM_EVERY_MS)
        self._prewarm_timer.timeout.connect(self._prewarm_step)
        self._prewarm_timer.start()
        self._trim_timer = QTimer(self)
        self._trim_timer.setSingleShot(True)
        self._trim_timer.setInterval(TRIM_AFTER_MS)
        self._trim_timer.timeout.connect(lambda: release_freed_memory())
        self._chat_sizes: list[int] | None = None
        self._update_title()

        self.list_panel = ConversationListPanel(workbench.book, now_ms(), self)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("chatStack")
        self.empty = QLabel(self.tr("在左侧选择一个会话开始接待"), self.stack)
        self.empty.setObjectName("emptyChat")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        self.elsewhere = DetachedPlaceholder(self.stack)  # shown for a chat that is in its own window
        self.stack.addWidget(self.elsewhere)
        self.detached = DetachedChats(workbench, self.state, self)
        self.detached.attach_requested.connect(lambda conv_id: self.attach(conv_id))
        self.detached.closed.connect(lambda conv_id: self.attach(conv_id, bring_to_front=False))
        self.detached.changed.connect(self._detached_changed)
        self.elsewhere.show_requested.connect(lambda conv_id: self.detached.raise_window(conv_id))
        self.elsewhere.attach_requested.connect(lambda conv_id: self.attach(conv_id))
        self._restored_detached = False
        self.alerts: DesktopAlerts | None = None  # tray, notifications, sounds: made after the first frame
        self._quitting = False  # True once the agent chose to quit (not just close the window to the tray)
        self._menu_icons_done = False
        self._replaced = False  # closed to make way for a new window (replace): the session goes on
        self._online: bool | None = None  # None until the first link status: then whether connected

        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.setObjectName("mainSplit")
        self.split.addWidget(self.list_panel)
        self.split.addWidget(self.stack)
        # the side panel is made when the first chat opens; until then a placeholder keeps its place and size
        self.split.addWidget(QWidget(self.split))
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([300, 660, 320])
        self.setCentralWidget(self.split)
        self._side: tuple[SidePanel, CustomerSide] | None = None

        self.status = WorkbenchStatusBar(self)
        self.setStatusBar(self.status)

        self.list_panel.conversation_activated.connect(self.open_conversation)
        self.list_panel.accept_requested.connect(self.accept)
        self.list_panel.detach_requested.connect(lambda conv_id, at: self.detach(conv_id, at))
        self.list_panel.attach_requested.connect(lambda conv_id: self.attach(conv_id))
        self.shortcut_actions = self._make_shortcut_actions()
        self.detach_action = self.shortcut_actions["detach"]
        self._make_menus()
        self.idle = IdleWatch(
            int(self.preferences.get("presence/idle_away_min")), self.status.own_status_code, parent=self
        )  # type: ignore[call-overload]
        self.idle.went_idle.connect(lambda: self._idle_changed(True))
        self.idle.came_back.connect(lambda: self._idle_changed(False))
        self.preferences.changed.connect(self._setting_changed)
        self._apply_wait_thresholds()
        self.status.reconnect_requested.connect(workbench.client.retry_now)
        self.status.status_requested.connect(self.set_own_status)
        workbench.status_changed.connect(self._link_changed)
        workbench.queue_changed.connect(self.status.set_queue)
        workbench.kpi_changed.connect(self._show_kpis)
        workbench.tick.connect(self._tick)
        workbench.snapshot_loaded.connect(self._snapshot)
        workbench.assigned_to_me.connect(self._assigned)
        workbench.messages_added.connect(self._busy)
        workbench.conversation_changed.connect(self._busy)
        workbench.customer_changed.connect(self._levels_changed)
        workbench.presence_changed.connect(self._show_server_status)

        self.status.set_queue(workbench.state.queue_waiting)
        self.list_panel.set_levels(workbench.levels)
        self._link_changed(workbench.link)
        self._show_kpis()
        self._restore()

    # --- opening chats ----------------------------------------------------------------------------------

    def current_pane(self) -> ConversationPane | None:
        widget = self.stack.currentWidget()
        return next((pane for pane in self._panes.values() if pane is widget), None)

    def pane(self, conversation_id: str) -> ConversationPane | None:
        """The chat's pane, in this window or in its own."""
        window = self.detached.window(conversation_id)
        return window.pane if window is not None else self._panes.get(conversation_id)

    def open_conversation(self, conversation_id: str) -> ConversationPane:
        """Show ``conversation_id`` (making its pane if needed) and select it in the list; a chat in a
        window of its own is brought to the front there instead."""
        self._agent_active()
        window = self.detached.window(conversation_id)
        if window is not None:
            self.list_panel.select(conversation_id)
            self._show_elsewhere(conversation_id)
            self.detached.raise_window(conversation_id)
            return window.pane
        pane = self._panes.get(conversation_id) or self._make_pane(conversation_id)
        self._panes.move_to_end(conversation_id)
        self.stack.setCurrentWidget(pane)
        self._evict()
        self.list_panel.select(conversation_id)  # also follows it to another tab (排队 → 进行中 on accept)
        self.customer_side.bind(conversation_id)
        pane.shown()
        return pane

    @property
    def side_panel(self) -> SidePanel:
        """The side panel (客户 / 订单 / 快捷短语) of the chat in front; made on first use."""
        return self._side_parts()[0]

    @property
    def customer_side(self) -> CustomerSide:
        return self._side_parts()[1]

    def _side_parts(self) -> tuple[SidePanel, CustomerSide]:
        if self._side is None:
            from desktop.ui.customer_side import CustomerSide
            from desktop.ui.side_panel import SidePanel

            panel = SidePanel()
            panel.setMinimumWidth(SIDE_MIN_WIDTH)
            self.split.replaceWidget(2, panel).deleteLater()
            side = CustomerSide(self.workbench, panel, self)
            for signal, action in (
                (side.order_card_requested, "send_order"),
                (side.reply_insert_requested, "insert_reply"),
                (side.reply_send_requested, "send_reply"),
            ):
                signal.connect(lambda conv_id, item, action=action: self._to_pane(conv_id, action, item))
            panel.customer_panel.past_conversation_activated.connect(self.open_conversation)
            self._side = panel, side
        return self._side

    # --- chats in windows of their own --------------------------------------------------------------------

    def detach(self, conversation_id: str, at: QPoint | None = None) -> ChatWindow:
        """Move the chat into a window of its own (``at``: where a drag out of the list ended)."""
        window = self.detached.window(conversation_id)
        if window is not None:
            self.detached.raise_window(conversation_id)
            return window
        pane = self._panes.pop(conversation_id, None)
        was_in_front = pane is not None and self.stack.currentWidget() is pane
        if pane is None:
            pane = self._make_pane(conversation_id, keep=False)
        else:
            self.stack.removeWidget(pane)
            self._disconnect_pane(pane)
        window = self.detached.open(pane, at)
        if was_in_front or self.list_panel.current_conversation() == conversation_id:
            self._show_elsewhere(conversation_id)
        return window

    def attach(self, conversation_id: str, *, bring_to_front: bool = True) -> ConversationPane | None:
        """Put a detached chat back into this window (shown if ``bring_to_front`` or if the list has it
        selected); None when it was not detached."""
        if conversation_id not in self.detached:
            return None
        pane = self.detached.take(conversation_id)
        self._panes[conversation_id] = pane
        self.stack.addWidget(pane)
        self._connect_pane(pane)
        showing_placeholder = self.stack.currentWidget() is self.elsewhere
        if bring_to_front or (showing_placeholder and self.elsewhere.conversation_id == conversation_id):
            self.raise_()
            self.activateWindow()
            self.open_conversation(conversation_id)
        else:
            self._evict()
        return pane

    def restore_detached(self) -> None:
        """Open again the chat windows that were open when the app last closed (chats still known)."""
        if self._restored_detached:
            return
        self._restored_detached = True
        for conv_id in self.detached.saved_ids():
            if self.workbench.conversation(conv_id) is not None:
                self.detach(conv_id)
        self.activateWindow()

    def _levels_changed(self, _customer_id: str) -> None:
        self.list_panel.set_levels(self.workbench.levels)

    def _notice(self, text: str) -> None:
        self.status.showMessage(text, 8_000)

    def _show_elsewhere(self, conversation_id: str) -> None:
        conv = self.workbench.conversation(conversation_id)
        self.elsewhere.show_for(conversation_id, display_name(conv) if conv is not None else conversation_id)
        self.stack.setCurrentWidget(self.elsewhere)
        if self._side is not None:
            self._side[1].bind(None)  # the chat's own window has its side panel

    # --- keyboard ----------------------------------------------------------------------------------------

    def _make_shortcut_actions(self) -> dict[str, QAction]:
        """One action per shortcut of this window (shortcuts.SHORTCUTS), each doing what Help says."""
        handlers: dict[str, Callable[[], object]] = {
            "next_chat": lambda: self.step_chat(1),
            "previous_chat": lambda: self.step_chat(-1),
            **{f"chat_{n}": (lambda n=n: self.jump_to_chat(n)) for n in range(1, 10)},
            "focus_composer": self.focus_composer,
            "search": self.show_search,
            "accept_next": self.accept_next,
            "transfer": lambda: self._on_current_pane(lambda pane: pane.transfer_action),
            "close_chat": lambda: self._on_current_pane(lambda pane: pane.close_action),
            "detach": self._detach_current,
            "shortcuts_help": self.show_shortcuts,
        }
        actions = {}
        for item in SHORTCUTS:
            if not item.in_main():
                continue
            action = QAction(item.text(), self)
            action.setShortcut(item.sequence())
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, run=handlers[item.id]: run())
            self.addAction(action)
            actions[item.id] = action
        return actions

    def _make_menus(self) -> None:
        bar = self.menuBar()
        chats = bar.addMenu(self.tr("会话"))
        for action_id in ("accept_next", "transfer", "close_chat", "detach"):
            chats.addAction(self.shortcut_actions[action_id])
        chats.addSeparator()
        for action_id in ("search", "next_chat", "previous_chat", "focus_composer"):
            chats.addAction(self.shortcut_actions[action_id])
        chats.addSeparator()
        self.logout_action = chats.addAction(self.tr("退出登录…"), self.logout)
        self.quit_action = chats.addAction(self.tr("退出"), self.quit)
        self.quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        tools = bar.addMenu(self.tr("工具"))
        self.settings_action = tools.addAction(self.tr("设置…"), self.show_settings)
        self.settings_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.help_menu = bar.addMenu(self.tr("帮助"))
        self.help_menu.addAction(self.shortcut_actions["shortcuts_help"])
        self.log_folder_action = self.help_menu.addAction(self.tr("打开日志文件夹"), self._open_log_folder)
        self.help_menu.addSeparator()
        about = self.help_menu.addAction(self.tr("关于 ShopDesk"), self.show_about)
        self.about_action = about
        about.setMenuRole(QAction.MenuRole.AboutRole)
        for menu in (chats, tools, self.help_menu):
            menu.aboutToShow.connect(self._menu_icons)

    def _menu_icons(self) -> None:
        """The menus' icons, drawn the first time a menu opens (QtSvg is not needed for the first frame)."""
        if self._menu_icons_done:
            return
        self._menu_icons_done = True
        from desktop.ui import icons

        named = {self.shortcut_actions[action_id]: name for action_id, name in ICONS.items()}
        named |= {
            self.settings_action: "settings",
            self.log_folder_action: "log-folder",
            self.about_action: "about",
        }
        for action, name in named.items():
            action.setIcon(icons.icon(name))

    def show_about(self) -> QDialog:
        from desktop.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self, data_folder=self.workbench.store.path.parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _open_log_folder(self) -> None:
        from desktop.ui.folders import open_log_folder

        if not open_log_folder():
            self.status.showMessage(self.tr("无法打开日志文件夹"), 5_000)

    def show_settings(self) -> QDialog:
        """The settings dialog (changes apply through Preferences.changed)."""
        from desktop.ui.settings_dialog import SettingsDialog

        data_dir = self.workbench.store.path.parent
        dialog = SettingsDialog(self.preferences, data_dir=data_dir, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.clear_cache_requested.connect(self._clear_cache)
        dialog.open()
        return dialog

    def _clear_cache(self) -> None:
        """清除缓存: what can be fetched again goes (customer profiles and order lists); never what the agent
        wrote and the server has not got (outbox, drafts), nor the chat history."""
        self.workbench.forget_profiles()
        self.status.showMessage(self.tr("缓存已清除，资料会在需要时重新获取"), 6_000)

    def _setting_changed(self, key: str, value: object) -> None:
        alert_keys = ("notifications/", "sounds/", "reminders/", "wait/")
        if self.alerts is not None and key.startswith(alert_keys):
            from desktop.core.alerts import AlertSettings

            self.alerts.apply_settings(AlertSettings.from_settings(self.preferences.values()))
        if key == "composer/enter_sends":
            for pane in [*self._panes.values(), *self.detached.panes()]:
                pane.composer.set_enter_sends(bool(value))
        elif key in ("wait/amber_s", "wait/red_s"):
            self._apply_wait_thresholds()
        elif key == "appearance/theme":
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, str(value))
        elif key == "appearance/font_size":
            apply_font_size(int(value))  # type: ignore[call-overload]
        elif key == "presence/idle_away_min" and self.idle is not None:
            self.idle.set_minutes(int(value))  # type: ignore[call-overload]
        elif key == "advanced/log_level":
            set_level(str(value))

    def _apply_wait_thresholds(self) -> None:
        amber, red = self.preferences.get("wait/amber_s"), self.preferences.get("wait/red_s")
        thresholds = WaitThresholds(amber_ms=int(amber) * 1000, red_ms=int(red) * 1000)
        if thresholds != self.list_panel.model.thresholds:
            self.list_panel.model.set_thresholds(thresholds)

    def step_chat(self, step: int) -> str | None:
        """Open the next (1) or previous (-1) chat of the list's current tab, wrapping around."""
        ids = self.list_panel.model.conversation_ids()
        if not ids:
            return None
        current = self.list_panel.current_conversation()
        at = ids.index(current) if current in ids else (-1 if step > 0 else 0)
        conv_id = ids[(at + step) % len(ids)]
        self.open_conversation(conv_id)
        return conv_id

    def jump_to_chat(self, number: int) -> str | None:
        """Open the list's ``number``-th chat (1-based) of the current tab, if there is one."""
        ids = self.list_panel.model.conversation_ids()
        if not 1 <= number <= len(ids):
            return None
        self.open_conversation(ids[number - 1])
        return ids[number - 1]

    def show_search(self) -> SearchDialog:
        """Ctrl+K: search every cached message; the chosen hit opens its chat at that message."""
        from desktop.ui.search_dialog import SearchDialog

        if self._search_index is None:
            self._search_index = self.workbench.store.reader()  # read-only, for the worker thread

        def nickname_of(conversation_id: str) -> str:
            conv = self.workbench.conversation(conversation_id)
            return display_name(conv) if conv is not None else conversation_id

        dialog = SearchDialog(self._search_index, nickname_of, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open_requested.connect(self.open_at)
        dialog.open()
        return dialog

    def open_at(self, conversation_id: str, message_id: str) -> ConversationPane:
        """Open the chat (here or in its own window) scrolled to ``message_id``, lit up for a moment."""
        pane = self.open_conversation(conversation_id)
        QTimer.singleShot(0, pane, lambda: pane.reveal_message(message_id))  # once it is laid out
        return pane

    def focus_composer(self) -> None:
        pane = self.current_pane()
        if pane is not None:
            pane.composer.focus_input()

    def accept_next(self) -> str | None:
        """Take the queued buyer who has waited longest (the chat opens once it is mine)."""
        conv_id = team_actions.next_queued(self.workbench)
        if conv_id is None:
            self.status.showMessage(self.tr("没有排队的买家"), 4_000)
            return None
        self.accept(conv_id)
        return conv_id

    def show_shortcuts(self) -> QDialog:
        from desktop.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _on_current_pane(self, action_of: Callable[[ConversationPane], QAction]) -> None:
        """Trigger one of the chat in front's own actions (转接, 结束) when it offers it now."""
        pane = self.current_pane()
        if pane is not None:
            action = action_of(pane)
            if action.isVisible() and action.isEnabled():
                action.trigger()

    def _detach_current(self) -> None:
        conv_id = self.list_panel.current_conversation()
        if conv_id is not None:
            self.detach(conv_id)

    def _detached_changed(self) -> None:
        self.list_panel.model.set_detached(self.detached.ids())

    def _to_pane(self, conversation_id: str, action: str, item: Any) -> None:
        """What the side panel asks for, done by that chat's pane (if it is still open)."""
        pane = self._panes.get(conversation_id)
        if pane is not None:
            getattr(pane, action)(item)

    def _make_pane(self, conversation_id: str, *, keep: bool = True) -> ConversationPane:
        """A new pane for the chat: kept in this window's stack, or (``keep=False``) for a window apart."""
        from desktop.ui.conversation_pane import ConversationPane

        pane = ConversationPane(
            self.workbench,
            conversation_id,
            enter_sends=self.preferences.enter_sends,
            parent=self.stack if keep else None,
        )
        pane.composer.send_key_changed.connect(self._send_key_changed)
        pane.composer.input.textChanged.connect(self._agent_active)  # typing: no prewarming, not idle
        pane.chat_split.splitterMoved.connect(lambda *_: self._remember_pane_sizes(pane))
        if self._chat_sizes:
            pane.chat_split.setSizes(self._chat_sizes)
        if keep:
            self._panes[conversation_id] = pane
            self.stack.addWidget(pane)
            self._connect_pane(pane)
        return pane

    def _connect_pane(self, pane: ConversationPane) -> None:
        """What a pane in this window asks of it; undone while the pane is in a window of its own."""
        conv_id = pane.conversation_id
        links = [
            (pane.quick_replies_requested, self._show_quick_replies),
            (pane.notice, self._notice),
            (pane.detach_requested, lambda: self.detach(conv_id)),
            (pane.accept_requested, lambda: self.accept(conv_id)),
        ]
        for signal, slot in links:
            signal.connect(slot)
        self._pane_links[conv_id] = links
        pane.selected_order = lambda: self._selected_order(conv_id)

    def _disconnect_pane(self, pane: ConversationPane) -> None:
        for signal, slot in self._pane_links.pop(pane.conversation_id, []):
            signal.disconnect(slot)

    def prewarm(self) -> str | None:
        """Make the pane of the most urgent chat of mine that has none, while there is room in the cache.

        A new pane costs ~40 ms, a switch to an existing one ~15 ms: when the window has been quiet for a
        moment, the chats the agent is likely to open next are made ready, one per step. Returns the id.
        """
        if len(self._panes) >= PANE_CACHE:
            return None
        me = self.workbench.me_id  # None while offline since start: the cached list is all mine
        for conv in self.workbench.book.active(now_ms()):
            has_pane = conv.id in self._panes or conv.id in self.detached
            if (me is None or conv.assignee_id == me) and not has_pane:
                pane = self._make_pane(conv.id)
                pane.model.set_now(now_ms())
                # do now what its first show would: polish, lay out at the size it will have, and lay
                # out the chat's rows at their real width (the delegate caches them per width)
                pane.resize(self.stack.size())
                pane.ensurePolished()
                deliver_pending_resizes(pane)
                pane.chat_view.prepare()
                return conv.id
        return None

    def _prewarm_step(self) -> None:
        quiet_s = time.monotonic() - self._last_activity
        if self.isVisible() and not self.isMinimized() and quiet_s >= PREWARM_QUIET_S:
            self.prewarm()

    def _busy(self, *_args: object) -> None:
        self._last_activity = time.monotonic()

    def _agent_active(self, *_args: object) -> None:
        """The agent typed or opened a chat: no prewarming now, and not idle."""
        self._busy()
        self.idle.note_activity()

    def _evict(self) -> None:
        while len(self._panes) > max(1, PANE_CACHE):
            conv_id, old = next(iter(self._panes.items()))
            if old is self.stack.currentWidget():
                self._panes.move_to_end(conv_id)
                if len(self._panes) == 1:
                    break
                continue
            del self._panes[conv_id]
            self._pane_links.pop(conv_id, None)  # the pane and its connections go together
            old.flush()
            old.disconnect_workbench()
            self.stack.removeWidget(old)
            old.deleteLater()
            self._trim_timer.start()  # after the deferred delete has run

    def _show_quick_replies(self) -> None:
        from desktop.ui.side_panel import QUICK_REPLIES_TAB

        self.side_panel.setCurrentIndex(QUICK_REPLIES_TAB)

    def _selected_order(self, conversation_id: str) -> Order | None:
        side = None if self._side is None else self._side[1]
        return side.selected_order if side is not None and side.conversation_id == conversation_id else None

    def _remember_pane_sizes(self, pane: ConversationPane) -> None:
        self._chat_sizes = pane.chat_split.sizes()
        for other in self._panes.values():
            if other is not pane:
                other.chat_split.setSizes(self._chat_sizes)

    def _send_key_changed(self, enter_sends: bool) -> None:
        self.preferences.enter_sends = enter_sends  # every composer follows through _setting_changed

    # --- team actions -------------------------------------------------------------------------------------

    def accept(self, conversation_id: str) -> None:
        """Take a queued buyer; the chat opens when the server says it is ours."""

        def accepted() -> None:
            conv = self.workbench.book.get(conversation_id)
            if conv is not None and conv.status == "active":
                self.open_conversation(conversation_id)  # the assignment came before the reply
            else:
                self._pending_open = conversation_id  # opened by _assigned when it comes

        team_actions.accept(
            self.workbench, conversation_id, lambda text: self.status.showMessage(text, 5_000), accepted
        )

    def _assigned(self, conversation_id: str) -> None:
        if conversation_id == self._pending_open:
            self._pending_open = None
            self.open_conversation(conversation_id)

    def set_own_status(self, status: str, *, by_idle_watch: bool = False) -> None:
        """在线 / 忙碌 / 离开 / 挂起 ("suspended": online with presence.set's suspended flag)."""
        if not by_idle_watch and self.idle is not None:
            self.idle.auto_away = False  # the agent chose: the watch does not bring them back by itself
        self.status.set_own_status(status)
        wire = (
            p.PresenceSetData(status="online", suspended=True)
            if status == "suspended"
            else (
                p.PresenceSetData(status=status)  # type: ignore[arg-type]
            )
        )

        async def run() -> None:
            try:
                await self.workbench.request(f.PresenceSet(id="", data=wire), p.Empty)
            except RequestFailedError as exc:
                self.status.showMessage(self.tr("状态切换失败：%1").replace("%1", str(exc)), 5_000)

        self.workbench.tasks.spawn(run(), name="presence")

    def _idle_changed(self, away: bool) -> None:
        if away:
            self.set_own_status("away", by_idle_watch=True)
            self.status.showMessage(self.tr("长时间无操作，已自动设为离开"), 10_000)
        else:
            self.set_own_status("online", by_idle_watch=True)
            self.status.showMessage(self.tr("欢迎回来，已恢复在线"), 5_000)

    # --- status bar -------------------------------------------------------------------------------------

    def _update_title(self) -> None:
        self.setWindowTitle(self.tr("ShopDesk 客服工作台 - %1").replace("%1", self.workbench.me_name))

    def _link_changed(self, status: LinkStatus) -> None:
        was_online = self._online
        self._online = status.state is LinkState.ONLINE
        self.status.set_link(status)
        if self._online and was_online is False:
            # back after a break: the status the agent had chosen is set again (the server may have
            # reset a 挂起 when the last connection closed); at the first connection the snapshot says
            chosen = self.status.own_status_code()
            if chosen != "online":
                self.set_own_status(chosen, by_idle_watch=self.idle.auto_away)
        if self._online:
            self._update_title()

    def _show_kpis(self) -> None:
        self.status.set_kpis(self.workbench.kpi())

    def _tick(self, now: int) -> None:
        self.list_panel.tick(now)
        self.status.tick()
        self._show_kpis()

    def _snapshot(self) -> None:
        current = self.list_panel.current_conversation()
        if current is not None:
            self.list_panel.select(current)
        self._show_server_status()

    def _show_server_status(self) -> None:
        """What the server says my status is (it keeps the last one chosen, even across logins): from its
        presence.changed about me, else from the snapshot's list of agents."""
        me = self.workbench.me_id
        if me is None:
            return
        state = self.workbench.state
        if me in state.presence:
            status, suspended = state.presence[me], state.suspended.get(me, False)
        else:
            mine = next((a for a in self.workbench.store.agents() if a.id == me), None)
            if mine is None:
                return
            status, suspended = mine.status, mine.suspended
        if status == "offline":
            return
        shown = "suspended" if status == "online" and suspended else status
        if shown != self.status.own_status_code():
            self.status.set_own_status(shown)

    # --- layout kept across restarts --------------------------------------------------------------------

    def _restore(self) -> None:
        geometry = self.state.bytes("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        split = self.state.bytes("main/split")
        if split is not None:
            self.split.restoreState(split)
        raw = self.state.text("main/chat_sizes")
        if raw:
            with contextlib.suppress(ValueError):
                self._chat_sizes = [int(x) for x in raw.split(",")]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._restored_detached:
            # not in the first frames: the window answers clicks at once, the tray and notifications (D-Bus,
            # the logo's SVG) and last time's chat windows follow a moment later
            QTimer.singleShot(AFTER_START_MS, self._after_first_frame)

    def _after_first_frame(self) -> None:
        """What the first frame does not need: the logo (QtSvg), the tray and notifications, the chat
        windows of last time."""
        from desktop.ui.icons import app_icon

        app = QApplication.instance()
        if isinstance(app, QApplication) and app.windowIcon().isNull():
            app.setWindowIcon(app_icon())  # every window of the app, the detached chats included
        if self.alerts is None and not self._closed:
            self.alerts = self._make_alerts()
        self.restore_detached()

    # --- tray, notifications, quitting -------------------------------------------------------------------

    def _make_alerts(self) -> DesktopAlerts:
        from desktop.core.alerts import AlertSettings
        from desktop.ui.desktop_alerts import DesktopAlerts

        alerts = DesktopAlerts(
            self.workbench, self.chat_in_front, AlertSettings.from_settings(self.preferences.values()), self
        )
        alerts.show_window_requested.connect(self.bring_up)
        alerts.open_requested.connect(self.open_conversation)
        alerts.quit_requested.connect(self.quit)
        return alerts

    def chat_in_front(self, conversation_id: str) -> bool:
        """Whether the agent is looking at that chat now (its window active and showing it)."""
        window = self.detached.window(conversation_id)
        if window is not None:
            return window.isActiveWindow() and not window.isMinimized()
        pane = self.current_pane()
        return (
            self.isVisible()
            and self.isActiveWindow()
            and not self.isMinimized()
            and pane is not None
            and pane.conversation_id == conversation_id
        )

    def bring_up(self) -> None:
        """Show the window again (from the tray, a notification) and put it in front."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def quit(self) -> QMessageBox | None:
        """Quit for real (退出, the tray's menu). When sends are still waiting for the server it asks first
        and returns the open question (quitting follows its 退出); None when it quit at once."""
        waiting = len(self.workbench.store.outbox())
        if not waiting:
            self._quit_now()
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("退出 ShopDesk"))
        box.setText(self.tr("还有 %n 条消息没有送达。", "", waiting))
        box.setInformativeText(self.tr("它们会保留在本机，下次登录后自动发送。确定现在退出吗？"))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("退出"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("不退出"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self._quit_now() if button is box.button(QMessageBox.StandardButton.Yes) else None
        )
        box.open()  # never a nested modal loop on the qasync loop
        return box

    def logout(self) -> QMessageBox:
        """退出登录 (another agent takes this computer): asks, then the app forgets the remembered token
        and shows the login; drafts and unsent messages stay with this account's cache."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("退出登录"))
        box.setText(self.tr("退出当前账号 %1？").replace("%1", self.workbench.me_name))
        box.setInformativeText(
            self.tr("下次启动需要重新输入密码。草稿和未送达的消息会保留，下次登录该账号时继续。")
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("退出登录"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("取消"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda button: self._logout_now() if button is yes else None)
        box.open()
        return box

    def _logout_now(self) -> None:
        self._replaced = True  # the session ends through logout_requested, not closed
        self._quitting = True
        self.close()
        self.logout_requested.emit()

    def _quit_now(self) -> None:
        self._quitting = True
        self.close()

    def _hides_to_tray(self) -> bool:
        return (
            not self._quitting
            and bool(self.preferences.get("window/close_to_tray"))
            and self.alerts is not None
            and self.alerts.tray.available
        )

    def save_layout(self) -> None:
        self.detached.save()
        self.state.set_bytes("main/geometry", QByteArray(self.saveGeometry()))
        self.state.set_bytes("main/split", QByteArray(self.split.saveState()))
        if self._chat_sizes:
            self.state.set_text("main/chat_sizes", ",".join(map(str, self._chat_sizes)))
        self.state.sync()

    def flush_drafts(self) -> None:
        for pane in [*self._panes.values(), *self.detached.panes()]:
            pane.flush()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._hides_to_tray():
            event.ignore()  # the × hides the window; 退出 in the tray menu (or 会话 → 退出) quits
            self.hide()
            return
        if not self._quitting and not self._replaced and self.workbench.store.outbox():
            event.ignore()  # the × quits here (no tray): ask first, as 退出 does
            self.quit()
            return
        self._shut_down()
        super().closeEvent(event)
        if not self._replaced:
            self.closed.emit()

    def _shut_down(self) -> None:
        """Keep what must survive (layout, drafts, which chats are detached), stop everything that runs."""
        if self._closed:
            return
        self._closed = True
        self._prewarm_timer.stop()
        self.save_layout()
        self.flush_drafts()
        self.detached.close_all()
        if self.alerts is not None:
            self.alerts.close()
        self.idle.stop()
        if self._search_index is not None:
            self._search_index.close()
        if self._side is not None:
            self._side[1].close()
        for pane in list(self._panes.values()):
            pane.disconnect_workbench()
        self.list_panel.close_book()  # the book outlives this window (a replacement window reads it)

    def replace(self) -> MainWindow:
        """A new window in this one's place, on the same workbench (after a language switch every string is
        made again): layout, detached chats, drafts and the chat in front carry over. This window closes
        without ending the session."""
        current = self.list_panel.current_conversation()
        geometry_shown = self.isVisible()
        self._replaced = True
        self._quitting = True  # not to the tray: this window goes
        self.close()
        successor = MainWindow(self.workbench, state=self.state, preferences=self.preferences)
        if geometry_shown:
            successor.show()
        if current is not None and self.workbench.conversation(current) is not None:
            successor.open_conversation(current)
        self.deleteLater()
        return successor
