"""`flask --app app crm train|score|publish|roll-back`: the model's life cycle from a shell."""

from typing import Any

import click

from crm.clock import today, utcnow
from crm.errors import DomainError
from crm.pipeline.jobs import train_version
from crm.pipeline.rescoring import rescore
from crm.pipeline.versions import get_version, publish, roll_back, start_training
from models import INDEX_KIND, ModelVersion, db


def train_and_report(publish_if_better: bool) -> ModelVersion:
    version = start_training(None, utcnow())
    db.session.commit()
    try:
        train_version(version.id, today())
    except Exception as error:  # the run is stored as failed with its error; say so, no traceback
        raise click.ClickException(f"Training of {version.label} failed: {error}") from error
    card = version.card
    click.echo(
        f"{version.label}: {card['train_rows']} fitting rows "
        f"({card['train_positives']} positive) at {', '.join(card['train_cutoffs'])}; "
        f"chosen and calibrated at {card.get('validation_cutoff')}; "
        f"tested on {card['test_rows']} rows ({card['test_positives']} positive) "
        f"at {card['test_cutoff']}."
    )
    for name, metrics in version.report["candidates"].items():
        click.echo(
            f"  {name:<24} AUC {metrics['roc_auc']:.3f}  AP {metrics['average_precision']:.3f}"
            f"  P@10% {metrics['precision_at_top_10_percent']:.3f}"
            f"  Brier {metrics['brier_score']:.3f}"
        )
    for row in card.get("gate", []):
        click.echo(f"  Gain of {version.kind} over the index at {row['cutoff']}: " + _gains(row))
    for row in card.get("calibration", []):
        click.echo(
            f"  Calibration at {row['cutoff']}: mean predicted {row['mean_predicted']:.3f}, "
            f"observed {row['observed_rate']:.3f}, Brier {row['brier_score']:.4f} "
            f"(base rate {row['base_rate_brier_score']:.4f})"
        )
    if card.get("base_rate"):
        click.echo(
            f"  Probabilities carry a base rate of {card['base_rate']:.3f}, pooled at "
            f"{', '.join(card['base_rate_cutoffs'])}."
        )
    click.echo(f"Choice: {card['choice']} ({version.choice_reason}).")
    if publish_if_better and (version.kind == INDEX_KIND or version.beats_index):
        publish(None, version, utcnow())
        db.session.commit()
        click.echo(f"Published {version.label}.")
    return version


def _gains(row: dict[str, Any]) -> str:
    return ", ".join(
        f"{name.replace('_', ' ')} {gain['estimate']:+.3f} "
        f"[{gain['low']:+.3f}, {gain['high']:+.3f}]"
        for name in ("average_precision", "roc_auc")
        if (gain := row[name])
    )


@click.command("train")
@click.option(
    "--publish/--no-publish",
    "publish_if_better",
    default=False,
    help="Publish the new version if it beats the rule-based index out of time.",
)
def train_command(publish_if_better: bool) -> None:
    """Backtest every candidate, save the best learned one as a new model version."""
    train_and_report(publish_if_better)


@click.command("score")
def score_command() -> None:
    """Rescore every active firm with the live version (or the index) and keep the history."""
    try:
        run = rescore(today(), utcnow())
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Scored {run.firms} firms with {run.scorer} (run {run.id}).")


@click.command("publish")
@click.argument("version_id", type=int)
def publish_command(version_id: int) -> None:
    """Make a model version live; refused if it lost to the rule-based index."""
    try:
        version = get_version(version_id)
        publish(None, version, utcnow())
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Published {version.label}.")


@click.command("roll-back")
def roll_back_command() -> None:
    """Withdraw the live version: the one published before it, or the index, takes over."""
    try:
        live = roll_back(None)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Live now: {live.label if live else 'the rule-based index'}.")
