"""Refusing an XLSX file that would fill a worker, before openpyxl opens any part of it.

An XLSX file is a zip of XML parts. openpyxl streams the worksheet (read_only), but reads every
other part whole: a few kilobytes of zip can unpack to a shared-strings table of millions of
entries or a style sheet of a million formats (100,000 empty formats took 9 s and 60 MB). So the
zip's directory is read first (sizes and ratios), then every part but the worksheets is counted,
element by element, without building anything.
"""

import io
import struct
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from flask_babel import gettext as _

from crm.errors import DomainError

MEBIBYTE = 1024 * 1024
MAX_ZIP_ENTRIES = 500  # Excel writes about a dozen parts; each costs memory once listed
MAX_SHEETS = 64
# Deflate reaches about 1,000:1 on repeated bytes; spreadsheet XML stays near 10:1.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = MEBIBYTE  # small parts may compress any way they like
# Styles, workbook, properties: Excel itself allows 64,000 cell formats, files hold hundreds.
MAX_ELEMENTS_PER_PART = 50_000
ELEMENTS_PER_SHARED_STRING = 16  # a rich-text string holds runs, each with its font
WORKSHEET_FOLDER = "xl/worksheets/"  # where Excel, WPS, LibreOffice and our exports put sheets
END_OF_DIRECTORY = b"PK\x05\x06"
END_OF_DIRECTORY_SIZE = 22
MAX_ZIP_COMMENT = 65_535
READ_CHUNK_BYTES = 64 * 1024


class WorkbookTooLargeError(DomainError):
    """The workbook would take more memory or time to open than any import needs."""


@dataclass(frozen=True)
class WorkbookLimits:
    worksheet_bytes: int  # unpacked, per worksheet part
    other_parts_bytes: int  # unpacked, all other parts together
    shared_strings: int

    @classmethod
    def for_rows(cls, max_rows: int | None, columns: int) -> "WorkbookLimits":
        """Room for `max_rows` rows of `columns` cells (about 40 bytes of XML each) several times
        over; without a row limit (the shell import) only what a server can hold."""
        if max_rows is None:
            return cls(1024 * MEBIBYTE, 512 * MEBIBYTE, 10_000_000)
        rows = max(max_rows, 1_000)
        return cls(rows * columns * 80, 16 * MEBIBYTE, rows * columns)


def check_workbook(content: bytes, limits: WorkbookLimits) -> None:
    if _declared_entries(content) > MAX_ZIP_ENTRIES:
        raise WorkbookTooLargeError(_("This file holds too many parts to be a workbook."))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        # Sizes come from the zip's directory; zipfile stops reading a part at its declared size.
        members = archive.infolist()
        for member in members:
            compressed = max(member.compress_size, 1)
            if member.file_size > RATIO_CHECKED_FROM_BYTES and (
                member.file_size / compressed > MAX_COMPRESSION_RATIO
            ):
                raise WorkbookTooLargeError(_("This file unpacks to far more than it holds."))
        sheets = [member for member in members if member.filename.startswith(WORKSHEET_FOLDER)]
        if len(sheets) > MAX_SHEETS:
            raise WorkbookTooLargeError(_("At most %(count)d sheets per file.", count=MAX_SHEETS))
        if any(sheet.file_size > limits.worksheet_bytes for sheet in sheets):
            raise _too_large(limits.worksheet_bytes)
        others = [member for member in members if member not in sheets]
        if sum(member.file_size for member in others) > limits.other_parts_bytes:
            raise _too_large(limits.other_parts_bytes)
        for member in others:
            _count_elements(archive, member, limits)


def _too_large(size_bytes: int) -> WorkbookTooLargeError:
    return WorkbookTooLargeError(
        _(
            "This workbook unpacks to more than %(size)d MB. Copy its rows into the template.",
            size=size_bytes // MEBIBYTE,
        )
    )


def _declared_entries(content: bytes) -> int:
    """The entry count of the zip's end record: zipfile would build one object per entry."""
    start = content.rfind(END_OF_DIRECTORY, -(END_OF_DIRECTORY_SIZE + MAX_ZIP_COMMENT))
    if start < 0 or len(content) < start + END_OF_DIRECTORY_SIZE:
        return 0  # not a zip: zipfile says so in its own words
    (entries,) = struct.unpack_from("<H", content, start + 10)
    return int(entries)  # 0xFFFF (zip64, for millions of entries) is refused as too many


def _count_elements(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: WorkbookLimits
) -> None:
    # A part named otherwise that openpyxl still reads as strings gets the small budget: refused.
    is_strings = member.filename.lower().endswith("sharedstrings.xml")
    per_part = ELEMENTS_PER_SHARED_STRING * limits.shared_strings
    budget = per_part if is_strings else MAX_ELEMENTS_PER_PART
    counts = {"elements": 0, "strings": 0}

    def start(name: str, _attributes: object) -> None:
        counts["elements"] += 1
        counts["strings"] += name == "si" or name.endswith(":si")
        if counts["elements"] > budget or counts["strings"] > limits.shared_strings:
            raise WorkbookTooLargeError(_("This workbook holds too many cell texts or styles."))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with archive.open(member) as part:
            while chunk := part.read(READ_CHUNK_BYTES):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        return  # not XML (an image, a binary part): openpyxl does not parse it either
