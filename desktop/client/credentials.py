"""Login tokens in the OS keyring: service ``shopdesk``, one entry per server and user.

Only the token is stored, never the password, and never in a file. Without a usable keyring (a headless
machine has none) "remember me" is unavailable: the token lives in memory for the session only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

# keyring is imported where it is used: its backends take ~20 ms to import, and the window comes first.

SERVICE = "shopdesk"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Account:
    """Who logs in where: the keyring entry's name is derived from these three."""

    server_url: str
    shop: str
    username: str

    @property
    def entry(self) -> str:
        return f"{self.username}@{self.shop} {self.server_url}"


def keyring_usable() -> bool:
    """Whether a real keyring backend is there (not the 'fail' one of headless machines)."""
    import keyring

    backend = keyring.get_keyring()
    return getattr(backend, "priority", 0) > 0 and type(backend).__module__ != "keyring.backends.fail"


def save_token(account: Account, token: str) -> bool:
    """Remember the token; False (and nothing written anywhere) when no keyring is usable."""
    if not keyring_usable():
        log.warning("no usable keyring: the login will not be remembered")
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, account.entry, token)
    except KeyringError as exc:
        log.warning("could not store the token in the keyring: %s", type(exc).__name__)
        return False
    return True


def load_token(account: Account) -> str | None:
    if not keyring_usable():
        return None
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, account.entry)
    except KeyringError as exc:
        log.warning("could not read the keyring: %s", type(exc).__name__)
        return None


def forget_token(account: Account) -> None:
    """Remove a stored token (log out, or the server refused it)."""
    if not keyring_usable():
        return
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, account.entry)
    except PasswordDeleteError:
        pass
    except KeyringError as exc:
        log.warning("could not remove the token from the keyring: %s", type(exc).__name__)
