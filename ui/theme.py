"""One calm theme in two variants (light, dark): a palette plus a style sheet per variant.

``resources/theme/base.qss`` holds the rules with ``@name`` colour tokens; ``light.qss`` and
``dark.qss`` define the colours (``@name: #rrggbb;``), so both variants share one set of rules and
differ only in colour.

Widgets opt into shared looks with a dynamic property ``role`` (set before the widget is shown):
``QLabel[role="title"|"heading"|"muted"|"error"|"ok"|"notice"]``,
``QPushButton[role="primary"]``, ``QFrame[role="card"]``.
Colours that style sheets cannot reach (e.g. table item backgrounds) come from ``color(name)``.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from hotdash_roleplay.paths import RESOURCES

ORGANIZATION = "HotDash"
APPLICATION = "HotDash Role-Play"
THEME_DIR = RESOURCES / "theme"


def _load_colors(name: str) -> dict[str, str]:
    """`@name: #rrggbb;` lines of a variant file: the one place each colour is defined."""
    text = (THEME_DIR / f"{name}.qss").read_text(encoding="utf-8")
    return dict(re.findall(r"^@(\w+):\s*(#[0-9a-fA-F]{6})\s*;", text, flags=re.MULTILINE))


LIGHT = _load_colors("light")
DARK = _load_colors("dark")

_current: dict[str, str] = LIGHT


def is_dark() -> bool:
    return _current is DARK


def color(name: str) -> QColor:
    return QColor(_current[name])


def style_sheet(dark: bool) -> str:
    colors = DARK if dark else LIGHT
    text = (THEME_DIR / "base.qss").read_text(encoding="utf-8")
    text = text.replace("@theme_dir", THEME_DIR.as_posix()).replace(
        "@variant", "dark" if dark else "light"
    )
    # Longest names first so "@accent_text" is not eaten by "@accent".
    for name in sorted(colors, key=len, reverse=True):
        text = text.replace(f"@{name}", colors[name])
    return text


def _palette(colors: dict[str, str]) -> QPalette:
    pal = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: "window",
        role.WindowText: "text",
        role.Base: "surface",
        role.AlternateBase: "alt_surface",
        role.Text: "text",
        role.Button: "surface",
        role.ButtonText: "text",
        role.Highlight: "selection",
        role.HighlightedText: "selection_text",
        role.ToolTipBase: "surface",
        role.ToolTipText: "text",
        role.PlaceholderText: "muted",
        role.Link: "accent",
    }
    for r, name in pairs.items():
        pal.setColor(r, QColor(colors[name]))
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(colors["disabled"]))
    return pal


STYLE = "Fusion"  # the same metrics on every platform, and one that honours palettes
# A QApplication made with these arguments starts in STYLE: setStyle() would hand Python a
# style object, whose first wrapping costs several milliseconds of the app's start.
STYLE_ARGUMENTS = ["-style", STYLE]


def apply_theme(app: QApplication, dark: bool, set_style: bool = True) -> None:
    """Switch the whole app; widgets styled through `color()` refresh on their next repaint.
    `set_style` False: the app was made with STYLE_ARGUMENTS."""
    global _current
    _current = DARK if dark else LIGHT
    if set_style:
        app.setStyle(STYLE)
    app.setPalette(_palette(_current))
    app.setStyleSheet(style_sheet(dark))
