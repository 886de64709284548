"""The file format of imports and exports: one row per firm-year, its columns and cells."""

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.enterprises.cell_dates import read_date
from crm.enterprises.cells import (
    CellError,
    NumberCell,
    count,
    credit_code,
    money,
    percent,
    read_figure,
    word,
)
from crm.enterprises.figures import FIGURE_FIELDS
from crm.enterprises.manager_names import ManagerNames
from crm.labels import label
from crm.reference import all_of
from crm.spreadsheets.cells import unescape_formula
from crm.text_checks import text_problem
from models import Designation, EnterpriseStatus, IndustryTrack, SubDistrict, Tier, User, Zone
from models.reference import ReferenceMixin


@dataclass(frozen=True)
class Column:
    key: str  # an EnterpriseInput or FiguresInput field
    header_zh: str
    header_en: str
    kind: str  # how cells read and write: see CellReader.read
    width: int = 14  # characters, for the XLSX export
    max_length: int | None = None  # of the database column, so PostgreSQL never truncates

    def header(self, locale: str) -> str:
        return self.header_zh if locale.startswith("zh") else self.header_en


# Headers are part of the file format, not of the interface: both languages must be recognised
# on import whatever the translation catalogue says, so they are spelled out here.
COLUMNS = (
    Column("uscc", "统一社会信用代码", "Unified social credit code", "text", 22),
    Column("name", "企业名称", "Registered name", "text", 36, 200),
    Column("sub_district", "所属街道", "Sub-district", "sub_district", 16),
    Column("zone", "功能区", "Functional zone", "zone", 14),
    Column("track", "产业赛道", "Industry track", "track", 20),
    Column("address", "地址", "Address", "text", 36, 300),
    Column("founded_on", "成立日期", "Founded on", "date", 12),
    Column("registered_capital", "注册资本（万元）", "Registered capital (10,000 yuan)", "money"),
    Column("tier", "培育层级", "Cultivation tier", "tier", 18),
    Column("designations", "资质荣誉", "Designations", "designations", 30),
    Column("in_hundred_enterprises_plan", "百企成长计划", "Hundred Enterprises Plan", "bool"),
    Column("manager", "客户经理", "Account manager", "text", 14, 64),
    Column("status", "经营状态", "Status", "status", 10),
    Column("notes", "备注", "Notes", "text", 36),
    Column("year", "年度", "Year", "count", 8),
    Column("revenue", "营业收入（万元）", "Revenue (10,000 yuan)", "money"),
    Column("revenue_growth_pct", "营收增长率（%）", "Revenue growth (%)", "percent"),
    Column("employees", "从业人数", "Employees", "count"),
    Column("rd_spend", "研发投入（万元）", "R&D spend (10,000 yuan)", "money"),
    Column("patents", "专利数", "Patents", "count"),
    Column("pct_applications", "PCT申请数", "PCT applications", "count"),
    Column("blockchain_scenarios", "区块链应用场景数", "Blockchain application scenarios", "count"),
    Column("funding_raised", "融资额（万元）", "Funding raised (10,000 yuan)", "money"),
    Column("valuation", "估值（万元）", "Valuation (10,000 yuan)", "money"),
    Column("tax_paid", "纳税额（万元）", "Tax paid (10,000 yuan)", "money"),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
FIGURE_KEYS = ("year", *FIGURE_FIELDS)
LOCALES = ("zh_CN", "en")
REFERENCE_MODELS: dict[str, type[ReferenceMixin]] = {
    "sub_district": SubDistrict,
    "zone": Zone,
    "track": IndustryTrack,
}
ENUM_KINDS: dict[str, type[StrEnum]] = {
    "tier": Tier,
    "status": EnterpriseStatus,
    "designations": Designation,
}
DESIGNATION_SEPARATORS = re.compile(r"[;；、,，]")
DESIGNATION_JOINERS = {"zh": "、", "en": "; "}
BOOLEAN_WORDS = {"是": True, "yes": True, "true": True, "1": True, "否": False, "no": False}
BOOLEAN_WORDS |= {"false": False, "0": False, "": False}
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
MONEY_LIMIT = Decimal(10) ** 14  # Numeric(16, 2)
PERCENT_LIMIT = Decimal(10) ** 6  # Numeric(8, 2)
COUNT_LIMIT = 2**31 - 1  # a PostgreSQL integer
MONEY_EXAMPLE = _l("Write it in 10,000 yuan (1200 or 1,200.50), or with a unit: 3.5亿元, 800万元.")
PERCENT_EXAMPLE = _l("Write the percent figure: 15.2 or 15.2%.")
COUNT_EXAMPLE = _l("Write a whole number such as 12.")


HEADER_KEYS = {
    word(text): column.key
    for column in COLUMNS
    for text in (column.key, column.header_zh, column.header_en)
}

# Government sheets number their rows; such a column holds nothing to import. Kept apart from
# HEADER_KEYS so the importer can pass over it without calling it an unknown column.
IGNORED_HEADER_WORDS: frozenset[str] = frozenset(
    word(text) for text in ("序号", "编号", "No.", "No", "#", "Number", "Row")
)


def language(locale: str) -> str:
    return "zh" if locale.startswith("zh") else "en"


def enum_words(kind: type[StrEnum]) -> dict[str, str]:
    """Value and both languages' labels of every member, to the member's value."""
    words: dict[str, str] = {}
    for locale in LOCALES:
        with force_locale(locale):
            words |= {word(label(member)): member.value for member in kind}
    return words | {word(member.value): member.value for member in kind}


class CellReader:
    """Turns cells into service values; built per import as names come from the database.

    Pass the importing `actor` so a manager named by person is looked up in their scope."""

    def __init__(self, actor: User | None = None) -> None:
        self.names = {
            key: {
                word(text): row.slug
                for row in all_of(model)
                for text in (row.slug, row.name_zh, row.name_en)
            }
            for key, model in REFERENCE_MODELS.items()
        }
        self.enums = {key: enum_words(kind) for key, kind in ENUM_KINDS.items()}
        self.managers = ManagerNames(actor)

    def read(self, key: str, cell: object) -> Any:
        """The service value of a cell of column `key`; CellError says why there is none."""
        return self.read_noted(key, cell)[0]

    def read_noted(self, key: str, cell: object) -> tuple[Any, str | None]:
        """The value and, when the cell was written otherwise than the value is stored
        (a unit converted, a percent format, a date format, full-width digits, a manager named
        by person), a short note for the preview such as “3.5亿元 → 35,000.00”."""
        column = COLUMN_BY_KEY[key]
        if column.kind == "bool":
            return _boolean(cell), None
        if key == "uscc":
            return credit_code(cell) if filled_cell(cell) else (None, None)
        if column.kind in ("date", "money", "percent", "count"):
            return self._number(column.kind, cell) if filled_cell(cell) else (None, None)
        text = _text(cell)
        if column.kind == "designations":
            parts = (part.strip() for part in DESIGNATION_SEPARATORS.split(text or ""))
            return sorted({self._named("designations", part) for part in parts if part}), None
        if text is None:
            return None, None
        if key == "manager":
            return self.managers.login(_limited(text, column.max_length))
        if column.kind == "text":
            return _limited(unescape_formula(text), column.max_length), None
        return self._named(column.kind, text), None

    def _number(self, kind: str, cell: object) -> tuple[Any, str | None]:
        if isinstance(cell, str) and (problem := text_problem(cell)):
            raise CellError(problem)
        if kind == "date":
            return read_date(cell)
        if kind == "money":
            return money(read_figure(cell, str(MONEY_EXAMPLE)), MONEY_LIMIT)
        if kind == "percent":
            return percent(read_figure(cell, str(PERCENT_EXAMPLE)), PERCENT_LIMIT)
        return count(read_figure(cell, str(COUNT_EXAMPLE)), COUNT_LIMIT)

    def _named(self, kind: str, text: str) -> str:
        vocabulary = self.names[kind] if kind in self.names else self.enums[kind]
        if (value := vocabulary.get(word(text))) is None:
            raise CellError(_("Unknown value “%(value)s”.", value=text))
        return value


def filled_cell(cell: object) -> bool:
    return cell is not None and str(cell).strip() != ""


def _text(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, NumberCell):
        cell = cell.value
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # an XLSX number typed into a text column
    text = str(cell).strip()
    if problem := text_problem(text):  # a NUL (PostgreSQL refuses it) or another control
        raise CellError(problem)
    return text or None


def _limited(text: str, max_length: int | None) -> str:
    if max_length is not None and len(text) > max_length:
        raise CellError(_("At most %(count)d characters.", count=max_length))
    return text


def _boolean(cell: object) -> bool:
    if isinstance(cell, bool):
        return cell
    text = "" if cell is None else word(_text(cell) or "")
    if text not in BOOLEAN_WORDS:
        raise CellError(_("“%(value)s”: write 是 or 否 (yes or no).", value=cell))
    return BOOLEAN_WORDS[text]
