"""What a login hands to the app: who, where, the token, and whether to remember it."""

from __future__ import annotations

from typing import NamedTuple

from desktop.client.credentials import Account
from desktop.client.endpoint import Endpoint


class LoginResult(NamedTuple):
    account: Account
    endpoint: Endpoint
    token: str
    remember: bool
