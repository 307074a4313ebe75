"""The chats the agent has taken out of the main window, each in a :class:`ChatWindow`.

The main window owns one :class:`DetachedChats`. It hands over a pane (:meth:`DetachedChats.open`) and gets
it back (:meth:`DetachedChats.take`) when the agent attaches the chat again or closes its window; it asks
whether a chat is detached (to raise that window instead of showing the chat twice) and is told when the
set changes (``changed``, to mark those chats in the list).

Which chats were detached, and each window's geometry, splitter and side panel, are kept in the
:class:`WindowState` file, so the same windows come back after a restart (:meth:`saved_ids`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Signal

from desktop.ui.live_workbench import LiveWorkbench
from desktop.ui.window_state import WindowState

if TYPE_CHECKING:
    # imported on the first detach: a chat window brings its own side panel's widgets
    from desktop.ui.chat_window import ChatWindow
    from desktop.ui.conversation_pane import ConversationPane

OPEN_KEY = "detached/open"
CASCADE_PX = 32  # each new window without a remembered place opens this much lower and to the right


class DetachedChats(QObject):
    changed = Signal()  # a chat was detached or came back
    attach_requested = Signal(str)  # the agent asked to put this chat back (button or shortcut)
    closed = Signal(str)  # the agent closed this chat's window: it goes back to the main window, quietly

    def __init__(self, workbench: LiveWorkbench, state: WindowState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workbench = workbench
        self.state = state
        self._windows: dict[str, ChatWindow] = {}
        self._closed = False  # close_all ran: the list of detached chats is kept as it was then

    # --- what is detached ---------------------------------------------------------------------------------

    def __contains__(self, conversation_id: object) -> bool:
        return conversation_id in self._windows

    def ids(self) -> list[str]:
        return list(self._windows)

    def window(self, conversation_id: str) -> ChatWindow | None:
        return self._windows.get(conversation_id)

    def panes(self) -> list[ConversationPane]:
        return [window.pane for window in self._windows.values()]

    def active_conversation(self) -> str | None:
        """The chat whose window is the active one, if any."""
        return next((cid for cid, window in self._windows.items() if window.isActiveWindow()), None)

    def saved_ids(self) -> list[str]:
        """The chats that were detached when the app last closed, in the order they were opened."""
        raw = self.state.text(OPEN_KEY)
        return [cid for cid in raw.split(",") if cid] if raw else []

    # --- moving panes in and out --------------------------------------------------------------------------

    def open(self, pane: ConversationPane, at: QPoint | None = None) -> ChatWindow:
        """Put ``pane`` in a window of its own and bring it to the front (``at``: where a drag ended)."""
        from desktop.ui.chat_window import ChatWindow

        conv_id = pane.conversation_id
        window = ChatWindow(self.workbench, pane, state=self.state)
        remembered = self.state.bytes(f"detached/{conv_id}/geometry") is not None
        if at is not None:
            window.move(at)
        elif not remembered and self._windows:
            last = list(self._windows.values())[-1]
            window.move(last.pos() + QPoint(CASCADE_PX, CASCADE_PX))
        window.attach_requested.connect(self.attach_requested)
        window.closed.connect(self.closed)
        self._windows[conv_id] = window
        window.show()
        self.raise_window(conv_id)
        self._remember()
        self.changed.emit()
        return window

    def take(self, conversation_id: str) -> ConversationPane:
        """Close the chat's window and give its pane back (its draft and scroll position intact)."""
        window = self._windows.pop(conversation_id)
        pane = window.take_pane()
        window.deleteLater()
        self._remember()
        self.changed.emit()
        return pane

    def raise_window(self, conversation_id: str) -> None:
        window = self._windows[conversation_id]
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()

    # --- keeping them across restarts ---------------------------------------------------------------------

    def save(self) -> None:
        """Remember which chats are detached and how each window looks (the app is about to close)."""
        for window in self._windows.values():
            window.save_state()
        self._remember()

    def close_all(self) -> None:
        """The app is closing: keep the state and the drafts, close every window (the chats stay detached
        for the next start: what was saved here is not overwritten by a later save)."""
        self.save()
        self._closed = True
        for window in self._windows.values():
            window.pane.flush()
            window.dispose()
        self._windows.clear()

    def _remember(self) -> None:
        if self._closed:
            return
        self.state.set_text(OPEN_KEY, ",".join(self._windows))
        self.state.sync()
