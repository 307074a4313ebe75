"""The interface language: Simplified Chinese (the source text, the default) or English.

The UI's source strings are Chinese (``self.tr("客户")``, ``QCoreApplication.translate("ctx", "…")``,
``QT_TRANSLATE_NOOP`` in the Qt-free layers), so Chinese needs no catalogue of ours: only Qt's own
``qtbase_zh_CN.qm`` (standard buttons and dialogs: 确定, 取消, 是, 否 …). English loads
``resources/translations/shopdesk_en.qm``, built from ``shopdesk_en.ts`` by ``python build/translations.py``.

::

    from desktop.ui import i18n

    i18n.install_language(app, preferences.get("appearance/language"))   # at start and on every change
    i18n.current_language()      # "zh_CN" | "en"
    i18n.available_languages()   # ("zh_CN", "en") when shopdesk_en.qm is there
    i18n.text_language()         # "zh" | "en", for the Qt-free helpers that take a ``lang`` (format_wait …)
    i18n.wait_text(65_000)       # "1分05秒" | "1m 05s"
    i18n.kind_label("image")     # "[图片]" | "[Image]"
    i18n.fill(self.tr("%1 已等待 %2"), nickname, wait)   # %1 … %9 in one pass, safe for buyer text

Installing a translator makes Qt send ``QEvent.LanguageChange`` to every widget (``changeEvent``), so a
window that wants to follow a switch at once re-reads its texts there. Loading never raises: a missing or
unreadable ``.qm`` logs a warning and leaves the interface in Chinese.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Final, Literal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop import paths
from desktop.core.wait_timer import format_wait

log = logging.getLogger(__name__)

CHINESE: Final = "zh_CN"
ENGLISH: Final = "en"
DEFAULT_LANGUAGE: Final = CHINESE
LANGUAGES: Final[tuple[str, ...]] = (CHINESE, ENGLISH)  # what the code knows, in menu order
CATALOGUE_PREFIX: Final = "shopdesk_"

_LOCALES: Final[dict[str, QLocale]] = {
    CHINESE: QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China),
    ENGLISH: QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}

# The word a preview shows for a message that is not text (chat bubble, list, customer panel, popups).
KIND_CONTEXT: Final = "MessageKind"
_KIND_LABELS: Final[dict[str, str]] = {
    "image": QT_TRANSLATE_NOOP("MessageKind", "[图片]"),
    "product": QT_TRANSLATE_NOOP("MessageKind", "[商品]"),
    "order": QT_TRANSLATE_NOOP("MessageKind", "[订单]"),
}

_installed: list[QTranslator] = []  # ours, on the current application, so a switch can remove them
_current: str = DEFAULT_LANGUAGE


def translations_dir() -> Path:
    """Where ``shopdesk_<code>.ts`` and the compiled ``.qm`` files live (``resources/translations``)."""
    return paths.resources_dir() / "translations"


def catalogue_path(code: str) -> Path:
    """The compiled catalogue of ``code`` (it need not exist)."""
    return translations_dir() / f"{CATALOGUE_PREFIX}{code}.qm"


def current_language() -> str:
    """The language installed last ("zh_CN" until :func:`install_language` says otherwise)."""
    return _current


def text_language() -> Literal["zh", "en"]:
    """The current language in the form the Qt-free layers take (``format_wait(ms, lang)``, ...)."""
    return "en" if _current == ENGLISH else "zh"


def wait_text(ms: int) -> str:
    """A wait for people in the current language: "1分05秒" / "1m 05s" (:func:`format_wait`)."""
    return format_wait(ms, text_language())


def kind_label(kind: str) -> str:
    """ "[图片]" / "[Image]" for a message kind that is not text ("image", "product", "order");
    "" otherwise."""
    label = _KIND_LABELS.get(kind)
    return QCoreApplication.translate(KIND_CONTEXT, label) if label else ""


_MARKER = re.compile(r"%([1-9])")


def fill(template: str, *values: object) -> str:
    """``template`` with ``%1`` … ``%9`` replaced by ``values`` in one pass (like ``QString.arg`` with several
    arguments): a value that itself contains "%2" (a buyer's nickname) is never replaced again."""
    texts = [str(value) for value in values]

    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return texts[number - 1] if number <= len(texts) else match.group(0)

    return _MARKER.sub(value, template)


def available_languages() -> tuple[str, ...]:
    """The languages the interface can show now: Chinese always, others when their ``.qm`` is there."""
    return tuple(code for code in LANGUAGES if code == CHINESE or catalogue_path(code).is_file())


def install_language(app: QCoreApplication, code: str) -> None:
    """Switch ``app`` to ``code`` ("zh_CN" | "en"): remove the translators installed before, load the new
    ones, set the default QLocale. Qt then sends ``LanguageChange`` to every widget.

    Never raises: an unknown code or a catalogue that cannot be loaded logs a warning and gives Chinese.
    """
    global _current
    _remove_translators(app)
    if code not in LANGUAGES:
        log.warning("unknown interface language %r, using %s", code, DEFAULT_LANGUAGE)
        code = DEFAULT_LANGUAGE
    if code != CHINESE:
        ours = _load(app, catalogue_path(code))
        if ours is None:
            log.warning("no usable %s translation: the interface stays in Chinese", code)
            code = CHINESE
    if code == CHINESE:
        _load(app, _qt_catalogue("qtbase", CHINESE), quiet=True)
    QLocale.setDefault(_LOCALES[code])
    _current = code
    log.info("interface language: %s", code)


def uninstall_language(app: QCoreApplication) -> None:
    """Back to how Qt starts: none of our translators, the system's locale (for tests that switched)."""
    global _current
    _remove_translators(app)
    QLocale.setDefault(QLocale.system())
    _current = DEFAULT_LANGUAGE


def _remove_translators(app: QCoreApplication) -> None:
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()


def _qt_catalogue(name: str, code: str) -> Path:
    """Qt's own translation ``<name>_<code>.qm`` as shipped with PySide6 (or next to a frozen bundle's Qt)."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / f"{name}_{code}.qm"


def _load(app: QCoreApplication, path: Path, *, quiet: bool = False) -> QTranslator | None:
    """Load and install the catalogue at ``path``; None (logged) when it is missing or unreadable.

    ``quiet``: Qt's own catalogue is optional (a trimmed bundle may leave it out), so its absence is only
    worth an info line.
    """
    translator = QTranslator()  # kept alive by _installed while it is installed
    if not path.is_file() or not translator.load(str(path)):
        (log.info if quiet else log.warning)("cannot load the translation %s", path)
        return None
    if not app.installTranslator(translator):
        log.warning("cannot install the translation %s", path)
        return None
    _installed.append(translator)
    return translator
