"""Characters no text field may hold: what forms, the API, imports and searches all refuse."""

import re

from flask_babel import gettext as _

# PostgreSQL cannot store NUL in text at all, and the other C0 controls only corrupt exports and
# pages; tab, line feed and carriage return are ordinary in notes and addresses. Lone UTF-16
# surrogates (a JSON "\ud800") cannot be encoded for any database driver.
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# A one-line field (a name, a code) has no use for line breaks either; a browser never sends one.
UNSAFE_IN_ONE_LINE = re.compile("[\x00-\x1f\ud800-\udfff]")


def text_problem(text: str, *, one_line: bool = False) -> str | None:
    """Why `text` cannot be stored, in the user's language; None when it can."""
    found = (UNSAFE_IN_ONE_LINE if one_line else UNSAFE_CHARACTER).search(text)
    if found is None:
        return None
    return _(
        "Remove the invisible character %(code)s at position %(position)d.",
        code=f"U+{ord(found.group()):04X}",
        position=found.start() + 1,
    )


def without_unsafe_characters(text: str) -> str:
    """`text` with every unsafe character dropped: for names kept only to be shown."""
    return UNSAFE_IN_ONE_LINE.sub("", text)
