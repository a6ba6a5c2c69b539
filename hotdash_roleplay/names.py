"""People's names as typed by a trainer: one cleaning rule for the roster and the store."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from hotdash_roleplay.errors import UserError

MAX_NAME = 120
# The store's name_key columns hold name_key() of a name of up to MAX_NAME characters: casefold()
# lengthens some characters ("ß" -> "ss", "ΐ" -> three code points); four per character is room
# to spare (a test checks every code point).
MAX_NAME_KEY = 4 * MAX_NAME
# Bidirectional overrides and isolates can make a name read differently on the projector and
# in the PDFs than what was typed; control characters have no place in a name.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_name(name: str) -> str:
    """The name with its spaces folded; UserError when it is empty, too long or holds control
    characters."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise UserError("A name cannot be empty.")
    if len(cleaned) > MAX_NAME:
        raise UserError(f"A name can be at most {MAX_NAME} characters long.")
    if any(ch in _BIDI_CONTROLS or unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise UserError(f"The name {cleaned!r} contains invisible control characters.")
    return cleaned


def name_key(name: str) -> str:
    """How people are matched everywhere (the store's name_key, an export's people, a browser's
    claim): spaces folded and casefolded, so "Юлия" matches "юлия " and "Straße" "STRASSE"."""
    return " ".join(name.split()).casefold()


def in_line(name: str) -> str:
    """A name to put inside a line of the app's own (English) wording: a right-to-left name is
    isolated in its own direction (FSI ... PDI), else "שרה כהן · 1 session" shows as
    "1 · שרה כהן session" (the number joins the Hebrew run) and a list of Hebrew and Arabic
    names shows them in reverse order. Other names are returned as they are."""
    if name.isascii():  # no right-to-left letter is ASCII; most names are, and lists are long
        return name
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in name):
        return f"\u2068{name}\u2069"
    return name


def names_in_line(names: Iterable[str]) -> str:
    """ "Zoë, שרה כהן, 李雷": each name isolated as in_line() says."""
    return ", ".join(in_line(n) for n in names)
