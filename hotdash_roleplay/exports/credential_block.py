"""The certification record's verifiable certificate: its id, issuer did and dates, a QR code
holding the id and the digest (so a printed copy can be matched with the credential), and the
signed credential itself attached to the PDF."""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Table, TableStyle

from hotdash_roleplay.credentials.issued import ATTACHMENT_NAME, MEDIA_TYPE
from hotdash_roleplay.credentials.views import IssuedCredential
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.exports.pdf_attachment import AttachedFile
from hotdash_roleplay.exports.pdf_layout import (
    BAD,
    CONTENT_W,
    GOOD,
    Plain,
    fields_table,
    heading,
    keep,
    para,
    spacer,
    styles,
)

QR_SIZE = 38 * mm
# Labels take a fifth of the width, so a digest of the widest hex digits still fits on one
# line (a wrapped digest could not be matched against the QR code by eye).
LABEL_WIDTH = 0.2
VERIFY_HINT = (
    f"The signed credential is attached to this PDF ({ATTACHMENT_NAME}). Anyone can check "
    "it offline with `hotdash-roleplay verify` on this PDF or the JSON, or with any Open Badges "
    "3.0 verifier. The QR code holds the credential's id and the SHA-256 digest of its signed "
    "JSON: a printed copy matches the credential when both are the same."
)


def _qr(text: str) -> Image:
    import segno

    buffer = BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    buffer.seek(0)
    return Image(buffer, width=QR_SIZE, height=QR_SIZE)


def credential_block(issued: IssuedCredential | None) -> list[Flowable]:
    if issued is None:
        return []
    s = styles()
    status = (
        Plain(issued.revocation_line, BAD, bold=True)
        if issued.revoked
        else Plain("Issued, not revoked", GOOD, bold=True)
    )
    fields = fields_table(
        [
            ("Credential id", issued.credential_id),
            ("Issuer", issued.issuer_name),
            ("Issuer did", issued.issuer_did),
            ("Valid from", short_date(issued.awarded_on)),
            ("Valid until", f"{short_date(issued.valid_until)} (annual recertification)"),
            ("Digest", issued.digest),
            ("Status", status),
        ],
        label_width=LABEL_WIDTH,
    )
    beside = Table(
        [[_qr(issued.qr_text), para(VERIFY_HINT, s.cell)]],
        colWidths=[QR_SIZE + 6 * mm, CONTENT_W - QR_SIZE - 6 * mm],
    )
    beside.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    attached = AttachedFile(
        ATTACHMENT_NAME,
        issued.document.encode("utf-8"),
        MEDIA_TYPE,
        f"Open Badges 3.0 credential {issued.credential_id}",
    )
    return [
        spacer(5),
        keep(*heading("Verifiable certificate", 1), fields, spacer(3), beside),
        attached,
    ]
