"""`python -m benchmarks.bench_external DIR ...` (`make bench-external`): the scoring candidates
tested on Crunchbase's 2013 export, printed as one JSON object."""

import json
from datetime import date, datetime
from pathlib import Path

import click

from benchmarks.crunchbase import EXPORT_FILES, LABELS, Label, benchmark, load_crunchbase

DATE_FORMAT = "%Y-%m-%d"


@click.command("benchmark-external")
@click.argument(
    "directory",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, readable=True, path_type=Path),
)
@click.option(
    "--train-cutoff",
    type=click.DateTime([DATE_FORMAT]),
    required=True,
    help="YYYY-MM-DD; its 2-year label window must end by the test cutoff.",
)
@click.option("--test-cutoff", type=click.DateTime([DATE_FORMAT]), required=True, help="YYYY-MM-DD")
@click.option("--label", type=click.Choice(LABELS), default="any", show_default=True)
@click.option("--early-stage", is_flag=True, help="Only firms under US$5M and at most series A.")
def benchmark_external_command(
    directory: Path, train_cutoff: datetime, test_cutoff: datetime, label: Label, early_stage: bool
) -> None:
    """Train on DIR's panel at the train cutoff; print test-panel metrics as JSON."""
    missing = [name for name in EXPORT_FILES if not (directory / name).is_file()]
    if missing:
        raise click.BadParameter(f"{directory} lacks {', '.join(missing)}", param_hint="'DIR'")
    try:
        firms = load_crunchbase(directory)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'DIR'") from error
    try:
        result = benchmark(firms, _day(train_cutoff), _day(test_cutoff), label, early_stage)
    except ValueError as error:  # overlapping windows, or a test panel with one outcome only
        raise click.UsageError(str(error)) from error
    click.echo(json.dumps(result, indent=2))


def _day(moment: datetime) -> date:
    return moment.date()


if __name__ == "__main__":
    benchmark_external_command()
