"""The connection state the UI shows: 已连接 / 正在重连（N 秒后）/ 离线 / 需要重新登录."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class LinkState(enum.Enum):
    OFFLINE = "offline"  # not started, or stopped
    CONNECTING = "connecting"  # opening the socket or starting the session
    ONLINE = "online"  # session ready: messages flow
    RECONNECTING = "reconnecting"  # lost; next attempt in ``retry_in_s``
    AUTH_FAILED = "auth_failed"  # the server refused the token: the user must log in again


@dataclass(frozen=True, slots=True)
class LinkStatus:
    state: LinkState
    detail: str = ""
    retry_in_s: float | None = None
    attempt: int = 0

    def describe(self, lang: str = "zh") -> str:
        zh = lang.startswith("zh")
        match self.state:
            case LinkState.ONLINE:
                return "已连接" if zh else "Connected"
            case LinkState.CONNECTING:
                return "正在连接…" if zh else "Connecting…"
            case LinkState.RECONNECTING:
                seconds = max(0, round(self.retry_in_s or 0))
                return f"连接断开，{seconds} 秒后重连" if zh else f"Disconnected, retrying in {seconds} s"
            case LinkState.AUTH_FAILED:
                return "登录已失效，请重新登录" if zh else "Session expired, please log in again"
            case LinkState.OFFLINE:
                return "离线" if zh else "Offline"
