"""Names in every script on screen: the app registers its bundled CJK and emoji fonts at
start-up as fallbacks of its font (a machine without such fonts shows 李雷 and 👍, not boxes),
and Qt orders right-to-left names inside English lines itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QFontDatabase, QTextLayout, QTextOption
from PySide6.QtWidgets import QListWidget, QTreeWidget
from pytestqt.qtbot import QtBot

from hotdash_roleplay.services import Services
from tests.ui.stored import settle_store

PEOPLE = ["שרה כהן", "محمد علي", "李雷", "Zoë Ødegård"]
TITLE = "1 · שרה כהן session 👍"
FALLBACKS = ("WenQuanYi Micro Hei", "Noto Emoji")


def glyphs(text: str, widget: Any) -> dict[int, tuple[str, bool, float]]:
    """For each character index: (font family, in a right-to-left run, x of its glyph), as Qt
    lays the text out in the widget's font and direction (as its item views and labels do)."""
    layout = QTextLayout(text, widget.font())
    option = QTextOption()
    option.setTextDirection(widget.layoutDirection())
    layout.setTextOption(option)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    out: dict[int, tuple[str, bool, float]] = {}
    for run in layout.glyphRuns(-1, -1, QTextLayout.GlyphRunRetrievalFlag.RetrieveAll):
        family, rtl = run.rawFont().familyName(), run.isRightToLeft()
        advances = run.rawFont().advancesForGlyphIndexes(run.glyphIndexes())
        for index, pos, advance in zip(run.stringIndexes(), run.positions(), advances, strict=True):
            if advance.x() > 0:  # not the invisible marks that isolate a name
                out.setdefault(index, (family, rtl, pos.x()))
                if family != out[index][0] and family in FALLBACKS:  # the fallback drew it
                    out[index] = (family, rtl, pos.x())
    return out


def test_start_screen_lists_names_in_every_script_with_the_bundled_fonts(
    qtbot: QtBot, services: Services, screens: Path
) -> None:
    from ui.app import make_app
    from ui.main_window import MainWindow

    app = make_app()  # what the app does at start-up
    families = set(QFontDatabase.families())
    assert {"WenQuanYi Micro Hei", "Noto Emoji"} <= families
    assert app.font().families()[-2:] == ["WenQuanYi Micro Hei", "Noto Emoji"]

    services.sessions.create_session(
        "module4-practice", PEOPLE, trainer="Ann", title=TITLE, scenario_ids=["warranty-loophole"]
    )
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.resize(1280, 700)
    window.show()
    qtbot.waitExposed(window)
    settle_store(qtbot, window)  # listed from the store
    tree = next(t for t in window.start.findChildren(QTreeWidget) if t.topLevelItemCount())
    item = tree.topLevelItem(0)
    assert item.text(0) == TITLE  # nothing forced on it
    assert tree.layoutDirection().name == "LeftToRight"
    window.grab().save(str(screens / "start-screen-scripts.png"))

    title = glyphs(TITLE, tree)
    first, last = TITLE.index("ש"), TITLE.index("ן")  # first and last Hebrew letters
    assert title[first][1] and title[last][1]  # the name runs right to left ...
    assert title[first][2] > title[last][2]
    one, s_ = title[0], title[TITLE.index("session")]
    assert not one[1] and not s_[1]  # ... inside a left-to-right line, where it was typed
    assert one[2] < title[last][2] < title[first][2] < s_[2]
    assert title[TITLE.index("👍")][0] == "Noto Emoji"

    names = item.text(3)
    people = glyphs(names, tree)
    assert people[names.index("李")][0] == "WenQuanYi Micro Hei"
    assert people[names.index("Z")][0] != "WenQuanYi Micro Hei"  # Latin keeps the app's font
    # Names in the order typed, left to right, each read in its own direction.
    sarah, mohammad = names.index("ש"), names.index("م")
    assert people[sarah][2] < people[mohammad][2] < people[names.index("李")][2]

    # "שרה כהן · 1 session": the count stays after the name (not "1 · שרה כהן session").
    listed = next(w for w in window.start.findChildren(QListWidget) if w.count() == len(PEOPLE))
    line = next(
        listed.item(i).text() for i in range(listed.count()) if "ש" in listed.item(i).text()
    )
    seen = glyphs(line, listed)
    count = line.index("1")
    assert seen[line.index("ש")][2] < seen[count][2] and seen[line.index("ן")][2] < seen[count][2]
