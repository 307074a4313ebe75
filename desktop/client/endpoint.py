"""Where the client may connect: wss:// with verified certificates, ws:// only to loopback or when asked."""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class EndpointError(ValueError):
    """The server address cannot be used as given; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    url: str
    ssl_context: ssl.SSLContext | None


def is_loopback_host(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve(url: str, *, ca_file: Path | None = None, insecure: bool = False) -> Endpoint:
    """Check ``url`` against the protocol's transport rules and build the TLS context.

    - ``wss://``: the server certificate is verified against the system store, or ``ca_file`` when given
      (for a shop's own certificate authority); a self-signed certificate is refused unless its CA is set.
    - ``ws://``: allowed to loopback addresses; to any other host only with ``insecure=True``.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("ws", "wss"):
        raise EndpointError(f"服务器地址必须以 wss:// 开头（或本机的 ws://）: {url!r}")
    host = parts.hostname or ""
    if not host:
        raise EndpointError(f"服务器地址缺少主机名: {url!r}")
    if parts.scheme == "ws":
        if not (is_loopback_host(host) or insecure):
            raise EndpointError(
                f"拒绝以未加密的 ws:// 连接 {host}：请使用 wss://，或在确认网络可信时开启“不安全连接”选项 "
                f"(refusing unencrypted ws:// to {host}: use wss:// or the explicit insecure option)"
            )
        return Endpoint(parts.geturl(), None)
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file is not None else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return Endpoint(parts.geturl(), context)
