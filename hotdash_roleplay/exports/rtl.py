"""Right-to-left text (Hebrew, Arabic) in the PDFs.

reportlab lays text out left to right in the order it is stored, and its own bidi support
needs a module (rlbidi) that cannot be installed here. So: Arabic letters are joined before
layout (arabic-reshaper turns them into their contextual presentation forms, which DejaVu Sans
draws), lines are broken in logical order as usual, and each line is put in visual order only
when it is drawn (python-bidi's Unicode bidi algorithm).

The reports' own wording is English, so a paragraph reads left to right, and each piece of user
text in it is embedded in its own direction (isolate() marks it), so that "Accuracy (李雷): "
before a Hebrew note keeps its order. A paragraph that is one right-to-left piece of user text
(a Hebrew note, a name in a cell) reads right to left, right-aligned once it wraps. Text
without right-to-left letters takes none of these steps."""

from __future__ import annotations

import copy
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Any

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.platypus import Paragraph as _Paragraph

if TYPE_CHECKING:
    from arabic_reshaper import ArabicReshaper
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus.paragraph import ParaLines

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_EMBEDDED = re.compile("[\u202a-\u202e]")
RLE, LRE, PDF = "\u202b", "\u202a", "\u202c"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def has_rtl(text: str) -> bool:
    return _RTL.search(text) is not None


@cache
def _reshaper() -> ArabicReshaper:
    from arabic_reshaper import ArabicReshaper

    # DejaVu Sans has the lam-alef ligatures (required in Arabic) but not the word ligature
    # for "Allah", which the library turns on by default.
    return ArabicReshaper(configuration={"ARABIC LIGATURE ALLAH": False})


def join_arabic(text: str) -> str:
    """Arabic letters in their joined (initial, medial, final) forms, still in logical order."""
    return _reshaper().reshape(text) if _ARABIC.search(text) else text


def isolate(text: str) -> str:
    """User text that holds right-to-left letters, embedded in its own direction."""
    if not has_rtl(text):
        return text
    return f"{RLE if reads_rtl(text) else LRE}{text}{PDF}"


def reads_rtl(text: str) -> bool:
    """Whether a piece of text reads right to left: when most of its letters do (a Hebrew note
    with an English word in it; "4: שרה כהן, Zoë Ødegård" does not); on a tie, its first strong
    letter decides."""
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            ltr += 1
        elif kind in ("R", "AL"):
            rtl += 1
    if rtl != ltr:
        return rtl > ltr
    from bidi.algorithm import get_base_level

    level: int = get_base_level(text)
    return level == 1


def visual_order(text: str, rtl: bool) -> list[tuple[int, str]]:
    """One line in the order it is seen, left to right: (logical index, character as drawn,
    with brackets mirrored inside right-to-left runs). Explicit bidi controls are dropped."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage)
    for i, ch in enumerate(storage["chars"]):
        ch["i"] = i  # characters stay the same dicts through the later steps: track them
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    return [(ch["i"], ch["ch"]) for ch in storage["chars"]]


def visual(text: str, rtl: bool) -> str:
    return "".join(ch for _, ch in visual_order(text, rtl))


class Paragraph(_Paragraph):
    """A reportlab Paragraph that draws right-to-left text in visual order (see above)."""

    _rtl: bool | None  # its direction once laid out; None: nothing to reorder
    blPara: ParaLines  # set by reportlab's wrap(); types-reportlab leaves it out

    def _reads_rtl(self) -> bool | None:
        if not hasattr(self, "_rtl"):
            text = _laid_out_text(self.blPara).strip()
            if not _needs_order(text):
                self._rtl = None
            else:
                self._rtl = text.startswith(RLE) and text.count(RLE) + text.count(LRE) == 1
        return self._rtl

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        """The parts of a split paragraph keep its direction (the part after the break has
        lost the mark that set it)."""
        rtl = self._reads_rtl() if hasattr(self, "blPara") else None
        parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, Paragraph):
                part._rtl = rtl
        return parts

    def drawPara(self, debug: int = 0) -> None:
        rtl = self._reads_rtl()
        if rtl is None:
            super().drawPara(debug)
            return
        logical, style = self.blPara, self.style
        self.blPara = _visual_lines(logical, rtl)
        if rtl and style.alignment == TA_LEFT and len(logical.lines) > 1:
            self.style = _right_aligned(style)
        try:
            super().drawPara(debug)
        finally:
            self.blPara, self.style = logical, style


def _needs_order(text: str) -> bool:
    return has_rtl(text) or _EMBEDDED.search(text) is not None


def _laid_out_text(bl_para: Any) -> str:
    if bl_para.kind == 0:
        return " ".join(w for _, words in bl_para.lines for w in words)
    return "".join(getattr(f, "text", "") for line in bl_para.lines for f in line.words)


def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    aligned = copy.copy(style)
    aligned.alignment = TA_RIGHT
    return aligned


def _visual_lines(bl_para: Any, rtl: bool) -> Any:
    """A copy of laid-out lines with each line in visual order. Kind 0: one font, a line is
    (extra space, words). Kind 1: a line holds fragments in several fonts; each character
    keeps its fragment's font, and neighbours from one fragment are drawn as one piece."""
    out = copy.copy(bl_para)
    if bl_para.kind == 0:
        out.lines = [
            (extra, visual(" ".join(words), rtl).split(" ")) if _needs_order(" ".join(words))
            else (extra, words)
            for extra, words in bl_para.lines
        ]  # fmt: skip
        return out
    lines = []
    for line in bl_para.lines:
        frags = line.words
        if any(not hasattr(f, "text") or hasattr(f, "cbDefn") for f in frags):
            lines.append(line)  # an image or a callback: left as laid out
            continue
        text = "".join(f.text for f in frags)
        if not _needs_order(text):
            lines.append(line)
            continue
        owner = [n for n, f in enumerate(frags) for _ in f.text]
        pieces: list[Any] = []
        run: list[str] = []
        current = -1
        for i, ch in visual_order(text, rtl):
            if owner[i] != current and run:
                pieces.append(frags[current].clone(text="".join(run)))
                run = []
            current = owner[i]
            run.append(ch)
        if run:
            pieces.append(frags[current].clone(text="".join(run)))
        drawn = copy.copy(line)
        drawn.words = pieces
        lines.append(drawn)
    out.lines = lines
    return out
