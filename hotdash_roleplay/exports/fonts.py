"""The bundled fonts, registered with reportlab on first use (thread-safe, once per process).

Helvetica has no Greek or Cyrillic glyphs, so every PDF is set in DejaVu Sans (which also has
Hebrew and Arabic). DejaVu has no CJK: runs of CJK text are wrapped in the WenQuanYi Micro Hei
fallback (a 5 MB TrueType collection), and most emoji in monochrome Noto Emoji; each fallback
is only parsed when a document actually needs it. The app registers the same files with Qt."""

from __future__ import annotations

import threading

from hotdash_roleplay.errors import UserError
from hotdash_roleplay.paths import RESOURCES

FONTS_DIR = RESOURCES / "fonts"
BODY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
CJK = "HotDashCJK"
CJK_FILE = "wqy-microhei.ttc"
EMOJI = "HotDashEmoji"
EMOJI_FILE = "NotoEmoji-Regular.ttf"

_lock = threading.Lock()
_body_ready = False
_cjk_ready = False
_body_chars: frozenset[int] = frozenset()
_emoji_chars: frozenset[int] = frozenset()


def _register(name: str, file_name: str, subfont: int = 0) -> frozenset[int]:
    """Register one face; returns the code points it has glyphs for."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    path = FONTS_DIR / file_name
    try:
        font = TTFont(name, str(path), subfontIndex=subfont)
        pdfmetrics.registerFont(font)
    except (OSError, TTFError) as exc:
        raise UserError(f"The bundled font {path} cannot be read ({exc}).") from exc
    return frozenset(font.face.charToGlyph)


def register_body_fonts() -> str:
    """Register DejaVu Sans (4 faces) as a family so <b>/<i> pick the right face."""
    global _body_ready, _body_chars
    with _lock:
        if not _body_ready:
            from reportlab.pdfbase.pdfmetrics import registerFontFamily

            faces = [_register(name, f"{name}.ttf") for name in (BODY, BOLD, ITALIC, BOLD_ITALIC)]
            _body_chars = frozenset.intersection(*faces)
            registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
            _body_ready = True
    return BODY


def register_cjk_font() -> str:
    """Register the CJK fallback; one face serves all styles (it has no bold or italic)."""
    global _cjk_ready
    with _lock:
        if not _cjk_ready:
            from reportlab.pdfbase.pdfmetrics import registerFontFamily

            _register(CJK, CJK_FILE, subfont=0)
            registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
            _cjk_ready = True
    return CJK


def register_emoji_font() -> str:
    """Register the monochrome emoji fallback (one face for all styles)."""
    global _emoji_chars
    with _lock:
        if not _emoji_chars:
            from reportlab.pdfbase.pdfmetrics import registerFontFamily

            _emoji_chars = _register(EMOJI, EMOJI_FILE)
            registerFontFamily(EMOJI, normal=EMOJI, bold=EMOJI, italic=EMOJI, boldItalic=EMOJI)
    return EMOJI


def body_has(char: str) -> bool:
    """Whether every DejaVu Sans face draws this character."""
    register_body_fonts()
    return ord(char) in _body_chars


def emoji_has(char: str) -> bool:
    """Whether the emoji fallback draws this character (registers it on first use)."""
    register_emoji_font()
    return ord(char) in _emoji_chars
