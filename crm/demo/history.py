"""A drafted firm's dated history as rows: its designations with their award days, its rounds.

Scoring learns from what a firm looked like before a cut-off and what it became after, so every
fact carries its date. The dates come from the simulated history (awards.py, figures.py), never
drawn afterwards from the firm's final state.
"""

from crm.demo.firms import FirmDraft
from crm.demo.randomness import money
from models import EnterpriseDesignation, FundingEvent


def designation_rows(draft: FirmDraft) -> list[EnterpriseDesignation]:
    return [
        EnterpriseDesignation(designation=designation, awarded_on=awarded_on)
        for designation, awarded_on in sorted(draft.awards.items())
    ]


def funding_events(draft: FirmDraft) -> list[FundingEvent]:
    return [
        FundingEvent(
            closed_on=funding.closed_on,
            amount=money(funding.amount),
            stage=funding.stage,
        )
        for funding in draft.rounds
    ]
