"""The scheduled jobs themselves, run as the scheduler runs them (in process, recorded)."""

from datetime import date

import pytest
from sqlalchemy import select

from crm.scheduling.jobs import run_job
from models import JobRunState, PotentialScore, Reminder, db
from tests import factories
from tests.helpers import row_count

# The scheduler and the jobs page read through connections of their own: the data is committed.
pytestmark = pytest.mark.own_database


def test_rescoring_job_scores_the_reservoir(app):
    for n in range(3):
        firm = factories.EnterpriseFactory(founded_on=date(2015, 1, 1))
        factories.YearlyFiguresFactory(enterprise=firm, year=2024, revenue=1000 * (n + 1))
        factories.YearlyFiguresFactory(enterprise=firm, year=2025, revenue=1500 * (n + 1))
    db.session.commit()

    run = run_job("rescoring", "command")

    assert run.state == JobRunState.SUCCEEDED, run.error
    assert {"firms": 3, "scorer": "index"}.items() <= run.summary.items()  # and the dashboard
    assert row_count(PotentialScore) == 3


def test_digest_job_fills_the_leaders_inboxes(app, leader):
    db.session.commit()

    run = run_job("leaders_digest", "command")

    assert run.state == JobRunState.SUCCEEDED, run.error
    assert db.session.scalars(
        select(Reminder.recipient_id).where(Reminder.rule == "weekly_digest")
    ).all() == [leader.id]
