"""Translated names of the kinds of import issue."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from crm.labels import register
from models import ImportIssueKind

LABELS: dict[StrEnum, object] = register(
    {
        ImportIssueKind.INVALID_USCC: _l("Invalid credit code"),
        ImportIssueKind.DUPLICATE_USCC: _l("Code on several conflicting rows"),
    }
)
