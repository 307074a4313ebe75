"""Limits that both peers enforce. Values are fixed by shopdesk.v1."""

from __future__ import annotations

from typing import Final

MAX_FRAME_BYTES: Final = 1024 * 1024
MAX_TEXT_CHARS: Final = 5000
MAX_IMAGE_BYTES: Final = 512 * 1024
# Base64 text of MAX_IMAGE_BYTES, rounded up to whole 4-character groups.
MAX_IMAGE_B64_CHARS: Final = (MAX_IMAGE_BYTES + 2) // 3 * 4
MAX_HISTORY_LIMIT: Final = 200
DEFAULT_HISTORY_LIMIT: Final = 50
MAX_ID_CHARS: Final = 128
MAX_NAME_CHARS: Final = 64
MAX_NOTE_CHARS: Final = 2000
MAX_TAGS: Final = 32
HEARTBEAT_S: Final = 20
HELLO_TIMEOUT_S: Final = 10
ERROR_BUDGET: Final = 10  # protocol errors ...
ERROR_WINDOW_MS: Final = 60_000  # ... within this window close the connection with 4003
