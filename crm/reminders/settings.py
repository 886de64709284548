"""The reminder rules' thresholds, read once from the configuration."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crm.config import month_day


@dataclass(frozen=True)
class ReminderSettings:
    visit_cadence_days: Mapping[str, int]
    visit_lead_days: int
    visit_escalation_days: int
    sharp_rise: float
    sharp_rise_visit_days: int
    follow_up_lead_days: int
    request_lead_days: int
    package_lead_days: int
    figures_due: tuple[int, int]  # month, day
    listing_stall_months: int
    discovery_screening_days: int
    credit_renewal_lead_days: int
    credit_decision_pending_days: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "ReminderSettings":
        month, day = month_day(config["REMINDER_FIGURES_DUE"])
        return cls(
            visit_cadence_days=dict(config["REMINDER_VISIT_CADENCE_DAYS"]),
            visit_lead_days=config["REMINDER_VISIT_LEAD_DAYS"],
            visit_escalation_days=config["REMINDER_VISIT_ESCALATION_DAYS"],
            sharp_rise=config["REMINDER_SHARP_RISE"],
            sharp_rise_visit_days=config["REMINDER_SHARP_RISE_VISIT_DAYS"],
            follow_up_lead_days=config["REMINDER_FOLLOW_UP_LEAD_DAYS"],
            request_lead_days=config["REMINDER_REQUEST_LEAD_DAYS"],
            package_lead_days=config["REMINDER_PACKAGE_LEAD_DAYS"],
            figures_due=(month, day),
            listing_stall_months=config["REMINDER_LISTING_STALL_MONTHS"],
            discovery_screening_days=config["REMINDER_DISCOVERY_SCREENING_DAYS"],
            credit_renewal_lead_days=config["REMINDER_CREDIT_RENEWAL_LEAD_DAYS"],
            credit_decision_pending_days=config["REMINDER_CREDIT_DECISION_PENDING_DAYS"],
        )
