"""The typesetting shared by every PDF: page template, header and footer, "Page X of Y",
styles, tables that repeat their header row, and `safe()` for any user text.

Imports reportlab at module level: only the PDF builders import this module, when asked to
build, so the app and the command line start without it."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    LayoutError,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from hotdash_roleplay import dates
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports import fonts
from hotdash_roleplay.exports.files import write_atomically
from hotdash_roleplay.exports.rtl import Paragraph, has_rtl, isolate, join_arabic

_build_lock = threading.Lock()

# Binary (Flate) streams: ASCII85 only made them text-safe, at a pure-Python cost per byte.
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1d2330")
MUTED = colors.HexColor("#5b6472")
ACCENT = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#c9d1dc")
HEAD_BG = colors.HexColor("#1f4e79")
ZEBRA = colors.HexColor("#f2f5f9")
GOOD = colors.HexColor("#1e6b3a")
BAD = colors.HexColor("#a3261b")
WARN = colors.HexColor("#8a5300")

# -- user text ------------------------------------------------------------------------------

# Han, kana, Hangul, CJK punctuation and full-width forms: DejaVu Sans has none of them.
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3200-\u9fff\ua960-\ua97f\uac00-\ud7ff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]+"
)
# Symbol and emoji blocks: each character is drawn by DejaVu Sans when it has it, else by the
# emoji font when that has it.
_SYMBOLS = re.compile("[\u2000-\u2bff\U0001f000-\U0001faff]+")
# Control characters are invisible and some break the PDF text operators; lone surrogates
# cannot be encoded at all; typed bidi embeddings, overrides and isolates would spill over the
# text around (each piece of user text gets its own direction instead). Newlines and tabs are
# kept (as line breaks and spaces).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean(text: object) -> str:
    """Printable text: controls dropped, tabs as spaces, every newline convention as \\n."""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    value = value.replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


def safe(text: object) -> str:
    """User text as Paragraph markup that prints literally: `<b>`, `&amp;`, `<img ...>` and an
    unclosed `<font` come out as typed; Arabic letters joined; CJK and emoji runs switched to
    their fallback fonts (right-to-left order is put right when drawn: see rtl.py)."""
    marked = escape(isolate(join_arabic(clean(text))))
    if _CJK.search(marked):
        name = fonts.register_cjk_font()
        marked = _CJK.sub(lambda m: f'<font name="{name}">{m.group(0)}</font>', marked)
    if _SYMBOLS.search(marked):
        marked = _SYMBOLS.sub(_emoji_runs, marked)
    return marked.replace("\n", "<br/>")


def _emoji_runs(match: re.Match[str]) -> str:
    """Symbols DejaVu Sans lacks, in the emoji font (one <font> per run of them)."""
    out: list[str] = []
    run: list[str] = []
    for ch in match.group(0):
        if not fonts.body_has(ch) and fonts.emoji_has(ch):
            run.append(ch)
            continue
        if run:
            out.append(f'<font name="{fonts.EMOJI}">{"".join(run)}</font>')
            run = []
        out.append(ch)
    if run:
        out.append(f'<font name="{fonts.EMOJI}">{"".join(run)}</font>')
    return "".join(out)


def body_font_only(text: str) -> bool:
    """Whether the text can be drawn as a plain string in DejaVu Sans, as it is stored: no
    fallback font, no joining or reordering."""
    if _CJK.search(text) or has_rtl(text):
        return False
    return all(fonts.body_has(ch) for m in _SYMBOLS.finditer(text) for ch in m.group(0))


def plain(text: object, limit: int) -> str:
    """One line for a header or a narrow cell: whitespace collapsed, cut with an ellipsis."""
    one = " ".join(clean(text).split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


def duration(seconds: float | None) -> str:
    """ "1:05"; "—" for an unknown time."""
    if seconds is None:
        return "—"
    whole = int(abs(seconds))  # truncated, like the console clock
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    text = f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
    return f"-{text}" if seconds < 0 and whole else text


def signed_duration(seconds: float) -> str:
    if abs(seconds) < 1:
        return "on time"
    return ("+" if seconds > 0 else "−") + duration(abs(seconds))


def day(when: datetime | None) -> str:
    return dates.long_date(when.astimezone()) if when else "—"


def short_day(when: datetime | None) -> str:
    return dates.short_date(when.astimezone()) if when else "—"


def day_time(when: datetime | None) -> str:
    return dates.short_date_time(when.astimezone()) if when else "—"


# -- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    head: ParagraphStyle
    bullet: ParagraphStyle
    cell_bullet: ParagraphStyle
    figure: ParagraphStyle
    figure_label: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle


@cache
def styles() -> Styles:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    body_font = fonts.register_body_fonts()

    def style(name: str, **kw: Any) -> ParagraphStyle:
        base: dict[str, Any] = {
            "fontName": body_font,
            "fontSize": 9.5,
            "leading": 13,
            "textColor": INK,
            "splitLongWords": 1,
            "bulletFontName": body_font,  # reportlab's default is Helvetica, not embedded
        }
        base.update(kw)
        return ParagraphStyle(name, **base)

    return Styles(
        title=style("title", fontName=fonts.BOLD, fontSize=22, leading=27, textColor=ACCENT),
        subtitle=style("subtitle", fontSize=13, leading=17, textColor=INK, spaceAfter=2),
        h1=style(
            "h1",
            fontName=fonts.BOLD,
            fontSize=15,
            leading=19,
            textColor=ACCENT,
            spaceBefore=6,
            spaceAfter=6,
        ),
        h2=style(
            "h2",
            fontName=fonts.BOLD,
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=4,
        ),
        h3=style(
            "h3",
            fontName=fonts.BOLD,
            fontSize=9.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
        ),
        body=style("body", spaceAfter=4),
        small=style("small", fontSize=8, leading=10.5),
        muted=style("muted", fontSize=8.5, leading=11.5, textColor=MUTED, spaceAfter=4),
        cell=style("cell", fontSize=8.5, leading=11),
        cell_bold=style("cell_bold", fontName=fonts.BOLD, fontSize=8.5, leading=11),
        head=style("head", fontName=fonts.BOLD, fontSize=8.5, leading=11, textColor=colors.white),
        bullet=style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        # Text starts where it does in a plain "• item" line, so both kinds of list align.
        cell_bullet=style(
            "cell_bullet",
            fontSize=8.5,
            leading=11,
            bulletIndent=0,
            leftIndent=stringWidth("• ", body_font, 8.5),
            spaceAfter=0,
            bulletFontSize=8.5,
        ),
        figure=style("figure", fontName=fonts.BOLD, fontSize=17, leading=21, textColor=ACCENT),
        figure_label=style("figure_label", fontSize=8, leading=10, textColor=MUTED),
        header=style("header", fontSize=8, leading=10, textColor=MUTED, alignment=TA_LEFT),
        header_right=style(
            "header_right", fontSize=8, leading=10, textColor=MUTED, alignment=TA_RIGHT
        ),
    )


# -- flowables ------------------------------------------------------------------------------


def para(text: object, style: ParagraphStyle | None = None) -> Paragraph:
    """User text, printed literally."""
    return Paragraph(safe(text), style or styles().body)


def markup(
    fragment: str, style: ParagraphStyle | None = None, bullet: str | None = None
) -> Paragraph:
    """Our own markup; every user value inside it must already have gone through safe()."""
    return Paragraph(fragment, style or styles().body, bulletText=bullet)


def heading(text: object, level: int = 1) -> list[Flowable]:
    """A heading that never strands at a page foot: a new page first when less room is left
    than the heading and a few lines of what follows. (Not keepWithNext: it would glue the
    heading to the next heading's page-break check, or push a long paragraph whole onto the
    next page.) Each level's room exceeds the next level's room plus its own height, so
    nested headings stay together too."""
    s = styles()
    style = {1: s.h1, 2: s.h2}.get(level, s.h3)
    room = {1: 60 * mm, 2: 35 * mm}.get(level, 22 * mm)
    return [CondPageBreak(room), para(text, style)]


def bullets(items: Iterable[object], numbered: bool = False) -> list[Flowable]:
    s = styles()
    out: list[Flowable] = []
    for i, item in enumerate(items, start=1):
        mark = f"{i}." if numbered else "•"
        out.append(Paragraph(safe(item), s.bullet, bulletText=mark))
    return out


def cell_bullets(items: Sequence[object]) -> list[Flowable]:
    """A short bulleted list to put in a table cell."""
    s = styles().cell_bullet
    return [Paragraph(safe(item), s, bulletText="•") for item in items]


def note(text: str) -> Paragraph:
    return markup(safe(text), styles().muted)


def rule() -> Flowable:
    """A thin line between sections of the same level."""
    from reportlab.platypus.flowables import HRFlowable

    return HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=2, spaceAfter=2)


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


class Plain(str):
    """A one-line cell drawn as a string rather than a Paragraph: nothing is parsed (so it is
    literal by construction) and it costs a fraction of a Paragraph to lay out. Optional
    colour and weight. Only for text known to fit its column and to be drawn by DejaVu Sans
    as it is (see body_font_only)."""

    color: colors.Color | None = None
    bold: bool = False

    def __new__(cls, text: str, color: colors.Color | None = None, bold: bool = False) -> Plain:
        obj = super().__new__(cls, text)
        obj.color, obj.bold = color, bold
        return obj


class Bullets(tuple[str, ...]):
    """A bulleted list of user text for a table cell: drawn as plain lines when every item
    fits on one line (the common case, and far cheaper), else as wrapping paragraphs."""


Cell = str | Flowable | list[Flowable] | Bullets

_CELL_FONT_SIZE = 8.5
_CELL_PAD = 5


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    align_right: Sequence[int] = (),
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A data table that splits across pages with its header row repeated. Plain strings are
    user text (literal, wrapped when needed); flowables and Plain cells are used as they are."""
    s = styles()
    total = sum(widths)
    col_w = [w * CONTENT_W / total for w in widths]
    head = [_cell(Plain(h, bold=True), s.head, w) for h, w in zip(header, col_w, strict=True)]
    body = [[_cell(c, s.cell, w) for c, w in zip(r, col_w, strict=True)] for r in rows]
    t = Table([head, *body], colWidths=col_w, repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), fonts.BODY, _CELL_FONT_SIZE, 11),
        ("FONT", (0, 0), (-1, 0), fonts.BOLD, _CELL_FONT_SIZE, 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PAD),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(body) + 1, 2)]
    commands += [("ALIGN", (c, 0), (c, -1), "RIGHT") for c in align_right]
    commands += _plain_styles(body, first_row=1)
    t.setStyle(TableStyle([*commands, *extra]))
    return t


def _plain_styles(rows: Sequence[Sequence[Cell]], first_row: int = 0) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for y, row in enumerate(rows, start=first_row):
        for x, cell in enumerate(row):
            if isinstance(cell, Plain):
                if cell.color is not None:
                    out.append(("TEXTCOLOR", (x, y), (x, y), cell.color))
                if cell.bold:
                    out.append(("FONT", (x, y), (x, y), fonts.BOLD, _CELL_FONT_SIZE, 11))
    return out


def _cell(value: Cell, style: ParagraphStyle, width: float) -> Cell:
    """A Plain string when the text fits on one line in DejaVu, else a wrapping Paragraph."""
    if isinstance(value, Flowable | list):
        return value
    if isinstance(value, Bullets):
        return _bullets_cell(value, width)
    text = clean(value)
    font = fonts.BOLD if isinstance(value, Plain) and value.bold else fonts.BODY
    if "\n" not in text and body_font_only(text):
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if stringWidth(text, font, _CELL_FONT_SIZE) <= width - 2 * _CELL_PAD - 1:
            if isinstance(value, Plain):
                return Plain(text, value.color, value.bold)
            return Plain(text)
    fragment = safe(text)
    if isinstance(value, Plain) and value.bold:
        fragment = f"<b>{fragment}</b>"
    if isinstance(value, Plain) and value.color is not None:
        fragment = f'<font color="{value.color.hexval()}">{fragment}</font>'
    return Paragraph(fragment, style)


def _bullets_cell(items: Bullets, width: float) -> Cell:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = [f"• {clean(i)}" for i in items]
    room = width - 2 * _CELL_PAD - 1
    if all(
        "\n" not in line
        and body_font_only(line)
        and stringWidth(line, fonts.BODY, _CELL_FONT_SIZE) <= room
        for line in lines
    ):
        return Plain("\n".join(lines))
    return cell_bullets(items)


def fields_table(pairs: Sequence[tuple[str, Cell]], label_width: float = 0.24) -> Table:
    """Label / value pairs (no header row), for a title block or a round's roles."""
    s = styles()
    widths = [CONTENT_W * label_width, CONTENT_W * (1 - label_width)]
    rows = [
        [_cell(Plain(label, bold=True), s.cell_bold, widths[0]), _cell(value, s.cell, widths[1])]
        for label, value in pairs
    ]
    t = Table(rows, colWidths=widths)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.BODY, _CELL_FONT_SIZE, 11),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                *_plain_styles(rows),
            ]
        )
    )
    return t


def figures(items: Sequence[tuple[str, str]]) -> Table:
    """Key figures side by side: a big value over a small label."""
    s = styles()
    cells = [[Paragraph(safe(v), s.figure), Paragraph(safe(k), s.figure_label)] for k, v in items]
    t = Table([cells], colWidths=[CONTENT_W / len(items)] * len(items))
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.BODY, _CELL_FONT_SIZE, 11),  # not Helvetica
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("LINEAFTER", (0, 0), (-2, -1), 0.6, RULE),
                ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return t


def coloured(text: str, colour: colors.Color, bold: bool = True) -> str:
    """Our own label in a colour; the words carry the meaning, the colour only helps."""
    inner = f"<b>{safe(text)}</b>" if bold else safe(text)
    return f'<font color="{colour.hexval()}">{inner}</font>'


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


def sign_off(
    signers: Sequence[tuple[str, str | None]], widths: Sequence[float], statement: str
) -> list[Flowable]:
    """The "Sign-off" section: `statement`, then a row per (role, name) with blank signature
    and date lines to write on; a name of None is left blank too. `widths`: the four columns'
    shares of the content width."""
    s = styles()
    blank = Plain("")
    rows: list[list[Plain | str]] = [
        [Plain("Role", bold=True), Plain("Name", bold=True), Plain("Signature", bold=True),
         Plain("Date", bold=True)],
        *([Plain(role), blank if name is None else name, blank, blank] for role, name in signers),
    ]  # fmt: skip
    t = Table(
        [[c if isinstance(c, Plain) else para(c, s.cell) for c in row] for row in rows],
        colWidths=[CONTENT_W * w for w in widths],
        rowHeights=[None, *[14 * mm] * len(signers)],
    )
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.BODY, 9, 12),
                ("FONT", (0, 0), (-1, 0), fonts.BOLD, 9, 12),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 1), (-1, -1), 0.7, INK),
                ("LINEBELOW", (0, 0), (-1, 0), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [spacer(8), keep(*heading("Sign-off", 1), para(statement), spacer(4), t)]


# -- the document ---------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Defers every page until the end, so each footer can say "Page X of Y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own reset; not in its stubs

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            page = self.getPageNumber()
            self.setFont(fonts.BODY, 8)
            self.setFillColor(MUTED)
            self.drawRightString(
                PAGE_W - MARGIN_X, MARGIN_BOTTOM - 10 * mm, f"Page {page} of {total}"
            )
            super().showPage()
        super().save()


@dataclass(frozen=True)
class Running:
    """What the header and footer of every page say."""

    kind: str  # "Debrief report"
    subject: str  # session title or person's name (user text)
    footer: str  # e.g. "Module 4 practice · 12 March 2025" (user text)


def _page_decorations(running: Running) -> Callable[[Canvas, BaseDocTemplate], None]:
    s = styles()
    left = Paragraph(f"<b>HotDash Role-Play</b> · {safe(running.kind)}", s.header)
    right = Paragraph(safe(plain(running.subject, 70)), s.header_right)
    foot = Paragraph(safe(plain(running.footer, 90)), s.header)

    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = PAGE_H - 12 * mm
        half = CONTENT_W / 2
        for p, x, w in ((left, MARGIN_X, half), (right, MARGIN_X + half, half)):
            _, h = p.wrap(w, 20 * mm)
            p.drawOn(canvas, x, top - h)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 13, PAGE_W - MARGIN_X, top - 13)
        base = MARGIN_BOTTOM - 10 * mm
        canvas.line(MARGIN_X, base + 11, PAGE_W - MARGIN_X, base + 11)
        _, h = foot.wrap(CONTENT_W * 0.75, 10 * mm)
        foot.drawOn(canvas, MARGIN_X, base - 2)
        canvas.restoreState()

    return draw


def build_pdf(
    path: Path, story: list[Flowable], running: Running, title: str, author: str = ""
) -> Path:
    """Lay out `story` on A4 pages with the running header and footer; atomic write."""
    decorate = _page_decorations(running)

    def write(target: Path) -> None:
        doc = BaseDocTemplate(
            str(target),
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=plain(title, 200),
            author=plain(author, 120),
            creator="HotDash Role-Play",
            subject=running.kind,
            # Each page starts by selecting this font: the default, Helvetica, is not embedded.
            initialFontName=fonts.BODY,
        )
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            CONTENT_W,
            PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
        try:
            doc.build(story, canvasmaker=_NumberedCanvas)
        except LayoutError as exc:  # a flowable larger than a page: a bug, said plainly
            raise UserError(f"The PDF could not be laid out: {exc}") from exc

    with _build_lock:  # reportlab keeps module-level state (fonts, caches): one build at a time
        return write_atomically(path, write)
