"""Reading a credential to verify: a JSON file, or a record PDF with the credential attached
(a PDF file attachment, read with pypdf so a PDF a viewer has re-saved still opens)."""

from __future__ import annotations

import json
import logging
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
    except RecursionError:  # nested deeper than any credential
        raise UserError(f"{path} is not a credential: its JSON is nested too deeply.") from None
    if not isinstance(doc, dict):
        raise UserError(f"{path} is JSON but not a credential (an object is expected).")
    return doc


def _attachment(data: bytes, path: Path) -> bytes:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # its warnings about a damaged file: the refusal says it
    try:
        attachments = PdfReader(BytesIO(data)).attachments
        found = attachments.get(ATTACHMENT_NAME) or next(
            (v for k, v in attachments.items() if k.lower().endswith(".json")), None
        )
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UserError(f"{path}: the PDF cannot be read ({exc}).") from None
    finally:
        quiet.setLevel(level)
    if not found:
        raise UserError(f"{path}: the PDF carries no credential (no {ATTACHMENT_NAME} attached).")
    return found[0]
