"""Screenshots of the whole workbench against the real backend with simulated buyers, for people to look at.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_workbench [OUT_DIR]
    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_workbench --variants [OUT_DIR]

Starts the reference backend (demo shop), logs agent3 in, lets ~12 simulated buyers arrive and talk, answers
one of them, and saves ``workbench.png`` (the main window, 客户 tab), ``workbench-orders.png`` and
``workbench-quick-replies.png`` (the other side-panel tabs), ``chat-window.png`` (a chat detached into its
own window) and ``login.png`` into OUT_DIR
(default ``docs/screenshots``). With ``--variants``: the main window, a detached chat and the settings dialog
in 中文 and English, light and dark, into ``OUT_DIR/<zh_CN|en>-<light|dark>/`` (one backend run).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication

from desktop.protocol.objects import Conversation
from desktop.server.simulator import simulate
from desktop.ui.app import make_application
from desktop.ui.login_dialog import LoginDialog, LoginForm
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.ui.workbench_harness import Desk, open_desk


async def settle(seconds: float) -> None:
    await asyncio.sleep(seconds)  # the loop paints meanwhile (never processEvents() inside a task)


@contextlib.asynccontextmanager
async def busy_shop(work: Path) -> AsyncIterator[tuple[Desk, list[Conversation]]]:
    """The reference backend with ~12 simulated buyers talking to agent3's shown workbench; yields the
    desk and its active chats once at least five have settled (everything stopped afterwards)."""
    backend = BackendProcess(work / "shop.db")
    backend.start()
    stop = asyncio.Event()
    desk = await open_desk(backend.url, work / "agent", show=True)
    buyers = asyncio.create_task(
        simulate(backend.url, buyers=12, rate=3.0, seed=7, stop=stop, pace=0.3, report_every_s=3600)
    )
    try:
        book = desk.workbench.book
        await wait_for(lambda: len(book.active(0)) >= 5, timeout=40)
        await settle(6)
        yield desk, book.active(0)
    finally:
        stop.set()
        await asyncio.gather(buyers, return_exceptions=True)
        await desk.close()
        backend.stop()


async def render(out: Path, work: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    dialog = LoginDialog(initial=LoginForm(url="wss://kefu.xiaolu-home.cn", shop="demo", username="agent3"))
    dialog.show()
    await settle(0.2)
    dialog.grab().save(str(out / "login.png"))
    dialog.close()

    async with busy_shop(work) as (desk, active):
        desk.window.resize(1360, 820)
        book = desk.workbench.book
        conv = max(active, key=lambda c: c.unread)
        pane = desk.window.open_conversation(conv.id)
        await settle(2)
        pane.send_text("亲，您好～我是小鹿家居的客服小雨，很高兴为您服务，请问有什么可以帮您？")
        await settle(3)
        pane.composer.set_text("亲，这款沙发现在有现货，今天下单明天就能发货哦")
        await settle(1)
        desk.window.grab().save(str(out / "workbench.png"))
        desk.window.side_panel.setCurrentIndex(1)
        await settle(1)
        desk.window.grab().save(str(out / "workbench-orders.png"))
        desk.window.side_panel.setCurrentIndex(2)
        await settle(1)
        desk.window.grab().save(str(out / "workbench-quick-replies.png"))
        other = next(c for c in book.active(0) if c.id != conv.id)
        chat_window = desk.window.detach(other.id)
        chat_window.resize(980, 700)
        await settle(2)
        chat_window.grab().save(str(out / "chat-window.png"))
        print(f"saved screenshots in {out}")


async def render_variants(out: Path, work: Path) -> None:
    """Each language × theme: the main window (a chat open), a detached chat, the settings dialog."""
    from desktop.ui.i18n import install_language
    from desktop.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    async with busy_shop(work) as (desk, active):
        conv = max(active, key=lambda c: c.unread)
        other = next(c for c in active if c.id != conv.id)
        for language in ("zh_CN", "en"):
            for theme in ("light", "dark"):
                install_language(app, language)
                apply_theme(app, theme)
                desk.window = desk.window.replace()  # every string made again in the language
                window = desk.window
                window.resize(1360, 820)
                window.open_conversation(conv.id)
                await settle(2)
                folder = out / f"{language}-{theme}"
                folder.mkdir(parents=True, exist_ok=True)
                window.grab().save(str(folder / "workbench.png"))
                chat_window = window.detach(other.id)
                chat_window.resize(980, 700)
                await settle(1.5)
                chat_window.grab().save(str(folder / "chat-window.png"))
                window.attach(other.id, bring_to_front=False)
                dialog = window.show_settings()
                await settle(1)
                dialog.grab().save(str(folder / "settings.png"))
                dialog.reject()
                print(f"saved {folder}")
        install_language(app, "zh_CN")
        apply_theme(app, "light")


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--variants"]
    out = Path(args[0] if args else "docs/screenshots")
    app = make_application()
    app.setQuitOnLastWindowClosed(False)
    job = render_variants if "--variants" in sys.argv[1:] else render
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SHOPDESK_HOME"] = str(Path(tmp) / "home")
        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.run(job(out, Path(tmp)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
