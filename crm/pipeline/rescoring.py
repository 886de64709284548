"""`crm score`: rescore every active firm with the live version and keep each firm's history."""

from datetime import date, datetime

import numpy as np
from sqlalchemy import insert, select

from crm.pipeline.batch import collector_paused
from crm.pipeline.firm_facts import firm_facts
from crm.pipeline.ranking import run_tally
from crm.pipeline.versions import live_version, load_live_model
from models import INDEX_KIND, EnterpriseDesignation, PotentialScore, ScoringRun, db
from scoring.explain import score_rows
from scoring.facts import add_years
from scoring.features import feature_table
from scoring.labels import MILESTONE_DESIGNATIONS
from scoring.ranks import percentile_ranks

INSERT_BATCH = 5_000


def rescore(as_of: date, now: datetime) -> ScoringRun:
    """Score every active firm not yet at a milestone, rank them, and write one run.

    Firms holding a milestone are left out: the model was trained on firms still on the way, and
    a listed company at the top of the pipeline tells a leader nothing.
    """
    with collector_paused():
        return _rescore(as_of, now)


def _rescore(as_of: date, now: datetime) -> ScoringRun:
    version = live_version()
    model = load_live_model(version)
    arrived = set(
        db.session.scalars(
            select(EnterpriseDesignation.enterprise_id).where(
                EnterpriseDesignation.designation.in_(MILESTONE_DESIGNATIONS)
            )
        )
    )  # dated or not: the facts leave undated ones out, the ranking must not show them either
    facts = firm_facts(active_only=True, activity_since=add_years(as_of, -1))
    ids, rows = feature_table((firm for firm in facts if firm.firm_id not in arrived), as_of)
    del facts  # dropped once they are feature rows: a district's facts are most of the peak
    scored = score_rows(rows, model)
    del rows
    learned = version is not None and version.kind != INDEX_KIND
    run = ScoringRun(
        model_version=version if learned else None,
        scorer=version.label if version is not None and learned else INDEX_KIND,
        as_of=as_of,
        scored_at=now,
        firms=len(ids),
    )
    db.session.add(run)
    db.session.flush()
    scores = np.asarray(scored.scores)
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    percentiles = percentile_ranks(scores)
    # Through the connection, a plain Core insert: the ORM's bulk path costs seconds here.
    connection = db.session.connection()
    for start in range(0, len(ids), INSERT_BATCH):
        values = [
            {
                "run_id": run.id,
                "enterprise_id": ids[i],
                "score": float(scores[i]),
                "percentile": float(percentiles[i]),
                "rank": int(ranks[i]),
                "reasons": [reason.as_dict() for reason in scored.reasons[i]],
            }
            for i in range(start, min(start + INSERT_BATCH, len(ids)))
        ]
        connection.execute(insert(PotentialScore), values)
    run.tally = run_tally(run)
    db.session.flush()
    return run
