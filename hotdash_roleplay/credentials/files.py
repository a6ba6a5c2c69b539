"""Reading a credential to verify: a JSON file, or a record PDF with the credential attached
(a PDF file attachment, read with pypdf so a PDF a viewer has re-saved still opens)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hotdash_roleplay.credentials.issued import ATTACHMENT_NAME
from hotdash_roleplay.errors import UserError

MAX_FILE = 50_000_000
PDF_MAGIC = b"%PDF-"


def read_credential(path: Path) -> dict[str, Any]:
    try:
        if path.is_dir():
            raise UserError(f"{path} is a folder, not a credential file.")
        if path.stat().st_size > MAX_FILE:
            raise UserError(f"{path} is too large to be a credential or a record PDF.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except OSError as exc:
        raise UserError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    if data.startswith(PDF_MAGIC):
        data = _attachment(data, path)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise UserError(f"{path} is neither a credential (JSON) nor a PDF.") from None
    if not isinstance(doc, dict):
        raise UserError(f"{path} is JSON but not a credential (an object is expected).")
    return doc


def _attachment(data: bytes, path: Path) -> bytes:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        attachments = PdfReader(BytesIO(data)).attachments
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"{path}: the PDF cannot be read ({exc}).") from None
    found = attachments.get(ATTACHMENT_NAME) or next(
        (v for k, v in attachments.items() if k.lower().endswith(".json")), None
    )
    if not found:
        raise UserError(f"{path}: the PDF carries no credential (no {ATTACHMENT_NAME} attached).")
    return found[0]
