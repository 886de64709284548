"""A believable workload for the demo: visits kept on schedule, old work finished, a little late.

A district's managers visit most firms on their tier's cadence; a few firms slip, and they slip
furthest where a manager is stretched. Follow-ups and requests get done, late sometimes, but a
two-year-old request is not still open. The reminder inbox then opens on a handful of things due
this week, as a real one would, instead of hundreds of items two years overdue.
"""

from datetime import date, datetime, timedelta
from random import Random

from crm.config import DefaultConfig
from crm.demo.randomness import at_hour, days_before, stream
from models import RequestUrgency, Tier, VisitKind

VISIT_KIND_WEIGHTS = dict(zip(VisitKind, (60, 25, 10, 5), strict=True))
URGENCY_WEIGHTS = dict(zip(RequestUrgency, (2, 6, 2), strict=True))
SATISFACTION_WEIGHTS = {3: 1, 4: 3, 5: 6}  # of a closed request
# The reminder rules' cadence and escalation, so the history keeps to what the rules expect.
CADENCE_DAYS = DefaultConfig.REMINDER_VISIT_CADENCE_DAYS
ESCALATION_DAYS = DefaultConfig.REMINDER_VISIT_ESCALATION_DAYS
STRETCHED_SUB_DISTRICTS = 3  # managers with more firms than time: their late visits escalate
LATE_CHANCE = 0.02  # a firm whose visit is overdue today, with a manager keeping up
STRETCHED_LATE_CHANCE = 0.12  # ... and with a stretched one
LATE_DAYS = ESCALATION_DAYS - 5  # most late: at most this many days, short of escalating
STRETCHED_LATE_DAYS = ESCALATION_DAYS + 45
EARLIEST_GAP = 0.75  # a visit comes between three quarters and all of the cadence after the last
OPEN_WORK_DAYS = 45  # follow-ups and requests older than this were finished
LATE_FOLLOW_UP_CHANCE = 0.15  # a follow-up due within that window and not done yet


def stretched_sub_districts(seed: int, sub_district_ids: list[int]) -> set[int]:
    rng = stream(seed, "workload")
    ids = sorted(sub_district_ids)
    return set(rng.sample(ids, min(STRETCHED_SUB_DISTRICTS, len(ids))))


def cadence_days(tier: Tier) -> int:
    return CADENCE_DAYS.get(tier.value, CADENCE_DAYS["reservoir"])


def visit_days(
    rng: Random, tier: Tier, joined_on: date, today: date, history_days: int, is_stretched: bool
) -> list[date]:
    """The days a firm was visited, oldest first: the last one on schedule (or a little late),
    the ones before a cadence apart, none before the firm joined or the history starts."""
    cadence = cadence_days(tier)
    start = max(joined_on, today - timedelta(days=history_days))
    if (today - start).days < 2:
        return []
    late_chance, late_days = LATE_CHANCE, LATE_DAYS
    if is_stretched:
        late_chance, late_days = STRETCHED_LATE_CHANCE, STRETCHED_LATE_DAYS
    if rng.random() < late_chance:
        days_ago = cadence + rng.randint(1, late_days)
    else:
        days_ago = rng.randint(1, cadence - 1)
    if (today - start).days <= days_ago:
        # Joined recently: not visited yet, or once since joining.
        if (today - start).days < cadence and rng.random() < 0.5:
            return []
        days_ago = rng.randint(1, (today - start).days - 1)
    days = []
    day = today - timedelta(days=days_ago)
    while day > start:
        days.append(day)
        day = days_before(rng, day, round(cadence * EARLIEST_GAP), cadence)
    return days[::-1]


def follow_up_done_at(rng: Random, visited_on: date, due_on: date, today: date) -> datetime | None:
    """Old follow-ups are done, near the due date; a recent overdue one is sometimes not yet."""
    if due_on >= today:
        return None
    if (today - due_on).days <= OPEN_WORK_DAYS and rng.random() < LATE_FOLLOW_UP_CHANCE:
        return None
    done_on = max(visited_on, days_before(rng, due_on, 0, 7))
    done_on += timedelta(days=rng.choice((0, 0, 0, rng.randint(1, 10))))  # a few done late
    return at_hour(min(done_on, today - timedelta(days=1)), 16)


def may_stall(raised_on: date, today: date) -> bool:
    """Only a recent request can still be stuck: older ones were chased and finished."""
    return (today - raised_on).days <= OPEN_WORK_DAYS
