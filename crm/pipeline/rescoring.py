"""`crm score`: rescore every active firm with the live version and keep each firm's history."""

from datetime import date, datetime

import numpy as np
from sqlalchemy import insert, select

from crm.pipeline.features import firm_facts
from crm.pipeline.models import live_version, load_live_model
from crm.pipeline.ranking import run_tally
from models import INDEX_KIND, EnterpriseDesignation, PotentialScore, ScoringRun, db
from scoring.explain import score_rows
from scoring.facts import add_years
from scoring.features import existed_before, features_as_of
from scoring.labels import MILESTONE_DESIGNATIONS

INSERT_BATCH = 5_000


def rescore(as_of: date, now: datetime) -> ScoringRun:
    """Score every active firm not yet at a milestone, rank them, and write one run.

    Firms holding a milestone are left out: the model was trained on firms still on the way, and
    a listed company at the top of the pipeline tells a leader nothing.
    """
    version = live_version()
    model = load_live_model(version)
    arrived = set(
        db.session.scalars(
            select(EnterpriseDesignation.enterprise_id).where(
                EnterpriseDesignation.designation.in_(MILESTONE_DESIGNATIONS)
            )
        )
    )  # dated or not: the facts leave undated ones out, the ranking must not show them either
    firms = [
        firm
        for firm in firm_facts(active_only=True, activity_since=add_years(as_of, -1))
        if existed_before(firm, as_of) and firm.firm_id not in arrived
    ]
    rows = [features_as_of(firm, as_of) for firm in firms]
    scored = score_rows(rows, model)
    learned = version is not None and version.kind != INDEX_KIND
    run = ScoringRun(
        model_version=version if learned else None,
        scorer=version.label if version is not None and learned else INDEX_KIND,
        as_of=as_of,
        scored_at=now,
        firms=len(firms),
    )
    db.session.add(run)
    db.session.flush()
    scores = np.asarray(scored.scores)
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    sorted_scores = np.sort(scores)
    below = np.searchsorted(sorted_scores, scores, side="left")
    values = [
        {
            "run_id": run.id,
            "enterprise_id": firm.firm_id,
            "score": float(scores[i]),
            "percentile": float(below[i] / len(scores)),
            "rank": int(ranks[i]),
            "reasons": [reason.as_dict() for reason in scored.reasons[i]],
        }
        for i, firm in enumerate(firms)
    ]
    table = PotentialScore.__table__  # a Core insert: the ORM's bulk path costs seconds here
    for start in range(0, len(values), INSERT_BATCH):
        db.session.execute(insert(table), values[start : start + INSERT_BATCH])
    run.tally = run_tally(run)
    db.session.commit()
    return run
