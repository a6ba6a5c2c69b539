"""The bundled fonts, registered with reportlab on first use (thread-safe, once per process).

Helvetica has no Greek or Cyrillic glyphs, so every PDF is set in DejaVu Sans. DejaVu has no
CJK: runs of CJK text are wrapped in the WenQuanYi Micro Hei fallback (a 5 MB TrueType
collection), which is only parsed when a document actually contains CJK."""

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

_lock = threading.Lock()
_body_ready = False
_cjk_ready = False


def _register(name: str, file_name: str, subfont: int = 0) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    path = FONTS_DIR / file_name
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=subfont))
    except (OSError, TTFError) as exc:
        raise UserError(f"The bundled font {path} cannot be read ({exc}).") from exc


def register_body_fonts() -> str:
    """Register DejaVu Sans (4 faces) as a family so <b>/<i> pick the right face."""
    global _body_ready
    with _lock:
        if not _body_ready:
            from reportlab.pdfbase.pdfmetrics import registerFontFamily

            for name in (BODY, BOLD, ITALIC, BOLD_ITALIC):
                _register(name, f"{name}.ttf")
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
