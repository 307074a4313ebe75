"""The real workbench on a real backend, for GUI tests: log in, open the cache, start, show the window."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.client.backoff import Backoff
from desktop.client.connection import AgentClient, login
from desktop.client.credentials import Account
from desktop.client.endpoint import resolve
from desktop.client.status import LinkState
from desktop.store import LocalStore, store_path
from desktop.ui.live_workbench import LiveWorkbench
from desktop.ui.main_window import MainWindow
from desktop.ui.preferences import Preferences
from desktop.ui.window_state import WindowState
from tests.integration.client_harness import wait_for


@dataclass
class Desk:
    client: AgentClient
    workbench: LiveWorkbench
    window: MainWindow

    async def close(self) -> None:
        self.window.close()  # keeps layout and drafts, as the app does …
        self.window.save_layout()  # … and what the app's session does after it (desktop/ui/app.py)
        self.window.flush_drafts()
        await self.workbench.close()
        self.client.store.close()
        self.window.deleteLater()


async def open_desk(url: str, data_dir: Path, username: str = "agent3", *, show: bool = True) -> Desk:
    account = Account(url, "demo", username)
    endpoint = resolve(url)
    token = await login(endpoint, account, "demo123", remember=False)
    store = LocalStore.open(store_path(url, "demo", username, data_dir))
    client = AgentClient(account, endpoint, store, token, backoff=Backoff(first_s=0.05, cap_s=0.5))
    workbench = LiveWorkbench(client)
    config = data_dir / "config"
    config.mkdir(parents=True, exist_ok=True)
    window = MainWindow(
        workbench,
        state=WindowState(config / "window-state.ini"),
        preferences=Preferences(config / "settings.ini"),
    )
    if window.state.bytes("main/geometry") is None:
        window.resize(1280, 800)  # a first start; later ones restore what the agent left
    if show:
        window.show()
    client.start()
    await wait_for(lambda: client.status.state is LinkState.ONLINE)
    await wait_for(lambda: workbench.me_id is not None)
    return Desk(client, workbench, window)
