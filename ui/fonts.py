"""The bundled fallback fonts, for names and notes in any script on a machine without them:
WenQuanYi Micro Hei for CJK (李雷) and monochrome Noto Emoji, the files the PDFs use.

Registered once at start-up (Qt only reads each file's tables, a few milliseconds) and added
after the platform's own font in the application font's family list, so Latin, Greek,
Cyrillic, Hebrew and Arabic keep the system look and only what it cannot draw falls back.
Right-to-left text needs nothing here: Qt orders it itself in left-to-right widgets."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from hotdash_roleplay.exports.fonts import CJK_FILE, EMOJI_FILE, FONTS_DIR

_families: list[str] = []


def register_fallback_fonts(app: QApplication) -> list[str]:
    """Add the bundled fonts as fallbacks of the app's font; returns their family names."""
    if not _families:
        for file_name in (CJK_FILE, EMOJI_FILE):
            font_id = QFontDatabase.addApplicationFont(str(FONTS_DIR / file_name))
            if font_id >= 0:  # a missing file costs only the fallback, not the start
                _families.extend(QFontDatabase.applicationFontFamilies(font_id)[:1])
    font = app.font()
    # The family the platform actually resolved ("Sans Serif" is only an alias, which a
    # family list would skip in favour of the first fallback).
    own = QFontInfo(font).family()
    font.setFamilies([own, *(f for f in _families if f != own)])
    app.setFont(font)
    return list(_families)
