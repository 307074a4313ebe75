"""One function per shopdesk.v1 request, run by :class:`Backend` inside a transaction."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Party, QuickReply
from desktop.server import views
from desktop.server.accounts import Principal
from desktop.server.events import agent_key, customer_key
from desktop.server.service import CLOSED_IN_SNAPSHOT_MS, THREE_MINUTES_MS, ServiceError, new_id

if TYPE_CHECKING:
    from desktop.server.service import Backend, Handler

AGENT_MESSAGE_KINDS = frozenset({"text", "image", "product", "order"})
CUSTOMER_MESSAGE_KINDS = frozenset({"text", "image", "product", "order"})


def table(
    b: Backend, agent: frozenset[str], customer: frozenset[str], both: frozenset[str]
) -> dict[type[f.Request], tuple[Handler, frozenset[str]]]:
    def snapshot(who: Principal, data: p.Empty, now: int) -> p.SnapshotOk:
        seq = b.log.current(b.recipient(who))
        if who.role == "customer":
            rows = b.conn.execute(
                "SELECT * FROM conversations WHERE customer_id = ? ORDER BY created_at DESC LIMIT 6",
                (who.id,),
            ).fetchall()
            return p.SnapshotOk(seq=seq, conversations=[views.conversation(b.conn, r) for r in rows])
        rows = b.conn.execute(
            "SELECT * FROM conversations WHERE shop_id = ? AND ("
            " (assignee_id = ? AND status = 'active') OR status = 'waiting'"
            " OR (assignee_id = ? AND status = 'closed' AND closed_at >= ?))"
            " ORDER BY created_at",
            (who.shop_id, who.id, who.id, now - CLOSED_IN_SNAPSHOT_MS),
        ).fetchall()
        replies = b.conn.execute(
            "SELECT * FROM quick_replies WHERE shop_id = ? AND (scope = 'team' OR owner_id = ?)"
            " ORDER BY grp, id",
            (who.shop_id, who.id),
        ).fetchall()
        return p.SnapshotOk(
            seq=seq,
            conversations=[views.conversation(b.conn, r) for r in rows],
            agents=b.agents(who.shop_id),
            quick_replies=[views.quick_reply(r) for r in replies],
        )

    def presence_set(who: Principal, data: p.PresenceSetData, now: int) -> None:
        b.set_presence(who.id, who.shop_id, data.status, now, suspended=data.suspended)

    def agents_list(who: Principal, data: p.Empty, now: int) -> p.AgentsOk:
        return p.AgentsOk(agents=b.agents(who.shop_id))

    def accept(who: Principal, data: p.ConversationRef, now: int) -> p.ConversationData:
        row = b.conversation_row(data.conversation_id, who)
        if row["status"] != "waiting":
            raise ServiceError("conflict", "this conversation is no longer waiting")
        b.assign(row["id"], who.id, now)
        b.conversation_changed(row["id"], now, also_agents=tuple(b.agent_ids(who.shop_id)))
        b.queue_changed(who.shop_id, now)
        return p.ConversationData(conversation=b.conversation(row["id"]))

    def transfer(who: Principal, data: p.TransferData, now: int) -> p.ConversationData:
        row = b.own_conversation(data.conversation_id, who)
        target = b.row("SELECT id, name, disabled, shop_id FROM agents WHERE id = ?", data.to_agent_id)
        if target is None or target["shop_id"] != who.shop_id or target["disabled"]:
            raise ServiceError("not_found", f"no agent {data.to_agent_id}")
        if target["id"] == who.id:
            raise ServiceError("conflict", "the conversation is yours already")
        me = b.me(who)
        b.assign(row["id"], target["id"], now, note=data.note)
        b.add_message(
            row["id"],
            Party(role="system", id="system"),
            "system",
            {"text": f"{me.name} 已将会话转接给 {target['name']}"},
            now,
            None,
        )
        b.conversation_changed(row["id"], now, also_agents=(who.id,))
        return p.ConversationData(conversation=b.conversation(row["id"]))

    def close(who: Principal, data: p.CloseData, now: int) -> p.ConversationData:
        row = b.own_conversation(data.conversation_id, who)
        b.conn.execute(
            "UPDATE conversations SET status = 'closed', closed_at = ?, waiting_since = NULL, unread = 0"
            " WHERE id = ?",
            (now, row["id"]),
        )
        b.add_message(
            row["id"], Party(role="system", id="system"), "system", {"text": "会话已结束"}, now, None
        )
        b.conversation_changed(row["id"], now)
        b.drain_queue(who.shop_id, now)
        return p.ConversationData(conversation=b.conversation(row["id"]))

    def read(who: Principal, data: p.ReadData, now: int) -> None:
        row = b.conversation_row(data.conversation_id, who)
        if row["assignee_id"] != who.id:
            raise ServiceError("forbidden", "this conversation is not assigned to you")
        message = b.row("SELECT conversation_id FROM messages WHERE id = ?", data.up_to_message_id)
        if message is None or message["conversation_id"] != row["id"]:
            raise ServiceError("not_found", f"no message {data.up_to_message_id} in this conversation")
        b.conn.execute("UPDATE conversations SET unread = 0 WHERE id = ?", (row["id"],))
        reader = Party(role="agent", id=who.id)
        event = f.MessageRead(
            ts=now,
            data=p.MessageReadData(
                conversation_id=row["id"], up_to_message_id=data.up_to_message_id, reader=reader
            ),
        )
        b.emit(agent_key(who.id), event, now)
        if row["unread"]:
            b.conversation_changed(row["id"], now)

    def send(who: Principal, data: p.MessageSendData, now: int) -> p.MessageData:
        kinds = AGENT_MESSAGE_KINDS if who.role == "agent" else CUSTOMER_MESSAGE_KINDS
        if data.kind not in kinds:
            raise ServiceError("forbidden", f"{who.role}s may not send {data.kind} messages")
        existing = b.row(
            "SELECT * FROM messages WHERE sender_role = ? AND sender_id = ? AND client_msg_id = ?",
            who.role,
            who.id,
            data.client_msg_id,
        )
        if existing is not None:  # the same client_msg_id again: the original, nothing new
            return p.MessageData(message=views.message(existing))
        new_conversation = False
        if who.role == "agent":
            if data.conversation_id is None:
                raise ServiceError("bad_request", "agents must name the conversation")
            conv_id = b.own_conversation(data.conversation_id, who)["id"]
            waiting = b.row(
                "SELECT waiting_since, first_response_at FROM conversations WHERE id = ?", conv_id
            )
            assert waiting is not None
            if waiting["waiting_since"] is not None:
                b.conn.execute(
                    "INSERT INTO responses (conversation_id, agent_id, waited_ms, answered_at)"
                    " VALUES (?, ?, ?, ?)",
                    (conv_id, who.id, now - waiting["waiting_since"], now),
                )
            b.conn.execute(
                "UPDATE conversations SET waiting_since = NULL, unread = 0,"
                " first_response_at = COALESCE(first_response_at, ?) WHERE id = ?",
                (now, conv_id),
            )
        else:
            conv_id, new_conversation = customer_conversation(who, data.conversation_id, now)
            b.conn.execute(
                "UPDATE conversations SET unread = unread + 1, waiting_since = COALESCE(waiting_since, ?)"
                " WHERE id = ?",
                (now, conv_id),
            )
            b.conn.execute(  # a minute's precision is plenty, and saves a write per message
                "UPDATE customers SET last_seen = ? WHERE id = ? AND last_seen < ?",
                (now, who.id, now - 60_000),
            )
        message = b.add_message(
            conv_id, Party(role=who.role, id=who.id), data.kind, data.body, now, data.client_msg_id
        )
        # The buyer hears about the conversation itself only when this message opened it (and it was routed).
        b.conversation_changed(conv_id, now, last_message=message, tell_customer=new_conversation)
        return p.MessageData(message=message)

    def customer_conversation(who: Principal, conv_id: str | None, now: int) -> tuple[str, bool]:
        """The customer's open conversation, and whether it was opened (and routed) just now."""
        if conv_id is not None:
            row = b.conversation_row(conv_id, who)
            if row["status"] != "closed":
                return str(row["id"]), False
        open_row = b.row(
            "SELECT id FROM conversations WHERE customer_id = ? AND status != 'closed'"
            " ORDER BY created_at DESC",
            who.id,
        )
        if open_row is not None:
            return str(open_row["id"]), False
        new = new_id("cv")
        b.conn.execute(
            "INSERT INTO conversations (id, shop_id, customer_id, status, created_at)"
            " VALUES (?, ?, ?, 'waiting', ?)",
            (new, who.shop_id, who.id, now),
        )
        agent_id = b.pick_agent(who.shop_id)
        if agent_id is not None:
            b.assign(new, agent_id, now)
        else:
            b.queue_changed(who.shop_id, now)
        return new, True

    def history(who: Principal, data: p.HistoryFetchData, now: int) -> p.HistoryOk:
        row = b.conversation_row(data.conversation_id, who)
        before = 2**62
        if data.before_message_id is not None:
            anchor = b.row("SELECT seq, conversation_id FROM messages WHERE id = ?", data.before_message_id)
            if anchor is None or anchor["conversation_id"] != row["id"]:
                raise ServiceError("not_found", f"no message {data.before_message_id} in this conversation")
            before = anchor["seq"]
        rows = b.conn.execute(
            "SELECT * FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
            (row["id"], before, data.limit + 1),
        ).fetchall()
        page = rows[: data.limit]
        return p.HistoryOk(messages=[views.message(r) for r in reversed(page)], more=len(rows) > data.limit)

    def customer_row(who: Principal, customer_id: str) -> Any:
        row = b.row("SELECT * FROM customers WHERE id = ?", customer_id)
        if row is None or row["shop_id"] != who.shop_id:
            raise ServiceError("not_found", f"no customer {customer_id}")
        return row

    def customer_get(who: Principal, data: p.CustomerRef, now: int) -> p.CustomerData:
        return p.CustomerData(customer=views.customer(b.conn, customer_row(who, data.customer_id)))

    def customer_update(who: Principal, data: p.CustomerUpdateData, now: int) -> p.CustomerData:
        row = customer_row(who, data.customer_id)
        if data.tags is not None:
            tags = list(dict.fromkeys(t.strip() for t in data.tags if t.strip()))
            b.conn.execute(
                "UPDATE customers SET tags = ? WHERE id = ?",
                (json.dumps(tags, ensure_ascii=False), row["id"]),
            )
        if data.note is not None:
            b.conn.execute("UPDATE customers SET note = ? WHERE id = ?", (data.note, row["id"]))
        customer = views.customer(b.conn, customer_row(who, data.customer_id))
        event = f.CustomerUpdated(ts=now, data=p.CustomerData(customer=customer))
        followers = {who.id}
        for conv in b.conn.execute(
            "SELECT assignee_id FROM conversations WHERE customer_id = ? AND status = 'active'", (row["id"],)
        ):
            followers.add(conv["assignee_id"])
        for agent_id in sorted(followers):
            b.emit(agent_key(agent_id), event, now)
        return p.CustomerData(customer=customer)

    def orders(who: Principal, data: p.CustomerRef, now: int) -> p.OrdersOk:
        row = customer_row(who, data.customer_id)
        rows = b.conn.execute(
            "SELECT * FROM orders WHERE customer_id = ? ORDER BY created_at DESC LIMIT 100", (row["id"],)
        ).fetchall()
        return p.OrdersOk(orders=[views.order(r) for r in rows])

    def qr_upsert(who: Principal, data: p.QuickReplyUpsertData, now: int) -> p.QuickReplyOk:
        draft = data.quick_reply
        if draft.scope != "personal":
            raise ServiceError("forbidden", "team quick replies are managed by the shop admin")
        if draft.id is not None:
            row = b.row("SELECT * FROM quick_replies WHERE id = ?", draft.id)
            if row is None or row["owner_id"] != who.id:
                raise ServiceError("not_found", f"no personal quick reply {draft.id}")
            qr_id = draft.id
            b.conn.execute(
                "UPDATE quick_replies SET grp = ?, shortcut = ?, text = ?, updated_at = ? WHERE id = ?",
                (draft.group, draft.shortcut, draft.text, now, qr_id),
            )
        else:
            qr_id = new_id("qr")
            b.conn.execute(
                "INSERT INTO quick_replies (id, shop_id, scope, owner_id, grp, shortcut, text, updated_at)"
                " VALUES (?, ?, 'personal', ?, ?, ?, ?, ?)",
                (qr_id, who.shop_id, who.id, draft.group, draft.shortcut, draft.text, now),
            )
        qr = QuickReply(
            id=qr_id,
            scope="personal",
            group=draft.group,
            shortcut=draft.shortcut,
            text=draft.text,
            updated_at=now,
        )
        b.emit(
            agent_key(who.id),
            f.QuickRepliesChanged(ts=now, data=p.QuickRepliesChangedData(quick_reply=qr)),
            now,
        )
        return p.QuickReplyOk(quick_reply=qr)

    def qr_delete(who: Principal, data: p.IdRef, now: int) -> None:
        row = b.row("SELECT owner_id, scope FROM quick_replies WHERE id = ?", data.id)
        if row is None or (row["scope"] == "personal" and row["owner_id"] != who.id):
            raise ServiceError("not_found", f"no quick reply {data.id}")
        if row["scope"] == "team":
            raise ServiceError("forbidden", "team quick replies are managed by the shop admin")
        b.conn.execute("DELETE FROM quick_replies WHERE id = ?", (data.id,))
        b.emit(
            agent_key(who.id),
            f.QuickRepliesChanged(ts=now, data=p.QuickRepliesChangedData(deleted_id=data.id)),
            now,
        )

    def rating_invite(who: Principal, data: p.ConversationRef, now: int) -> None:
        row = b.conversation_row(data.conversation_id, who)
        if row["assignee_id"] != who.id:
            raise ServiceError("forbidden", "this conversation is not assigned to you")
        rated = b.row("SELECT score FROM ratings WHERE conversation_id = ?", row["id"])
        if rated is not None and rated["score"] is not None:
            raise ServiceError("conflict", "the buyer has rated this conversation already")
        b.conn.execute(
            "INSERT INTO ratings (conversation_id, agent_id, invited_at) VALUES (?, ?, ?)"
            " ON CONFLICT (conversation_id) DO UPDATE SET agent_id = excluded.agent_id,"
            " invited_at = excluded.invited_at",
            (row["id"], who.id, now),
        )
        event = f.RatingRequested(ts=now, data=p.ConversationRef(conversation_id=row["id"]))
        b.emit(customer_key(row["customer_id"]), event, now)

    def rating_submit(who: Principal, data: p.RatingSubmitData, now: int) -> None:
        row = b.conversation_row(data.conversation_id, who)
        rating = b.row("SELECT * FROM ratings WHERE conversation_id = ?", row["id"])
        if rating is None and (row["status"] != "closed" or row["assignee_id"] is None):
            raise ServiceError("conflict", "this conversation has not been offered for rating")
        if rating is not None and rating["score"] is not None:
            raise ServiceError("conflict", "this conversation is rated already")
        agent_id = rating["agent_id"] if rating is not None else row["assignee_id"]
        b.conn.execute(
            "INSERT INTO ratings (conversation_id, agent_id, invited_at, score, comment, rated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_id) DO UPDATE SET score = excluded.score,"
            " comment = excluded.comment, rated_at = excluded.rated_at",
            (row["id"], agent_id, now, data.score, data.comment, now),
        )
        event = f.RatingReceived(
            ts=now,
            data=p.RatingReceivedData(conversation_id=row["id"], score=data.score, comment=data.comment),
        )
        b.emit(agent_key(agent_id), event, now)

    def stats(who: Principal, data: p.StatsData, now: int) -> p.StatsOk:
        one = b.conn.execute
        closed = one(
            "SELECT COUNT(*) FROM conversations WHERE assignee_id = ? AND status = 'closed'"
            " AND closed_at >= ?",
            (who.id, data.since),
        ).fetchone()[0]
        sent = one(
            "SELECT COUNT(*) FROM messages WHERE sender_role = 'agent' AND sender_id = ? AND created_at >= ?",
            (who.id, data.since),
        ).fetchone()[0]
        resp = one(
            "SELECT COUNT(*), COALESCE(SUM(waited_ms <= ?), 0) FROM responses WHERE agent_id = ?"
            " AND answered_at >= ?",
            (THREE_MINUTES_MS, who.id, data.since),
        ).fetchone()
        first = one(
            "SELECT COUNT(*), AVG(first_response_at - assigned_at) FROM conversations"
            " WHERE assignee_id = ?"
            " AND first_response_at >= ?",
            (who.id, data.since),
        ).fetchone()
        rated = one(
            "SELECT COUNT(*), AVG(score) FROM ratings WHERE agent_id = ? AND rated_at >= ?",
            (who.id, data.since),
        ).fetchone()
        return p.StatsOk(
            since=data.since,
            conversations_closed=closed,
            messages_sent=sent,
            responses=resp[0],
            responses_within_3min=resp[1],
            first_responses=first[0],
            first_response_avg_ms=None if first[1] is None else max(0, round(first[1])),
            ratings_count=rated[0],
            ratings_avg=None if rated[1] is None else round(float(rated[1]), 2),
        )

    return {
        f.SyncSnapshot: (snapshot, both),
        f.PresenceSet: (presence_set, agent),
        f.ConversationAccept: (accept, agent),
        f.ConversationTransfer: (transfer, agent),
        f.ConversationClose: (close, agent),
        f.ConversationRead: (read, agent),
        f.MessageSend: (send, both),
        f.HistoryFetch: (history, both),
        f.CustomerGet: (customer_get, agent),
        f.CustomerUpdate: (customer_update, agent),
        f.OrdersList: (orders, agent),
        f.QuickRepliesUpsert: (qr_upsert, agent),
        f.QuickRepliesDelete: (qr_delete, agent),
        f.RatingInvite: (rating_invite, agent),
        f.RatingSubmit: (rating_submit, customer),
        f.StatsGet: (stats, agent),
        f.AgentsList: (agents_list, agent),
    }
