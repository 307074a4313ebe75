from __future__ import annotations

from pathlib import Path

from desktop.store import LocalStore


def test_drafts_survive_reopen(db_path: Path) -> None:
    with LocalStore.open(db_path) as store:
        assert store.draft("c1") == ""
        store.set_draft("c1", "亲，这款")
        store.set_draft("c2", "  ")
        store.set_draft("c1", "亲，这款有现货")
    with LocalStore.open(db_path) as store:
        assert store.draft("c1") == "亲，这款有现货"
        assert store.draft("c2") == "  "
        assert store.drafts() == {"c1": "亲，这款有现货", "c2": "  "}


def test_empty_text_deletes(store: LocalStore) -> None:
    store.set_draft("c1", "草稿")
    store.set_draft("c1", "")
    assert store.draft("c1") == ""
    assert store.drafts() == {}
    store.set_draft("c1", "")  # deleting nothing is fine
