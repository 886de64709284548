"""Chinese names, and the contacts of a demo firm with phones and reserved e-mail domains."""

from random import Random

from crm.demo.parts import DemoParts
from models import Contact

# The first contact runs the firm; the others are whom a manager calls for a given matter.
HEAD_TITLES = ("总经理", "董事长")
OTHER_TITLES = ("财务总监", "行政经理", "研发总监")
BOARD_SECRETARY = "董事会秘书"  # only a joint-stock company has a board secretary
# ASCII mailbox names: no pinyin needed, and the firm is in the domain anyway.
MAILBOXES = {
    "总经理": "gm",
    "董事长": "chairman",
    "财务总监": "cfo",
    "行政经理": "office",
    "研发总监": "rd",
    BOARD_SECRETARY: "ir",
}
CONTACT_COUNT_WEIGHTS = (0.35, 0.45, 0.20)  # one, two or three contacts
MOBILE_PREFIXES = ("13", "15", "18")


def person_name(rng: Random, parts: DemoParts) -> str:
    return rng.choices(parts.surnames, parts.surname_weights)[0] + rng.choice(parts.given_names)


def draft_contacts(
    rng: Random, parts: DemoParts, ordinal: int, is_joint_stock: bool
) -> list[Contact]:
    count = rng.choices((1, 2, 3), CONTACT_COUNT_WEIGHTS)[0]
    others = (*OTHER_TITLES, BOARD_SECRETARY) if is_joint_stock else OTHER_TITLES
    titles = [rng.choice(HEAD_TITLES), *rng.sample(others, count - 1)]
    names: list[str] = []
    while len(names) < count:
        name = person_name(rng, parts)
        if name not in names:
            names.append(name)
    return [
        Contact(
            name=name,
            title=title,
            phone=_mobile_phone(rng),
            # example.com is reserved (RFC 2606): a demo mail can never reach a real person.
            email=f"{MAILBOXES[title]}@firm{ordinal}.example.com",
        )
        for name, title in zip(names, titles, strict=True)
    ]


def _mobile_phone(rng: Random) -> str:
    prefix = rng.choice(MOBILE_PREFIXES)
    third = rng.choice("012356789" if prefix == "15" else "0123456789")  # no 154 numbers
    return prefix + third + "".join(rng.choice("0123456789") for _ in range(8))
