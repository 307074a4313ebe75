"""Local SQLite cache: schema, migrations, events, outbox, drafts, search (no Qt).

One database per server + shop + user (:func:`store_path`), opened with :meth:`LocalStore.open`;
searches run on their own connection in a worker thread (:meth:`LocalStore.open_reader`).
"""

from desktop.store.database import StoreError
from desktop.store.events import AppliedBatch
from desktop.store.local_store import LocalStore
from desktop.store.location import store_path
from desktop.store.search import SearchHit, SearchIndex
from desktop.store.text import message_text, utf16_spans

__all__ = [
    "AppliedBatch",
    "LocalStore",
    "SearchHit",
    "SearchIndex",
    "StoreError",
    "message_text",
    "store_path",
    "utf16_spans",
]
