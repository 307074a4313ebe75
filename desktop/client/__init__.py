"""asyncio connection to a shopdesk.v1 backend: reconnect, keyring credentials (no Qt)."""
