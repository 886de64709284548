"""Model versions: train one, publish, roll back."""

import re
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.audit import record_change
from crm.clock import utcnow
from crm.errors import ConflictError, ForbiddenError, NotFoundError
from crm.pipeline.batch import collector_paused
from crm.pipeline.firm_facts import firm_facts
from crm.pipeline.reasons import scorer_label
from crm.processes import ProcessIdentity, is_running, this_process
from models import INDEX_KIND, ModelVersion, Role, TrainingState, User, db
from models.scoring import ModelFolder

# scikit-learn takes seconds to import: every web worker, command and scheduler process would pay
# for it at start. The functions that train, save or load a model import it when they run.
if TYPE_CHECKING:
    from scoring.store import ModelCard
    from scoring.training import TrainingOutcome

# Past the longest plausible run a training is taken for stopped, even where its process cannot be
# asked (another host) or still lives (a hung thread).
ABANDONED_AFTER = timedelta(hours=2)


def model_folder() -> Path:
    """The root of every database's model files; a version's `artifact` is a path under it."""
    return Path(
        current_app.config.get("MODEL_FOLDER") or Path(current_app.instance_path) / "models"
    )


def database_folder(now: datetime) -> str:
    """This database's folder under model_folder(), named on its first training."""
    folder = db.session.get(ModelFolder, 1)
    if folder is None:
        # The database's name, for an operator reading the folder, and a random part, for two
        # databases of one name (say, two checkouts' crm.sqlite3) sharing a MODEL_FOLDER.
        stem = Path(db.engine.url.database or "crm").stem
        name = f"{re.sub(r'[^A-Za-z0-9_-]+', '-', stem)[:40]}-{secrets.token_hex(4)}"
        folder = ModelFolder(id=1, name=name, created_at=now)
        db.session.add(folder)
        db.session.flush()
    return folder.name


def can_manage_models(user: User) -> bool:
    return user.role == Role.ADMIN


def live_version() -> ModelVersion | None:
    """The version scoring uses: the one published last and not rolled back. None: the index."""
    return db.session.scalar(
        select(ModelVersion)
        .where(ModelVersion.published_at.is_not(None))
        .order_by(ModelVersion.published_at.desc(), ModelVersion.id.desc())
        .limit(1)
    )


def latest_version() -> ModelVersion | None:
    return db.session.scalar(select(ModelVersion).order_by(ModelVersion.id.desc()).limit(1))


def get_version(version_id: int) -> ModelVersion:
    version = db.session.get(ModelVersion, version_id)
    if version is None:
        raise NotFoundError(_("No such model version."))
    return version


def load_live_model(version: ModelVersion | None) -> Any | None:
    """The fitted pipeline of a learned version; None for the index.

    A missing file or one built by another scikit-learn is refused with a message to retrain,
    never a stack trace: an upgrade must not break the nightly scoring silently.
    """
    if version is None or version.kind == INDEX_KIND or version.artifact is None:
        return None
    from scoring.store import IncompatibleModelError, load_model

    try:
        model, _card = load_model(model_folder() / version.artifact)
    except (OSError, IncompatibleModelError, ValueError) as error:
        current_app.logger.warning("model %s cannot be loaded: %s", version.label, error)
        raise ConflictError(
            _(
                "The file of %(label)s is missing or was built by another scikit-learn; "
                "train a new version or roll back.",
                label=scorer_label(version.label),
            )
        ) from error
    return model


def start_training(actor: User | None, now: datetime, *, queued: bool = False) -> ModelVersion:
    """A RUNNING version, trained by this process or, `queued`, by the scheduler once it claims
    it (its `process` stays empty until then). Queued or training, one at a time."""
    if actor is not None and not can_manage_models(actor):
        raise ForbiddenError(_("Only an administrator can train models."))
    for running in db.session.scalars(
        select(ModelVersion).where(ModelVersion.state == TrainingState.RUNNING)
    ):
        # A process killed mid-run (a worker restarted, SIGKILL) leaves its version RUNNING:
        # once that process is gone the version is interrupted and no longer blocks this one.
        identity = ProcessIdentity.parse(running.process)
        gone = identity is not None and is_running(identity) is False
        if gone or now - running.started_at > ABANDONED_AFTER:
            running.state, running.finished_at = TrainingState.INTERRUPTED, now
            continue
        raise ConflictError(_("Version %(id)s is still training.", id=running.id))
    version = ModelVersion(
        state=TrainingState.RUNNING,
        step="queued" if queued else "facts",
        started_at=now,
        trained_by=actor,
        process=None if queued else str(this_process()),
    )
    try:
        with db.session.begin_nested():  # only this insert is undone on a clash
            db.session.add(version)
    except IntegrityError as error:  # another admin started one a moment ago
        raise ConflictError(_("Another training is running.")) from error
    record_change(actor, "train", "model_version", version.id)
    return version


def run_training(
    version_id: int, as_of: date, save_progress: Callable[[], None] = db.session.flush
) -> ModelVersion:
    """Train into an existing RUNNING version. `save_progress` runs after each step: a job
    passes its commit, so that the admin page, another transaction, sees the progress."""
    version = get_version(version_id)

    def progress(step: str, percent: int) -> None:
        version.step, version.progress = step, percent
        save_progress()

    from scoring.training import train

    progress("facts", 5)
    with collector_paused():
        outcome = train(firm_facts(), as_of, progress=progress)
    _store(version, outcome)
    return version


def fail_training(version_id: int, error: Exception, now: datetime) -> None:
    """Record why a run stopped, in the transaction after the one its failure rolled back."""
    version = get_version(version_id)
    version.state, version.error = TrainingState.FAILED, f"{type(error).__name__}: {error}"
    version.finished_at = now


def _store(version: ModelVersion, outcome: "TrainingOutcome") -> None:
    from scoring.store import ModelCard

    trained_at = utcnow()
    card = outcome.card(trained_at.isoformat(timespec="seconds"))
    if outcome.model is not None:
        file_card = ModelCard(
            kind=outcome.kind,
            sklearn_version=card["sklearn_version"],
            feature_names=card["features"],
            train_cutoffs=card["train_cutoffs"],
            test_cutoff=card["test_cutoff"],
            horizon_years=card["horizon_years"],
            rows=card["train_rows"],
            positives=card["train_positives"],
            metrics=card["metrics"],
            trained_at=card["trained_at"],
        )
        save_artifact(version, outcome.model, file_card, trained_at)
    version.kind = outcome.kind
    version.beats_index = outcome.beats_index
    version.choice_reason = outcome.choice.reason
    version.card = card
    version.report = {
        "candidates": outcome.backtest_table(),
        **outcome.details(),
        "importance": outcome.importance,
        "feedback_bias": outcome.feedback_bias,
    }
    version.state, version.step, version.progress = TrainingState.READY, "done", 100
    version.finished_at = trained_at


def save_artifact(version: ModelVersion, model: Any, card: "ModelCard", now: datetime) -> None:
    """Write the version's file in this database's folder, never over another's."""
    from scoring.store import save_model

    folder = database_folder(now)
    path = save_model(model, card, model_folder() / folder, version=version.id)
    version.artifact = f"{folder}/{path.name}"


def publish(actor: User | None, version: ModelVersion, now: datetime) -> None:
    """Make `version` the live scorer; refused unless it is ready and beat the index."""
    if actor is not None and not can_manage_models(actor):
        raise ForbiddenError(_("Only an administrator can publish models."))
    if version.state != TrainingState.READY:
        raise ConflictError(_("Only a finished training run can be published."))
    if version.kind != INDEX_KIND and not version.beats_index:
        raise ConflictError(
            _(
                "%(label)s did not pass the publish gate: its gain over the rule-based index out "
                "of time is not clear of noise, so the index stays live.",
                label=scorer_label(version.label),
            )
        )
    if live_version() == version:
        raise ConflictError(_("%(label)s is already live.", label=scorer_label(version.label)))
    load_live_model(version)  # refuse a version whose file cannot be scored with
    version.published_at, version.published_by = now, actor
    record_change(
        actor, "publish", "model_version", version.id, {"published_at": [None, now.isoformat()]}
    )


def roll_back(actor: User | None, seen_live_id: int | None = None) -> ModelVersion | None:
    """Withdraw the live version; the one published before it (or the index) takes over.

    `seen_live_id` is the version the admin saw live: if another admin published meanwhile,
    the roll-back is refused rather than withdrawing a version nobody looked at.
    """
    if actor is not None and not can_manage_models(actor):
        raise ForbiddenError(_("Only an administrator can roll back models."))
    current = live_version()
    if current is None:
        raise ConflictError(_("The rule-based index is live: there is nothing to roll back."))
    if seen_live_id is not None and current.id != seen_live_id:
        raise ConflictError(
            _(
                "%(label)s was published meanwhile; look again before rolling back.",
                label=scorer_label(current.label),
            )
        )
    record_change(
        actor,
        "roll_back",
        "model_version",
        current.id,
        {
            "published_at": [
                current.published_at.isoformat() if current.published_at else None,
                None,
            ]
        },
    )
    current.published_at = None
    return live_version()


def card_summary(version: ModelVersion) -> dict[str, Any]:
    """What the API says of a version."""
    return {
        "id": version.id,
        "label": version.label,
        "kind": version.kind,
        "state": version.state.value,
        "beats_index": version.beats_index,
        "choice_reason": version.choice_reason,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "card": version.card,
    }
