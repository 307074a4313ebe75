"""The Qt bridge over the agent client, against the real backend: status, batches and sends as signals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.client.status import LinkState
from desktop.ui.client_bridge import ClientBridge
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import start_client, stop_client, wait_for
from tests.integration.shop import buyer, say


async def test_client_events_arrive_as_qt_signals(backend: BackendProcess, tmp_path: Path, qapp: Any) -> None:
    client = await start_client(backend.url, tmp_path)
    bridge = ClientBridge(client)
    statuses: list[Any] = []
    batches: list[Any] = []
    changes: list[Any] = []
    bridge.status_changed.connect(statuses.append)
    bridge.batch_applied.connect(batches.append)
    bridge.outbox_changed.connect(changes.append)

    shopper, _ = await buyer(backend.url, "c0099")
    sent = await say(shopper, "请问还有货吗？")
    await wait_for(lambda: any(m.id == sent.message.id for b in batches for m in b.messages_added))
    cmid = client.send_text(sent.message.conversation_id, "有的亲～")
    await wait_for(lambda: [(c.client_msg_id, c.state) for c in changes][-1:] == [(cmid, "sent")])
    assert changes[0].state == "pending"

    client.drop_connection()  # the network fails: the bridge reports reconnecting, then online
    await wait_for(lambda: any(s.state is LinkState.RECONNECTING for s in statuses))
    await wait_for(lambda: statuses[-1].state is LinkState.ONLINE)

    bridge.detach()
    await shopper.close()
    await stop_client(client)
    assert statuses[-1].state is LinkState.ONLINE  # detached: the final OFFLINE was not forwarded
