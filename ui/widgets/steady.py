"""Widgets that keep their place, so no button moves under the pointer between two clicks.

A notice that appears above or beside a row of buttons pushes them away, and a button that is
reworded ("Start" → "Pause") resizes its row: the trainer's next click lands on another button.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractButton, QLabel, QSizePolicy, QWidget

# The padding and border the theme gives a tinted message label, top and bottom (base.qss):
# reserved in every state, so changing the role does not change the height either.
FRAME_HEIGHT = 2 * (6 + 1)
ELLIPSIS = "…"


def fit_texts(button: QAbstractButton, *texts: str) -> None:
    """Make a button wide enough for each of its wordings, so rewording it resizes nothing."""
    current = button.text()
    widths = []
    for text in texts:
        button.setText(text)
        widths.append(button.sizeHint().width())
    button.setText(current)
    button.setMinimumWidth(max(widths))


class NoticeSlot(QLabel):
    """A message line that always takes the same height (its number of lines), hidden or shown;
    text that needs more lines ends in "…" and is given in full in its tooltip."""

    def __init__(self, parent: QWidget | None = None, lines: int = 2, keep_place: bool = True):
        super().__init__(parent)
        self._lines = lines
        self._full = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(keep_place)
        self.setSizePolicy(policy)
        self.setMinimumWidth(1)
        self.hide()

    # -- size: fixed, whatever the text ------------------------------------------------------

    def slot_height(self) -> int:
        return self._text_height() + FRAME_HEIGHT

    def _text_height(self) -> int:
        """The height of the slot's lines of text, measured as Qt lays them out."""
        return self._measure("\n".join(["Ág"] * self._lines), 100_000)

    def sizeHint(self) -> QSize:
        return QSize(1, self.slot_height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def hasHeightForWidth(self) -> bool:
        return False  # a wrapped QLabel would otherwise ask for the height of its text

    # -- text --------------------------------------------------------------------------------

    def setText(self, text: str) -> None:
        self._full = text
        self.setAccessibleDescription(text)
        self._fit()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()  # its width is known only once laid out on screen

    def _fit(self) -> None:
        shown = self._cut(self._full)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def _cut(self, text: str) -> str:
        """The longest start of the text (ending in "…") that wraps into the slot's lines."""
        width = self.contentsRect().width() - 2
        if not self.isVisible() or width <= 0 or self._fits(text, width):
            return text
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits, by halving
            mid = (low + high + 1) // 2
            if self._fits(text[:mid].rstrip() + ELLIPSIS, width):
                low = mid
            else:
                high = mid - 1
        return text[:low].rstrip() + ELLIPSIS

    def _fits(self, text: str, width: int) -> bool:
        return self._measure(text, width) <= self._text_height()

    def _measure(self, text: str, width: int) -> int:
        flags = int(Qt.TextFlag.TextWordWrap.value)
        return self.fontMetrics().boundingRect(QRect(0, 0, width, 100_000), flags, text).height()
