from __future__ import annotations

import keyring
from keyring.backends import fail

from desktop.client.credentials import SERVICE, Account, forget_token, load_token, save_token

ACCOUNT = Account("wss://shop.example.com", "demo", "agent1")


def test_token_round_trip_in_the_keyring() -> None:
    assert load_token(ACCOUNT) is None
    assert save_token(ACCOUNT, "tok-123")
    assert load_token(ACCOUNT) == "tok-123"
    assert keyring.get_password(SERVICE, ACCOUNT.entry) == "tok-123"
    other = Account("wss://shop.example.com", "demo", "agent2")
    assert load_token(other) is None
    forget_token(ACCOUNT)
    forget_token(ACCOUNT)  # twice is fine
    assert load_token(ACCOUNT) is None


def test_without_a_keyring_nothing_is_remembered() -> None:
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    assert not save_token(ACCOUNT, "tok-123")
    assert load_token(ACCOUNT) is None
    forget_token(ACCOUNT)
