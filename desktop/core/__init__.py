"""Qt-free workbench domain: conversations, wait timers, quick replies, stats."""
