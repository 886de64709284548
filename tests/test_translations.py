"""Every user-visible string has a Simplified Chinese translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "crm" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _source_messages() -> set[str]:
    with (ROOT / "crm" / "translations" / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for folder in ("crm", "templates"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / folder), method_map, options_map, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_in_the_code_has_a_chinese_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]  # plurals: the singular
        for message in catalogue
        if message.id and message.string and all(message.string) and not message.fuzzy
    }

    missing = sorted(_source_messages() - translated)

    assert missing == [], f"{len(missing)} strings lack a translation; run make translations-update"


def test_pages_are_served_in_chinese_or_english_as_chosen(client):
    client.post("/language/zh_CN")
    chinese = client.get("/login").text
    client.post("/language/en")
    english = client.get("/login").text

    assert "登录" in chinese
    assert "Log in" in english
    assert "登录" not in english
