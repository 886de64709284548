"""The import template: a workbook that keeps codes as text, offers drop-downs and explains itself.

The data sheet comes first, as the importer reads the first sheet, and its header row is the
importer's own headers: required columns are marked by colour and a comment, never by a "*" that
would make the header unknown. The example row lives on the instructions sheet, so a file filled
in from the template never imports it.
"""

import io
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from crm.enterprises.file_format import (
    COLUMNS,
    DESIGNATION_JOINERS,
    DESIGNATION_SEPARATORS,
    ENUM_KINDS,
    REFERENCE_MODELS,
    YES_NO,
    Column,
    language,
)
from crm.enterprises.importing import REQUIRED_FOR_NEW
from crm.enterprises.sheets import MAX_ROWS
from crm.enterprises.uscc import build_uscc
from crm.labels import label
from crm.reference import all_of
from models import Designation

# Rows whose cells carry the text format themselves (the column's style covers the rest): more
# would slow every import of a filled template, which reads each styled row.
PREPARED_ROWS = 1_000
VALIDATED_ROWS = MAX_ROWS  # drop-downs are one range each, whatever their length
LISTS_SHEET = "lists"  # hidden; a list longer than 255 characters cannot be written inline
TEXT_FORMAT = "@"
NUMBER_FORMATS = {"date": "yyyy-mm-dd", "money": "0.00", "percent": "0.00", "count": "0"}
REQUIRED_KEYS = ("uscc", *REQUIRED_FOR_NEW)
REQUIRED_FILL = PatternFill("solid", fgColor="F8D7DA")
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
REQUIRED_FONT = Font(bold=True, color="9C0006")
WRAPPED = Alignment(wrap_text=True, vertical="top")
EXAMPLE_USCC = build_uscc("91", "310106", "MA1FL8XQ")  # well formed, and no real firm's
DROP_DOWN_KINDS = ("sub_district", "zone", "track", "tier", "status", "designations", "bool")

MEANINGS = {
    "uscc": _l("The firm's 18-character unified social credit code; it identifies the firm."),
    "name": _l("The registered name, as on the business licence."),
    "sub_district": _l("The sub-district the firm is registered in."),
    "zone": _l("The functional zone the firm belongs to."),
    "track": _l("The industry track the firm works in."),
    "address": _l("The business address."),
    "founded_on": _l("The date the firm was founded."),
    "registered_capital": _l("Registered capital in 10,000 yuan (万元)."),
    "tier": _l("The cultivation tier; empty keeps the firm's tier (a new firm: Reservoir)."),
    "designations": _l("The designations the firm holds."),
    "in_hundred_enterprises_plan": _l("Whether the firm is in the Hundred Enterprises Plan."),
    "manager": _l("The account manager's login, or their name when no other manager has it."),
    "status": _l("Whether the firm operates; empty keeps the firm's status."),
    "notes": _l("Free notes."),
    "year": _l("The year of the figures on this row; one row per firm and year."),
    "revenue": _l("Revenue of the year, in 10,000 yuan (万元)."),
    "revenue_growth_pct": _l("Revenue growth over the year before, in percent."),
    "employees": _l("Employees at the end of the year."),
    "rd_spend": _l("R&D spend of the year, in 10,000 yuan (万元)."),
    "patents": _l("Patents held."),
    "pct_applications": _l("PCT applications filed."),
    "blockchain_scenarios": _l("Blockchain application scenarios in use."),
    "funding_raised": _l("Funding raised in the year, in 10,000 yuan (万元)."),
    "valuation": _l("Valuation, in 10,000 yuan (万元)."),
    "tax_paid": _l("Tax paid in the year, in 10,000 yuan (万元)."),
}
ACCEPTED = {
    "uscc": _l("18 letters and digits, kept as text."),
    "text": _l("Text."),
    "list": _l("Choose from the drop-down list."),
    "designations": _l("Choose one from the list, or type several separated by 、"),
    "date": _l("YYYY-MM-DD, such as 2019-05-01."),
    "money": _l("A number in 10,000 yuan (万元): 2500 means 25 million yuan."),
    "percent": _l("A number: 15.2 for 15.2 %, not a cell formatted as a percentage."),
    "count": _l("A whole number."),
    "year": _l("A year, such as 2025."),
}
GENERAL_NOTES = (
    _l("Fill in the first sheet from its second row; keep its header row as it is."),
    _l("One row per firm; to give several years of figures, repeat the firm's row once a year."),
    _l("Columns with red headers are required for a new firm; the credit code always is."),
    _l(
        "A row whose credit code is already in the reservoir updates that firm: an empty cell "
        "clears the field, though an empty tier or status keeps the firm's. Delete the columns "
        "you do not mean to change."
    ),
    _l(
        "The credit code column is formatted as text. Keep it so: Excel turns an 18-digit code "
        "typed into a number cell into 9.13101E+17 and loses its last digits. Paste codes with "
        "“Paste values”."
    ),
    _l("Amounts are in 10,000 yuan (万元). Dates are written YYYY-MM-DD."),
    _l("Sub-district, zone, track, tier, status and 是/否 columns have drop-down lists."),
    _l("The example below shows one filled row; it is not imported."),
)


def template_bytes(locale: str) -> bytes:
    """The template in the user's language: data sheet, instructions and the hidden lists."""
    with force_locale(locale):
        workbook = Workbook()
        data = workbook.worksheets[0]
        data.title = _("Firms")
        instructions = workbook.create_sheet(_("Instructions"))
        values = list_values(locale)
        _write_data_sheet(data, locale, _write_lists(workbook.create_sheet(LISTS_SHEET), values))
        _write_instructions(instructions, locale, values)
        workbook.active = 0
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _write_data_sheet(sheet: Worksheet, locale: str, lists: dict[str, str]) -> None:
    for position, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=column.header(locale))
        is_required = column.key in REQUIRED_KEYS
        cell.font = REQUIRED_FONT if is_required else Font(bold=True)
        cell.fill = REQUIRED_FILL if is_required else HEADER_FILL
        cell.comment = Comment(_comment(column, is_required), "Cultivate")
        number_format = NUMBER_FORMATS.get(column.kind, TEXT_FORMAT)
        # The column's own style covers rows past the prepared ones, in Excel and LibreOffice.
        sheet.column_dimensions[letter].number_format = number_format
        sheet.column_dimensions[letter].width = max(column.width, 12)
        for row in range(2, PREPARED_ROWS + 2):
            sheet.cell(row=row, column=position).number_format = number_format
        if column.kind in lists:
            sheet.add_data_validation(
                _drop_down(column, lists[column.kind], f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            )
    sheet.freeze_panes = "A2"


def _comment(column: Column, is_required: bool) -> str:
    text = str(MEANINGS[column.key])
    return _("Required. %(meaning)s", meaning=text) if is_required else text


def _drop_down(column: Column, source: str, cells: str) -> DataValidation:
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.add(cells)
    if column.kind == "designations":
        # Several values in one cell are not on the list: Excel must let them through.
        validation.showErrorMessage = False
        validation.promptTitle = _("Designations")
        validation.prompt = _("Choose one, or type several separated by 、")
        validation.showInputMessage = True
    else:
        validation.showErrorMessage = True
        validation.errorTitle = _("Not on the list")
        validation.error = _("Choose a value from the drop-down list.")
    return validation


def list_values(locale: str) -> dict[str, list[str]]:
    """Each drop-down's values, in the template's language, as the importer reads them back."""
    values: dict[str, list[str]] = {
        kind: [row.name_for(locale) for row in all_of(model)]
        for kind, model in REFERENCE_MODELS.items()
    }
    for kind, enum in ENUM_KINDS.items():
        values[kind] = [_cell_label(member) for member in enum]
    values["bool"] = list(YES_NO[language(locale)])
    return values


def _cell_label(member: Any) -> str:
    # A designation label holding a separator would split on import; the plain value never does.
    text = label(member)
    if isinstance(member, Designation) and DESIGNATION_SEPARATORS.search(text):
        return str(member.value)
    return text


def _write_lists(sheet: Worksheet, values: dict[str, list[str]]) -> dict[str, str]:
    """Fill the hidden sheet the drop-downs read from; return each list's cell range."""
    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for position, kind in enumerate(DROP_DOWN_KINDS, start=1):
        letter = get_column_letter(position)
        for row, text in enumerate(values[kind], start=1):
            sheet.cell(row=row, column=position, value=text).number_format = TEXT_FORMAT
        last = max(len(values[kind]), 1)
        ranges[kind] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${last}"
    return ranges


def _write_instructions(sheet: Worksheet, locale: str, values: dict[str, list[str]]) -> None:
    sheet.append([_("How to fill in the import template")])
    sheet["A1"].font = Font(bold=True, size=14)
    for number, note in enumerate(GENERAL_NOTES, start=1):
        sheet.append([f"{number}. {note}"])
    sheet.append([])
    sheet.append([_("Example row")])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([column.header(locale) for column in COLUMNS])
    _bold_row(sheet)
    sheet.append([_example(column, locale, values) for column in COLUMNS])
    sheet.append([])
    sheet.append([_("Column"), _("Required"), _("What it holds"), _("Accepted values")])
    _bold_row(sheet)
    yes, no = YES_NO[language(locale)]
    for column in COLUMNS:
        required = yes if column.key in REQUIRED_KEYS else no
        sheet.append(
            [column.header(locale), required, str(MEANINGS[column.key]), _accepted(column, locale)]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = WRAPPED
    for letter, width in zip("ABCD", (34, 10, 60, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def _bold_row(sheet: Worksheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _accepted(column: Column, locale: str) -> str:
    if column.key in ACCEPTED:
        return str(ACCEPTED[column.key])
    if column.kind == "bool":
        yes, no = YES_NO[language(locale)]
        return _("%(yes)s or %(no)s", yes=yes, no=no)
    if column.kind in {"sub_district", "zone", "track", "tier", "status"}:
        return str(ACCEPTED["list"])
    return str(ACCEPTED[column.kind])


def _example(column: Column, locale: str, values: dict[str, list[str]]) -> object:
    if values.get(column.kind):
        if column.kind == "designations":
            return DESIGNATION_JOINERS[language(locale)].join(values["designations"][:2])
        return values[column.kind][0]
    examples: dict[str, object] = {
        "uscc": EXAMPLE_USCC,
        "name": _("Shanghai Example Technology Co., Ltd."),
        "address": _("No. 1 Example Road, Jing'an District, Shanghai"),
        "founded_on": "2019-05-01",
        "registered_capital": 2500,
        "manager": "manager_login",
        "notes": "",
        "year": 2025,
        "revenue": 8100.5,
        "revenue_growth_pct": 15.2,
        "employees": 120,
        "rd_spend": 960,
        "patents": 12,
        "pct_applications": 2,
        "blockchain_scenarios": 0,
        "funding_raised": 5000,
        "valuation": 60000,
        "tax_paid": 320,
    }
    return examples.get(column.key)
