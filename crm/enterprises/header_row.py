"""Finding the table in a sheet as offices make it: a title above, totals and notes below.

District offices put a title (often merged across the table) and blank rows above the headers,
number the rows in a 序号 column, close with a 合计 row and sign off below with notes. The header
row is the first of the top rows naming two known columns; rows that hold no firm are passed
over and said so, never imported and never reported as errors.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from flask_babel import gettext as _

from crm.enterprises.file_format import HEADER_KEYS, IGNORED_HEADER_WORDS, word
from crm.enterprises.uscc import normalise_uscc

HEADER_SEARCH_ROWS = 10  # non-empty rows: a title, a unit line, a date, a blank-filled header
MIN_HEADER_MATCHES = 2  # one known word may be a title ("企业名称" alone); two make a header
TOTAL_WORDS = frozenset(
    word(text)
    for text in (
        "合计",
        "总计",
        "小计",
        "共计",
        "总合计",
        "Total",
        "Subtotal",
        "Grand total",
        "Sum",
    )
)
TOTAL_CELLS_LOOKED_AT = 2  # the word sits in the first filled cell, or after a row number
# A sign-off or footnote: "注：", "备注1.", "说明：", "填表人：", "制表：", "Note:" and the like.
NOTE_START = re.compile(
    r"(?:注|备注|附注|说明)\s*[:：0-9一二三四五六七八九十、.]|(?:notes?|remarks?)\b"
    r"|填表|制表|审核|填报|报送|数据来源|资料来源|单位负责人|负责人|联系人|联系电话|source\b",
    re.IGNORECASE,
)
TRAILING_PUNCTUATION = ":：.。"
# What may stand in the credit-code column of a firm's row, even mistyped or made a number by
# Excel (9.13101E+17): a note or a date written there is no code.
CODE_LIKE = re.compile(r"[0-9A-Z.+\-]{6,}")


class RowKind(Enum):
    EMPTY = "empty"
    FIRM = "firm"
    TOTALS = "totals"
    NOTE = "note"  # starts like a note: below the table unless a firm follows
    LONE_CELL = "lone_cell"  # one filled cell and no code: a note when nothing follows
    ROW_NUMBER_ONLY = "row_number_only"  # a numbered empty row of a form


def filled(cell: object) -> bool:
    # Only text can be blank: a number, a date or a NumberCell always reads as something.
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def header_matches(cells: Sequence[object]) -> int:
    """How many distinct known columns a row names."""
    return len(
        {HEADER_KEYS[key] for cell in cells if filled(cell) if (key := word(cell)) in HEADER_KEYS}
    )


@dataclass(frozen=True)
class TableLayout:
    """Where the credit code and the row numbers are, read from the header row."""

    uscc_position: int | None
    ignored_positions: frozenset[int]
    column_count: int  # headers filled in

    @classmethod
    def of(cls, headers: Sequence[object]) -> "TableLayout":
        keys = [word(header) if filled(header) else "" for header in headers]
        uscc = next((i for i, key in enumerate(keys) if HEADER_KEYS.get(key) == "uscc"), None)
        ignored = frozenset(i for i, key in enumerate(keys) if key in IGNORED_HEADER_WORDS)
        return cls(uscc, ignored, sum(map(bool, keys)))

    def kind(self, cells: Sequence[object]) -> tuple[RowKind, str]:
        """What a row below the header holds, and the text that decided it."""
        positions = [position for position, cell in enumerate(cells) if filled(cell)]
        if not positions:
            return RowKind.EMPTY, ""
        texts = [str(cells[position]).strip() for position in positions[:TOTAL_CELLS_LOOKED_AT]]
        for text in texts:
            if word(text).rstrip(TRAILING_PUNCTUATION) in TOTAL_WORDS:
                return RowKind.TOTALS, text
        if self._has_code(cells):
            return RowKind.FIRM, ""
        if NOTE_START.match(unicodedata.normalize("NFKC", texts[0])):
            return RowKind.NOTE, texts[0]
        if all(position in self.ignored_positions for position in positions):
            return RowKind.ROW_NUMBER_ONLY, texts[0]
        if len(positions) == 1 and self.column_count > 1:
            return RowKind.LONE_CELL, texts[0]
        return RowKind.FIRM, ""

    def _has_code(self, cells: Sequence[object]) -> bool:
        if self.uscc_position is None or self.uscc_position >= len(cells):
            return False
        cell = cells[self.uscc_position]
        return filled(cell) and CODE_LIKE.fullmatch(normalise_uscc(str(cell))) is not None


def title_reason() -> str:
    return _("Title above the table")


def totals_reason(text: str) -> str:
    return _("Totals row (%(word)s)", word=text)


def note_reason(*, below_the_table: bool) -> str:
    return _("Note below the table") if below_the_table else _("Note inside the table")


def row_number_reason() -> str:
    return _("Only a row number")
