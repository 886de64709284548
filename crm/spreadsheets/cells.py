"""The one rule for text cells in every CSV and XLSX we write, and its inverse for imports.

A text cell is text wherever it lands: an XLSX writes it as a string (never a formula, so it
keeps its exact text), a CSV has no such type, so a formula-like start gets a leading quote that
Excel hides and our importer removes. Either way the characters XML 1.0 forbids are dropped: an
XLSX holding one does not open, and a CSV would hand them on to the next program.
"""

import re

# Excel runs a cell starting with one of these (OWASP's list: tab and carriage return count too,
# since Excel skips them before reading a formula).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unescape_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def sheet_text(text: str) -> str:
    """A string for an XLSX cell, written as text."""
    return ILLEGAL.sub("", text)


def csv_text(text: str) -> str:
    """A string for a CSV cell that people typed (names, notes): see the module's rule."""
    return escape_formula(sheet_text(text))
