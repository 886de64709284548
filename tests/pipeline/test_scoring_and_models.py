"""Rescoring, publishing and rolling back, overrides: the pipeline's services on a real database."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from crm.enterprises.queries import ReservoirFilter
from crm.errors import ConflictError, ForbiddenError, InvalidInputError
from crm.pipeline import overrides, versions
from crm.pipeline.ranking import all_pipeline_rows
from crm.pipeline.rescoring import rescore
from models import (
    AuditEntry,
    PotentialScore,
    ScoringRun,
    Tier,
    TrainingState,
    db,
)
from tests.factories import ModelVersionFactory
from tests.helpers import PIPELINE_AS_OF as AS_OF
from tests.helpers import PIPELINE_NOW as NOW


def _scores(run: ScoringRun) -> list[PotentialScore]:
    return list(db.session.scalars(select(PotentialScore).where(PotentialScore.run_id == run.id)))


def test_the_index_scores_every_active_firm_not_yet_at_a_milestone_with_reasons(reservoir):
    run = rescore(AS_OF, NOW)

    scores = _scores(run)
    listed = reservoir[-1]
    assert run.scorer == "index"
    assert run.model_version is None
    assert {s.enterprise_id for s in scores} == {f.id for f in reservoir} - {listed.id}
    assert all(0.0 <= s.score <= 1.0 for s in scores)
    assert sorted(s.rank for s in scores) == list(range(1, len(scores) + 1))
    best = min(scores, key=lambda s: s.rank)
    assert best.score == max(s.score for s in scores)
    assert best.reasons
    assert best.reasons[0]["effect"] > 0


def test_a_published_learned_model_scores_with_occlusion_reasons(reservoir, learned_version, admin):
    versions.publish(admin, learned_version, NOW)

    run = rescore(AS_OF, NOW)

    assert run.model_version_id == learned_version.id
    assert run.scorer == learned_version.label
    scores = _scores(run)
    assert all(0.0 <= s.score <= 1.0 for s in scores)
    assert any(s.reasons for s in scores)


def test_publishing_a_model_that_lost_to_the_index_is_refused(app, learned_version, admin):
    learned_version.beats_index = False

    with pytest.raises(ConflictError, match="did not pass the publish gate"):
        versions.publish(admin, learned_version, NOW)
    assert versions.live_version() is None


def test_only_an_admin_publishes(app, learned_version, leader):
    with pytest.raises(ForbiddenError):
        versions.publish(leader, learned_version, NOW)


def test_rolling_back_returns_to_the_version_before_then_to_the_index(app, learned_version, admin):
    second = ModelVersionFactory(
        state=TrainingState.READY,
        kind="logistic",
        beats_index=True,
        started_at=NOW,
        artifact=learned_version.artifact,
    )
    versions.publish(admin, learned_version, NOW)
    versions.publish(admin, second, NOW + timedelta(days=1))
    assert versions.live_version() == second

    assert versions.roll_back(admin) == learned_version
    assert versions.roll_back(admin) is None
    with pytest.raises(ConflictError):
        versions.roll_back(admin)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity_type == "model_version")
    ).all()
    assert actions.count("roll_back") == 2


def test_rescoring_keeps_the_history_and_reports_the_change(scored):
    firm = scored[0]
    first = rescore(AS_OF, NOW)
    firm.yearly_figures[-1].patents = 500  # a jump the index sees
    db.session.commit()

    second = rescore(AS_OF, NOW + timedelta(days=1))

    history = db.session.scalars(
        select(PotentialScore).where(PotentialScore.enterprise_id == firm.id)
    ).all()
    assert {s.run_id for s in history} >= {first.id, second.id}
    row = next(r for r in pipeline_rows_for_leader() if r.enterprise.id == firm.id)
    assert row.change is not None
    assert row.change > 0


def pipeline_rows_for_leader():
    from tests.factories import UserFactory

    return list(all_pipeline_rows(UserFactory(role="leader"), ReservoirFilter()))


def test_an_override_survives_a_rescore_and_is_audited(scored, leader):
    firm = scored[0]
    data = overrides.OverrideInput(
        tier="candidate", watch=True, reason="CEO plans a Series C in Q1."
    )
    overrides.set_override(leader, firm, data, None, NOW)
    db.session.commit()

    rescore(AS_OF, NOW + timedelta(days=1))

    db.session.refresh(firm)
    assert firm.tier == Tier.CANDIDATE
    override = overrides.current_override(firm.id)
    assert override is not None
    assert override.watch
    assert override.tier == Tier.CANDIDATE
    row = next(r for r in pipeline_rows_for_leader() if r.enterprise.id == firm.id)
    assert row.override == override
    audited = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "pipeline_override")
    ).all()
    assert audited
    assert audited[0].changes["reason"][1] == data.reason


def test_an_override_needs_a_reason_and_a_decision(scored, leader):
    firm = scored[0]
    with pytest.raises(InvalidInputError) as short:
        overrides.set_override(leader, firm, overrides.OverrideInput("", True, "ok"), None, NOW)
    assert "reason" in short.value.errors
    with pytest.raises(InvalidInputError) as empty:
        overrides.set_override(
            leader, firm, overrides.OverrideInput("", False, "A long enough reason."), None, NOW
        )
    assert "tier" in empty.value.errors


def test_managers_cannot_override(scored, manager):
    with pytest.raises(ForbiddenError):
        overrides.set_override(
            manager,
            scored[0],
            overrides.OverrideInput("", True, "A long enough reason."),
            None,
            NOW,
        )


def test_training_on_too_few_outcomes_keeps_the_index_and_publishing_it_is_allowed(
    app, reservoir, admin, tmp_path
):
    app.config["MODEL_FOLDER"] = str(tmp_path)
    version = versions.start_training(admin, NOW)

    versions.run_training(version.id, AS_OF)

    assert version.state == TrainingState.READY
    assert version.kind == "index"
    assert "too few positive" in version.choice_reason
    assert set(version.card) >= {"train_rows", "train_positives", "metrics", "sklearn_version"}
    versions.publish(admin, version, NOW)
    assert rescore(AS_OF, NOW).scorer == "index"


def test_a_second_training_is_refused_while_one_runs_but_not_after_it_was_abandoned(app, admin):
    first = versions.start_training(admin, NOW)

    with pytest.raises(ConflictError):
        versions.start_training(admin, NOW + timedelta(minutes=30))
    second = versions.start_training(admin, NOW + timedelta(hours=3))

    assert first.state == TrainingState.INTERRUPTED
    assert second.state == TrainingState.RUNNING
