"""Qt's own messages (qDebug, qWarning, qCritical, qFatal) go to Python logging, under ``qt.<category>``.

Installed once when the app starts (:func:`install`); a test can install and restore it around itself.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def qt_message_handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category or "default"
    logger = logging.getLogger(f"qt.{category}" if category != "default" else "qt")
    where = f" ({context.file}:{context.line})" if context.file else ""
    logger.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install() -> object:
    """Route Qt messages into logging; returns the previous handler (pass it to :func:`restore`)."""
    return qInstallMessageHandler(qt_message_handler)


def restore(previous: object) -> None:
    qInstallMessageHandler(previous)  # type: ignore[arg-type]
