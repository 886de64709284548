"""The word lists and weights of the demo generator, read from seed_data/demo_*.csv."""

from collections import defaultdict
from dataclasses import dataclass

from crm.reference import read_seed_csv


@dataclass(frozen=True)
class Road:
    name: str
    highest_number: int


@dataclass(frozen=True)
class Industry:
    phrase: str  # 信息科技, 集成电路设计 ...
    since: int  # first year a firm would register it: no 区块链科技 founded in 2003


@dataclass(frozen=True)
class TrackProfile:
    weight: float  # relative share of the reservoir
    rd_share: float  # R&D spend over revenue of a typical firm of the track
    is_frontier: bool  # a new track the action plan favours for promotion
    blockchain_share: float  # of the track's firms, those launching blockchain scenarios


# A track added to industry_tracks.csv after demo_tracks.csv still gets a few plain firms.
DEFAULT_TRACK = TrackProfile(weight=1.0, rd_share=0.05, is_frontier=False, blockchain_share=0.02)


@dataclass(frozen=True)
class DemoParts:
    trade_names: tuple[str, ...]
    trade_first: tuple[str, ...]
    trade_second: tuple[str, ...]
    industries: dict[str, tuple[Industry, ...]]  # track slug -> its phrases
    surnames: tuple[str, ...]
    surname_weights: tuple[float, ...]
    given_names: tuple[str, ...]
    roads: dict[str, tuple[Road, ...]]  # sub-district slug -> its roads
    sub_district_weights: dict[str, float]
    usual_zones: dict[str, str]  # sub-district slug -> zone slug
    tracks: dict[str, TrackProfile]
    notes: tuple[str, ...]

    def track(self, slug: str) -> TrackProfile:
        return self.tracks.get(slug, DEFAULT_TRACK)


def load_demo_parts() -> DemoParts:
    words: dict[str, list[str]] = defaultdict(list)
    industries: dict[str, list[Industry]] = defaultdict(list)
    for row in read_seed_csv("demo_name_parts.csv"):
        if row["part"] == "industry":
            industries[row["track"]].append(Industry(row["text"], int(row["since"])))
        else:
            words[row["part"]].append(row["text"])
    people = read_seed_csv("demo_person_names.csv")
    surnames = [row for row in people if row["part"] == "surname"]
    roads: dict[str, list[Road]] = defaultdict(list)
    for row in read_seed_csv("demo_roads.csv"):
        roads[row["sub_district"]].append(Road(row["road"], int(row["highest_number"])))
    return DemoParts(
        trade_names=tuple(words["trade_name"]),
        trade_first=tuple(words["trade_first"]),
        trade_second=tuple(words["trade_second"]),
        industries={slug: tuple(phrases) for slug, phrases in industries.items()},
        surnames=tuple(row["text"] for row in surnames),
        surname_weights=tuple(float(row["weight"]) for row in surnames),
        given_names=tuple(row["text"] for row in people if row["part"] == "given"),
        roads={slug: tuple(items) for slug, items in roads.items()},
        sub_district_weights={
            row["sub_district"]: float(row["weight"])
            for row in read_seed_csv("demo_sub_districts.csv")
        },
        usual_zones={row["slug"]: row["usual_zone"] for row in read_seed_csv("sub_districts.csv")},
        tracks={
            row["track"]: TrackProfile(
                weight=float(row["weight"]),
                rd_share=float(row["rd_share_pct"]) / 100,
                is_frontier=row["frontier"] == "yes",
                blockchain_share=float(row["blockchain_pct"]) / 100,
            )
            for row in read_seed_csv("demo_tracks.csv")
        },
        notes=tuple(row["text"] for row in read_seed_csv("demo_notes.csv")),
    )
