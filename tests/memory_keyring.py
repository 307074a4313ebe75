"""An in-memory keyring backend for the tests (selected in tests/conftest.py).

A headless machine has no usable keyring (``keyring.backends.fail.Keyring``), and keyrings.alt would store
secrets in plain text and silently become the default once installed. This backend keeps passwords in a
dict for the life of one instance; the ``memory_keyring`` fixture gives every test a new, empty one.

Subprocesses started by a test inherit ``PYTHON_KEYRING_BACKEND=tests.memory_keyring.MemoryKeyring`` and
load it too when ``tests`` is importable there (run them with the repo root as the working directory).
"""

from __future__ import annotations

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """Passwords in a dict keyed by (service, username); nothing touches the disk or D-Bus."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password stored for {username!r} in {service!r}") from None
