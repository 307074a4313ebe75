"""``shopdesk admin``: shop administration on the reference backend's database, from the command line.

Safe while the server runs: every change is its own transaction, and events it writes (team quick replies)
reach connected agents within a second (the server watches the database for other writers).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server import accounts, db, views
from desktop.server.db import transaction
from desktop.server.events import EventLog, agent_key

QR_FIELDS = ("group", "shortcut", "text")


def _now() -> int:
    return time.time_ns() // 1_000_000


def _team_replies_changed(
    conn: sqlite3.Connection, shop_id: str, ids: Sequence[str], deleted: Sequence[str]
) -> None:
    log, now = EventLog(conn), _now()
    agents = [
        r["id"] for r in conn.execute("SELECT id FROM agents WHERE shop_id = ? AND disabled = 0", (shop_id,))
    ]
    for qr_id in ids:
        row = conn.execute("SELECT * FROM quick_replies WHERE id = ?", (qr_id,)).fetchone()
        event = f.QuickRepliesChanged(
            ts=now, data=p.QuickRepliesChangedData(quick_reply=views.quick_reply(row))
        )
        for agent_id in agents:
            log.append(agent_key(agent_id), event, now)
    for qr_id in deleted:
        event = f.QuickRepliesChanged(ts=now, data=p.QuickRepliesChangedData(deleted_id=qr_id))
        for agent_id in agents:
            log.append(agent_key(agent_id), event, now)


def read_quick_replies(path: Path) -> list[dict[str, str]]:
    """Team quick replies from JSON (a list of {group, shortcut, text}) or CSV (group,shortcut,text)."""
    text = path.read_text("utf-8-sig")
    if path.suffix.lower() == ".csv":
        rows: list[dict[str, str]] = list(csv.DictReader(io.StringIO(text)))
    else:
        loaded = json.loads(text)
        if not isinstance(loaded, list):
            raise accounts.AccountError("the JSON file must hold a list of quick replies")
        rows = loaded
    cleaned = []
    for number, row in enumerate(rows, start=1):
        if (
            not isinstance(row, dict)
            or not str(row.get("text", "")).strip()
            or not str(row.get("group", "")).strip()
        ):
            raise accounts.AccountError(f"quick reply {number}: needs a non-empty group and text")
        item = {k: str(row.get(k, "")).strip() for k in QR_FIELDS}
        if len(item["text"]) > 5000 or len(item["group"]) > 64 or len(item["shortcut"]) > 32:
            raise accounts.AccountError(f"quick reply {number}: too long (text 5000, group 64, shortcut 32)")
        cleaned.append(item)
    return cleaned


def import_quick_replies(
    conn: sqlite3.Connection, shop_id: str, path: Path, *, replace: bool
) -> tuple[int, int]:
    """Add team quick replies (updating those with the same group and shortcut); returns (added, updated)."""
    items = read_quick_replies(path)
    now, added, updated, changed, deleted = _now(), 0, 0, [], []
    with transaction(conn):
        if conn.execute("SELECT 1 FROM shops WHERE id = ?", (shop_id,)).fetchone() is None:
            raise accounts.AccountError(f"no shop {shop_id!r}")
        if replace:
            deleted = [
                r["id"]
                for r in conn.execute(
                    "SELECT id FROM quick_replies WHERE shop_id = ? AND scope = 'team'", (shop_id,)
                )
            ]
            conn.execute("DELETE FROM quick_replies WHERE shop_id = ? AND scope = 'team'", (shop_id,))
        for item in items:
            row = None
            if item["shortcut"]:
                row = conn.execute(
                    "SELECT id FROM quick_replies WHERE shop_id = ? AND scope = 'team' AND grp = ?"
                    " AND shortcut = ?",
                    (shop_id, item["group"], item["shortcut"]),
                ).fetchone()
            if row is not None:
                conn.execute(
                    "UPDATE quick_replies SET text = ?, updated_at = ? WHERE id = ?",
                    (item["text"], now, row["id"]),
                )
                changed.append(row["id"])
                updated += 1
            else:
                qr_id = f"qr-{shop_id}-{now}-{added}"
                conn.execute(
                    "INSERT INTO quick_replies (id, shop_id, scope, grp, shortcut, text, updated_at)"
                    " VALUES (?, ?, 'team', ?, ?, ?, ?)",
                    (qr_id, shop_id, item["group"], item["shortcut"], item["text"], now),
                )
                changed.append(qr_id)
                added += 1
        _team_replies_changed(conn, shop_id, changed, [d for d in deleted if d not in changed])
    return added, updated


def export_quick_replies(conn: sqlite3.Connection, shop_id: str, fmt: str) -> str:
    rows = conn.execute(
        "SELECT grp, shortcut, text FROM quick_replies WHERE shop_id = ? AND scope = 'team'"
        " ORDER BY grp, shortcut",
        (shop_id,),
    ).fetchall()
    items = [{"group": r["grp"], "shortcut": r["shortcut"], "text": r["text"]} for r in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(QR_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(items)
        return buffer.getvalue()
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, help="the reference backend's database file")
    commands = parser.add_subparsers(dest="admin_command", metavar="ACTION", required=True)

    shop = commands.add_parser("shop-create", help="create a shop (prints its widget secret)")
    shop.add_argument("shop")
    shop.add_argument("name")

    add = commands.add_parser(
        "agent-add", help="add an agent (asks for the password unless --password-stdin)"
    )
    add.add_argument("shop")
    add.add_argument("username")
    add.add_argument("name", help="the name buyers see, e.g. 客服小美")
    add.add_argument("--max-concurrent", type=int, default=5)
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")

    for name, help_text in (
        ("agent-disable", "disable an agent and revoke their tokens"),
        ("agent-enable", "enable a disabled agent"),
    ):
        action = commands.add_parser(name, help=help_text)
        action.add_argument("shop")
        action.add_argument("username")

    reset = commands.add_parser("agent-passwd", help="set a new password (revokes the agent's tokens)")
    reset.add_argument("shop")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")

    limit = commands.add_parser("agent-max", help="set how many conversations an agent takes at once")
    limit.add_argument("shop")
    limit.add_argument("username")
    limit.add_argument("max_concurrent", type=int)

    agents = commands.add_parser("agents", help="list a shop's agents")
    agents.add_argument("shop")

    imp = commands.add_parser(
        "qr-import", help="import team quick replies from JSON or CSV (group,shortcut,text)"
    )
    imp.add_argument("shop")
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true", help="delete the shop's team quick replies first")

    exp = commands.add_parser("qr-export", help="export team quick replies")
    exp.add_argument("shop")
    exp.add_argument("--format", choices=["json", "csv"], default="json")
    exp.add_argument("--out", type=Path, help="file to write (default: standard output)")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise accounts.AccountError("the passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    conn = db.connect(args.db)
    now = _now()
    try:
        match args.admin_command:
            case "shop-create":
                secret = accounts.create_shop(conn, args.shop, args.name, now)
                print(f"shop {args.shop} created; widget secret (keep it on your site's server): {secret}")
            case "agent-add":
                agent_id = accounts.add_agent(
                    conn,
                    args.shop,
                    args.username,
                    args.name,
                    _password(args),
                    now,
                    max_concurrent=args.max_concurrent,
                )
                print(f"agent {args.username} added ({agent_id})")
            case "agent-disable" | "agent-enable":
                accounts.set_agent_disabled(
                    conn, args.shop, args.username, args.admin_command == "agent-disable"
                )
                print(f"agent {args.username} {args.admin_command.removeprefix('agent-')}d")
            case "agent-passwd":
                accounts.reset_password(conn, args.shop, args.username, _password(args))
                print(f"password of {args.username} changed; their sessions must log in again")
            case "agent-max":
                accounts.set_max_concurrent(conn, args.shop, args.username, args.max_concurrent)
                print(f"{args.username} now takes up to {args.max_concurrent} conversations")
            case "agents":
                for r in conn.execute(
                    "SELECT * FROM agents WHERE shop_id = ? ORDER BY username", (args.shop,)
                ):
                    state = "disabled" if r["disabled"] else r["status"]
                    print(f"{r['username']:<16} {r['name']:<12} max {r['max_concurrent']:<3} {state}")
            case "qr-import":
                added, updated = import_quick_replies(conn, args.shop, args.file, replace=args.replace)
                print(f"{added} team quick replies added, {updated} updated")
            case "qr-export":
                text = export_quick_replies(conn, args.shop, args.format)
                if args.out is not None:
                    args.out.write_text(text, encoding="utf-8")
                else:
                    sys.stdout.write(text)
    except accounts.AccountError as exc:
        print(f"shopdesk admin: {exc}", file=sys.stderr)
        return 2
    finally:
        conn.close()
    return 0
