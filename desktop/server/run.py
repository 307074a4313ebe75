"""``shopdesk serve``: open the database, seed it if asked, and serve until Ctrl+C / SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop.server import db
from desktop.server.app import ServerConfig, ShopServer, now_ms, server_info
from desktop.server.events import EventLog
from desktop.server.service import Backend

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServeOptions:
    db_path: Path
    host: str = "127.0.0.1"
    port: int = 8765
    cert: Path | None = None
    key: Path | None = None
    plain: bool = False
    seed: str | None = None
    durable: bool = False
    keep_events: int = 10_000
    keep_days: float = 7.0
    rate_per_s: float = 30.0
    single_session: bool = False


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ssl_context(options: ServeOptions) -> ssl.SSLContext | None:
    if options.cert is None and options.key is None:
        if not options.plain:
            raise SystemExit(
                "shopdesk serve: give --cert and --key for wss://, or --plain for unencrypted ws://"
            )
        return None
    if options.cert is None or options.key is None:
        raise SystemExit("shopdesk serve: --cert and --key go together")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(options.cert, options.key)
    return context


def open_backend(options: ServeOptions) -> Backend:
    conn = db.connect(options.db_path, durable=options.durable, checkpoint_in_background=True)
    if options.seed is not None:
        from desktop.server.seeding import seed_database

        seed_database(conn, options.seed, now_ms())
    log_ = EventLog(conn, keep_events=options.keep_events, keep_ms=int(options.keep_days * 86_400_000))
    return Backend(conn, log_)


async def serve_forever(options: ServeOptions) -> None:
    logging.getLogger("websockets").setLevel(logging.WARNING)  # a line per connection is noise
    context = ssl_context(options)
    backend = open_backend(options)
    config = ServerConfig(
        host=options.host,
        port=options.port,
        ssl_context=context,
        rate_per_s=options.rate_per_s,
        rate_burst=max(options.rate_per_s * 4, 10),
        single_session=options.single_session,
    )
    server = ShopServer(backend, config)
    await server.start()
    scheme = "wss" if context is not None else "ws"
    host = f"[{options.host}]" if ":" in options.host else options.host
    print(
        f"{server_info()} listening on {scheme}://{host}:{server.port} (database {options.db_path})",
        flush=True,
    )
    if context is None and not is_loopback(options.host):
        log.warning(
            "serving unencrypted ws:// on a non-loopback address; clients will refuse it without --insecure"
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.close()
        backend.conn.close()
        print("stopped", file=sys.stderr, flush=True)


def main(options: ServeOptions) -> int:
    asyncio.run(serve_forever(options))
    return 0
