"""Reference store backend and buyer simulator (no Qt)."""
