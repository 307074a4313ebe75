from __future__ import annotations

import ssl

import pytest

from desktop.client.endpoint import EndpointError, is_loopback_host, resolve


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.8.9.1", "[::1]", "::1"])
def test_loopback_hosts(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["example.com", "10.0.0.5", "192.168.1.2", "localhost.evil.com", "0.0.0.0"])
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)


def test_plain_ws_to_loopback_is_allowed() -> None:
    endpoint = resolve("ws://127.0.0.1:8765")
    assert endpoint.ssl_context is None


def test_plain_ws_elsewhere_is_refused_with_a_clear_message() -> None:
    with pytest.raises(EndpointError) as refused:
        resolve("ws://shop.example.com:8765")
    assert "wss://" in str(refused.value) and "shop.example.com" in str(refused.value)
    assert resolve("ws://shop.example.com:8765", insecure=True).ssl_context is None


def test_wss_verifies_certificates() -> None:
    context = resolve("wss://shop.example.com/ws").ssl_context
    assert context is not None
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname


@pytest.mark.parametrize("url", ["http://x", "shop.example.com", "wss://", ""])
def test_malformed_addresses(url: str) -> None:
    with pytest.raises(EndpointError):
        resolve(url)
