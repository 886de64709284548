"""Training from the model page: queued there, claimed and run by the scheduler process."""

from crm.pipeline import versions
from crm.pipeline.jobs import claim_queued_training, run_queued_training
from crm.processes import this_process
from models import ModelVersion, TrainingState, db
from tests.helpers import PIPELINE_AS_OF as AS_OF
from tests.helpers import PIPELINE_NOW as NOW
from tests.helpers import log_in


def test_the_train_button_queues_a_training_for_the_scheduler(client, admin):
    log_in(client, admin)

    answer = client.post("/pipeline/models/train")
    page = client.get(answer.headers["Location"])

    queued = db.session.scalars(db.select(ModelVersion)).one()
    assert (queued.state, queued.step, queued.process) == (TrainingState.RUNNING, "queued", None)
    assert queued.trained_by == admin
    assert 'data-testid="training-queued"' in page.text


def test_a_queued_training_is_named_without_a_kind_until_one_is_chosen(client, admin):
    log_in(client, admin)

    page = client.post("/pipeline/models/train", follow_redirects=True)

    queued = db.session.scalars(db.select(ModelVersion)).one()
    assert queued.label == f"v{queued.id}"
    assert f"Training v{queued.id}<" in page.text  # not "v1 rule-based index": nothing is chosen


def test_a_queued_training_blocks_a_second_one(client, admin):
    log_in(client, admin)
    client.post("/pipeline/models/train")

    page = client.post("/pipeline/models/train", follow_redirects=True)

    assert db.session.scalar(db.select(db.func.count()).select_from(ModelVersion)) == 1
    assert "still training" in page.text


def test_the_scheduler_claims_a_queued_training_exactly_once(app, admin):
    queued = versions.start_training(admin, NOW, queued=True)

    first, second = claim_queued_training(), claim_queued_training()

    assert (first, second) == (queued.id, None)
    assert queued.process == str(this_process())


def test_a_training_started_here_is_not_claimed(app, admin):
    versions.start_training(admin, NOW)

    claimed = claim_queued_training()

    assert claimed is None


def test_a_claimed_training_ends_ready_with_its_model_card(app, reservoir, admin):
    queued = versions.start_training(admin, NOW, queued=True)
    claim_queued_training()

    run_queued_training(queued.id, AS_OF)

    db.session.expire_all()
    trained = db.session.get_one(ModelVersion, queued.id)
    assert (trained.state, trained.step, trained.progress) == (TrainingState.READY, "done", 100)
    # Firms founded in 2018 have no rows at the fitting cutoffs, but are measured at the test one.
    assert trained.card["test_rows"] > 0


def test_a_claimed_training_that_fails_records_why_and_does_not_raise(app, admin):
    queued = versions.start_training(admin, NOW, queued=True)
    claim_queued_training()

    run_queued_training(queued.id, AS_OF)  # an empty reservoir has no outcome to measure

    db.session.expire_all()
    failed = db.session.get_one(ModelVersion, queued.id)
    assert failed.state == TrainingState.FAILED
    assert failed.finished_at is not None
    assert "outcomes" in (failed.error or "")
