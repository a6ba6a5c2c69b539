"""A file carried inside a PDF: an embedded file stream named in the document's EmbeddedFiles
name tree (PDF 1.7, 7.11.4), which viewers list as an attachment and pypdf reads back.
reportlab has no API for it, so the objects are built with its low-level pdfdoc classes."""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.platypus import Flowable


def _name(text: str) -> str:
    """A PDF name; reportlab's escapes most delimiters but not "/", which would end it."""
    return "/" + PDFName(text)[1:].replace("/", "#2F")


def attach(canvas: Any, name: str, data: bytes, media_type: str, description: str) -> None:
    """Add `data` to the canvas's document as the attachment `name` (one per document)."""
    doc = canvas._doc  # reportlab's PDFDocument: where the catalog and objects live
    stream = PDFStream(
        PDFDictionary(
            {
                "Type": PDFName("EmbeddedFile"),
                "Subtype": _name(media_type),
                "Params": PDFDictionary({"Size": len(data)}),
            }
        ),
        content=data,
    )
    spec = PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(name),
            "UF": PDFString(name),
            "Desc": PDFString(description),
            "EF": PDFDictionary({"F": doc.Reference(stream)}),
            "AFRelationship": PDFName("Data"),
        }
    )
    tree = PDFDictionary({"Names": PDFArray([PDFString(name), doc.Reference(spec)])})
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": tree})


class AttachedFile(Flowable):
    """Takes no room on the page; attaches its file when the page is drawn."""

    def __init__(self, name: str, data: bytes, media_type: str, description: str) -> None:
        super().__init__()
        self._file = (name, data, media_type, description)

    def wrap(self, _avail_w: float, _avail_h: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        attach(self.canv, *self._file)
