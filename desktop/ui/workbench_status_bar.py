"""The status bar: connection state, the agent's own status, the queue, and today's KPI strip.

- connection: a coloured dot and 已连接 / 正在连接… / 连接断开，N 秒后重连 (counting down each second) / 离线,
  with 立即重连 while not connected;
- own status: 在线 / 忙碌 / 离开 / 挂起 (online, but no new routed chats), sent as ``presence.set``
  (``status_requested``; the window sends it); 离开 (自动) when the idle watch set it;
- 排队 N: buyers waiting for an agent;
- KPIs of today: first-response average, 3-minute response rate, rating, replies sent.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QStatusBar, QWidget

from desktop.client.status import LinkState, LinkStatus
from desktop.core.kpi import KpiSnapshot
from desktop.ui.i18n import wait_text

STATE_COLOURS = {
    LinkState.ONLINE: "#2fb344",
    LinkState.CONNECTING: "#f0a020",
    LinkState.RECONNECTING: "#f0a020",
    LinkState.OFFLINE: "#9aa0a6",
    LinkState.AUTH_FAILED: "#e5484d",
}
OWN_STATUSES = ("online", "busy", "away", "suspended")  # "suspended": online + presence.set suspended


def _plain_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class WorkbenchStatusBar(QStatusBar):
    reconnect_requested = Signal()
    status_requested = Signal(str)  # "online" | "busy" | "away" | "suspended"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self._link = LinkStatus(LinkState.OFFLINE)
        self._link_since = time.monotonic()

        self.dot = QLabel(self)
        self.dot.setFixedSize(10, 10)
        self.connection = _plain_label(self, "connectionLabel")
        self.reconnect = QPushButton(self.tr("立即重连"), self)
        self.reconnect.setObjectName("reconnectButton")
        self.reconnect.setFlat(True)
        self.reconnect.setCursor(Qt.CursorShape.PointingHandCursor)
        self.reconnect.clicked.connect(self.reconnect_requested)

        self.own_status = QComboBox(self)
        self.own_status.setObjectName("ownStatus")
        texts = (self.tr("在线"), self.tr("忙碌"), self.tr("离开"), self.tr("挂起"))
        tips = (
            self.tr("接收新分配的买家"),
            self.tr("忙碌中，不分配新买家"),
            self.tr("暂时离开，不分配新买家"),
            self.tr("挂起：保持在线、继续接待当前买家，但不分配新买家"),
        )
        for row, (code, text, tip) in enumerate(zip(OWN_STATUSES, texts, tips, strict=True)):
            self.own_status.addItem(text, code)
            self.own_status.setItemData(row, tip, Qt.ItemDataRole.ToolTipRole)
        self.own_status.activated.connect(lambda i: self.status_requested.emit(self.own_status.itemData(i)))

        self.queue = _plain_label(self, "queueLabel")
        self.kpis = _plain_label(self, "kpiStrip")

        self.addWidget(self.dot)
        self.addWidget(self.connection)
        self.addWidget(self.reconnect)
        self.addWidget(self.own_status)
        self.addWidget(self.queue)
        self.addPermanentWidget(self.kpis)
        self.set_queue(0)
        self.set_link(self._link)
        self.set_kpis(None)

    # --- fed by the window ------------------------------------------------------------------------------

    def set_link(self, status: LinkStatus) -> None:
        self._link = status
        self._link_since = time.monotonic()
        colour = STATE_COLOURS[status.state]
        self.dot.setStyleSheet(f"background: {colour}; border-radius: 5px;")
        self.reconnect.setVisible(status.state in (LinkState.RECONNECTING, LinkState.OFFLINE))
        self.own_status.setEnabled(status.state is LinkState.ONLINE)
        self._show_link()

    def link_text(self) -> str:
        status = self._link
        match status.state:
            case LinkState.ONLINE:
                return self.tr("已连接")
            case LinkState.CONNECTING:
                return self.tr("正在连接…")
            case LinkState.RECONNECTING:
                left = max(0, round((status.retry_in_s or 0) - (time.monotonic() - self._link_since)))
                return self.tr("连接断开，%1 秒后重连").replace("%1", str(left))
            case LinkState.AUTH_FAILED:
                return self.tr("登录已失效，请重新登录")
            case _:
                return self.tr("离线")

    def _show_link(self) -> None:
        self.connection.setText(self.link_text())

    def tick(self) -> None:
        """Once a second: the reconnect countdown moves."""
        if self._link.state is LinkState.RECONNECTING:
            self._show_link()

    def set_own_status(self, status: str) -> None:
        index = self.own_status.findData(status)
        if index >= 0:
            self.own_status.setCurrentIndex(index)

    def own_status_code(self) -> str:
        """What the agent's own status is now (the selected entry)."""
        return str(self.own_status.currentData())

    def set_queue(self, waiting: int) -> None:
        self.queue.setText(self.tr("排队 %n 人", "", waiting))

    def set_kpis(self, kpi: KpiSnapshot | None) -> None:
        dash = "—"
        first = dash
        rate = dash
        rating = dash
        replies = "0"
        if kpi is not None:
            if kpi.first_response_avg_ms is not None:
                first = wait_text(kpi.first_response_avg_ms)
            if kpi.response_rate_3min is not None:
                rate = f"{kpi.response_rate_3min * 100:.0f}%"
            if kpi.ratings_avg is not None:
                rating = f"{kpi.ratings_avg:.1f}"
            replies = str(kpi.replies_sent)
        parts = [
            self.tr("平均首响 %1").replace("%1", first),
            self.tr("3分钟响应率 %1").replace("%1", rate),
            self.tr("评分 %1").replace("%1", rating),
            self.tr("已回复 %1").replace("%1", replies),
        ]
        self.kpis.setText("   ".join(parts))
