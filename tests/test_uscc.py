import random

import pytest

from crm.enterprises.uscc import (
    USCC_ALPHABET,
    build_uscc,
    is_valid_uscc,
    normalise_uscc,
    uscc_check_character,
    uscc_problem,
)

# Codes published by real firms (Beijing, Shenzhen, Fuzhou): the standard's check must accept them.
REAL_CODES = (
    "91110108551385082Q",
    "91440300708461136T",
    "9144030071526726XG",
    "91350100M000100Y43",
)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_of_registered_firms_are_valid(code):
    problem = uscc_problem(code)

    assert problem is None
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", ["91110108551385082", "91110108551385082QQ", ""])
def test_a_code_without_exactly_18_characters_is_refused_for_its_length(code):
    problem = uscc_problem(code)

    assert problem == "length"


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_the_letters_the_standard_forbids_are_refused(letter):
    code = "91110108551385082Q"[:10] + letter + "91110108551385082Q"[11:]

    problem = uscc_problem(code)

    assert problem == "characters"


def test_a_changed_check_character_is_refused():
    valid = "91110108551385082Q"
    changed = valid[:17] + next(c for c in USCC_ALPHABET if c != valid[17])

    problem = uscc_problem(changed)

    assert problem == "check"


def test_a_typo_in_the_body_is_caught_by_the_check_character():
    typo = "91110108551385083Q"  # the 17th character 2 became 3

    problem = uscc_problem(typo)

    assert problem == "check"


@pytest.mark.parametrize(
    "typed",
    [
        " 9111 0108 5513 8508 2q ",  # lowercase and spaces
        "\ufeff９１１１ 0108\u3000551385082ｑ\u200b\t",  # full width and every kind of space
    ],
)
def test_case_full_width_characters_and_spaces_are_folded_away_before_the_check(typed):
    normalised = normalise_uscc(typed)

    assert normalised == "91110108551385082Q"
    assert is_valid_uscc(normalised)


def test_the_check_character_of_a_real_code_is_recomputed():
    check = uscc_check_character("91440300708461136")

    assert check == "T"


def test_build_uscc_produces_valid_codes_for_many_random_bodies():
    generator = random.Random(0)  # noqa: S311 -- a fixed seed makes the run repeatable; no secret
    codes = []

    for _ in range(2000):
        registration_type = generator.choice("123456789ANY") + generator.choice("123459")
        region = "".join(generator.choices("0123456789", k=6))
        body = "".join(generator.choices(USCC_ALPHABET, k=8))
        codes.append(build_uscc(registration_type, region, body))

    invalid = [code for code in codes if not is_valid_uscc(code)]
    assert invalid == []
    assert len(set(codes)) > 1900


def test_build_uscc_keeps_its_parts_in_place():
    code = build_uscc("91", "310106", "MA1FL8XE")

    assert code.startswith("91310106MA1FL8XE")
    assert len(code) == 18


def test_normalising_a_normalised_code_changes_nothing():
    code = "91110108551385082Q"

    assert normalise_uscc(normalise_uscc(code)) == code
