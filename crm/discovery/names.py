"""Duplicates of a candidate: reservoir firms and live candidates with its credit code or name.

Names are compared by a key: full-width characters folded, spaces and brackets dropped, the
city (上海, 上海市, （上海）) and the company form (有限公司, 股份有限公司, 有限责任公司) cut. The
reservoir has no key column, so a firm is found by an indexed IN over the spellings a key is
registered under (上海X有限公司, X（上海）有限公司, ...): no firm is read that does not match.

Duplicates are sought across the whole reservoir and every candidate, whoever asks: a firm
taken in twice by two sub-districts is the thing to catch. What is shown is scoped: a match the
user may not read says only that a firm (or candidate) outside their sub-district matches.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy import select

from crm.access import enterprise_scope
from crm.discovery.scope import candidate_scope
from crm.enterprises.uscc import normalise_uscc
from models import DiscoveryCandidate, Enterprise, Role, User, db

V = TypeVar("V", str, int)

CITY_WORDS = ("上海市", "上海")
FORM_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
BRACKETS = str.maketrans("", "", "()（）[]【】")
LOOKUP_CHUNK = 500  # values per IN (...), well below every driver's parameter limit


def name_key(name: str) -> str:
    folded = "".join(unicodedata.normalize("NFKC", name).split())
    for suffix in FORM_SUFFIXES:
        if folded.endswith(suffix):
            folded = folded.removesuffix(suffix)
            break
    for city in CITY_WORDS:
        folded = folded.replace(f"({city})", "")
    for city in CITY_WORDS:
        if folded.startswith(city):
            folded = folded.removeprefix(city)
            break
    return folded.translate(BRACKETS)


def spellings(key: str) -> list[str]:
    """The registered names a key stands for, as firms are usually written."""
    if not key:
        return []
    middles = (key, f"{key}(上海)", f"{key}（上海）")
    return [
        prefix + middle + suffix
        for prefix in ("", "上海", "上海市")
        for middle in middles
        if not (prefix and middle != key)
        for suffix in ("", *FORM_SUFFIXES)
    ]


@dataclass(frozen=True)
class Match:
    kind: str  # "enterprise" or "candidate"
    record_id: int
    name: str
    uscc: str | None
    by_code: bool  # else by name
    # Outside the reader's scope: shown as "a firm outside your sub-district", no name or link.
    is_hidden: bool = False

    @property
    def is_firm(self) -> bool:
        return self.kind == "enterprise"


def readable_matches(user: User, matches: Iterable[Match]) -> set[tuple[str, int]]:
    """The (kind, id) of the matches `user` may read: an IN per 500 firms and per 500 candidates,
    none for leaders and administrators."""
    listed = list(matches)
    if user.role in {Role.ADMIN, Role.LEADER}:
        return {(match.kind, match.record_id) for match in listed}
    firm_ids = sorted({match.record_id for match in listed if match.is_firm})
    candidate_ids = sorted({match.record_id for match in listed if not match.is_firm})
    readable: set[tuple[str, int]] = set()
    for part in _chunks(firm_ids):
        query = select(Enterprise.id).where(Enterprise.id.in_(part), enterprise_scope(user))
        readable |= {("enterprise", firm_id) for firm_id in db.session.scalars(query)}
    for part in _chunks(candidate_ids):
        query = select(DiscoveryCandidate.id).where(
            DiscoveryCandidate.id.in_(part), candidate_scope(user)
        )
        readable |= {("candidate", candidate_id) for candidate_id in db.session.scalars(query)}
    return readable


def visible_duplicates(user: User, matches: list[Match]) -> list[Match]:
    """`matches` as `user` may see them: those outside the user's scope keep only their kind
    and whether the code or the name matched."""
    readable = readable_matches(user, matches)
    return [
        match
        if (match.kind, match.record_id) in readable
        else replace(match, record_id=0, name="", uscc=None, is_hidden=True)
        for match in matches
    ]


def find_duplicates(
    name: str, uscc: str | None, own_candidate_id: int | None = None
) -> list[Match]:
    """Live firms and other live candidates sharing the code or the name key; code matches first."""
    code = normalise_uscc(uscc) if uscc else None
    found = duplicates_of_many([(name, code)], exclude_candidate_ids={own_candidate_id or 0})
    return found.get(0, [])


def duplicates_of_candidate(candidate: DiscoveryCandidate) -> list[Match]:
    """A candidate's duplicates, leaving out itself and the firm it became."""
    return [
        match
        for match in find_duplicates(candidate.name, candidate.uscc, candidate.id)
        if not (match.is_firm and match.record_id == candidate.admitted_enterprise_id)
    ]


def duplicates_of_many(
    rows: Iterable[tuple[str, str | None]], exclude_candidate_ids: set[int] | None = None
) -> dict[int, list[Match]]:
    """For each (name, normalised code) by its position: its matches, in a few queries."""
    listed = list(rows)
    keys = [name_key(name) for name, _code in listed]
    codes = {code for _name, code in listed if code}
    by_spelling: dict[str, str] = {}
    for key in keys:
        for spelling in spellings(key):
            by_spelling.setdefault(spelling, key)
    firms: list[Enterprise] = []
    for part in _chunks(sorted(codes)):
        firms += db.session.scalars(
            select(Enterprise).where(Enterprise.uscc.in_(part), Enterprise.deleted_at.is_(None))
        )
    for part in _chunks(sorted(by_spelling)):
        firms += db.session.scalars(
            select(Enterprise).where(Enterprise.name.in_(part), Enterprise.deleted_at.is_(None))
        )
    candidates: list[DiscoveryCandidate] = []
    excluded = exclude_candidate_ids or set()
    live = (DiscoveryCandidate.deleted_at.is_(None), DiscoveryCandidate.id.not_in(excluded))
    for part in _chunks(sorted(codes)):
        candidates += db.session.scalars(
            select(DiscoveryCandidate).where(DiscoveryCandidate.uscc.in_(part), *live)
        )
    for part in _chunks(sorted(set(keys))):
        candidates += db.session.scalars(
            select(DiscoveryCandidate).where(DiscoveryCandidate.name_key.in_(part), *live)
        )
    return {
        position: _matches(key, code, firms, candidates)
        for position, (key, (_name, code)) in enumerate(zip(keys, listed, strict=True))
    }


def _matches(
    key: str,
    code: str | None,
    firms: list[Enterprise],
    candidates: list[DiscoveryCandidate],
) -> list[Match]:
    found: dict[tuple[str, int], Match] = {}
    for firm in firms:
        by_code = code is not None and firm.uscc == code
        if by_code or (key and name_key(firm.name) == key):
            found.setdefault(
                ("enterprise", firm.id), Match("enterprise", firm.id, firm.name, firm.uscc, by_code)
            )
    for candidate in candidates:
        by_code = code is not None and candidate.uscc == code
        if by_code or (key and candidate.name_key == key):
            found.setdefault(
                ("candidate", candidate.id),
                Match("candidate", candidate.id, candidate.name, candidate.uscc, by_code),
            )
    return sorted(
        found.values(), key=lambda match: (not match.by_code, not match.is_firm, match.record_id)
    )


def firm_with_code(uscc: str | None) -> Enterprise | None:
    """The live reservoir firm holding this code, if any."""
    if not uscc:
        return None
    query = select(Enterprise).where(
        Enterprise.uscc == normalise_uscc(uscc), Enterprise.deleted_at.is_(None)
    )
    return db.session.scalar(query)


def _chunks(values: list[V], size: int = LOOKUP_CHUNK) -> Iterable[list[V]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
