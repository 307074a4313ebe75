"""What the agent does with a chat as part of a team: take the next queued buyer, transfer, close.

Functions on the :class:`LiveWorkbench`, used by the main window (shortcuts, menus) and by any pane (its
header's 转接 / 结束 buttons): a dialog opened with ``open()`` (never ``exec()`` inside the loop), then the
request in a task; a failure comes back through ``report`` as one line for the agent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QWidget

from desktop.client.connection import RequestFailedError
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Agent
from desktop.ui.conversation_list_model import display_name
from desktop.ui.i18n import fill
from desktop.ui.live_workbench import LiveWorkbench, now_ms

if TYPE_CHECKING:
    from desktop.ui.close_dialog import CloseDialog
    from desktop.ui.transfer_dialog import TransferDialog

Report = Callable[[str], None]
log = logging.getLogger(__name__)


def next_queued(workbench: LiveWorkbench) -> str | None:
    """The queued buyer who has waited longest (the list's order), or None."""
    queued = workbench.book.ordered(now_ms(), "waiting", "")
    return queued[0].id if queued else None


def accept(
    workbench: LiveWorkbench,
    conversation_id: str,
    report: Report,
    then: Callable[[], None] | None = None,
) -> None:
    """Take a queued buyer; the chat arrives through ``conversation.assigned`` like any other (``then``
    runs once the server has said yes)."""
    ref = p.ConversationRef(conversation_id=conversation_id)
    _in_background(
        workbench,
        f"accept:{conversation_id}",
        QCoreApplication.translate("TeamActions", "接入失败：%1"),
        report,
        [(f.ConversationAccept(id="", data=ref), p.ConversationData)],
        then,
    )


def _in_background(
    workbench: LiveWorkbench,
    name: str,
    failed: str,
    report: Report,
    requests: list[tuple[f.Request, type[Any]]],
    then: Callable[[], None] | None = None,
) -> None:
    """Send ``requests`` one after the other in a task; the first refusal is reported as ``failed``
    (its %1 the reason) and stops the rest; ``then`` runs when all were answered."""

    async def run() -> None:
        try:
            for frame, reply_type in requests:
                await workbench.request(frame, reply_type)
        except RequestFailedError as exc:
            report(fill(failed, str(exc)))
            return
        if then is not None:
            then()

    workbench.tasks.spawn(run(), name=name)


def colleagues(workbench: LiveWorkbench) -> list[Agent]:
    """The other agents of the shop as last known: the snapshot's list with live presence on top."""
    me = workbench.me_id
    known = []
    for agent in workbench.store.agents():
        if agent.id == me:
            continue
        status = workbench.state.presence.get(agent.id, agent.status)
        suspended = workbench.state.suspended.get(agent.id, agent.suspended)
        known.append(msgspec.structs.replace(agent, status=status, suspended=suspended))
    return known


async def fresh_colleagues(workbench: LiveWorkbench) -> list[Agent] | None:
    """The other agents with their live status and load (``agents.list``); None when the server cannot
    say (an older backend answers ``unsupported``, or the link is down)."""
    try:
        reply = await workbench.request(f.AgentsList(id=""), p.AgentsOk)
    except RequestFailedError as exc:
        log.info("agents.list failed (%s): the transfer picker shows the last known list", exc)
        return None
    return [agent for agent in reply.agents if agent.id != workbench.me_id]


def transfer(
    workbench: LiveWorkbench, conversation_id: str, parent: QWidget, report: Report
) -> TransferDialog:
    """Ask whom to (and a note), then ``conversation.transfer``; returns the dialog (already open)."""
    from desktop.ui.transfer_dialog import TransferDialog

    conv = workbench.conversation(conversation_id)
    dialog = TransferDialog(colleagues(workbench), display_name(conv) if conv else conversation_id, parent)

    refresh_name = f"agents.list:{conversation_id}"

    def finished(code: int) -> None:
        workbench.tasks.cancel(refresh_name)  # the live list is of no use once the dialog is gone
        chosen = dialog.chosen() if code == QDialog.DialogCode.Accepted else None
        dialog.deleteLater()
        if chosen is None:
            return
        to_agent, note = chosen
        data = p.TransferData(conversation_id=conversation_id, to_agent_id=to_agent, note=note)
        _in_background(
            workbench,
            f"transfer:{conversation_id}",
            QCoreApplication.translate("TeamActions", "转接失败：%1"),
            report,
            [(f.ConversationTransfer(id="", data=data), p.ConversationData)],
        )

    dialog.finished.connect(finished)
    dialog.open()

    async def refresh() -> None:
        fresh = await fresh_colleagues(workbench)
        if fresh is not None and dialog.isVisible():
            dialog.set_colleagues(fresh)

    workbench.tasks.spawn(refresh(), name=refresh_name)
    return dialog


def close(workbench: LiveWorkbench, conversation_id: str, parent: QWidget, report: Report) -> CloseDialog:
    """Ask for a reason and whether to invite a rating; then ``conversation.close`` and ``rating.invite``."""
    from desktop.ui.close_dialog import CloseDialog

    conv = workbench.conversation(conversation_id)
    dialog = CloseDialog(display_name(conv) if conv else conversation_id, parent)

    def finished(code: int) -> None:
        reason, invite = dialog.chosen()
        dialog.deleteLater()
        if code != QDialog.DialogCode.Accepted:
            return

        close_data = p.CloseData(conversation_id=conversation_id, reason=reason)
        requests: list[tuple[f.Request, type[Any]]] = [
            (f.ConversationClose(id="", data=close_data), p.ConversationData)
        ]
        if invite:
            ref = p.ConversationRef(conversation_id=conversation_id)
            requests.append((f.RatingInvite(id="", data=ref), p.Empty))
        _in_background(
            workbench,
            f"close:{conversation_id}",
            QCoreApplication.translate("TeamActions", "结束会话失败：%1"),
            report,
            requests,
        )

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
