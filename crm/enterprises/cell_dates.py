"""Dates as offices write them: 2019-05-01, 2019/5/1, 2019.5.1, 2019年5月1日, 20190501, Excel's."""

import re
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from crm.enterprises.cells import CellError, NumberCell

# Excel counts days from 1899-12-30 (its day 60 is a 29 February 1900 that never was; no date
# before 1900-03-01 matters here).
EXCEL_EPOCH = date(1899, 12, 30)
# Five digits, 1927-05-18 to 2173-10-14: four digits are a year, not a date, and eight digits
# are 20190501.
EXCEL_SERIALS = range(10_000, 100_000)
TIME_OF_DAY = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a database export's 00:00:00
DATE_FORMS = tuple(
    re.compile(pattern + TIME_OF_DAY)
    for pattern in (
        r"(\d{4})-(\d{1,2})-(\d{1,2})",
        r"(\d{4})/(\d{1,2})/(\d{1,2})",
        r"(\d{4})\.(\d{1,2})\.(\d{1,2})",
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?",
        r"(\d{4})(\d{2})(\d{2})",
    )
)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_date(cell: object) -> tuple[date, str | None]:
    """The date in a cell and, unless it was a date cell or written as YYYY-MM-DD, a note."""
    if isinstance(cell, datetime):
        return cell.date(), None
    if isinstance(cell, date):
        return cell, None
    if isinstance(cell, NumberCell):
        cell = cell.value
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = str(cell).strip()
    folded = unicodedata.normalize("NFKC", text)
    if not isinstance(cell, bool) and folded.isdigit() and int(folded) in EXCEL_SERIALS:
        day = EXCEL_EPOCH + timedelta(days=int(folded))
        return day, f"{text} → {day.isoformat()}"
    for form in DATE_FORMS:
        if (match := form.fullmatch(folded)) is None:
            continue
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError:
            break  # 2020-02-30: the form is right, the day is not
        return day, (None if ISO_DATE.fullmatch(text) else f"{text} → {day.isoformat()}")
    raise CellError(
        _(
            "“%(value)s” is not a date. Write 2019-05-01, 2019/5/1, 2019.5.1, 2019年5月1日 or "
            "20190501; a date cell or an Excel date number (43586) works too.",
            value=text,
        )
    )
