"""The projector's join screen: the address, its QR code and the join code, large enough to read
from the back of the room. For everyone in the first round's Brief; for observers in the
feedback phase, with how many checklists are in (never their content).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.observer_host import ObserverHost
from ui.widgets.labels import text_label

STYLE = """
#joinPanel { background: #000000; }
#joinPanel QLabel { color: #ffffff; background: transparent; }
#joinPanel QLabel[muted="true"] { color: #d8d8d8; }
#joinPanel QLabel#joinQr { background: #ffffff; }
"""
# Short texts for the room when there is nothing to join: the details are for the trainer's
# console (ObserverStatusWidget), not for the projector.
STARTING = "The join address appears here in a moment."
UNAVAILABLE = (
    "Joining from your own laptop is not available right now.\n"
    "Please fill in your checklist on the trainer's laptop."
)
CLOSED = "Feedback is closed. Thank you for your checklists!"
FOR_OBSERVERS = "Observers: fill in your checklist on your laptop or phone"
FOR_EVERYONE = "Everyone: join on your laptop or phone to follow your role's card"
MOVED = "New address: the page moved. If yours stopped working, open the address below."

# A panel for the wall: its text is read, never selected or clicked.
SHOWN_ONLY = Qt.TextInteractionFlag.NoTextInteraction


def _fitting(text: str, pixels: int, width: int) -> int:
    """The largest bold size up to `pixels` at which `text` (an address: no place to wrap) fits
    on one line of `width`."""
    font = QFont()
    font.setBold(True)
    while pixels > 12:
        font.setPixelSize(pixels)
        if QFontMetrics(font).horizontalAdvance(text) <= width:
            break
        pixels = int(pixels * 0.92)
    return max(12, pixels)


def spaced_code(code: str) -> str:
    """482913 -> "482 913": easier to read out and to type."""
    return f"{code[:3]} {code[3:]}" if len(code) == 6 else code


class JoinPanel(QWidget):
    def __init__(self, host: ObserverHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("joinPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._host = host
        self._everyone = False  # the Brief's join screen, not the feedback phase's
        self.heading_label = text_label(name="joinHeading", muted=True, interaction=SHOWN_ONLY)
        self.heading_label.setText(FOR_OBSERVERS)
        self.address_caption = text_label(
            name="joinAddressCaption", muted=True, interaction=SHOWN_ONLY
        )
        self.address_caption.setText("Open this address")
        self.address_label = text_label(name="joinAddress", interaction=SHOWN_ONLY)
        self.code_caption = text_label(name="joinCodeCaption", muted=True, interaction=SHOWN_ONLY)
        self.code_caption.setText("Join code")
        self.code_label = text_label(name="joinCode", interaction=SHOWN_ONLY)
        self.count_label = text_label(name="joinCount", interaction=SHOWN_ONLY)
        self.notice_label = text_label(name="joinNotice", interaction=SHOWN_ONLY)
        self.qr_label = QLabel()
        self.qr_label.setObjectName("joinQr")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_label.setAccessibleName("QR code of the join address")

        texts = QVBoxLayout()
        texts.setSpacing(4)  # else it inherits the row's wide spacing and squeezes the text
        texts.addWidget(self.heading_label)
        texts.addWidget(self.notice_label)
        for caption, value in (
            (self.address_caption, self.address_label),
            (self.code_caption, self.code_label),
        ):
            texts.addSpacing(24)  # a caption sits with its value, apart from the one above
            texts.addWidget(caption)
            texts.addWidget(value)
        texts.addStretch(1)
        texts.addWidget(self.count_label)
        row = self._row = QHBoxLayout(self)
        row.setContentsMargins(48, 40, 48, 40)
        row.setSpacing(48)
        row.addLayout(texts, 3)
        row.addWidget(self.qr_label, 2, Qt.AlignmentFlag.AlignVCenter)

        host.serving_changed.connect(self.refresh)
        host.statuses_changed.connect(self.refresh)
        host.feedback_changed.connect(self.refresh)
        host.error.connect(self._on_error)
        self.resize(1280, 720)
        self.refresh()

    def set_for_everyone(self, everyone: bool) -> None:
        """Invite everyone to join (the first round's Brief) or observers to give feedback."""
        if everyone != self._everyone:
            self._everyone = everyone
            self.heading_label.setText(FOR_EVERYONE if everyone else FOR_OBSERVERS)
            self.refresh()

    @property
    def joinable(self) -> bool:
        """The address, code and QR are shown: the page is served, and for observers' feedback,
        feedback is open."""
        return self._host.url is not None and (self._everyone or self._host.feedback_open)

    def refresh(self) -> None:
        url = self._host.url
        joinable = self.joinable
        for label in (
            self.heading_label,
            self.address_caption,
            self.address_label,
            self.code_caption,
            self.code_label,
            self.qr_label,
        ):
            label.setVisible(joinable)
        moved = joinable and self._host.moved_from is not None
        self.notice_label.setVisible(not joinable or moved)
        if joinable and url is not None:
            self.address_label.setText(url.removeprefix("http://").rstrip("/"))
            self.code_label.setText(spaced_code(self._host.join_code))
            self.notice_label.setText(MOVED if moved else "")
        else:
            # Still serving in the grace period after closing: the room must not join now.
            self.address_label.clear()
            self.code_label.clear()
            if not self._everyone and not self._host.feedback_open:
                self.notice_label.setText(CLOSED)
            elif self._host.last_error:
                self.notice_label.setText(UNAVAILABLE)
            else:
                self.notice_label.setText(STARTING)
        submitted, total = self._host.counts()
        counted = total and not self._everyone
        self.count_label.setText(f"Checklists in: {submitted} of {total}" if counted else "")
        self._apply_sizes()

    def _on_error(self, _message: str) -> None:
        self.refresh()  # the message itself is for the trainer's console

    def _apply_sizes(self) -> None:
        height = max(self.height(), 120)
        margin = min(40, height // 12)
        self._row.setContentsMargins(48, margin, 48, margin)
        sizes = {
            "joinHeading": height // 18,
            "joinAddressCaption": height // 26,
            "joinAddress": height // 11,
            "joinCodeCaption": height // 26,
            "joinCode": height // 6,
            "joinCount": height // 16,
            "joinNotice": height // 14,
        }
        side = min(height - 2 * margin, int(height * 0.8), int(self.width() * 0.38))
        margins = self._row.contentsMargins()
        column = self.width() - margins.left() - margins.right() - self._row.spacing() - side
        sizes["joinAddress"] = _fitting(self.address_label.text(), sizes["joinAddress"], column)
        self._fit_height(sizes, height - 2 * margin)
        rules = [STYLE]
        for name, pixels in sizes.items():
            weight = 700 if name in ("joinAddress", "joinCode") else 400
            rules.append(
                f"#joinPanel QLabel#{name} {{ font-size: {pixels}px; font-weight: {weight}; }}"
            )
        sheet = "\n".join(rules)
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)
        image = self._host.qr_image() if self.joinable else None
        if image is None or image.isNull():
            self.qr_label.clear()
        else:
            # Nearest-neighbour scaling keeps the modules sharp for phone cameras.
            pixmap = QPixmap.fromImage(image).scaled(
                side,
                side,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
            self.qr_label.setPixmap(pixmap)
            self.qr_label.setFixedSize(pixmap.size())  # white only where the code is

    def _fit_height(self, sizes: dict[str, int], height: int) -> None:
        """Shrink the texts shown until they fit the panel's height (beside the Brief's text
        it gets less than a whole screen)."""
        labels = {
            "joinHeading": self.heading_label,
            "joinNotice": self.notice_label,
            "joinAddressCaption": self.address_caption,
            "joinAddress": self.address_label,
            "joinCodeCaption": self.code_caption,
            "joinCode": self.code_label,
            "joinCount": self.count_label,
        }
        shown = [n for n, label in labels.items() if not label.isHidden() and label.text()]
        gaps = 48 + 4 * len(shown)  # the spacing between a caption and the value above it
        for _ in range(20):
            if sum(int(sizes[n] * 1.3) for n in shown) + gaps <= height:
                return
            for name in shown:
                sizes[name] = max(12, int(sizes[name] * 0.9))

    def visible_texts(self) -> list[str]:
        return [lbl.text() for lbl in self.findChildren(QLabel) if lbl.isVisible() and lbl.text()]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_sizes()
