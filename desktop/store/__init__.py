"""Local SQLite cache: schema, migrations, events, outbox, drafts, search (no Qt)."""
