"""Model versions, scoring runs and their scores, and leaders' overrides of the model's view."""

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model, SoftDeleteMixin, VersionedMixin, partial_index, string_enum
from models.enterprise import Enterprise, Tier
from models.user import User

INDEX_KIND = "index"  # the rule-based index: needs no artifact, always available


class TrainingState(enum.StrEnum):
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its process stopped (killed, restarted) before it finished


class ModelVersion(Model):
    """One training run: its backtest of every candidate and, when one could be trained, the best
    learned candidate's artifact. `kind` is that candidate, or the index when too few positive
    outcomes existed to train anything."""

    __tablename__ = "model_versions"
    # One training at a time, enforced by the database: two admins clicking together cannot both
    # pass a check-then-insert.
    __table_args__ = (
        partial_index(
            "uq_model_versions_one_running", "state", where="state = 'running'", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[TrainingState] = mapped_column(string_enum(TrainingState))
    progress: Mapped[int] = mapped_column(default=0)  # percent, for the admin page
    step: Mapped[str] = mapped_column(String(60), default="")  # key of the current step
    error: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), default=INDEX_KIND)
    beats_index: Mapped[bool] = mapped_column(default=False)
    choice_reason: Mapped[str] = mapped_column(String(300), default="")
    # Path under MODEL_FOLDER: "<this database's folder>/potential-v<N>.joblib" (a bare file name
    # for versions trained before databases had folders of their own).
    artifact: Mapped[str | None] = mapped_column(String(200))
    # The model card: data window, features, rows, positives, metrics, library versions.
    card: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Everything the model page shows: each candidate's metrics and calibration, importances,
    # the feedback-bias check.
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    # The process training it (crm.processes): a run whose process is gone no longer blocks.
    process: Mapped[str | None] = mapped_column(String(200))
    trained_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    trained_by: Mapped[User | None] = relationship(foreign_keys=[trained_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def label(self) -> str:
        # Until a run ends, its kind is a placeholder: the candidate is chosen at the end.
        return f"v{self.id} {self.kind}" if self.state == TrainingState.READY else f"v{self.id}"


class ModelFolder(Model):
    """One row: this database's folder under MODEL_FOLDER. Two databases served from one checkout
    both number their versions from 1; each writes its files in its own folder. The name lives
    in the database, so a database moved or restored elsewhere keeps finding its files."""

    __tablename__ = "model_folders"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    name: Mapped[str] = mapped_column(String(60), unique=True)
    created_at: Mapped[datetime]


class ScoringRun(Model):
    """One rescoring of the reservoir. `model_version` is None when the index scored it."""

    __tablename__ = "scoring_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id"))
    scorer: Mapped[str] = mapped_column(String(60))  # "index" or a version's label, as shown
    as_of: Mapped[date]
    scored_at: Mapped[datetime] = mapped_column(index=True)
    firms: Mapped[int] = mapped_column(default=0)
    # [[sub_district_id, zone_id, track_id, tier, firms], ...] when scored: the pipeline's counts
    # per filter without counting the reservoir on each view.
    tally: Mapped[list[list[Any]]] = mapped_column(JSON, default=list, server_default="[]")

    model_version: Mapped[ModelVersion | None] = relationship()


class PotentialScore(Model):
    """A firm's score in one run; the runs before it are the firm's score history."""

    __tablename__ = "potential_scores"
    __table_args__ = (
        UniqueConstraint("run_id", "enterprise_id"),
        Index("ix_potential_scores_enterprise_run", "enterprise_id", "run_id"),
        # A page of the ranking is a range of this index; the firm's id breaks ties in rank.
        Index("ix_potential_scores_run_rank", "run_id", "rank", "enterprise_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("scoring_runs.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    score: Mapped[float] = mapped_column(Float)
    percentile: Mapped[float] = mapped_column(Float)  # share of the run's firms below, ties half
    rank: Mapped[int]
    # [{"feature", "effect", "percentile", "scope", "missing"}], largest effect first.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    run: Mapped[ScoringRun] = relationship()
    enterprise: Mapped[Enterprise] = relationship()


class PipelineOverride(VersionedMixin, SoftDeleteMixin, Model):
    """A leader's view beside the model's: a tier set by hand, or a firm put on watch.

    Scoring never writes here nor to the firm's tier, so a rescore cannot undo a decision;
    withdrawing one soft-deletes it.
    """

    __tablename__ = "pipeline_overrides"
    # At most one live override per firm, whatever two leaders do at the same moment.
    __table_args__ = (partial_index("uq_pipeline_overrides_live", "enterprise_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    tier: Mapped[Tier | None] = mapped_column(string_enum(Tier))
    watch: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime]

    enterprise: Mapped[Enterprise] = relationship()
    decided_by: Mapped[User] = relationship()
