"""The unified social credit code (USCC) of GB 32100-2015 and its check character."""

import unicodedata

# The 31 characters a USCC may use: digits and capitals without I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Position weights are 3**i mod 31, as the standard tabulates them.
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18
# Pasted from web pages and chat apps: spaces no one sees, which no code holds.
INVISIBLE_CHARACTERS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# The organisation code inside a USCC (positions 9-17) carries its own GB 11714 check.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def uscc_check_character(first_17: str) -> str:
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first_17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(code: str) -> str:
    """The code as stored: full-width characters folded (NFKC), every space dropped, even inside
    (a pasted "9111 0108 ..."), capital letters."""
    folded = unicodedata.normalize("NFKC", code).translate(INVISIBLE_CHARACTERS)
    return "".join(folded.split()).upper()


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid USCC, in English for logs and tests; None when it is valid."""
    if len(code) != USCC_LENGTH:
        return "length"
    if any(char not in USCC_ALPHABET for char in code):
        return "characters"
    if uscc_check_character(code[:17]) != code[17]:
        return "check"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


def org_code_check_character(first_8: str) -> str:
    total = sum(
        ORG_CODE_ALPHABET.index(char) * w for char, w in zip(first_8, ORG_CODE_WEIGHTS, strict=True)
    )
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def build_uscc(registration_type: str, region_code: str, org_code_body: str) -> str:
    """A valid USCC: 2 type characters, 6-digit region, 8-character organisation code body."""
    org_code = org_code_body + org_code_check_character(org_code_body)
    first_17 = registration_type + region_code + org_code
    return first_17 + uscc_check_character(first_17)
