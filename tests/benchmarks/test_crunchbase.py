import csv
import json
import math
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from benchmarks.bench_external import benchmark_external_command
from benchmarks.crunchbase import (
    ACQUISITIONS_FILE,
    COMPANIES_FILE,
    ENCODING,
    FEATURE_NAMES,
    ROUNDS_FILE,
    CrunchbaseFirm,
    Panel,
    benchmark,
    build_panel,
    in_panel,
    load_crunchbase,
    outcome,
    settled_rate,
)
from scoring.facts import FirmFacts, FundingFact

DATASET = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "crunchbase-2013"
TRAIN_CUTOFF = date(2009, 1, 1)
TEST_CUTOFF = date(2011, 1, 1)
# Every sixth company of the real export, plus two whose rows the tests read back.
SLICE_STEP = 6
NAMED = ("/company/1000memories", "/company/zynga")
METRICS = {"roc_auc", "average_precision", "precision_at_10pct", "lift_at_10pct", "brier"}
TOP_LEVEL = {"n_train", "n_test", "base_rate", "train_cutoff", "test_cutoff", "label"}
COMPANY_COLUMNS = [
    *("permalink", "name", "category_code", "funding_total_usd", "status", "country_code"),
    *("state_code", "region", "city", "funding_rounds", "founded_at", "founded_month"),
    *("founded_quarter", "founded_year", "first_funding_at", "last_funding_at"),
    "last_milestone_at",
]
PLACE = (
    *("company_category_code", "company_country_code", "company_state_code", "company_region"),
    "company_city",
)
ROUND_COLUMNS = [
    *("company_permalink", "company_name", *PLACE, "funding_round_type", "funded_at"),
    *("funded_month", "funded_quarter", "funded_year", "raised_amount_usd"),
]
ACQUISITION_COLUMNS = [
    *("company_permalink", "company_name", *PLACE, "acquirer_permalink", "acquirer_name"),
    *(place.replace("company", "acquirer") for place in PLACE),
    *("acquired_at", "acquired_month", "acquired_quarter", "acquired_year", "price_amount"),
    "price_currency_code",
]


def need_dataset() -> None:
    if not DATASET.is_dir():
        pytest.skip(f"../shared/datasets/crunchbase-2013 is absent (looked in {DATASET})")


def lines_of(path: Path) -> list[str]:
    with path.open(encoding=ENCODING, newline="") as file:  # newline="" keeps the bare CRs
        return file.read().split("\r")


def write_slice(source: Path, target: Path) -> None:
    """The real files cut to a subset of companies, byte format unchanged (Mac Roman, CR)."""
    kept = {
        permalink
        for i, line in enumerate(lines_of(source / COMPANIES_FILE)[1:])
        if (permalink := line.split(",", 1)[0]) in NAMED or i % SLICE_STEP == 0
    }
    for name in (COMPANIES_FILE, ROUNDS_FILE, ACQUISITIONS_FILE):
        header, *rows = lines_of(source / name)
        chosen = [row for row in rows if not row.strip(",") or row.split(",", 1)[0] in kept]
        with (target / name).open("w", encoding=ENCODING, newline="") as file:
            file.write("\r".join([header, *chosen]))


@pytest.fixture(scope="module")
def slice_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_dataset()
    target = tmp_path_factory.mktemp("crunchbase-slice")
    write_slice(DATASET, target)
    return target


@pytest.fixture(scope="module")
def sliced(slice_dir: Path) -> list[CrunchbaseFirm]:
    return load_crunchbase(slice_dir)


def comparable(panel: Panel) -> list[list[object]]:
    """Rows as lists where NaN equals NaN, so two panels compare with ==."""
    return [
        [
            "NaN" if isinstance(value, float) and math.isnan(value) else value
            for value in (*row.values(), *crm_row.values())
        ]
        for row, crm_row in zip(panel.rows, panel.crm_rows, strict=True)
    ]


def rewrite_the_future(firm: CrunchbaseFirm, cutoff: date) -> CrunchbaseFirm:
    """Every round and acquisition from the cutoff on changed, one big round added on it."""
    earlier = [funding for funding in firm.facts.fundings if funding.on < cutoff]
    later = [
        replace(funding, amount=funding.amount * 10 + 1, stage="c")
        for funding in firm.facts.fundings
        if funding.on >= cutoff
    ]
    fundings = [*earlier, FundingFact(cutoff, 50_000_000.0, "b"), *later]
    acquired_on = [day for day in firm.acquired_on if day < cutoff] or [cutoff]
    return replace(firm, facts=replace(firm.facts, fundings=fundings), acquired_on=acquired_on)


def test_the_reader_maps_real_rows_onto_dated_facts(sliced):
    by_permalink = {firm.permalink: firm for firm in sliced}

    memories, zynga = by_permalink["/company/1000memories"], by_permalink["/company/zynga"]

    assert 2900 < len(sliced) < 3000
    assert (memories.status, memories.acquired_on) == ("acquired", [date(2012, 10, 3)])
    assert memories.facts.founded_on == date(2010, 7, 1)
    assert (memories.facts.track, memories.facts.zone) == ("web", "SF Bay")
    assert memories.facts.fundings == [
        FundingFact(date(2010, 1, 1), 15_000.0, "angel"),
        FundingFact(date(2011, 2, 16), 2_520_000.0, "a"),
    ]
    assert zynga.status == "ipo"
    assert zynga.facts.fundings[0] == FundingFact(date(2007, 1, 1), 0.0, "angel")  # undisclosed
    assert [funding.stage for funding in zynga.facts.fundings][-1] == "c"


def test_panels_of_the_full_export_match_the_dataset_readme_reference():
    need_dataset()
    firms = load_crunchbase(DATASET)
    # The README's reference panels: companies, then % bigraise, acquired and any.
    expected = {TRAIN_CUTOFF: (4778, 4.7, 8.5, 13.0), TEST_CUTOFF: (7592, 6.3, 6.9, 13.0)}

    found = {}
    for cutoff in expected:
        panel = [firm for firm in firms if in_panel(firm, cutoff)]
        rates = [
            round(100 * sum(outcome(firm, cutoff, label) for firm in panel) / len(panel), 1)
            for label in ("bigraise", "acquired", "any")
        ]
        found[cutoff] = (len(panel), *rates)

    assert found == expected


def test_events_from_the_cutoff_on_leave_the_panel_features_unchanged(sliced):
    rewritten = [rewrite_the_future(firm, TRAIN_CUTOFF) for firm in sliced]

    before = build_panel(sliced, TRAIN_CUTOFF, "any")
    after = build_panel(rewritten, TRAIN_CUTOFF, "any")

    assert len(before.rows) > 500
    assert after.permalinks == before.permalinks
    assert comparable(after) == comparable(before)
    assert all(after.labels)  # the rewrite did reach the labels...
    assert not all(before.labels)  # ...which it changed


def test_a_round_one_day_before_the_cutoff_does_change_the_features(sliced):
    panel = build_panel(sliced, TRAIN_CUTOFF, "any")
    extra = FundingFact(date(2008, 12, 31), 1_000_000.0, "a")
    changed = [
        replace(firm, facts=replace(firm.facts, fundings=[*firm.facts.fundings, extra]))
        if firm.permalink == panel.permalinks[0]
        else firm
        for firm in sliced
    ]

    again = build_panel(changed, TRAIN_CUTOFF, "any")

    assert comparable(again)[0] != comparable(panel)[0]


def run_cli(directory: Path, train_cutoff: str = "2009-01-01") -> Result:
    arguments = [str(directory), "--train-cutoff", train_cutoff, "--test-cutoff", "2011-01-01"]
    return CliRunner().invoke(benchmark_external_command, arguments)


def test_the_cli_prints_one_json_object_with_every_metric(slice_dir):
    result = run_cli(slice_dir)

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report.keys() >= TOP_LEVEL | {"early_stage", "candidates"}
    assert (report["label"], report["early_stage"]) == ("any", False)
    assert set(report["candidates"]) == {
        "total_raised",
        "index",
        "logistic",
        "hist_gradient_boosting",
    }
    for metrics in report["candidates"].values():
        assert set(metrics) == METRICS
        assert 0.0 <= metrics["roc_auc"] <= 1.0
    assert report["base_rate"] == pytest.approx(report["n_test_positives"] / report["n_test"])


# Below: no dataset needed.

# permalink, name, category_code, status, state_code, region, founded_at; "é" is one byte in
# Mac Roman and not valid UTF-8 on its own: a reader with the wrong encoding fails on it.
COMPANIES = [
    ("/company/alpha", "Café Alpha", "software", "operating", "CA", "SF Bay", "2005-03-01"),
    ("/company/beta", "Beta", "web", "acquired", "NY", "New York", ""),
    ("/company/gamma", "Gamma", "web", "ipo", "CA", "SF Bay", ""),
    ("/company/delta", "Delta", "web", "operating", "CA", "SF Bay", "2009-02-01"),
    ("/company/epsilon", "Epsilon", "web", "operating", "CA", "SF Bay", ""),
    ("/company/zeta", "Zeta", "biotech", "acquired", "MA", "Boston", ""),
    ("/company/eta", "Eta", "", "operating", "TX", "", ""),
    ("/company/theta", "Theta", "web", "operating", "CA", "SF Bay", ""),
]
COMPANY_FIELDS = ("permalink", "name", "category_code", "status", "state_code", "region")
ROUNDS = [
    ("/company/alpha", "angel", "2007-05-01", "500000"),
    ("/company/alpha", "series-a", "2008-06-01", ""),
    ("/company/alpha", "series-b", "2009-01-01", "20000000"),
    ("/company/beta", "angel", "2007-01-01", "100000"),
    ("/company/gamma", "series-a", "2007-01-01", "3000000"),
    ("/company/delta", "angel", "2008-10-01", "100000"),
    ("/company/epsilon", "angel", "2009-03-01", "100000"),
    ("/company/zeta", "venture", "2007-02-01", "8000000"),
    ("/company/zeta", "series-b", "2011-01-01", "25000000"),
    ("/company/eta", "series-b", "2008-04-01", "3000000"),
    ("/company/theta", "post-ipo", "2008-04-01", "3000000"),
]
ROUND_FIELDS = ("company_permalink", "funding_round_type", "funded_at", "raised_amount_usd")
ACQUISITIONS = [("/company/beta", "2008-12-31"), ("/company/zeta", "2010-12-31")]


def write_export(directory: Path) -> None:
    """A tiny export in the real files' format: Mac Roman, CR line ends, empty trailing rows."""
    tables = {
        COMPANIES_FILE: (
            COMPANY_COLUMNS,
            [dict(zip((*COMPANY_FIELDS, "founded_at"), row, strict=True)) for row in COMPANIES],
        ),
        ROUNDS_FILE: (
            ROUND_COLUMNS,
            [dict(zip(ROUND_FIELDS, row, strict=True)) for row in ROUNDS],
        ),
        ACQUISITIONS_FILE: (
            ACQUISITION_COLUMNS,
            [
                *({"company_permalink": p, "acquired_at": d} for p, d in ACQUISITIONS),
                {},
                {},
            ],
        ),
    }
    for name, (columns, rows) in tables.items():
        with (directory / name).open("w", encoding=ENCODING, newline="") as file:
            writer = csv.DictWriter(file, columns, restval="", lineterminator="\r")
            writer.writeheader()
            writer.writerows(rows)


@pytest.fixture
def tiny(tmp_path: Path) -> list[CrunchbaseFirm]:
    write_export(tmp_path)
    return load_crunchbase(tmp_path)


def test_a_tiny_export_reads_into_facts_with_stages_zones_and_undisclosed_amounts(tiny):
    alpha, eta = tiny[0], tiny[6]

    assert [firm.permalink for firm in tiny] == [row[0] for row in COMPANIES]
    assert alpha.facts.founded_on == date(2005, 3, 1)
    assert alpha.facts.fundings == [
        FundingFact(date(2007, 5, 1), 500_000.0, "angel"),
        FundingFact(date(2008, 6, 1), 0.0, "a"),
        FundingFact(date(2009, 1, 1), 20_000_000.0, "b"),
    ]
    assert (alpha.facts.track, alpha.facts.zone) == ("software", "SF Bay")
    assert (eta.facts.track, eta.facts.zone) == ("unknown", "TX")  # no region: the state
    assert [firm.acquired_on for firm in tiny if firm.acquired_on] == [
        [date(2008, 12, 31)],
        [date(2010, 12, 31)],
    ]


def test_the_panel_keeps_only_funded_firms_not_yet_acquired_public_or_unfounded(tiny):
    panel = build_panel(tiny, TRAIN_CUTOFF, "any")

    assert panel.permalinks == ["/company/alpha", "/company/zeta", "/company/eta"]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        # alpha: US$20M exactly, on the cutoff day; zeta: acquired the window's last day, and
        # its US$25M round falls on the first day after the window.
        ("bigraise", [True, False, False]),
        ("acquired", [False, True, False]),
        ("any", [True, True, False]),
    ],
)
def test_labels_count_events_in_the_two_years_from_the_cutoff(tiny, label, expected):
    panel = build_panel(tiny, TRAIN_CUTOFF, label)

    assert panel.labels == expected


def test_the_settled_rate_pools_the_panels_of_every_cutoff(tiny):
    cutoffs = [TRAIN_CUTOFF, date(2010, 1, 1)]
    panels = [build_panel(tiny, cutoff, "bigraise") for cutoff in cutoffs]

    rate = settled_rate(tiny, cutoffs, "bigraise")

    # alpha's US$20M round in 2009's panel of 3, zeta's US$25M one in 2010's panel of 5.
    assert [sum(panel.labels) for panel in panels] == [1, 1]
    assert [len(panel.labels) for panel in panels] == [3, 5]
    assert rate == 2 / 8


def test_the_early_stage_panel_drops_firms_past_series_a_or_over_five_million(tiny):
    panel = build_panel(tiny, TRAIN_CUTOFF, "any", early_stage=True)

    assert panel.permalinks == ["/company/alpha"]


def test_features_see_only_rounds_before_the_cutoff(tiny):
    row = build_panel(tiny, TRAIN_CUTOFF, "any").rows[0]

    assert set(row) == set(FEATURE_NAMES)
    assert row["round_count"] == 2.0
    assert row["undisclosed_round_count"] == 1.0
    assert row["total_raised_log"] == pytest.approx(math.log1p(500_000))
    assert row["last_round_type"] == "a"
    assert row["funding_stage"] == 4.0  # "a" in features.FUNDING_STAGES


def test_a_training_window_that_overlaps_the_test_period_is_refused():
    with pytest.raises(ValueError, match="overlap"):
        benchmark([], date(2009, 1, 2), TEST_CUTOFF)


def test_a_test_window_running_past_the_export_is_refused():
    with pytest.raises(ValueError, match="unobserved"):
        benchmark([], TRAIN_CUTOFF, date(2012, 1, 1))


@pytest.mark.parametrize(
    ("cutoff", "message"),
    [("2009-13-01", "does not match the format"), ("2010-01-01", "overlap")],
)
def test_the_cli_refuses_a_bad_or_overlapping_train_cutoff_without_a_traceback(
    tmp_path, cutoff, message
):
    write_export(tmp_path)

    result = run_cli(tmp_path, cutoff)

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_cli_refuses_a_directory_without_the_export(tmp_path):
    result = run_cli(tmp_path)

    assert result.exit_code == 2
    assert "lacks crunchbase-companies.csv" in result.output


STAGES = ("angel", "a", "venture", "other")


def synthetic_firm(firm_id: int, rng: random.Random) -> CrunchbaseFirm:
    """A firm whose hidden quality drives both its early rounds and a later big raise."""
    quality = rng.gauss(0, 1)
    fundings = [
        FundingFact(date(year, rng.randint(1, 12), 1), math.exp(14 + quality), rng.choice(STAGES))
        for year in range(2005, 2013)
        if rng.random() < 0.5 + 0.15 * quality
    ]
    if rng.random() < 1 / (1 + math.exp(2.5 - 1.5 * quality)):
        fundings.append(FundingFact(date(rng.randint(2005, 2012), 6, 1), 30_000_000.0, "b"))
    facts = FirmFacts(firm_id, date(2004, 1, 1), rng.choice("xy"), "z", fundings=fundings)
    return CrunchbaseFirm(f"/company/{firm_id}", "operating", facts)


def test_the_benchmark_reports_every_candidate_on_synthetic_firms():
    rng = random.Random(7)  # noqa: S311 - reproducible test data, not a secret
    firms = [synthetic_firm(i, rng) for i in range(700)]

    report = benchmark(firms, TRAIN_CUTOFF, TEST_CUTOFF, "bigraise")

    assert report.keys() >= TOP_LEVEL
    assert report["skipped"] == {}
    assert report["candidates"]["logistic"]["roc_auc"] > 0.65
    assert report["candidates"]["total_raised"]["roc_auc"] > 0.6
    for metrics in report["candidates"].values():
        assert set(metrics) == METRICS
    # Calibrated to the pooled rate of the train cutoff's panel and the two yearly ones before.
    assert report["base_rate_cutoffs"] == ["2007-01-01", "2008-01-01", "2009-01-01"]
    panels = [build_panel(firms, date(year, 1, 1), "bigraise") for year in (2007, 2008, 2009)]
    labels = [label for panel in panels for label in panel.labels]
    assert report["calibration_base_rate"] == pytest.approx(sum(labels) / len(labels))
