"""Reasons and feature names in the reader's language: the scoring library stores plain fields."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.labels import register
from crm.reference import all_of
from models import IndustryTrack, ModelVersion, TrainingState, Zone
from scoring.explain import bottom_share, top_share
from scoring.labels import FOLD_WITHOUT_OUTCOMES, LATEST_TOO_FEW, MIN_POSITIVES, SINGLE_OUTCOME

register(
    {
        TrainingState.RUNNING: _l("Training"),
        TrainingState.READY: _l("Ready"),
        TrainingState.FAILED: _l("Failed"),
        TrainingState.INTERRUPTED: _l("Interrupted"),
    }
)
CANDIDATE_LABELS = {
    "index": _l("rule-based index"),
    "logistic": _l("logistic regression"),
    "hist_gradient_boosting": _l("gradient boosting"),
}
FEATURE_LABELS = {
    "revenue_latest": _l("Revenue"),
    "employees_latest": _l("Staff"),
    "revenue_growth": _l("Revenue growth"),
    "employee_growth": _l("Staff growth"),
    "rd_intensity": _l("R&D intensity"),
    "patents_latest": _l("Patents granted last year"),
    "patents_cumulative": _l("Patents granted"),
    "pct_applications_latest": _l("PCT applications last year"),
    "pct_applications_cumulative": _l("PCT applications"),
    "funding_last_3_years": _l("Funding raised in the last 3 years"),
    "funding_momentum": _l("Funding momentum"),
    "funding_stage": _l("Funding stage"),
    "age_years": _l("Age"),
    "designations_held": _l("Designations held"),
    "visits_last_12_months": _l("Visits in the last 12 months"),
    "requests_resolved_last_12_months": _l("Requests resolved in the last 12 months"),
    "support_received": _l("Support received"),
    "track": _l("Track"),
    "zone": _l("Zone"),
}


def feature_label(feature: str) -> str:
    return str(FEATURE_LABELS.get(feature, feature))


def reason_words(
    reason: dict[str, Any], locale: str, categories: dict[tuple[str, str], str] | None = None
) -> str:
    """'PCT applications in the top 5% of its track', in the reader's language."""
    name = feature_label(reason["feature"])
    if reason.get("category") is not None:
        key = (reason["feature"], reason["category"])
        category = (categories or category_names(locale)).get(key, reason["category"])
        if reason["effect"] > 0:
            return _("%(name)s %(value)s raises the score", name=name, value=category)
        return _("%(name)s %(value)s lowers the score", name=name, value=category)
    percentile = reason.get("percentile")
    if percentile is None:
        return _("%(name)s not reported", name=name)
    track = reason.get("scope") == "track"
    if percentile >= 0.5:
        share = top_share(percentile)
        if track:
            return _("%(name)s in the top %(share)s%% of its track", name=name, share=share)
        return _("%(name)s in the top %(share)s%% of the reservoir", name=name, share=share)
    share = bottom_share(percentile)
    if track:
        return _("%(name)s in the bottom %(share)s%% of its track", name=name, share=share)
    return _("%(name)s in the bottom %(share)s%% of the reservoir", name=name, share=share)


def category_names(locale: str) -> dict[tuple[str, str], str]:
    """(feature, slug) -> name of every track and zone: two queries, however many reasons."""
    names = {("track", row.slug): row.name_for(locale) for row in all_of(IndustryTrack)}
    names.update({("zone", row.slug): row.name_for(locale) for row in all_of(Zone)})
    return names


def worded(reasons: list[dict[str, Any]], locale: str) -> list[dict[str, Any]]:
    """The stored reasons with their words, for pages and the API."""
    return ReasonWords(locale)(reasons)


class ReasonWords:
    """Words for the reasons of many firms: track and zone names read once, and each distinct
    reason worded once (a page of 25 firms has 125 reasons; an export, half a million)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.categories: dict[tuple[str, str], str] | None = None
        self.words: dict[tuple[Any, ...], str] = {}

    def __call__(self, reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {**reason, "words": self.word(reason), "raises": reason["effect"] > 0}
            for reason in reasons
        ]

    def word(self, reason: dict[str, Any]) -> str:
        key = _wording_key(reason)
        if key not in self.words:
            if reason.get("category") is not None and self.categories is None:
                self.categories = category_names(self.locale)
            self.words[key] = reason_words(reason, self.locale, self.categories)
        return self.words[key]


def _wording_key(reason: dict[str, Any]) -> tuple[Any, ...]:
    """What `reason_words` reads of a reason: the rounded share, not the exact percentile."""
    if reason.get("category") is not None:
        return (reason["feature"], reason["category"], reason["effect"] > 0)
    percentile = reason.get("percentile")
    if percentile is None:
        return (reason["feature"], None)
    share = top_share(percentile) if percentile >= 0.5 else -bottom_share(percentile)
    return (reason["feature"], share, reason.get("scope") == "track")


def candidate_label(kind: str) -> str:
    return str(CANDIDATE_LABELS.get(kind, kind))


def calibration_series(candidates: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per candidate: mean predicted against observed rate, over non-empty bins."""
    return [
        {
            "name": candidate_label(name),
            "points": [
                {"x": round(b["mean_predicted"], 4), "y": round(b["observed_rate"], 4)}
                for b in metrics["calibration"]
                if b["count"]
            ],
        }
        for name, metrics in candidates.items()
    ]


def importance_series(importance: dict[str, float]) -> dict[str, list[Any]]:
    """Features by importance, largest first, named in the reader's language."""
    ranked = sorted(importance.items(), key=lambda item: item[1], reverse=True)
    return {
        "labels": [feature_label(feature) for feature, _value in ranked],
        "values": [round(value, 5) for _feature, value in ranked],
    }


def choice_words(version: ModelVersion) -> str:
    """Why the index or the learned model was chosen, from the card's numbers, translated."""
    card = version.card
    if version.kind == "index":
        kept = version.choice_reason
        if kept == SINGLE_OUTCOME:
            return _(
                "a validation or test cut-off had a single outcome (every firm reached a "
                "milestone, or none did), so no learned model could be chosen or judged"
            )
        if kept == FOLD_WITHOUT_OUTCOMES:
            return _(
                "the few firms that reached a milestone fell in too few calibration folds to "
                "calibrate a learned model"
            )
        if kept == LATEST_TOO_FEW:
            return _(
                "the latest windows hold too few positive outcomes to refit the chosen model; at "
                "least %(needed)s are needed",
                needed=MIN_POSITIVES,
            )
        return _(
            "%(positives)s positive outcomes in the training windows; at least %(needed)s are "
            "needed to learn from",
            positives=card.get("train_positives", 0),
            needed=MIN_POSITIVES,
        )
    gate = [
        (row["cutoff"], name, row[name])
        for row in card.get("gate", [])
        for name in ("average_precision", "roc_auc")
    ]
    if gate:
        # The gate's weakest point decides: the lowest lower bound over metrics and cut-offs.
        cutoff, name, gain = min(gate, key=lambda found: found[2]["low"])
        words = {
            "metric": _("average precision") if name == "average_precision" else _("ROC AUC"),
            "cutoff": cutoff,
            "gain": f"{gain['estimate']:+.3f}",
            "low": f"{gain['low']:+.3f}",
            "high": f"{gain['high']:+.3f}",
        }
        if version.beats_index:
            return _(
                "its gain over the index is clear of noise at every test cut-off; the smallest "
                "is %(metric)s %(gain)s at %(cutoff)s, interval [%(low)s, %(high)s]",
                **words,
            )
        return _(
            "its gain over the index is not clear of noise: %(metric)s %(gain)s at %(cutoff)s, "
            "interval [%(low)s, %(high)s]",
            **words,
        )
    # Cards trained before the publish gate: one comparison of average precision.
    ours = card.get("metrics", {}).get("average_precision", 0.0)
    index = card.get("index_metrics", {}).get("average_precision", 0.0)
    if version.beats_index:
        return _(
            "average precision %(ours).3f beats the index's %(index).3f", ours=ours, index=index
        )
    return _(
        "average precision %(ours).3f does not beat the index's %(index).3f",
        ours=ours,
        index=index,
    )


def scorer_label(scorer: str) -> str:
    """ "index" or a version's label ("v3 logistic"), in the reader's language."""
    version, _space, kind = scorer.partition(" ")
    return f"{version} {candidate_label(kind)}" if kind else candidate_label(scorer)
