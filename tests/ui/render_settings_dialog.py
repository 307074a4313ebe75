"""Render every page of the settings dialog, in the app's theme, with a few non-default values.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_settings_dialog [out-prefix]

Writes ``/tmp/settings-<section>.png`` by default (one picture per page), into a throw-away settings file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.core.settings_registry import SECTIONS
from desktop.ui.preferences import Preferences
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.theme import apply_theme


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    prefix = argv[1] if len(argv) > 1 else "/tmp/settings"
    app = QApplication.instance() or QApplication(argv[:1])
    assert isinstance(app, QApplication)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as folder:
        preferences = Preferences(Path(folder) / "settings.ini")
        preferences.update({"sounds/enabled": False, "wait/amber_s": 45, "appearance/font_size": 12})
        data = Path.home() / ".local/share/ShopDesk/data/wss_shop.example.com/demo/agent1"
        dialog = SettingsDialog(preferences, data_dir=data, log_dir=Path.home() / ".local/state/ShopDesk/log")
        dialog.show()
        saved = []
        for section in SECTIONS:
            dialog.show_section(section.id)
            app.processEvents()
            out = f"{prefix}-{section.id}.png"
            if dialog.grab().save(out):
                saved.append(out)
        dialog.close()
    print("saved", *saved)
    return 0 if len(saved) == len(SECTIONS) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
