"""Cells as offices write them: Excel's stored numbers and formats, units, full-width digits.

A number becomes a `Figure` (its exact value and the unit written with it), then the column's
reading turns it into the stored value or refuses it: nothing is rounded, nothing guessed.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from crm.enterprises.uscc import is_valid_uscc, normalise_uscc
from crm.text_checks import text_problem

# Excel keeps 15 significant digits: a 16th or 17th in a stored float (0.1 + 0.2 is kept as
# 0.30000000000000004) is binary noise of a formula, never something a person typed.
EXCEL_DIGITS = 15
CENT = Decimal("0.01")
KEPT_DECIMALS = 2  # NUMERIC(16, 2) and NUMERIC(8, 2)
TEN_THOUSAND = Decimal(10_000)
# Money columns are in 10,000 yuan (万元). ¥ alone (typed, or Excel's currency format) names no
# unit: ¥5,000,000 reads as yuan to a person and as 10,000 yuan to the column, so it is refused.
YUAN_SIGN = "¥"
MONEY_FACTORS = {
    "亿元": TEN_THOUSAND,
    "亿": TEN_THOUSAND,
    "万元": Decimal(1),
    "万": Decimal(1),
    "": Decimal(1),
    "元": 1 / TEN_THOUSAND,
}
COUNT_SUFFIXES = ("人", "个", "项", "件", "家", "年")
NUMBER_TEXT = re.compile(
    r"(?P<sign>[-+]?)\s*(?P<currency>¥?)\s*(?P<sign_after>[-+]?)"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<unit>亿元|亿|万元|万|元|%|" + "|".join(COUNT_SUFFIXES) + r")?"
)
MINUS_SIGNS = str.maketrans({"−": "-", "–": "-", "—": "-"})
# One token of an Excel number format: a quoted or escaped literal, a [$¥-804] currency, another
# bracket (a colour, a condition), or one character.
FORMAT_TOKEN = re.compile(r'"[^"]*"|[\\!].|\[\$[^\]]*\]|\[[^\]]*\]|[_*].|.', re.DOTALL)
FORMAT_CODE_CHARACTERS = set("0#?.,%Ee+-/() :")
FOREIGN_CURRENCIES = ("$", "€", "£", "US", "HK")
EXCEL_EXPONENT = re.compile(r"\d(?:\.\d+)?E\+?\d+")  # 9.13101E+17, as Excel shows 18 digits
SCALING_COMMA = re.compile(r"[0#?],+(?![0#?,])")  # "#,##0," shows thousands


class CellError(ValueError):
    """A cell that cannot become a value; the message is for the user."""


def word(text: object) -> str:
    """The matching key of a header or a name: width, case, spaces and quotes do not matter."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(char for char in folded if not char.isspace() and char not in "“”‘’\"'")


@dataclass(frozen=True)
class NumberCell:
    """An XLSX number with the format Excel shows it in, which may say "percent" or a unit."""

    value: int | float
    number_format: str

    def __str__(self) -> str:
        return number_text(self.value)


@dataclass(frozen=True)
class Figure:
    value: Decimal  # exactly as written (a percent format already applied)
    unit: str  # "" or one of NUMBER_TEXT's units, or YUAN_SIGN (refused as money)
    written: str  # how the user saw it, for notes and messages
    is_folded: bool = False  # full-width characters were read as ASCII
    is_formatted_percent: bool = False


def number_text(value: float) -> str:
    """A number as a person reads it: 12 not 12.0, and the shortest digits of a float."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def exact_decimal(value: float) -> Decimal:
    """The decimal a person typed to get this stored number: the float's shortest repr,
    cut to Excel's 15 significant digits, never its binary expansion."""
    if isinstance(value, int):
        return Decimal(value)
    if not math.isfinite(value):
        raise CellError(_("“%(value)s” is not a number.", value=value))
    decimal = Decimal(repr(value))
    digits = len(decimal.as_tuple().digits)
    if digits > EXCEL_DIGITS:
        decimal = decimal.quantize(Decimal(1).scaleb(decimal.adjusted() - EXCEL_DIGITS + 1))
    return decimal


def decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def plain(value: Decimal) -> str:
    """`value` without an exponent or trailing zeros: 15.2, 1200."""
    return f"{value.normalize():f}"


def read_figure(cell: object, example: str) -> Figure:
    """The number in a cell; `example` shows the column's accepted forms in the message."""
    if isinstance(cell, bool):
        raise CellError(_("“%(value)s” is not a number. %(example)s", value=cell, example=example))
    if isinstance(cell, NumberCell):
        return _formatted_figure(cell)
    if isinstance(cell, int | float):
        return Figure(exact_decimal(cell), "", number_text(cell))
    return _text_figure(str(cell).strip(), example)


def _text_figure(text: str, example: str) -> Figure:
    folded = unicodedata.normalize("NFKC", text).translate(MINUS_SIGNS).strip()
    match = NUMBER_TEXT.fullmatch(folded)
    if match is None or (match["sign"] and match["sign_after"]):
        raise CellError(_("“%(value)s” is not a number. %(example)s", value=text, example=example))
    value = Decimal(match["digits"].replace(",", ""))  # the pattern admits only digits
    if "-" in (match["sign"], match["sign_after"]):
        value = -value
    unit = match["unit"] or match["currency"]
    return Figure(value, unit, text, is_folded=folded != text.translate(MINUS_SIGNS))


def _formatted_figure(cell: NumberCell) -> Figure:
    code, literal = _format_parts(cell.number_format)
    value = exact_decimal(cell.value)
    shown = number_text(cell.value)
    if SCALING_COMMA.search(code) or any(char.isdigit() or char == "." for char in literal):
        # "#,##0," or 0!.0000"万" show another number than the cell holds: which one is meant?
        raise CellError(
            _(
                "The cell holds %(value)s but its format “%(format)s” shows another number. "
                "Format the cell as a plain number (General) and enter the figure itself.",
                value=shown,
                format=cell.number_format,
            )
        )
    if "%" in code:
        percent = value * 100
        return Figure(percent, "%", f"{plain(percent)}%", is_formatted_percent=True)
    if any(currency in literal for currency in FOREIGN_CURRENCIES):
        raise CellError(
            _(
                "%(value)s is formatted as a foreign currency (“%(format)s”). "
                "Enter amounts in yuan.",
                value=shown,
                format=cell.number_format,
            )
        )
    unit = next((unit for unit in MONEY_FACTORS if unit and unit in literal), "")
    if not unit and YUAN_SIGN in literal:
        return Figure(value, YUAN_SIGN, YUAN_SIGN + shown)
    return Figure(value, unit, shown + unit)


def _format_parts(number_format: str) -> tuple[str, str]:
    """The code characters and the literal text of a format's first (positive) section."""
    code, literal = [], []
    for part in FORMAT_TOKEN.findall(number_format):
        if part == ";":
            break
        if part.startswith('"'):
            literal.append(part[1:-1])
        elif part[0] in "\\!":
            literal.append(part[1:])
        elif part.startswith("[$"):
            literal.append(part[2:-1].split("-", 1)[0])
        elif part.startswith("[") or part[0] in "_*":
            continue  # a colour or condition; padding the width of a character
        elif part in FORMAT_CODE_CHARACTERS:
            code.append(part)
        else:
            literal.append(part)
    return "".join(code), "".join(literal)


def money(figure: Figure, limit: Decimal) -> tuple[Decimal, str | None]:
    """An amount in 10,000 yuan (万元) and a note when it was written otherwise."""
    if figure.is_formatted_percent:
        raise CellError(
            _(
                "%(value)s is formatted as a percentage, but this column holds amounts in "
                "10,000 yuan. Format the cell as a number and enter the amount.",
                value=figure.written,
            )
        )
    if figure.unit == YUAN_SIGN:
        raise CellError(
            _(
                "“%(value)s” has a currency sign but no unit: yuan or 10,000 yuan? "
                "Write 12,000,000元 or 1200万元 (the column is in 10,000 yuan).",
                value=figure.written,
            )
        )
    if figure.unit not in MONEY_FACTORS:
        raise CellError(
            _(
                "“%(value)s” is not an amount. Write it in 10,000 yuan (1200 or 1,200.50), "
                "or with its unit: 3.5亿元, 800万元, 12,000,000元.",
                value=figure.written,
            )
        )
    value = figure.value * MONEY_FACTORS[figure.unit]
    if figure.unit == "元" and decimal_places(value) > KEPT_DECIMALS:
        raise CellError(
            _(
                "%(value)s is %(converted)s in 10,000 yuan: amounts are kept to the hundred "
                "yuan. Round it, or write it in 万元.",
                value=figure.written,
                converted=plain(value),
            )
        )
    stored = _kept(value, figure, limit)
    converted = figure.unit in ("亿元", "亿", "元")
    note = f"{figure.written} → {stored:,.2f}" if converted or figure.is_folded else None
    return stored, note


def percent(figure: Figure, limit: Decimal) -> tuple[Decimal, str | None]:
    if figure.unit not in ("", "%"):
        raise CellError(
            _(
                "“%(value)s” is not a percentage. Write the percent figure: 15.2 or 15.2%%.",
                value=figure.written,
            )
        )
    stored = _kept(figure.value, figure, limit)
    noted = figure.is_formatted_percent or figure.is_folded
    return stored, (f"{figure.written} → {stored:,.2f}" if noted else None)


def count(figure: Figure, limit: int) -> tuple[int, str | None]:
    if figure.is_formatted_percent:
        raise CellError(
            _(
                "%(value)s is formatted as a percentage, but this column holds whole numbers. "
                "Format the cell as a number.",
                value=figure.written,
            )
        )
    if figure.unit not in ("", *COUNT_SUFFIXES) or figure.value != figure.value.to_integral():
        raise CellError(
            _("“%(value)s” is not a whole number. Write digits such as 12.", value=figure.written)
        )
    if abs(figure.value) > limit:
        raise CellError(_("%(value)s is too large for this column.", value=figure.written))
    stored = int(figure.value)
    return stored, (f"{figure.written} → {stored}" if figure.is_folded else None)


def _kept(value: Decimal, figure: Figure, limit: Decimal) -> Decimal:
    if abs(value) >= limit:
        raise CellError(_("%(value)s is too large for this column.", value=figure.written))
    if decimal_places(value) > KEPT_DECIMALS:
        raise CellError(
            _(
                "%(value)s has more than 2 decimals, and this column keeps 2. "
                "Round it in the file (for example with ROUND) and upload it again.",
                value=figure.written,
            )
        )
    return value.quantize(CENT)


def credit_code(cell: object) -> tuple[str | None, str | None]:
    """The code, folded to capitals without spaces; a code Excel made a number is refused."""
    if isinstance(cell, NumberCell):
        cell = cell.value
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        raise _excel_number(f"{cell:.6G}" if isinstance(cell, float) else str(cell))
    text = str(cell).strip()
    if problem := text_problem(text, one_line=True):
        raise CellError(problem)
    code = normalise_uscc(text)
    # Excel keeps 15 digits: an 18-digit code it read as a number comes back ending in zeros.
    kept_by_excel = code.isdigit() and code.endswith("000") and not is_valid_uscc(code)
    if EXCEL_EXPONENT.fullmatch(code) or kept_by_excel:
        raise _excel_number(text)
    is_folded = unicodedata.normalize("NFKC", text) != text
    return code or None, (f"{text} → {code}" if is_folded else None)


def _excel_number(shown: str) -> CellError:
    return CellError(
        _(
            "“%(value)s” is a credit code that Excel turned into a number, losing its last "
            "digits. Format the column as text (or start from our template), type or paste the "
            "codes again, and upload the file.",
            value=shown,
        )
    )
