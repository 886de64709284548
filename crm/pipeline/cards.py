"""A firm's potential as its page shows it: score, change, reasons, history, override."""

from crm.i18n import current_locale
from crm.pipeline import overrides, ranking
from crm.pipeline.reasons import worded


def firm_score_card(enterprise_id: int) -> dict[str, object] | None:
    """What the firm's page shows of its score; None before its first scoring."""
    history = ranking.score_history(enterprise_id)
    if not history:
        return None
    run, score = history[-1]
    earlier = history[-2] if len(history) > 1 else None
    # A change between two different scorers measures the switch, not the firm.
    same_scorer = earlier is not None and earlier[0].model_version_id == run.model_version_id
    previous = earlier[1].score if earlier is not None and same_scorer else None
    return {
        "run": run,
        "score": score,
        "change": None if previous is None else score.score - previous,
        "suggested_tier": ranking.suggested_tier(score.percentile),
        "reasons": worded(score.reasons, current_locale()),
        "history": {
            "days": [r.scored_at.date().isoformat() for r, _s in history],
            "scores": [round(s.score, 4) for _r, s in history],
        },
        "override": overrides.current_override(enterprise_id),
    }
